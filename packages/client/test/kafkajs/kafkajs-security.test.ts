import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { resolveConfig } from '../../src/config/resolve-config.js';
import { Kafka } from '../../src/kafkajs/kafka.js';
import { KafkaJSNonRetriableError } from '../../src/kafkajs/kafkajs-constants.js';
import { kafkaJSSecuritySettings } from '../../src/kafkajs/kafkajs-security.js';

describe("KafkaJS's ssl and sasl options", () => {
  it('chooses the security protocol from which of ssl and sasl are set', () => {
    const sasl = { mechanism: 'plain', username: 'alice', password: 'alice-secret' } as const;
    assert.deepEqual(kafkaJSSecuritySettings(undefined, undefined), {});
    assert.deepEqual(kafkaJSSecuritySettings(false, undefined), {});
    assert.deepEqual(kafkaJSSecuritySettings(true, undefined), { 'security.protocol': 'SSL' });
    assert.equal(kafkaJSSecuritySettings(undefined, sasl)['security.protocol'], 'SASL_PLAINTEXT');
    assert.equal(kafkaJSSecuritySettings(true, sasl)['security.protocol'], 'SASL_SSL');
  });

  it("passes an ssl object to tls.connect as it is, and maps sasl to Kafka's settings", () => {
    const ssl = { ca: ['-----BEGIN CERTIFICATE-----'], rejectUnauthorized: false, servername: 'kafka.internal' };
    const settings = kafkaJSSecuritySettings(ssl, { mechanism: 'scram-sha-512', username: 'bob', password: 'pw' });
    assert.deepEqual(settings, {
      'security.protocol': 'SASL_SSL',
      tlsOptions: ssl,
      'sasl.mechanism': 'SCRAM-SHA-512',
      'sasl.username': 'bob',
      'sasl.password': 'pw',
    });
    // The result is valid client configuration.
    const config = resolveConfig('producer', { 'bootstrap.servers': 'b:9093', ...settings });
    assert.equal(config.saslMechanism, 'SCRAM-SHA-512');
    assert.equal(config.tlsOptions, ssl);
  });

  it('hands the oauthBearerProvider over as the token provider', () => {
    const oauthBearerProvider = async () => ({ value: 'jwt' });
    const settings = kafkaJSSecuritySettings(true, { mechanism: 'oauthbearer', oauthBearerProvider });
    assert.equal(settings['sasl.mechanism'], 'OAUTHBEARER');
    assert.equal(settings.oauthBearerTokenProvider, oauthBearerProvider);
  });

  it("refuses KafkaJS's aws mechanism, missing credentials and a missing provider", () => {
    assert.throws(
      () => kafkaJSSecuritySettings(true, { mechanism: 'aws' } as never),
      (e: unknown) => e instanceof KafkaJSNonRetriableError && /AWS mechanism is not supported/.test(e.message),
    );
    assert.throws(() => kafkaJSSecuritySettings(true, { mechanism: 'plain' } as never), /username or password/);
    assert.throws(() => kafkaJSSecuritySettings(true, { mechanism: 'oauthbearer' } as never), /provider/);
  });

  it('new Kafka({ ssl, sasl }) builds clients that carry the settings', () => {
    const kafka = new Kafka({
      brokers: ['localhost:9093'],
      ssl: { rejectUnauthorized: true },
      sasl: { mechanism: 'plain', username: 'alice', password: 'alice-secret' },
    });
    const base = (kafka as unknown as { base: Record<string, unknown> }).base;
    assert.equal(base['security.protocol'], 'SASL_SSL');
    assert.equal(base['sasl.username'], 'alice');
  });
});
