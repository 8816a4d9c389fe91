/**
 * ListenerSaslMechanisms and the listener-scoped keys it reads from BrokerConfig
 * (`listener.name.<l>.<key>`, `listener.name.<l>.<mechanism>.sasl.jaas.config`): a listener that
 * cannot authenticate anyone stops startup with a ConfigError naming the key to fix.
 */
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { createScramCredential } from '@samsa/protocol';
import { BrokerConfig } from '../../../src/config/broker-config.js';
import { ConfigError } from '../../../src/config/config-def.js';
import { usesSasl, usesTls } from '../../../src/config/listeners.js';
import { silentLogger } from '../../../src/create-logger.js';
import type { Logger } from '../../../src/logger.js';
import { ListenerSaslMechanisms, listenerJaas } from '../../../src/security/sasl/listener-sasl-mechanisms.js';
import { PlainSaslServer } from '../../../src/security/sasl/plain-server.js';
import { InMemoryScramCredentialStore } from '../../../src/security/scram-credential-store.js';

const PLAIN_JAAS =
  'org.apache.kafka.common.security.plain.PlainLoginModule required username="admin" password="admin-secret" user_admin="admin-secret" user_alice="alice-secret";';

function config(entries: Record<string, string>): BrokerConfig {
  return new BrokerConfig(
    new Map(
      Object.entries({
        listeners: 'SASL_PLAINTEXT://127.0.0.1:0',
        'inter.broker.listener.name': 'SASL_PLAINTEXT',
        'log.dirs': '/tmp/samsa-listener-sasl-test',
        ...entries,
      }),
    ),
  );
}

function mechanismsOf(entries: Record<string, string>, listener = 'SASL_PLAINTEXT', logger: Logger = silentLogger()) {
  return new ListenerSaslMechanisms(config(entries), listener, new InMemoryScramCredentialStore(), logger);
}

function configError(key: string, message?: RegExp): (err: unknown) => boolean {
  return (err) => {
    assert.ok(err instanceof ConfigError, String(err));
    assert.equal(err.key, key);
    if (message !== undefined) assert.match(err.message, message);
    return true;
  };
}

function plainAccepts(mechanisms: ListenerSaslMechanisms, user: string, password: string): boolean {
  const server = mechanisms.create('PLAIN');
  assert.ok(server instanceof PlainSaslServer);
  try {
    server.evaluate(Buffer.from(`\0${user}\0${password}`));
    return true;
  } catch {
    return false;
  }
}

describe('ListenerSaslMechanisms', () => {
  test('PLAIN with its JAAS config and SCRAM: both offered, in the configured order, each exchange fresh', () => {
    const mechanisms = mechanismsOf({
      'sasl.enabled.mechanisms': 'SCRAM-SHA-512, plain',
      'listener.name.sasl_plaintext.plain.sasl.jaas.config': PLAIN_JAAS,
    });
    assert.deepEqual(mechanisms.enabled, ['SCRAM-SHA-512', 'PLAIN']);
    assert.equal(mechanisms.create('SCRAM-SHA-512')?.mechanism, 'SCRAM-SHA-512');
    assert.notEqual(mechanisms.create('PLAIN'), mechanisms.create('PLAIN'));
    assert.equal(mechanisms.create('SCRAM-SHA-256'), undefined);
    assert.equal(mechanisms.create('GSSAPI'), undefined);
    assert.ok(plainAccepts(mechanisms, 'alice', 'alice-secret'));
    assert.ok(plainAccepts(mechanisms, 'admin', 'admin-secret'));
    assert.ok(!plainAccepts(mechanisms, 'alice', 'admin-secret'));
  });

  test('SCRAM servers look users up in the credential store given', () => {
    const scram = new InMemoryScramCredentialStore();
    scram.set('alice', 'SCRAM-SHA-256', createScramCredential('SCRAM-SHA-256', 'pw', 4096, Buffer.alloc(16, 7)));
    const mechanisms = new ListenerSaslMechanisms(
      config({ 'sasl.enabled.mechanisms': 'SCRAM-SHA-256' }),
      'SASL_PLAINTEXT',
      scram,
      silentLogger(),
    );
    const serverFirst = mechanisms.create('SCRAM-SHA-256')?.evaluate(Buffer.from('n,,n=alice,r=abc'));
    assert.match(serverFirst?.toString() ?? '', new RegExp(`,s=${Buffer.alloc(16, 7).toString('base64')},i=4096$`));
  });

  test("GSSAPI only (Kafka's default) is a ConfigError naming sasl.enabled.mechanisms", () => {
    assert.throws(() => mechanismsOf({ 'sasl.enabled.mechanisms': 'GSSAPI' }), configError('sasl.enabled.mechanisms'));
    assert.throws(() => mechanismsOf({}), configError('sasl.enabled.mechanisms', /GSSAPI/));
  });

  test('GSSAPI next to a supported mechanism is left out with a warning', () => {
    const warnings: string[] = [];
    const capture = silentLogger();
    const logger = { ...capture, warn: (msg: unknown) => warnings.push(String(msg)) } as unknown as Logger;
    const mechanisms = mechanismsOf({ 'sasl.enabled.mechanisms': 'GSSAPI,SCRAM-SHA-256' }, 'SASL_PLAINTEXT', logger);
    assert.deepEqual(mechanisms.enabled, ['SCRAM-SHA-256']);
    assert.equal(warnings.length, 1);
    assert.match(warnings[0] ?? '', /GSSAPI/);
  });

  test('an unknown mechanism is a ConfigError naming sasl.enabled.mechanisms', () => {
    assert.throws(
      () => mechanismsOf({ 'sasl.enabled.mechanisms': 'SCRAM-SHA-256,DIGEST-MD5' }),
      configError('sasl.enabled.mechanisms', /DIGEST-MD5/),
    );
  });

  test('PLAIN without a JAAS config is a ConfigError naming listener.name.<l>.plain.sasl.jaas.config', () => {
    assert.throws(
      () => mechanismsOf({ 'sasl.enabled.mechanisms': 'PLAIN' }),
      configError('listener.name.sasl_plaintext.plain.sasl.jaas.config'),
    );
    // A JAAS config for another mechanism or another login module does not count.
    assert.throws(
      () =>
        mechanismsOf({
          'sasl.enabled.mechanisms': 'PLAIN',
          'listener.name.sasl_plaintext.scram-sha-256.sasl.jaas.config': PLAIN_JAAS,
        }),
      configError('listener.name.sasl_plaintext.plain.sasl.jaas.config'),
    );
    assert.throws(
      () =>
        mechanismsOf({
          'sasl.enabled.mechanisms': 'PLAIN',
          'listener.name.sasl_plaintext.plain.sasl.jaas.config':
            'org.apache.kafka.common.security.scram.ScramLoginModule required;',
        }),
      configError('listener.name.sasl_plaintext.plain.sasl.jaas.config'),
    );
  });

  test('a malformed JAAS config is a ConfigError naming its key', () => {
    assert.throws(
      () =>
        mechanismsOf({
          'sasl.enabled.mechanisms': 'PLAIN',
          'listener.name.sasl_plaintext.plain.sasl.jaas.config':
            'org.apache.kafka.common.security.plain.PlainLoginModule required user_alice="alice-secret"',
        }),
      configError('listener.name.sasl_plaintext.plain.sasl.jaas.config', /listener\.name\.sasl_plaintext\.plain/),
    );
    assert.throws(
      () => mechanismsOf({ 'sasl.enabled.mechanisms': 'PLAIN', 'sasl.jaas.config': 'Broken required x="' }),
      configError('sasl.jaas.config'),
    );
  });

  test('the mechanism-scoped JAAS config wins over sasl.jaas.config', () => {
    const both = {
      'sasl.enabled.mechanisms': 'PLAIN',
      'sasl.jaas.config': 'org.apache.kafka.common.security.plain.PlainLoginModule required user_global="g";',
      'listener.name.sasl_plaintext.plain.sasl.jaas.config': PLAIN_JAAS,
    };
    assert.equal(
      listenerJaas(config(both), 'SASL_PLAINTEXT', 'PLAIN')?.key,
      'listener.name.sasl_plaintext.plain.sasl.jaas.config',
    );
    const mechanisms = mechanismsOf(both);
    assert.ok(plainAccepts(mechanisms, 'alice', 'alice-secret'));
    assert.ok(!plainAccepts(mechanisms, 'global', 'g'));
    assert.equal(listenerJaas(config({}), 'SASL_PLAINTEXT', 'PLAIN'), undefined);
  });

  test('listener-prefixed keys override the broker-wide value for that listener only', () => {
    const twoListeners = {
      listeners: 'SASL_PLAINTEXT://127.0.0.1:0,INTERNAL://127.0.0.1:0',
      'listener.security.protocol.map': 'SASL_PLAINTEXT:SASL_PLAINTEXT,INTERNAL:SASL_PLAINTEXT',
      'sasl.enabled.mechanisms': 'PLAIN',
      'listener.name.internal.sasl.enabled.mechanisms': 'SCRAM-SHA-256',
      'listener.name.sasl_plaintext.plain.sasl.jaas.config': PLAIN_JAAS,
    };
    assert.deepEqual(mechanismsOf(twoListeners, 'SASL_PLAINTEXT').enabled, ['PLAIN']);
    assert.deepEqual(mechanismsOf(twoListeners, 'INTERNAL').enabled, ['SCRAM-SHA-256']);
  });

  test('an OAUTHBEARER listener with an unknown callback handler class is a ConfigError', () => {
    assert.throws(
      () =>
        mechanismsOf({
          'sasl.enabled.mechanisms': 'OAUTHBEARER',
          'listener.name.sasl_plaintext.oauthbearer.sasl.server.callback.handler.class': 'com.example.MyHandler',
        }),
      configError('sasl.server.callback.handler.class', /com\.example\.MyHandler/),
    );
  });

  test("OAUTHBEARER without a handler uses the unsecured validator with the JAAS config's options", () => {
    const mechanisms = mechanismsOf({
      'sasl.enabled.mechanisms': 'OAUTHBEARER',
      'listener.name.sasl_plaintext.oauthbearer.sasl.jaas.config':
        'org.apache.kafka.common.security.oauthbearer.OAuthBearerLoginModule required unsecuredValidatorRequiredScope="kafka";',
    });
    const b64 = (v: unknown) => Buffer.from(JSON.stringify(v)).toString('base64url');
    const exp = Math.floor(Date.now() / 1000) + 60;
    const message = (scope: string) =>
      Buffer.from(`n,,\x01auth=Bearer ${b64({ alg: 'none' })}.${b64({ sub: 'alice', exp, scope })}.\x01\x01`);
    const withScope = mechanisms.create('OAUTHBEARER');
    withScope?.evaluate(message('kafka'));
    assert.equal(withScope?.authorizationId(), 'alice');
    const withoutScope = mechanisms.create('OAUTHBEARER');
    assert.match(withoutScope?.evaluate(message('other')).toString() ?? '', /invalid_token/);
  });
});

describe('BrokerConfig listener-scoped keys', () => {
  test('forListener: the listener.name. value (any case of the listener name), else the broker-wide one', () => {
    const c = config({
      listeners: 'SASL_PLAINTEXT://127.0.0.1:0,SSL://127.0.0.1:0',
      'ssl.client.auth': 'none',
      'listener.name.ssl.ssl.client.auth': 'required',
      'connections.max.reauth.ms': '1000',
      'listener.name.sasl_plaintext.connections.max.reauth.ms': '5000',
    });
    assert.equal(c.forListener('SSL', 'ssl.client.auth'), 'required');
    assert.equal(c.forListener('ssl', 'ssl.client.auth'), 'required');
    assert.equal(c.forListener('SASL_PLAINTEXT', 'ssl.client.auth'), 'none');
    // Typed like the broker-wide key.
    assert.equal(c.forListener('SASL_PLAINTEXT', 'connections.max.reauth.ms'), 5000);
    assert.equal(c.forListener('SSL', 'connections.max.reauth.ms'), 1000);
    assert.equal(c.forListener('SSL', 'connection.failed.authentication.delay.ms'), 100, "Kafka's default");
  });

  test('a listener-scoped value is validated like the broker-wide key', () => {
    assert.throws(() => config({ 'listener.name.sasl_plaintext.ssl.client.auth': 'always' }), ConfigError);
    assert.throws(() => config({ 'listener.name.sasl_plaintext.connections.max.reauth.ms': '-1' }), ConfigError);
  });

  test('forListenerMechanism: per-mechanism SASL keys, mechanism in any case', () => {
    const c = config({ 'listener.name.SASL_PLAINTEXT.scram-sha-256.sasl.jaas.config': 'x required;' });
    assert.equal(c.forListenerMechanism('sasl_plaintext', 'SCRAM-SHA-256', 'sasl.jaas.config'), 'x required;');
    assert.equal(c.forListenerMechanism('SASL_PLAINTEXT', 'PLAIN', 'sasl.jaas.config'), undefined);
    assert.equal(c.forListenerMechanism('OTHER', 'SCRAM-SHA-256', 'sasl.jaas.config'), undefined);
  });

  test('an unknown listener-scoped key is a warning; a key without a listener is a ConfigError', () => {
    const c = config({ 'listener.name.sasl_plaintext.no.such.key': 'x' });
    assert.ok(c.warnings.some((w) => w.key === 'listener.name.sasl_plaintext.no.such.key'));
    assert.throws(() => config({ 'listener.name.sasl_plaintext': 'x' }), ConfigError);
    assert.throws(() => config({ 'listener.name..ssl.client.auth': 'none' }), ConfigError);
  });

  test('SSL and SASL security protocols are accepted in listeners', () => {
    const c = config({
      listeners: 'PLAINTEXT://:9092,SSL://127.0.0.1:9093,SASL_PLAINTEXT://127.0.0.1:9094,SASL_SSL://[::1]:9095',
    });
    assert.deepEqual(
      c.listeners.map((l) => [
        l.listenerName,
        l.securityProtocol,
        usesTls(l.securityProtocol),
        usesSasl(l.securityProtocol),
      ]),
      [
        ['PLAINTEXT', 'PLAINTEXT', false, false],
        ['SSL', 'SSL', true, false],
        ['SASL_PLAINTEXT', 'SASL_PLAINTEXT', false, true],
        ['SASL_SSL', 'SASL_SSL', true, true],
      ],
    );
    assert.equal(c.listeners[3]?.host, '::1');
    assert.throws(() => config({ listeners: 'KERBEROS://127.0.0.1:0' }), configError('listeners', /security protocol/));
  });
});
