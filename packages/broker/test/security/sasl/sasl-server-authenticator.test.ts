/**
 * SaslServerAuthenticator, one connection's SASL state, with the mechanisms of a real BrokerConfig:
 * handshake v0/v1, SaslAuthenticate, raw tokens after v0, the failure delay, and re-authentication
 * (KIP-368) with connections.max.reauth.ms.
 */
import assert from 'node:assert/strict';
import { performance } from 'node:perf_hooks';
import { describe, test } from 'node:test';
import { createScramCredential, ErrorCode } from '@samsa/protocol';
import { BrokerConfig } from '../../../src/config/broker-config.js';
import { silentLogger } from '../../../src/create-logger.js';
import { type KafkaPrincipal, principalToString } from '../../../src/security/kafka-principal.js';
import { ListenerSaslMechanisms } from '../../../src/security/sasl/listener-sasl-mechanisms.js';
import { SaslServerAuthenticator } from '../../../src/security/sasl/sasl-server-authenticator.js';
import { InMemoryScramCredentialStore } from '../../../src/security/scram-credential-store.js';
import { TestScramClient } from '../support/scram-test-client.js';

const LISTENER = 'SASL_PLAINTEXT';

function mechanisms(): ListenerSaslMechanisms {
  const config = new BrokerConfig(
    new Map([
      ['listeners', 'SASL_PLAINTEXT://127.0.0.1:0'],
      ['inter.broker.listener.name', LISTENER],
      ['log.dirs', '/tmp/samsa-sasl-authenticator-test'],
      ['sasl.enabled.mechanisms', 'PLAIN,SCRAM-SHA-256'],
      [
        'listener.name.sasl_plaintext.plain.sasl.jaas.config',
        'org.apache.kafka.common.security.plain.PlainLoginModule required user_alice="alice-secret" user_bob="bob-secret";',
      ],
    ]),
  );
  const scram = new InMemoryScramCredentialStore();
  scram.set('alice', 'SCRAM-SHA-256', createScramCredential('SCRAM-SHA-256', 'alice-secret', 4096));
  return new ListenerSaslMechanisms(config, LISTENER, scram, silentLogger());
}

const MECHANISMS = mechanisms();

function authenticator(options: { failedAuthenticationDelayMs?: number; maxReauthMs?: number } = {}) {
  const principals: string[] = [];
  const sasl = new SaslServerAuthenticator({
    mechanisms: MECHANISMS,
    failedAuthenticationDelayMs: options.failedAuthenticationDelayMs ?? 0,
    maxReauthMs: options.maxReauthMs ?? 0,
    onAuthenticated: (principal: KafkaPrincipal) => principals.push(principalToString(principal)),
  });
  return { sasl, principals };
}

const plain = (user: string, password: string) => Buffer.from(`\0${user}\0${password}`);

describe('SaslServerAuthenticator', () => {
  test('a handshake for a mechanism the listener does not offer: UNSUPPORTED_SASL_MECHANISM, the list, close', () => {
    for (const version of [0, 1]) {
      for (const mechanism of ['GSSAPI', 'SCRAM-SHA-512', 'OAUTHBEARER', 'plain']) {
        const { sasl } = authenticator();
        const outcome = sasl.handshake(version, mechanism);
        assert.equal(outcome.errorCode, ErrorCode.UNSUPPORTED_SASL_MECHANISM, mechanism);
        assert.equal(outcome.close, true);
        assert.deepEqual(outcome.mechanisms, ['PLAIN', 'SCRAM-SHA-256']);
        assert.equal(sasl.authenticated, false);
        assert.equal(sasl.expectsRawToken, false);
      }
    }
  });

  test('SaslAuthenticate before any handshake: ILLEGAL_SASL_STATE and close', async () => {
    const { sasl, principals } = authenticator();
    const outcome = await sasl.authenticate(1, plain('alice', 'alice-secret'));
    assert.equal(outcome.errorCode, ErrorCode.ILLEGAL_SASL_STATE);
    assert.equal(outcome.close, true);
    assert.notEqual(outcome.errorMessage, null);
    assert.equal(sasl.authenticated, false);
    assert.deepEqual(principals, []);
  });

  test('v1: PLAIN succeeds, the principal is reported once, and the connection is authenticated', async () => {
    const { sasl, principals } = authenticator();
    const handshake = sasl.handshake(1, 'PLAIN');
    assert.deepEqual(handshake, { errorCode: ErrorCode.NONE, mechanisms: ['PLAIN', 'SCRAM-SHA-256'], close: false });
    assert.equal(sasl.expectsRawToken, false);
    assert.equal(sasl.authenticated, false);
    const outcome = await sasl.authenticate(1, plain('alice', 'alice-secret'));
    assert.equal(outcome.errorCode, ErrorCode.NONE);
    assert.equal(outcome.errorMessage, null);
    assert.equal(outcome.close, false);
    assert.equal(outcome.sessionLifetimeMs, 0, 'no re-authentication configured');
    assert.equal(sasl.authenticated, true);
    assert.deepEqual(principals, ['User:alice']);
    assert.equal(sasl.sessionExpired(Date.now() + 365 * 24 * 3600_000), false);
  });

  test('v1: SCRAM-SHA-256 over several SaslAuthenticate requests', async () => {
    const { sasl, principals } = authenticator();
    assert.equal(sasl.handshake(1, 'SCRAM-SHA-256').errorCode, ErrorCode.NONE);
    const client = new TestScramClient('SCRAM-SHA-256', 'alice', 'alice-secret');
    const first = await sasl.authenticate(1, client.first());
    assert.equal(first.errorCode, ErrorCode.NONE);
    assert.equal(sasl.authenticated, false);
    assert.deepEqual(principals, []);
    const final = await sasl.authenticate(1, client.final(first.authBytes));
    assert.equal(final.errorCode, ErrorCode.NONE);
    assert.ok(client.verifiesServerFinal(final.authBytes));
    assert.equal(sasl.authenticated, true);
    assert.deepEqual(principals, ['User:alice']);
  });

  test('a refusal waits at least connection.failed.authentication.delay.ms, then closes', async () => {
    const delayMs = 50;
    const { sasl, principals } = authenticator({ failedAuthenticationDelayMs: delayMs });
    sasl.handshake(1, 'PLAIN');
    const start = performance.now();
    const outcome = await sasl.authenticate(1, plain('alice', 'wrong'));
    const elapsed = performance.now() - start;
    // libuv's timer clock counts whole milliseconds, so a timer may fire up to 1 ms "early".
    assert.ok(elapsed >= delayMs - 1, `answered after ${elapsed} ms`);
    assert.equal(outcome.errorCode, ErrorCode.SASL_AUTHENTICATION_FAILED);
    assert.match(outcome.errorMessage ?? '', /Authentication failed/);
    assert.equal(outcome.close, true);
    assert.equal(sasl.authenticated, false);
    assert.deepEqual(principals, []);
    const again = await sasl.authenticate(1, plain('alice', 'alice-secret'));
    assert.notEqual(again.errorCode, ErrorCode.NONE, 'a failed exchange cannot be retried on the connection');
    assert.equal(sasl.authenticated, false);
  });

  test('v0 handshake: the next frames are raw tokens, answered size-prefixed', async () => {
    const { sasl, principals } = authenticator();
    assert.equal(sasl.handshake(0, 'SCRAM-SHA-256').errorCode, ErrorCode.NONE);
    assert.equal(sasl.expectsRawToken, true);
    const client = new TestScramClient('SCRAM-SHA-256', 'alice', 'alice-secret');
    const first = await sasl.rawToken(client.first());
    assert.notEqual(first, 'close');
    const firstFrame = Buffer.concat(first as Buffer[]);
    assert.equal(firstFrame.readInt32BE(0), firstFrame.length - 4);
    assert.match(firstFrame.subarray(4).toString(), /^r=.+,s=.+,i=4096$/);
    assert.equal(sasl.expectsRawToken, true);
    const final = await sasl.rawToken(client.final(firstFrame.subarray(4)));
    assert.notEqual(final, 'close');
    const finalFrame = Buffer.concat(final as Buffer[]);
    assert.equal(finalFrame.readInt32BE(0), finalFrame.length - 4);
    assert.ok(client.verifiesServerFinal(finalFrame.subarray(4)));
    assert.equal(sasl.expectsRawToken, false);
    assert.equal(sasl.authenticated, true);
    assert.deepEqual(principals, ['User:alice']);
  });

  test('v0 PLAIN: the empty answer is a frame of size 0', async () => {
    const { sasl } = authenticator();
    sasl.handshake(0, 'PLAIN');
    const answer = await sasl.rawToken(plain('alice', 'alice-secret'));
    assert.notEqual(answer, 'close');
    assert.deepEqual(Buffer.concat(answer as Buffer[]), Buffer.from([0, 0, 0, 0]));
    assert.equal(sasl.authenticated, true);
  });

  test('v0: a refused raw token closes after the delay; SaslAuthenticate is not allowed after v0', async () => {
    const { sasl } = authenticator({ failedAuthenticationDelayMs: 20 });
    sasl.handshake(0, 'PLAIN');
    const outcome = await sasl.authenticate(1, plain('alice', 'alice-secret'));
    assert.equal(outcome.errorCode, ErrorCode.ILLEGAL_SASL_STATE);
    const other = authenticator({ failedAuthenticationDelayMs: 20 }).sasl;
    other.handshake(0, 'PLAIN');
    const start = performance.now();
    assert.equal(await other.rawToken(plain('alice', 'wrong')), 'close');
    assert.ok(performance.now() - start >= 19);
    assert.equal(other.authenticated, false);
    assert.equal(other.expectsRawToken, false);
  });

  test('without re-authentication, a second handshake gets ILLEGAL_SASL_STATE and the connection stays', async () => {
    const { sasl } = authenticator();
    sasl.handshake(1, 'PLAIN');
    await sasl.authenticate(1, plain('alice', 'alice-secret'));
    const again = sasl.handshake(1, 'PLAIN');
    assert.equal(again.errorCode, ErrorCode.ILLEGAL_SASL_STATE);
    assert.equal(again.close, false);
    assert.equal(sasl.authenticated, true);
    const authenticate = await sasl.authenticate(1, plain('alice', 'alice-secret'));
    assert.equal(authenticate.errorCode, ErrorCode.ILLEGAL_SASL_STATE);
    assert.equal(authenticate.close, false);
  });

  test('with connections.max.reauth.ms: the session lifetime is sent on v1 and the session expires', async () => {
    const maxReauthMs = 50;
    const { sasl } = authenticator({ maxReauthMs });
    sasl.handshake(1, 'PLAIN');
    const before = Date.now();
    const outcome = await sasl.authenticate(1, plain('alice', 'alice-secret'));
    assert.ok(
      outcome.sessionLifetimeMs > 0 && outcome.sessionLifetimeMs <= maxReauthMs,
      `${outcome.sessionLifetimeMs}`,
    );
    assert.equal(sasl.sessionExpired(before), false);
    await new Promise((resolve) => setTimeout(resolve, maxReauthMs + 10));
    assert.equal(sasl.sessionExpired(Date.now()), true);
  });

  test('re-authentication with the same user renews the session and reports the principal again', async () => {
    const { sasl, principals } = authenticator({ maxReauthMs: 50 });
    sasl.handshake(1, 'PLAIN');
    await sasl.authenticate(1, plain('alice', 'alice-secret'));
    await new Promise((resolve) => setTimeout(resolve, 60));
    assert.equal(sasl.sessionExpired(Date.now()), true);
    assert.equal(sasl.handshake(1, 'PLAIN').errorCode, ErrorCode.NONE);
    assert.equal(sasl.authenticated, true, 'still authenticated while re-authenticating');
    const outcome = await sasl.authenticate(2, plain('alice', 'alice-secret'));
    assert.equal(outcome.errorCode, ErrorCode.NONE);
    assert.ok(outcome.sessionLifetimeMs > 0);
    assert.equal(sasl.sessionExpired(Date.now()), false);
    assert.deepEqual(principals, ['User:alice', 'User:alice']);
  });

  test('re-authentication as another user is refused: "Cannot change principals", close', async () => {
    const { sasl, principals } = authenticator({ maxReauthMs: 60_000 });
    sasl.handshake(1, 'PLAIN');
    await sasl.authenticate(1, plain('alice', 'alice-secret'));
    assert.equal(sasl.handshake(1, 'PLAIN').errorCode, ErrorCode.NONE);
    const outcome = await sasl.authenticate(2, plain('bob', 'bob-secret'));
    assert.equal(outcome.errorCode, ErrorCode.SASL_AUTHENTICATION_FAILED);
    assert.match(outcome.errorMessage ?? '', /Cannot change principals/);
    assert.equal(outcome.close, true);
    assert.deepEqual(principals, ['User:alice']);
  });

  test('re-authentication with another mechanism is refused', async () => {
    const { sasl } = authenticator({ maxReauthMs: 60_000 });
    sasl.handshake(1, 'PLAIN');
    await sasl.authenticate(1, plain('alice', 'alice-secret'));
    const outcome = sasl.handshake(1, 'SCRAM-SHA-256');
    assert.notEqual(outcome.errorCode, ErrorCode.NONE);
    assert.equal(outcome.close, true);
  });
});
