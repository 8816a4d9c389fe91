/** SASL/PLAIN (RFC 4616) against the `user_<name>` passwords of a JAAS config. */
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { PlainSaslServer } from '../../../src/security/sasl/plain-server.js';
import { SaslAuthenticationError } from '../../../src/security/sasl/sasl-server.js';

const passwords = new Map([
  ['alice', 'alice-secret'],
  ['bob', 'bob-sécret'],
]);

const token = (authzid: string, user: string, password: string) => Buffer.from(`${authzid}\0${user}\0${password}`);

function refusal(server: PlainSaslServer, message: Buffer): SaslAuthenticationError {
  try {
    server.evaluate(message);
  } catch (err) {
    assert.ok(err instanceof SaslAuthenticationError, String(err));
    assert.equal(server.isComplete, false);
    return err;
  }
  assert.fail('the message was accepted');
}

describe('PlainSaslServer', () => {
  test('the right password authenticates the user with an empty answer', () => {
    const server = new PlainSaslServer(passwords);
    assert.equal(server.isComplete, false);
    assert.equal(server.evaluate(token('', 'alice', 'alice-secret')).length, 0);
    assert.equal(server.isComplete, true);
    assert.equal(server.authorizationId(), 'alice');
  });

  test('passwords are compared as UTF-8', () => {
    const server = new PlainSaslServer(passwords);
    server.evaluate(token('', 'bob', 'bob-sécret'));
    assert.equal(server.authorizationId(), 'bob');
    refusal(new PlainSaslServer(passwords), token('', 'bob', 'bob-secret'));
  });

  test('a wrong password and an unknown user get the same message, which names neither', () => {
    const wrongPassword = refusal(new PlainSaslServer(passwords), token('', 'alice', 'alice-secreT'));
    const unknownUser = refusal(new PlainSaslServer(passwords), token('', 'mallory', 'alice-secret'));
    assert.equal(wrongPassword.message, unknownUser.message);
    assert.match(wrongPassword.message, /^Authentication failed/);
    assert.equal(wrongPassword.message, 'Authentication failed: Invalid username or password');
    assert.doesNotMatch(wrongPassword.message, /alice|mallory/);
  });

  test('a prefix of the password is not the password', () => {
    refusal(new PlainSaslServer(passwords), token('', 'alice', 'alice-secre'));
    refusal(new PlainSaslServer(passwords), token('', 'alice', 'alice-secret2'));
  });

  test('a message without three NUL-separated tokens is refused', () => {
    assert.match(refusal(new PlainSaslServer(passwords), Buffer.from('alice\0alice-secret')).message, /3 tokens/);
    assert.match(refusal(new PlainSaslServer(passwords), Buffer.from('a\0alice\0alice-secret\0')).message, /3 tokens/);
    refusal(new PlainSaslServer(passwords), Buffer.alloc(0));
  });

  test('an empty user or password is refused', () => {
    assert.match(refusal(new PlainSaslServer(passwords), token('', '', 'x')).message, /username/);
    assert.match(refusal(new PlainSaslServer(passwords), token('', 'alice', '')).message, /password/);
  });

  test('an authorization id other than the user is refused; the user itself is accepted', () => {
    const refused = refusal(new PlainSaslServer(passwords), token('admin', 'alice', 'alice-secret'));
    assert.match(refused.message, /authorization id that is different from username/);
    const server = new PlainSaslServer(passwords);
    server.evaluate(token('alice', 'alice', 'alice-secret'));
    assert.equal(server.authorizationId(), 'alice');
  });

  test('a second message after success is refused', () => {
    const server = new PlainSaslServer(passwords);
    server.evaluate(token('', 'alice', 'alice-secret'));
    assert.throws(() => server.evaluate(token('', 'bob', 'bob-sécret')), SaslAuthenticationError);
    assert.equal(server.authorizationId(), 'alice');
  });
});
