#!/usr/bin/env node
// Captures request frames that real Kafka clients send, for the protocol package's golden tests
// (packages/protocol/test/golden-requests.test.ts). Run after `npm run build`:
//
//   node scripts/capture-golden-requests.mjs
//
// A Samsa broker is started behind a recording TCP proxy and advertises the proxy's address, so
// every connection of every client goes through it. kcat (librdkafka 2.0.2), kafka-python 2.0.2,
// KafkaJS 2.2.4 and @platformatic/kafka then run a scripted workload (admin, produce, consume,
// groups, idempotence). The first frame of each (client, API, version) is written to
// packages/protocol/test/fixtures/golden/<client>.jsonl as {apiKey, apiVersion, api, hex}.
// The recorded bytes are the clients' own encodings; the broker's answers are not recorded.
import { mkdirSync, writeFileSync } from 'node:fs';
import { connect, createServer } from 'node:net';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import {
  Admin,
  Consumer,
  MessagesStreamModes,
  Producer,
  stringDeserializers,
  stringSerializers,
} from '@platformatic/kafka';
import { apiName } from '@samsa/protocol';
import { BrokerProcess, freePort, run } from '@samsa/testkit';
import kafkajs from 'kafkajs';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const outDir = join(root, 'packages', 'protocol', 'test', 'fixtures', 'golden');

const captured = new Map(); // client -> Map<"key:version", record>
let currentClient = 'none';

function record(frame) {
  if (frame.length < 4) return;
  const apiKey = frame.readInt16BE(0);
  const apiVersion = frame.readInt16BE(2);
  let byClient = captured.get(currentClient);
  if (byClient === undefined) captured.set(currentClient, (byClient = new Map()));
  const key = `${apiKey}:${apiVersion}`;
  if (!byClient.has(key)) byClient.set(key, { apiKey, apiVersion, api: apiName(apiKey), hex: frame.toString('hex') });
}

async function startProxy(port, target) {
  const server = createServer((client) => {
    const upstream = connect(target, '127.0.0.1');
    let pending = Buffer.alloc(0);
    client.on('data', (chunk) => {
      pending = Buffer.concat([pending, chunk]);
      while (pending.length >= 4 && pending.length >= 4 + pending.readInt32BE(0)) {
        const size = pending.readInt32BE(0);
        record(pending.subarray(4, 4 + size));
        pending = pending.subarray(4 + size);
      }
      upstream.write(chunk);
    });
    upstream.on('data', (chunk) => client.write(chunk));
    client.on('close', () => upstream.destroy());
    upstream.on('close', () => client.destroy());
    client.on('error', () => upstream.destroy());
    upstream.on('error', () => client.destroy());
  });
  await new Promise((resolve) => server.listen(port, '127.0.0.1', resolve));
  return server;
}

// Asynchronous: the proxy runs on this process's event loop.
async function sh(command, args, input = '') {
  const r = await run(command, args, { input, timeoutMs: 60000 });
  if (r.code !== 0) throw new Error(`${command} ${args.join(' ')} failed: ${r.stderr}`);
  return r.stdout;
}

const proxyPort = await freePort();
const broker = await BrokerProcess.start({
  properties: { 'advertised.listeners': `PLAINTEXT://127.0.0.1:${proxyPort}`, 'num.partitions': 2 },
});
const proxy = await startProxy(proxyPort, broker.port);
const bootstrap = `127.0.0.1:${proxyPort}`;

try {
  currentClient = 'kcat';
  await sh('kcat', ['-b', bootstrap, '-L']);
  await sh(
    'kcat',
    ['-b', bootstrap, '-P', '-t', 'golden-kcat', '-K', ':', '-H', 'h=1', '-z', 'lz4', '-X', 'enable.idempotence=true'],
    'k1:v1\nk2:v2\n',
  );
  await sh('kcat', ['-b', bootstrap, '-C', '-t', 'golden-kcat', '-e', '-o', 'beginning']);
  await sh('kcat', ['-b', bootstrap, '-Q', '-t', 'golden-kcat:0:1000']);
  await sh('kcat', [
    '-b',
    bootstrap,
    '-G',
    'golden-kcat-group',
    'golden-kcat',
    '-c',
    '1',
    '-X',
    'auto.offset.reset=earliest',
  ]);

  currentClient = 'kafka-python';
  await sh('/usr/bin/python3', [
    '-c',
    `
from kafka import KafkaProducer, KafkaConsumer
from kafka.admin import KafkaAdminClient, NewTopic
a = KafkaAdminClient(bootstrap_servers='${bootstrap}')
a.create_topics([NewTopic('golden-py', num_partitions=2, replication_factor=1)])
p = KafkaProducer(bootstrap_servers='${bootstrap}', compression_type='gzip')
p.send('golden-py', key=b'k', value=b'v', headers=[('h', b'1')]).get(timeout=20)
p.close()
c = KafkaConsumer('golden-py', bootstrap_servers='${bootstrap}', group_id='golden-py-group', auto_offset_reset='earliest', consumer_timeout_ms=4000)
for m in c:
    c.commit()
    break
c.close()
`,
  ]);

  currentClient = 'kafkajs';
  const kafka = new kafkajs.Kafka({ clientId: 'golden', brokers: [bootstrap], logLevel: kafkajs.logLevel.NOTHING });
  const admin = kafka.admin();
  await admin.connect();
  await admin.createTopics({ topics: [{ topic: 'golden-kjs', numPartitions: 2 }] });
  await admin.fetchTopicOffsets('golden-kjs');
  await admin.disconnect();
  const producer = kafka.producer({ idempotent: true, maxInFlightRequests: 1 });
  await producer.connect();
  await producer.send({ topic: 'golden-kjs', messages: [{ key: 'k', value: 'v', headers: { h: '1' } }], acks: -1 });
  await producer.disconnect();
  const consumer = kafka.consumer({ groupId: 'golden-kjs-group' });
  await consumer.connect();
  await consumer.subscribe({ topic: 'golden-kjs', fromBeginning: true });
  await new Promise((resolve) => {
    consumer.run({ eachMessage: async () => resolve() });
  });
  await consumer.disconnect();

  currentClient = 'platformatic';
  const pAdmin = new Admin({ clientId: 'golden', bootstrapBrokers: [bootstrap] });
  await pAdmin.createTopics({ topics: ['golden-plt'], partitions: 2, replicas: 1 });
  await pAdmin.metadata({ topics: ['golden-plt'] });
  await pAdmin.close();
  const pProducer = new Producer({
    clientId: 'golden',
    bootstrapBrokers: [bootstrap],
    serializers: stringSerializers,
    idempotent: true,
  });
  await pProducer.send({
    messages: [{ topic: 'golden-plt', partition: 0, key: 'k', value: 'v', headers: { h: '1' } }],
    acks: -1,
  });
  await pProducer.close();
  const pConsumer = new Consumer({
    groupId: 'golden-plt-group',
    clientId: 'golden',
    bootstrapBrokers: [bootstrap],
    deserializers: stringDeserializers,
  });
  const stream = await pConsumer.consume({
    topics: ['golden-plt'],
    mode: MessagesStreamModes.EARLIEST,
    autocommit: false,
  });
  for await (const message of stream) {
    await message.commit();
    break;
  }
  await stream.close();
  await pConsumer.close();
} finally {
  proxy.close();
  await broker.close();
}

mkdirSync(outDir, { recursive: true });
for (const [client, frames] of captured) {
  if (client === 'none') continue;
  const lines = [...frames.values()]
    .sort((a, b) => a.apiKey - b.apiKey || a.apiVersion - b.apiVersion)
    .map((r) => JSON.stringify(r));
  writeFileSync(join(outDir, `${client}.jsonl`), `${lines.join('\n')}\n`);
  console.log(`${client}: ${[...frames.values()].map((r) => `${r.api} v${r.apiVersion}`).join(', ')}`);
}
