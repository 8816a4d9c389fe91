/**
 * Samsa's own client (@samsa/client and its KafkaJS-compatible API) over every secured listener
 * kind of a real broker: SASL/PLAIN over SASL_PLAINTEXT and SASL_SSL, OAUTHBEARER (unsecured JWTs
 * from the JAAS options, and a token provider), SCRAM, TLS with a client certificate, KIP-368
 * re-authentication under load, and the refusals as the errors callers see.
 */
import assert from 'node:assert/strict';
import diagnostics from 'node:diagnostics_channel';
import { readFileSync } from 'node:fs';
import { after, before, describe, test } from 'node:test';
import { Admin, type ConnectionEvent, SaslAuthenticationError, SslAuthenticationError } from '@samsa/client';
import { Kafka } from '@samsa/client/kafkajs';
import { createTopic, newProducer, readRecords, uniqueName } from '../client/client-support.js';
import { PLAIN_USERS, type SecuredBroker, startSecuredBroker } from './security-support.js';

const plainJaas = (user: string, password: string) =>
  `org.apache.kafka.common.security.plain.PlainLoginModule required username="${user}" password="${password}";`;
/** Java's unsecured OAUTHBEARER login, as a development properties file has it. */
const unsecuredJaas = (sub: string) =>
  `org.apache.kafka.common.security.oauthbearer.OAuthBearerLoginModule required unsecuredLoginStringClaim_sub="${sub}";`;
/** A token as Kafka's unsecured login makes it: alg none, sub/iat/exp, an empty signature. */
function unsecuredToken(sub: string): string {
  const b64 = (o: object) => Buffer.from(JSON.stringify(o)).toString('base64url');
  const now = Date.now() / 1000;
  return `${b64({ alg: 'none' })}.${b64({ sub, iat: now, exp: now + 3600 })}.`;
}

/** Sends `count` records to `topic` with `settings` and reads them back with the same settings. */
async function roundTrip(bootstrap: string, settings: Record<string, unknown>, topic: string, count = 3) {
  const producer = newProducer(bootstrap, settings);
  try {
    for (let i = 0; i < count; i++) await producer.send({ topic, key: `k${i}`, value: `v${i}` });
  } finally {
    await producer.close();
  }
  const records = await readRecords(bootstrap, topic, 1, count, settings);
  return records.map((r) => r.value?.toString());
}

describe('@samsa/client over TLS and SASL', () => {
  let env: SecuredBroker;
  let ssl: Record<string, string>;

  before(async () => {
    env = await startSecuredBroker({
      'num.partitions': 1,
      'listener.name.sasl_ssl.sasl.enabled.mechanisms': 'PLAIN,SCRAM-SHA-256,SCRAM-SHA-512,OAUTHBEARER',
      // Sessions on the SASL_PLAINTEXT listener last 1.5 s: clients must re-authenticate (KIP-368).
      'listener.name.sasl_plaintext.connections.max.reauth.ms': 1500,
    });
    ssl = { 'ssl.truststore.location': env.certs.caPem, 'ssl.truststore.type': 'PEM' };
  });
  after(async () => {
    await env?.close();
  });

  test('produces and consumes with SASL/PLAIN over SASL_PLAINTEXT and SASL_SSL', async () => {
    const topic = uniqueName('sasl-plain');
    await createTopic(env.plaintext, topic, 1);
    const plain = { 'security.protocol': 'SASL_PLAINTEXT', 'sasl.jaas.config': plainJaas('alice', PLAIN_USERS.alice) };
    assert.deepEqual(await roundTrip(env.saslPlaintext, plain, topic), ['v0', 'v1', 'v2']);
    const overTls = {
      'security.protocol': 'SASL_SSL',
      ...ssl,
      'sasl.username': 'bob',
      'sasl.password': PLAIN_USERS.bob,
    };
    const records = await readRecords(env.saslSsl, topic, 1, 3, overTls);
    assert.deepEqual(
      records.map((r) => r.value?.toString()),
      ['v0', 'v1', 'v2'],
    );
  });

  test("a wrong password fails the operation at once with the broker's reason, not after retries", async () => {
    const producer = newProducer(env.saslPlaintext, {
      'security.protocol': 'SASL_PLAINTEXT',
      'sasl.jaas.config': plainJaas('alice', 'wrong'),
      'max.block.ms': 20000,
    });
    const startedMs = Date.now();
    try {
      await assert.rejects(producer.send({ topic: 'never', value: 'x' }), (error: unknown) => {
        assert.ok(error instanceof SaslAuthenticationError, String(error));
        assert.equal(error.retriable, false);
        assert.match(error.message, /SASL\/PLAIN authentication of alice failed: .*Invalid username or password/);
        return true;
      });
      assert.ok(Date.now() - startedMs < 5000, `failed after ${Date.now() - startedMs} ms`);
    } finally {
      await producer.close();
    }
  });

  test('names the enabled mechanisms when the listener does not offer the one asked for', async () => {
    const admin = new Admin({
      'bootstrap.servers': env.saslPlaintext,
      'security.protocol': 'SASL_PLAINTEXT',
      'sasl.mechanism': 'OAUTHBEARER',
      'sasl.jaas.config': unsecuredJaas('alice'),
    });
    try {
      await assert.rejects(
        admin.listTopics(),
        /does not enable OAUTHBEARER \(sasl.mechanism\); it enables PLAIN, SCRAM-SHA-256, SCRAM-SHA-512/,
      );
    } finally {
      await admin.close();
    }
  });

  test('OAUTHBEARER over SASL_SSL: unsecured JWTs from the JAAS options, or from a token provider', async () => {
    const topic = uniqueName('sasl-oauth');
    await createTopic(env.plaintext, topic, 1);
    const jaas = { 'security.protocol': 'SASL_SSL', ...ssl, 'sasl.mechanism': 'OAUTHBEARER' };
    const fromJaas = { ...jaas, 'sasl.jaas.config': unsecuredJaas('alice') };
    let calls = 0;
    const fromProvider = {
      ...jaas,
      oauthBearerTokenProvider: async () => {
        calls++;
        return { value: unsecuredToken('bob') };
      },
    };
    const producer = newProducer(env.saslSsl, fromJaas);
    try {
      await producer.send({ topic, value: 'bearer' });
    } finally {
      await producer.close();
    }
    const records = await readRecords(env.saslSsl, topic, 1, 1, fromProvider);
    assert.equal(records[0]?.value?.toString(), 'bearer');
    assert.ok(calls >= 1);
  });

  test('SSL with a client certificate; without one, a clear SslAuthenticationError', async () => {
    const topic = uniqueName('tls-client-cert');
    await createTopic(env.plaintext, topic, 1);
    const withCert = { 'security.protocol': 'SSL', ...ssl, 'ssl.keystore.location': env.certs.clientPem };
    assert.deepEqual(await roundTrip(env.ssl, withCert, topic, 2), ['v0', 'v1']);
    const admin = new Admin({ 'bootstrap.servers': env.ssl, 'security.protocol': 'SSL', ...ssl });
    try {
      await assert.rejects(admin.listTopics(), (error: unknown) => {
        assert.ok(error instanceof SslAuthenticationError, String(error));
        assert.match(error.message, /TLS handshake failed/);
        return true;
      });
    } finally {
      await admin.close();
    }
  });

  test('a broker certificate from an untrusted CA fails the TLS handshake naming the truststore', async () => {
    const admin = new Admin({
      'bootstrap.servers': env.saslSsl,
      'security.protocol': 'SASL_SSL',
      'ssl.truststore.location': env.certs.rogueCert,
      'sasl.jaas.config': plainJaas('alice', PLAIN_USERS.alice),
    });
    try {
      await assert.rejects(admin.listTopics(), /not signed by a trusted CA: set ssl.truststore.location/);
    } finally {
      await admin.close();
    }
  });

  test('re-authenticates on live connections before the broker session ends (KIP-368)', async () => {
    const topic = uniqueName('sasl-reauth');
    await createTopic(env.plaintext, topic, 1);
    const events: ConnectionEvent[] = [];
    const listener = (m: unknown) => events.push(m as ConnectionEvent);
    diagnostics.subscribe('samsa:client:connection', listener);
    const producer = newProducer(env.saslPlaintext, {
      'client.id': 'reauth-producer',
      'security.protocol': 'SASL_PLAINTEXT',
      'sasl.jaas.config': plainJaas('alice', PLAIN_USERS.alice),
    });
    let sent = 0;
    try {
      const deadline = Date.now() + 4000;
      while (Date.now() < deadline) {
        await producer.send({ topic, value: `r${sent}` });
        sent++;
        await new Promise((r) => setTimeout(r, 25));
      }
    } finally {
      await producer.close();
      diagnostics.unsubscribe('samsa:client:connection', listener);
    }
    const mine = events.filter((e) => e.clientId === 'reauth-producer');
    const connects = mine.filter((e) => e.event === 'connect').length;
    const authentications = mine.filter((e) => e.event === 'authenticate').length;
    assert.ok(authentications >= connects + 2, `${authentications} authentications over ${connects} connections`);
    assert.equal(mine.filter((e) => e.event === 'error').length, connects, 'no connection lost before close');
    assert.doesNotMatch(env.broker.logs, /SASL session expired without re-authentication/);
    assert.ok(sent > 50);
  });

  test('SCRAM-SHA-256 and -512 with credentials created through the admin API', async () => {
    const admin = new Admin({ 'bootstrap.servers': env.plaintext });
    try {
      const results = await admin.alterUserScramCredentials([
        { user: 'carol', mechanism: 'SCRAM-SHA-256', password: 'carol-secret' },
        { user: 'carol', mechanism: 'SCRAM-SHA-512', iterations: 8192, password: 'carol-secret' },
      ]);
      for (const r of results) assert.equal(r.error, null);
    } finally {
      await admin.close();
    }
    const topic = uniqueName('sasl-scram');
    await createTopic(env.plaintext, topic, 1);
    for (const mechanism of ['SCRAM-SHA-256', 'SCRAM-SHA-512']) {
      const scram = {
        'security.protocol': 'SASL_SSL',
        ...ssl,
        'sasl.mechanism': mechanism,
        'sasl.jaas.config': `org.apache.kafka.common.security.scram.ScramLoginModule required username="carol" password="carol-secret";`,
      };
      const producer = newProducer(env.saslSsl, scram);
      try {
        await producer.send({ topic, value: mechanism });
      } finally {
        await producer.close();
      }
    }
    const records = await readRecords(env.saslPlaintext, topic, 1, 2, {
      'security.protocol': 'SASL_PLAINTEXT',
      'sasl.mechanism': 'SCRAM-SHA-512',
      'sasl.username': 'carol',
      'sasl.password': 'carol-secret',
    });
    assert.deepEqual(
      records.map((r) => r.value?.toString()),
      ['SCRAM-SHA-256', 'SCRAM-SHA-512'],
    );
    const wrong = new Admin({
      'bootstrap.servers': env.saslSsl,
      'security.protocol': 'SASL_SSL',
      ...ssl,
      'sasl.mechanism': 'SCRAM-SHA-256',
      'sasl.username': 'carol',
      'sasl.password': 'not-it',
    });
    try {
      await assert.rejects(wrong.listTopics(), SaslAuthenticationError);
    } finally {
      await wrong.close();
    }
  });

  test("KafkaJS's API: ssl with a CA and sasl plain, as a KafkaJS application configures them", async () => {
    const topic = uniqueName('kafkajs-sasl');
    const kafka = new Kafka({
      clientId: 'kafkajs-secure',
      brokers: [env.saslSsl],
      ssl: { ca: [readFileSync(env.certs.caPem, 'utf8')] },
      sasl: { mechanism: 'plain', username: 'alice', password: PLAIN_USERS.alice },
    });
    const admin = kafka.admin();
    await admin.connect();
    try {
      await admin.createTopics({ topics: [{ topic, numPartitions: 1 }] });
    } finally {
      await admin.disconnect();
    }
    const producer = kafka.producer();
    await producer.connect();
    try {
      await producer.send({ topic, messages: [{ value: 'from-kafkajs-api' }] });
    } finally {
      await producer.disconnect();
    }
    const records = await readRecords(env.saslSsl, topic, 1, 1, {
      'security.protocol': 'SASL_SSL',
      ...ssl,
      'sasl.jaas.config': plainJaas('alice', PLAIN_USERS.alice),
    });
    assert.equal(records[0]?.value?.toString(), 'from-kafkajs-api');
    const refused = new Kafka({
      brokers: [env.saslSsl],
      ssl: { ca: [readFileSync(env.certs.caPem, 'utf8')] },
      sasl: { mechanism: 'plain', username: 'alice', password: 'wrong' },
    }).admin();
    await assert.rejects(
      (async () => {
        await refused.connect();
        await refused.listTopics();
      })(),
      /Invalid username or password/,
    );
    await refused.disconnect();
  });
});
