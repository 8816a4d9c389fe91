/**
 * ScramSaslServer driven by a test client made from the protocol's SCRAM primitives, for both
 * mechanisms, and by the messages broken or hostile clients send.
 */
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { createScramCredential, type ScramMechanismName } from '@samsa/protocol';
import { SaslAuthenticationError } from '../../../src/security/sasl/sasl-server.js';
import { ScramSaslServer } from '../../../src/security/sasl/scram-server.js';
import { InMemoryScramCredentialStore } from '../../../src/security/scram-credential-store.js';
import { attributes, TestScramClient } from '../support/scram-test-client.js';

const MECHANISMS: readonly ScramMechanismName[] = ['SCRAM-SHA-256', 'SCRAM-SHA-512'];

function storeWith(users: Record<string, string>, iterations = 4096): InMemoryScramCredentialStore {
  const store = new InMemoryScramCredentialStore();
  for (const [user, password] of Object.entries(users)) {
    for (const mechanism of MECHANISMS)
      store.set(user, mechanism, createScramCredential(mechanism, password, iterations));
  }
  return store;
}

function refusedWith(message: string | RegExp): (err: unknown) => boolean {
  return (err) => {
    assert.ok(err instanceof SaslAuthenticationError, String(err));
    if (typeof message === 'string') assert.equal(err.message, message);
    else assert.match(err.message, message);
    return true;
  };
}

const invalidCredentials = (mechanism: string) =>
  `Authentication failed during authentication due to invalid credentials with SASL mechanism ${mechanism}`;

describe('ScramSaslServer', () => {
  const store = storeWith({ alice: 'alice-secret', 'we=ird,name': 'odd-secret' });

  for (const mechanism of MECHANISMS) {
    test(`${mechanism}: a full exchange authenticates the user, and the server's signature verifies`, () => {
      const server = new ScramSaslServer(mechanism, store);
      const client = new TestScramClient(mechanism, 'alice', 'alice-secret');
      const serverFirst = server.evaluate(client.first());
      const a = attributes(serverFirst.toString('utf8'));
      assert.ok(a.get('r')?.startsWith(client.clientNonce));
      assert.ok((a.get('r')?.length ?? 0) > client.clientNonce.length, 'the server adds its own nonce');
      assert.equal(a.get('i'), '4096');
      assert.equal(server.isComplete, false);
      const serverFinal = server.evaluate(client.final(serverFirst));
      assert.ok(client.verifiesServerFinal(serverFinal), serverFinal.toString());
      assert.equal(server.isComplete, true);
      assert.equal(server.authorizationId(), 'alice');
    });

    test(`${mechanism}: a wrong password is refused with Kafka's message`, () => {
      const server = new ScramSaslServer(mechanism, store);
      const client = new TestScramClient(mechanism, 'alice', 'not-the-secret');
      const serverFirst = server.evaluate(client.first());
      assert.throws(() => server.evaluate(client.final(serverFirst)), refusedWith(invalidCredentials(mechanism)));
      assert.equal(server.isComplete, false);
      assert.throws(() => server.authorizationId());
    });
  }

  test('a user name with "=" and "," travels escaped and is the authorization id unescaped', () => {
    const server = new ScramSaslServer('SCRAM-SHA-256', store);
    const client = new TestScramClient('SCRAM-SHA-256', 'we=ird,name', 'odd-secret');
    assert.match(client.first().toString(), /n=we=3Dird=2Cname,/);
    const serverFirst = server.evaluate(client.first());
    assert.ok(client.verifiesServerFinal(server.evaluate(client.final(serverFirst))));
    assert.equal(server.authorizationId(), 'we=ird,name');
  });

  test('an unknown user gets a normal-looking server-first and the same refusal at the final step', () => {
    const server = new ScramSaslServer('SCRAM-SHA-256', store);
    const client = new TestScramClient('SCRAM-SHA-256', 'mallory', 'guess');
    const serverFirst = server.evaluate(client.first());
    const a = attributes(serverFirst.toString('utf8'));
    assert.deepEqual([...a.keys()], ['r', 's', 'i']);
    assert.ok(a.get('r')?.startsWith(client.clientNonce));
    assert.ok(Buffer.from(a.get('s') as string, 'base64').length >= 16, 'a salt of usual length');
    assert.equal(a.get('i'), '4096');
    assert.throws(() => server.evaluate(client.final(serverFirst)), refusedWith(invalidCredentials('SCRAM-SHA-256')));
  });

  test("an unknown user's salt is as stable across attempts as a real user's (no enumeration by asking twice)", () => {
    const saltOf = (user: string) => {
      const server = new ScramSaslServer('SCRAM-SHA-256', store);
      return attributes(server.evaluate(new TestScramClient('SCRAM-SHA-256', user, 'x').first()).toString()).get('s');
    };
    assert.equal(saltOf('alice'), saltOf('alice'));
    assert.equal(saltOf('mallory'), saltOf('mallory'));
    assert.notEqual(saltOf('mallory'), saltOf('eve'));
  });

  test('a user with credentials for SCRAM-SHA-512 only is unknown to SCRAM-SHA-256', () => {
    const only512 = new InMemoryScramCredentialStore();
    only512.set('bob', 'SCRAM-SHA-512', createScramCredential('SCRAM-SHA-512', 'bob-secret', 4096));
    const server = new ScramSaslServer('SCRAM-SHA-256', only512);
    const client = new TestScramClient('SCRAM-SHA-256', 'bob', 'bob-secret');
    const serverFirst = server.evaluate(client.first());
    assert.throws(() => server.evaluate(client.final(serverFirst)), refusedWith(invalidCredentials('SCRAM-SHA-256')));
  });

  test('the stored iteration count is what the server asks for', () => {
    const server = new ScramSaslServer('SCRAM-SHA-256', storeWith({ carol: 'carol-secret' }, 8192));
    const client = new TestScramClient('SCRAM-SHA-256', 'carol', 'carol-secret');
    const serverFirst = server.evaluate(client.first());
    assert.equal(attributes(serverFirst.toString()).get('i'), '8192');
    assert.ok(client.verifiesServerFinal(server.evaluate(client.final(serverFirst))));
  });

  test('a client-final with another nonce is refused, even with the right password', () => {
    const server = new ScramSaslServer('SCRAM-SHA-256', store);
    const client = new TestScramClient('SCRAM-SHA-256', 'alice', 'alice-secret');
    const serverFirst = server.evaluate(client.first());
    assert.throws(
      () => server.evaluate(client.final(serverFirst, { nonce: `${client.clientNonce}forged` })),
      refusedWith(/nonce/),
    );
    assert.equal(server.isComplete, false);
  });

  test("librdkafka 2.0.2's final nonce (its own nonce again, then the combined one) is accepted, as Kafka does", () => {
    const server = new ScramSaslServer('SCRAM-SHA-256', store);
    const client = new TestScramClient('SCRAM-SHA-256', 'alice', 'alice-secret');
    const serverFirst = server.evaluate(client.first());
    const combined = attributes(serverFirst.toString()).get('r') as string;
    const final = client.final(serverFirst, { nonce: `${client.clientNonce}${combined}` });
    assert.ok(client.verifiesServerFinal(server.evaluate(final)));
    assert.equal(server.authorizationId(), 'alice');
  });

  test('a channel binding that is not the gs2 header is refused', () => {
    const server = new ScramSaslServer('SCRAM-SHA-256', store);
    const client = new TestScramClient('SCRAM-SHA-256', 'alice', 'alice-secret');
    const serverFirst = server.evaluate(client.first());
    // c=eSws is "y,," — the client claims another header than the one it sent.
    assert.throws(
      () => server.evaluate(client.final(serverFirst, { channelBinding: 'eSws' })),
      refusedWith(/channel binding/),
    );
  });

  test('the "y,," header (client supports binding, server does not) is accepted when echoed', () => {
    const server = new ScramSaslServer('SCRAM-SHA-256', store);
    const client = new TestScramClient('SCRAM-SHA-256', 'alice', 'alice-secret', 'y,,');
    const serverFirst = server.evaluate(client.first());
    assert.ok(client.verifiesServerFinal(server.evaluate(client.final(serverFirst))));
  });

  test('channel binding requested (p=) is refused', () => {
    const server = new ScramSaslServer('SCRAM-SHA-256', store);
    const client = new TestScramClient('SCRAM-SHA-256', 'alice', 'alice-secret', 'p=tls-unique,,');
    assert.throws(() => server.evaluate(client.first()), SaslAuthenticationError);
  });

  test('garbage client-first messages are refused', () => {
    for (const text of [
      '',
      'hello',
      'n,,',
      'n,,n=alice',
      'n,,r=abc',
      'n,,n=alice,r=',
      'x,,n=alice,r=abc',
      'n,,n=a=b,r=x',
    ]) {
      const server = new ScramSaslServer('SCRAM-SHA-256', store);
      assert.throws(() => server.evaluate(Buffer.from(text)), SaslAuthenticationError, JSON.stringify(text));
    }
  });

  test('a mandatory extension (m=) is refused', () => {
    const server = new ScramSaslServer('SCRAM-SHA-256', store);
    assert.throws(() => server.evaluate(Buffer.from('n,,m=ext,n=alice,r=abc')), SaslAuthenticationError);
  });

  test('garbage client-final messages are refused, and the exchange stays failed', () => {
    for (const text of ['', 'garbage', 'c=biws,r=x', 'p=abc']) {
      const server = new ScramSaslServer('SCRAM-SHA-256', store);
      const client = new TestScramClient('SCRAM-SHA-256', 'alice', 'alice-secret');
      const serverFirst = server.evaluate(client.first());
      assert.throws(() => server.evaluate(Buffer.from(text)), SaslAuthenticationError, JSON.stringify(text));
      // A correct final message after the failure does not rescue the exchange.
      assert.throws(() => server.evaluate(client.final(serverFirst)), SaslAuthenticationError);
      assert.equal(server.isComplete, false);
    }
  });

  test('a proof of the wrong length is refused as invalid credentials', () => {
    const server = new ScramSaslServer('SCRAM-SHA-256', store);
    const client = new TestScramClient('SCRAM-SHA-256', 'alice', 'alice-secret');
    const serverFirst = server.evaluate(client.first());
    const final = client
      .final(serverFirst)
      .toString()
      .replace(/,p=.*$/, ',p=AAAA');
    assert.throws(() => server.evaluate(Buffer.from(final)), refusedWith(invalidCredentials('SCRAM-SHA-256')));
  });

  test('the tokenauth extension (delegation tokens) is refused', () => {
    const server = new ScramSaslServer('SCRAM-SHA-256', store);
    const client = new TestScramClient('SCRAM-SHA-256', 'alice', 'alice-secret', 'n,,', ',tokenauth=true');
    assert.throws(() => server.evaluate(client.first()), refusedWith(/delegation token/));
  });

  test('other extensions in the client-first message are ignored, as Kafka does', () => {
    const server = new ScramSaslServer('SCRAM-SHA-256', store);
    // The extension is part of client-first-bare, so of the AuthMessage both sides sign.
    const client = new TestScramClient('SCRAM-SHA-256', 'alice', 'alice-secret', 'n,,', ',traceid=42');
    const serverFirst = server.evaluate(client.first());
    assert.ok(client.verifiesServerFinal(server.evaluate(client.final(serverFirst))));
    assert.equal(server.authorizationId(), 'alice');
  });

  test('an authorization id other than the user is refused; the same one is accepted', () => {
    const refused = new ScramSaslServer('SCRAM-SHA-256', store);
    assert.throws(
      () => refused.evaluate(new TestScramClient('SCRAM-SHA-256', 'alice', 'alice-secret', 'n,a=admin,').first()),
      refusedWith(/authorization id that is different from username/),
    );
    const accepted = new ScramSaslServer('SCRAM-SHA-256', store);
    const client = new TestScramClient('SCRAM-SHA-256', 'alice', 'alice-secret', 'n,a=alice,');
    const serverFirst = accepted.evaluate(client.first());
    assert.ok(client.verifiesServerFinal(accepted.evaluate(client.final(serverFirst))));
    assert.equal(accepted.authorizationId(), 'alice');
  });

  test('a message after completion is refused', () => {
    const server = new ScramSaslServer('SCRAM-SHA-256', store);
    const client = new TestScramClient('SCRAM-SHA-256', 'alice', 'alice-secret');
    server.evaluate(client.final(server.evaluate(client.first())));
    assert.throws(() => server.evaluate(client.first()), SaslAuthenticationError);
  });
});
