/**
 * Real Kafka clients over every listener kind of one broker: kcat (librdkafka 2.0.2), kafka-python
 * 2.0.2 (which still speaks SASL's legacy v0 handshake with raw tokens), confluent-kafka for
 * Python and KafkaJS — TLS with client certificates, SASL/PLAIN over plaintext and TLS, and the
 * refusals (no certificate, a certificate from another CA, a wrong password).
 */
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { after, before, describe, test } from 'node:test';
import { Admin } from '@samsa/client';
import { requireCommand, requirePythonModule, run } from '@samsa/testkit';
import { Kafka, logLevel } from 'kafkajs';
import { PLAIN_USERS, type SecuredBroker, startSecuredBroker } from './security-support.js';

const KCAT = requireCommand('kcat', 'kcat');
const SCRAM_PASSWORD = 'carol-secret';

describe('real clients over TLS and SASL', () => {
  let env: SecuredBroker;

  before(async () => {
    env = await startSecuredBroker({ 'num.partitions': 1 });
    // SCRAM users, made as kafka-configs.sh makes them (AlterUserScramCredentials), over PLAINTEXT.
    const admin = new Admin({ 'bootstrap.servers': env.plaintext });
    try {
      const results = await admin.alterUserScramCredentials([
        { user: 'carol', mechanism: 'SCRAM-SHA-512', iterations: 8192, password: SCRAM_PASSWORD },
        { user: 'carol', mechanism: 'SCRAM-SHA-256', password: SCRAM_PASSWORD },
      ]);
      for (const r of results) assert.equal(r.error, null);
    } finally {
      await admin.close();
    }
  });
  after(async () => {
    await env?.close();
  });

  const sslArgs = () => [
    '-X',
    'security.protocol=ssl',
    '-X',
    `ssl.ca.location=${env.certs.caPem}`,
    '-X',
    `ssl.certificate.location=${env.certs.clientCert}`,
    '-X',
    `ssl.key.location=${env.certs.clientKey}`,
  ];
  const kcat = (bootstrap: string, args: string[], input = '') =>
    run(KCAT, ['-b', bootstrap, '-m', '10', ...args], { input, timeoutMs: 30000 });

  test('kcat produces and consumes over SSL with a client certificate', async () => {
    const produced = await kcat(env.ssl, [...sslArgs(), '-P', '-t', 'tls-kcat'], 'one\ntwo\n');
    assert.equal(produced.code, 0, produced.stderr);
    const consumed = await kcat(env.ssl, [...sslArgs(), '-C', '-t', 'tls-kcat', '-e', '-f', '%s\n']);
    assert.equal(consumed.code, 0, consumed.stderr);
    assert.deepEqual(consumed.stdout.trim().split('\n'), ['one', 'two']);
    // The metadata names the SSL listener's own port for the broker.
    const listed = await kcat(env.ssl, [...sslArgs(), '-L']);
    assert.match(listed.stdout, new RegExp(`broker 0 at ${env.ssl.replace('.', '\\.')}`));
  });

  test('kcat without a client certificate, or with one from another CA, is refused by the SSL listener', async () => {
    const noCert = await kcat(env.ssl, [
      '-X',
      'security.protocol=ssl',
      '-X',
      `ssl.ca.location=${env.certs.caPem}`,
      '-L',
    ]);
    assert.notEqual(noCert.code, 0);
    assert.match(noCert.stderr, /certificate required|alert|handshake/i);
    const rogue = await kcat(env.ssl, [
      '-X',
      'security.protocol=ssl',
      '-X',
      `ssl.ca.location=${env.certs.caPem}`,
      '-X',
      `ssl.certificate.location=${env.certs.rogueCert}`,
      '-X',
      `ssl.key.location=${env.certs.rogueKey}`,
      '-L',
    ]);
    assert.notEqual(rogue.code, 0);
    assert.match(env.broker.logs, /TLS handshake failed/);
  });

  test('kcat over SASL_PLAINTEXT and SASL_SSL with PLAIN; a wrong password gets the broker reason', async () => {
    const sasl = (password: string) => [
      '-X',
      'sasl.mechanism=PLAIN',
      '-X',
      'sasl.username=alice',
      '-X',
      `sasl.password=${password}`,
    ];
    const produced = await kcat(
      env.saslPlaintext,
      ['-X', 'security.protocol=sasl_plaintext', ...sasl(PLAIN_USERS.alice), '-P', '-t', 'sasl-kcat'],
      'over-sasl\n',
    );
    assert.equal(produced.code, 0, produced.stderr);
    const consumed = await kcat(env.saslSsl, [
      '-X',
      'security.protocol=sasl_ssl',
      '-X',
      `ssl.ca.location=${env.certs.caPem}`,
      ...sasl(PLAIN_USERS.alice),
      '-C',
      '-t',
      'sasl-kcat',
      '-e',
      '-f',
      '%s\n',
    ]);
    assert.equal(consumed.code, 0, consumed.stderr);
    assert.equal(consumed.stdout.trim(), 'over-sasl');
    const refused = await kcat(env.saslPlaintext, ['-X', 'security.protocol=sasl_plaintext', ...sasl('wrong'), '-L']);
    assert.notEqual(refused.code, 0);
    assert.match(refused.stderr, /SASL authentication error: Authentication failed: Invalid username or password/);
  });

  test('kcat asking for a mechanism the listener does not offer learns the enabled ones', async () => {
    const result = await kcat(env.saslPlaintext, [
      '-X',
      'security.protocol=sasl_plaintext',
      '-X',
      'sasl.mechanism=OAUTHBEARER',
      '-X',
      'enable.sasl.oauthbearer.unsecure.jwt=true',
      '-X',
      'sasl.oauthbearer.config=principal=alice',
      '-L',
    ]);
    assert.notEqual(result.code, 0);
    assert.match(
      result.stderr,
      /Unsupported SASL mechanism: broker's supported mechanisms: PLAIN,SCRAM-SHA-256,SCRAM-SHA-512/,
    );
  });

  test('kcat over SASL_SSL with OAUTHBEARER: an unsecured JWT for development, as Kafka validates it', async () => {
    const oauth = (principal: string) => [
      '-X',
      'security.protocol=sasl_ssl',
      '-X',
      `ssl.ca.location=${env.certs.caPem}`,
      '-X',
      'sasl.mechanism=OAUTHBEARER',
      '-X',
      'enable.sasl.oauthbearer.unsecure.jwt=true',
      '-X',
      `sasl.oauthbearer.config=principal=${principal}`,
    ];
    const produced = await kcat(env.saslSsl, [...oauth('alice'), '-P', '-t', 'oauth-kcat'], 'bearer\n');
    assert.equal(produced.code, 0, produced.stderr);
    const consumed = await kcat(env.saslSsl, [...oauth('bob'), '-C', '-t', 'oauth-kcat', '-e', '-f', '%s\n']);
    assert.equal(consumed.code, 0, consumed.stderr);
    assert.equal(consumed.stdout.trim(), 'bearer');
  });

  test('SCRAM-SHA-512 over SASL_SSL: kcat, confluent-kafka and kafka-python; KafkaJS with SCRAM-SHA-256', async () => {
    const scramArgs = (password: string) => [
      '-X',
      'security.protocol=sasl_ssl',
      '-X',
      `ssl.ca.location=${env.certs.caPem}`,
      '-X',
      'sasl.mechanism=SCRAM-SHA-512',
      '-X',
      'sasl.username=carol',
      '-X',
      `sasl.password=${password}`,
    ];
    const produced = await kcat(env.saslSsl, [...scramArgs(SCRAM_PASSWORD), '-P', '-t', 'scram-secure'], 'k1\nk2\n');
    assert.equal(produced.code, 0, produced.stderr);
    const refused = await kcat(env.saslSsl, [...scramArgs('wrong'), '-L']);
    assert.notEqual(refused.code, 0);
    assert.match(refused.stderr, /invalid credentials with SASL mechanism SCRAM-SHA-512/);

    const confluent = requirePythonModule('confluent_kafka', 'python3-confluent-kafka');
    const ck = await run(
      confluent,
      [
        '-c',
        `
import os
from confluent_kafka import Producer, Consumer
conf = {'bootstrap.servers': os.environ['BOOTSTRAP'], 'security.protocol': 'SASL_SSL', 'ssl.ca.location': os.environ['CA'],
        'sasl.mechanism': 'SCRAM-SHA-512', 'sasl.username': 'carol', 'sasl.password': '${SCRAM_PASSWORD}'}
p = Producer(conf)
p.produce('scram-secure', b'ck')
assert p.flush(20) == 0
c = Consumer({**conf, 'group.id': 'scram-ck', 'auto.offset.reset': 'earliest'})
c.subscribe(['scram-secure'])
got = []
while len(got) < 3:
    m = c.poll(15)
    if m is None: break
    if m.error(): raise Exception(m.error())
    got.append(m.value().decode())
c.close()
print(','.join(sorted(got)))
`,
      ],
      { timeoutMs: 90000, env: { ...process.env, BOOTSTRAP: env.saslSsl, CA: env.certs.caPem } },
    );
    assert.equal(ck.code, 0, ck.stderr);
    assert.equal(ck.stdout.trim(), 'ck,k1,k2');

    const kafkaPython = requirePythonModule('kafka', 'python3-kafka');
    const kp = await run(
      kafkaPython,
      [
        '-c',
        `
import os
from kafka import KafkaConsumer
c = KafkaConsumer('scram-secure', bootstrap_servers=os.environ['BOOTSTRAP'], security_protocol='SASL_SSL', ssl_cafile=os.environ['CA'],
                  sasl_mechanism='SCRAM-SHA-512', sasl_plain_username='carol', sasl_plain_password='${SCRAM_PASSWORD}',
                  auto_offset_reset='earliest', consumer_timeout_ms=8000)
print(','.join(sorted(m.value.decode() for m in c)))
`,
      ],
      { timeoutMs: 90000, env: { ...process.env, BOOTSTRAP: env.saslSsl, CA: env.certs.caPem } },
    );
    assert.equal(kp.code, 0, kp.stderr);
    assert.equal(kp.stdout.trim(), 'ck,k1,k2');

    const kafkajs = new Kafka({
      clientId: 'kafkajs-scram',
      brokers: [env.saslPlaintext],
      logLevel: logLevel.NOTHING,
      sasl: { mechanism: 'scram-sha-256', username: 'carol', password: SCRAM_PASSWORD },
      retry: { retries: 1 },
    }).admin();
    await kafkajs.connect();
    try {
      const offsets = await kafkajs.fetchTopicOffsets('scram-secure');
      assert.equal(offsets[0]?.high, '3');
    } finally {
      await kafkajs.disconnect();
    }
  });

  test('confluent-kafka over SSL with a client certificate', async () => {
    const python = requirePythonModule('confluent_kafka', 'python3-confluent-kafka');
    const result = await run(
      python,
      [
        '-c',
        `
import os
from confluent_kafka import Producer
p = Producer({'bootstrap.servers': os.environ['SSL'], 'security.protocol': 'SSL', 'ssl.ca.location': os.environ['CA'],
              'ssl.certificate.location': os.environ['CERT'], 'ssl.key.location': os.environ['KEY']})
delivered = []
p.produce('ck-tls', b'x', on_delivery=lambda err, msg: delivered.append(err))
assert p.flush(20) == 0
print(delivered)
`,
      ],
      {
        timeoutMs: 60000,
        env: {
          ...process.env,
          SSL: env.ssl,
          CA: env.certs.caPem,
          CERT: env.certs.clientCert,
          KEY: env.certs.clientKey,
        },
      },
    );
    assert.equal(result.code, 0, result.stderr);
    assert.equal(result.stdout.trim(), '[None]');
  });

  test('kafka-python over SSL with a client certificate and over SASL_SSL (legacy v0 handshake)', async () => {
    const python = requirePythonModule('kafka', 'python3-kafka');
    const script = `
import os, sys
from kafka import KafkaProducer, KafkaConsumer
ssl = dict(security_protocol='SSL', ssl_cafile=os.environ['CA'], ssl_certfile=os.environ['CERT'], ssl_keyfile=os.environ['KEY'])
p = KafkaProducer(bootstrap_servers=os.environ['SSL'], **ssl)
for i in range(3): p.send('kp-secure', b'ssl-%d' % i).get(timeout=20)
p.close()
sasl = dict(security_protocol='SASL_SSL', ssl_cafile=os.environ['CA'], sasl_mechanism='PLAIN', sasl_plain_username='bob', sasl_plain_password='${PLAIN_USERS.bob}')
c = KafkaConsumer('kp-secure', bootstrap_servers=os.environ['SASL_SSL'], auto_offset_reset='earliest', consumer_timeout_ms=8000, **sasl)
print(','.join(m.value.decode() for m in c))
c.close()
try:
    KafkaConsumer(bootstrap_servers=os.environ['SASL_SSL'], security_protocol='SASL_SSL', ssl_cafile=os.environ['CA'], sasl_mechanism='PLAIN', sasl_plain_username='bob', sasl_plain_password='nope', request_timeout_ms=4000, api_version_auto_timeout_ms=4000).topics()
    print('refused False')
except Exception as e:
    print('refused True')
`;
    const result = await run(python, ['-c', script], {
      timeoutMs: 90000,
      env: {
        ...process.env,
        CA: env.certs.caPem,
        CERT: env.certs.clientCert,
        KEY: env.certs.clientKey,
        SSL: env.ssl,
        SASL_SSL: env.saslSsl,
      },
    });
    assert.equal(result.code, 0, result.stderr);
    assert.deepEqual(result.stdout.trim().split('\n'), ['ssl-0,ssl-1,ssl-2', 'refused True']);
  });

  test('confluent-kafka over SASL_SSL with PLAIN: idempotent produce, consume in a group', async () => {
    const python = requirePythonModule('confluent_kafka', 'python3-confluent-kafka');
    const script = `
import os
from confluent_kafka import Producer, Consumer
conf = {'bootstrap.servers': os.environ['SASL_SSL'], 'security.protocol': 'SASL_SSL', 'ssl.ca.location': os.environ['CA'],
        'sasl.mechanism': 'PLAIN', 'sasl.username': 'alice', 'sasl.password': '${PLAIN_USERS.alice}'}
p = Producer({**conf, 'enable.idempotence': True})
for i in range(5): p.produce('ck-secure', b'ck-%d' % i)
assert p.flush(20) == 0
c = Consumer({**conf, 'group.id': 'ck-secure-group', 'auto.offset.reset': 'earliest'})
c.subscribe(['ck-secure'])
got = []
while len(got) < 5:
    m = c.poll(15)
    if m is None: break
    if m.error(): raise Exception(m.error())
    got.append(m.value().decode())
c.close()
print(','.join(got))
`;
    const result = await run(python, ['-c', script], {
      timeoutMs: 90000,
      env: { ...process.env, CA: env.certs.caPem, SASL_SSL: env.saslSsl },
    });
    assert.equal(result.code, 0, result.stderr);
    assert.equal(result.stdout.trim(), 'ck-0,ck-1,ck-2,ck-3,ck-4');
  });

  test('KafkaJS with SASL/PLAIN over TLS and over plaintext; a wrong password fails authentication', async () => {
    const kafka = (brokers: string, ssl: boolean, password: string) =>
      new Kafka({
        clientId: 'kafkajs-secure',
        brokers: [brokers],
        logLevel: logLevel.NOTHING,
        ssl: ssl ? { ca: [readFileSync(env.certs.caPem, 'utf8')] } : false,
        sasl: { mechanism: 'plain', username: 'alice', password },
        retry: { retries: 1 },
      });
    const producer = kafka(env.saslSsl, true, PLAIN_USERS.alice).producer();
    await producer.connect();
    await producer.send({ topic: 'kjs-secure', messages: [{ value: 'a' }, { value: 'b' }] });
    await producer.disconnect();
    const admin = kafka(env.saslPlaintext, false, PLAIN_USERS.alice).admin();
    await admin.connect();
    const offsets = await admin.fetchTopicOffsets('kjs-secure');
    await admin.disconnect();
    assert.equal(offsets[0]?.high, '2');
    const bad = kafka(env.saslPlaintext, false, 'wrong').admin();
    await assert.rejects(bad.connect(), /SASL PLAIN authentication failed|invalid credentials/i);
  });
});
