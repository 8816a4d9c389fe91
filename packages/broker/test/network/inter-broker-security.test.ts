/**
 * Which listener brokers talk to each other on (Kafka's rule for inter.broker.listener.name and
 * security.inter.broker.protocol), and what a broker's own connections take from that listener's
 * config: TLS from its keystore and truststore, SASL credentials from its JAAS config for
 * sasl.mechanism.inter.broker.protocol. Every refusal is a ConfigError naming the key.
 */
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { type SelfSignedCertificate, selfSignedCertificate } from '@samsa/test-pki';
import { BrokerConfig } from '../../src/config/broker-config.js';
import { ConfigError } from '../../src/config/config-def.js';
import { resolveInterBrokerSecurity, tlsConnectOptions } from '../../src/network/inter-broker-security.js';

function config(properties: Record<string, string>): BrokerConfig {
  return new BrokerConfig(new Map(Object.entries({ 'log.dirs': '/tmp/unused', ...properties })));
}

function configError(key: string, message?: RegExp): (err: unknown) => boolean {
  return (err) => {
    assert.ok(err instanceof ConfigError, String(err));
    assert.equal(err.key, key);
    if (message !== undefined) assert.match(err.message, message);
    return true;
  };
}

const PLAIN_JAAS =
  'org.apache.kafka.common.security.plain.PlainLoginModule required username="broker" password="broker-secret" user_broker="broker-secret";';

describe('BrokerConfig.interBrokerListenerName', () => {
  test('defaults to the listener named PLAINTEXT (security.inter.broker.protocol=PLAINTEXT)', () => {
    const c = config({ listeners: 'SASL_PLAINTEXT://127.0.0.1:0,PLAINTEXT://127.0.0.1:0' });
    assert.equal(c.interBrokerListenerName, 'PLAINTEXT');
  });

  test('security.inter.broker.protocol names the listener of that name', () => {
    const c = config({
      listeners: 'PLAINTEXT://127.0.0.1:0,SASL_PLAINTEXT://127.0.0.1:0',
      'security.inter.broker.protocol': 'SASL_PLAINTEXT',
    });
    assert.equal(c.interBrokerListenerName, 'SASL_PLAINTEXT');
  });

  test('inter.broker.listener.name picks a listener by name, case-insensitively', () => {
    const c = config({
      listeners: 'EXTERNAL://127.0.0.1:0,INTERNAL://127.0.0.1:0',
      'listener.security.protocol.map': 'EXTERNAL:PLAINTEXT,INTERNAL:SASL_PLAINTEXT',
      'inter.broker.listener.name': 'internal',
    });
    assert.equal(c.interBrokerListenerName, 'INTERNAL');
  });

  test('both keys set is an error', () => {
    assert.throws(
      () =>
        config({
          listeners: 'PLAINTEXT://127.0.0.1:0',
          'inter.broker.listener.name': 'PLAINTEXT',
          'security.inter.broker.protocol': 'PLAINTEXT',
        }),
      configError('inter.broker.listener.name', /Only one of/),
    );
  });

  test('a listener that does not exist is an error naming the key that chose it', () => {
    assert.throws(
      () => config({ listeners: 'SSL://127.0.0.1:0' }),
      configError('security.inter.broker.protocol', /PLAINTEXT .*advertised\.listeners.* SSL/),
    );
    assert.throws(
      () => config({ listeners: 'PLAINTEXT://127.0.0.1:0', 'inter.broker.listener.name': 'INTERNAL' }),
      configError('inter.broker.listener.name', /INTERNAL/),
    );
  });
});

describe('resolveInterBrokerSecurity: SASL', () => {
  const saslPlaintext = { listeners: 'PLAINTEXT://127.0.0.1:0,SASL_PLAINTEXT://127.0.0.1:0' };

  test('PLAINTEXT: neither TLS nor SASL', () => {
    const security = resolveInterBrokerSecurity(config({ listeners: 'PLAINTEXT://127.0.0.1:0' }));
    assert.deepEqual(security, { listenerName: 'PLAINTEXT', securityProtocol: 'PLAINTEXT' });
  });

  test('PLAIN: username and password of the listener-scoped PlainLoginModule', () => {
    const security = resolveInterBrokerSecurity(
      config({
        ...saslPlaintext,
        'inter.broker.listener.name': 'SASL_PLAINTEXT',
        'sasl.mechanism.inter.broker.protocol': 'PLAIN',
        'sasl.enabled.mechanisms': 'PLAIN',
        'listener.name.sasl_plaintext.plain.sasl.jaas.config': PLAIN_JAAS,
      }),
    );
    assert.equal(security.tls, undefined);
    assert.deepEqual(security.sasl, { mechanism: 'PLAIN', username: 'broker', password: 'broker-secret' });
  });

  test('SCRAM: username and password of the ScramLoginModule (the broker-wide sasl.jaas.config too)', () => {
    const security = resolveInterBrokerSecurity(
      config({
        ...saslPlaintext,
        'security.inter.broker.protocol': 'SASL_PLAINTEXT',
        'sasl.mechanism.inter.broker.protocol': 'SCRAM-SHA-512',
        'sasl.enabled.mechanisms': 'PLAIN,SCRAM-SHA-512',
        'sasl.jaas.config':
          'org.apache.kafka.common.security.scram.ScramLoginModule required username="admin" password="a \\"quoted\\" secret";',
      }),
    );
    assert.deepEqual(security.sasl, { mechanism: 'SCRAM-SHA-512', username: 'admin', password: 'a "quoted" secret' });
  });

  test("GSSAPI (Kafka's default mechanism) is refused naming sasl.mechanism.inter.broker.protocol", () => {
    assert.throws(
      () =>
        resolveInterBrokerSecurity(
          config({
            ...saslPlaintext,
            'security.inter.broker.protocol': 'SASL_PLAINTEXT',
            'sasl.enabled.mechanisms': 'PLAIN',
            'listener.name.sasl_plaintext.plain.sasl.jaas.config': PLAIN_JAAS,
          }),
        ),
      configError('sasl.mechanism.inter.broker.protocol', /GSSAPI/),
    );
  });

  test('OAUTHBEARER and unknown mechanisms are refused', () => {
    for (const mechanism of ['OAUTHBEARER', 'DIGEST-MD5']) {
      assert.throws(
        () =>
          resolveInterBrokerSecurity(
            config({
              ...saslPlaintext,
              'security.inter.broker.protocol': 'SASL_PLAINTEXT',
              'sasl.mechanism.inter.broker.protocol': mechanism,
              'sasl.enabled.mechanisms': mechanism,
            }),
          ),
        configError('sasl.mechanism.inter.broker.protocol', new RegExp(mechanism)),
      );
    }
  });

  test('the mechanism must be enabled on the inter-broker listener', () => {
    assert.throws(
      () =>
        resolveInterBrokerSecurity(
          config({
            ...saslPlaintext,
            'security.inter.broker.protocol': 'SASL_PLAINTEXT',
            'sasl.mechanism.inter.broker.protocol': 'PLAIN',
            'sasl.enabled.mechanisms': 'SCRAM-SHA-256',
            'listener.name.sasl_plaintext.plain.sasl.jaas.config': PLAIN_JAAS,
          }),
        ),
      configError('sasl.mechanism.inter.broker.protocol', /sasl\.enabled\.mechanisms/),
    );
  });

  test('a JAAS config without username/password (or none) is refused naming the JAAS key', () => {
    const base = {
      ...saslPlaintext,
      'security.inter.broker.protocol': 'SASL_PLAINTEXT',
      'sasl.mechanism.inter.broker.protocol': 'PLAIN',
      'sasl.enabled.mechanisms': 'PLAIN',
    };
    const key = 'listener.name.sasl_plaintext.plain.sasl.jaas.config';
    assert.throws(
      () =>
        resolveInterBrokerSecurity(
          config({
            ...base,
            [key]: 'org.apache.kafka.common.security.plain.PlainLoginModule required user_broker="x";',
          }),
        ),
      configError(key, /username=/),
    );
    assert.throws(() => resolveInterBrokerSecurity(config(base)), configError(key));
  });
});

describe('resolveInterBrokerSecurity: TLS', () => {
  let cert: SelfSignedCertificate;
  before(() => {
    cert = selfSignedCertificate('IP:127.0.0.1,DNS:localhost');
  });
  after(() => cert?.remove());

  const ssl = () => ({
    listeners: 'PLAINTEXT://127.0.0.1:0,SSL://127.0.0.1:0',
    'security.inter.broker.protocol': 'SSL',
    'ssl.keystore.type': 'PEM',
    'ssl.keystore.location': cert.pemPath,
    'ssl.truststore.type': 'PEM',
    'ssl.truststore.location': cert.pemPath,
  });

  test('SSL: a secure context from the listener, hostnames verified (https by default)', () => {
    const security = resolveInterBrokerSecurity(config(ssl()));
    assert.equal(security.securityProtocol, 'SSL');
    assert.equal(security.sasl, undefined);
    assert.ok(security.tls !== undefined);
    assert.equal(security.tls.verifyHostname, true);
    const byName = tlsConnectOptions(security.tls, 'localhost');
    assert.equal(byName.servername, 'localhost', 'SNI for names');
    assert.equal(byName.checkServerIdentity, undefined, "Node's own check");
    assert.equal(tlsConnectOptions(security.tls, '127.0.0.1').servername, undefined, 'no SNI for addresses');
  });

  test('an empty ssl.endpoint.identification.algorithm (listener-scoped) turns hostname verification off', () => {
    const security = resolveInterBrokerSecurity(
      config({ ...ssl(), 'listener.name.ssl.ssl.endpoint.identification.algorithm': '' }),
    );
    assert.equal(security.tls?.verifyHostname, false);
    assert.equal(typeof tlsConnectOptions(security.tls, '127.0.0.1').checkServerIdentity, 'function');
  });

  test('another algorithm, or a TLS listener without a keystore, is refused', () => {
    assert.throws(
      () => resolveInterBrokerSecurity(config({ ...ssl(), 'ssl.endpoint.identification.algorithm': 'LDAPS' })),
      configError('ssl.endpoint.identification.algorithm'),
    );
    const { 'ssl.keystore.location': _, ...withoutKeystore } = ssl();
    assert.throws(() => resolveInterBrokerSecurity(config(withoutKeystore)), configError('ssl.keystore.location'));
  });

  test('SASL_SSL: both', () => {
    const security = resolveInterBrokerSecurity(
      config({
        ...ssl(),
        listeners: 'PLAINTEXT://127.0.0.1:0,SASL_SSL://127.0.0.1:0',
        'security.inter.broker.protocol': 'SASL_SSL',
        'sasl.mechanism.inter.broker.protocol': 'PLAIN',
        'sasl.enabled.mechanisms': 'PLAIN',
        'listener.name.sasl_ssl.plain.sasl.jaas.config': PLAIN_JAAS,
      }),
    );
    assert.ok(security.tls !== undefined);
    assert.equal(security.sasl?.username, 'broker');
  });
});
