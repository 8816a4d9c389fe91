#!/usr/bin/env node
import { createRequire } from 'node:module';
import { cpus } from 'node:os';
/**
 * Producer and consumer throughput of @samsa/client, KafkaJS and @platformatic/kafka against the
 * same Samsa broker in the same run. Figures only, never assertions.
 *
 *   npx tsc -b packages/client packages/testkit
 *   node bench/client/client-bench.mjs                       # 200k x 1 KiB, 1 and 8 partitions
 *   node bench/client/client-bench.mjs --records=20000 --partitions=1
 *
 * Each client produces `records` values of `size` bytes (no key) with acks=1 to its own topic,
 * in send calls of `chunk` records with at most `window` calls outstanding, then consumes the
 * same topic from the beginning with a consumer group. Client settings are each client's
 * defaults apart from acks (and, for ours, idempotence, which acks=1 turns off as in Java).
 */
import { performance } from 'node:perf_hooks';
import { Admin, Consumer, Producer } from '../../packages/client/dist/src/index.js';
import { BrokerProcess } from '../../packages/testkit/dist/src/index.js';

const require = createRequire(import.meta.url);
const args = Object.fromEntries(
  process.argv.slice(2).map((a) => {
    const [k, v] = a.replace(/^--/, '').split('=');
    return [k, v ?? 'true'];
  }),
);
const RECORDS = Number(args.records ?? 200000);
const SIZE = Number(args.size ?? 1024);
const CHUNK = Number(args.chunk ?? 1000);
const WINDOW = Number(args.window ?? 8);
const PARTITIONS = String(args.partitions ?? '1,8')
  .split(',')
  .map(Number);
const CLIENTS = String(args.clients ?? 'samsa,samsa-1MiB,kafkajs,platformatic').split(',');

const value = Buffer.alloc(SIZE, 'x');

/** Runs `send(chunk)` over all records with at most WINDOW calls in flight. */
async function windowed(send) {
  const chunks = Math.ceil(RECORDS / CHUNK);
  let next = 0;
  const workers = Array.from({ length: WINDOW }, async () => {
    while (next < chunks) {
      const i = next++;
      const n = Math.min(CHUNK, RECORDS - i * CHUNK);
      await send(n);
    }
  });
  await Promise.all(workers);
}

async function samsaProduce(bootstrap, topic, options) {
  const producer = new Producer({ 'bootstrap.servers': bootstrap, acks: 1, ...options });
  await producer.connect();
  const started = performance.now();
  await windowed((n) => producer.sendBatch(Array.from({ length: n }, () => ({ topic, value }))));
  const ms = performance.now() - started;
  await producer.close();
  return ms;
}

const producers = {
  samsa: (bootstrap, topic) => samsaProduce(bootstrap, topic, {}),
  /** Kafka's default batch.size (16 KiB) sends ~15 such records per request; KafkaJS sends a whole call. */
  'samsa-1MiB': (bootstrap, topic) => samsaProduce(bootstrap, topic, { 'batch.size': 1048576 }),
  async kafkajs(bootstrap, topic) {
    const { Kafka, logLevel } = require('kafkajs');
    const kafka = new Kafka({ brokers: [bootstrap], logLevel: logLevel.NOTHING });
    const producer = kafka.producer();
    await producer.connect();
    const started = performance.now();
    await windowed((n) => producer.send({ topic, acks: 1, messages: Array.from({ length: n }, () => ({ value })) }));
    const ms = performance.now() - started;
    await producer.disconnect();
    return ms;
  },
  async platformatic(bootstrap, topic) {
    const { Producer: PProducer, ProduceAcks } = await import('@platformatic/kafka');
    const producer = new PProducer({ clientId: 'bench', bootstrapBrokers: [bootstrap] });
    const started = performance.now();
    await windowed((n) =>
      producer.send({ acks: ProduceAcks.LEADER, messages: Array.from({ length: n }, () => ({ topic, value })) }),
    );
    const ms = performance.now() - started;
    await producer.close();
    return ms;
  },
};

const consumers = {
  'samsa-1MiB': (bootstrap, topic) => consumers.samsa(bootstrap, topic),
  async samsa(bootstrap, topic) {
    const consumer = new Consumer({
      'bootstrap.servers': bootstrap,
      'group.id': `bench-${topic}`,
      'auto.offset.reset': 'earliest',
    });
    consumer.subscribe([topic]);
    let count = 0;
    const started = performance.now();
    await new Promise((resolve, reject) => {
      consumer
        .run({
          eachBatch: async ({ messages }) => {
            count += messages.length;
            if (count >= RECORDS) resolve();
          },
        })
        .catch(reject);
    });
    const ms = performance.now() - started;
    await consumer.close();
    return ms;
  },
  async kafkajs(bootstrap, topic) {
    const { Kafka, logLevel } = require('kafkajs');
    const kafka = new Kafka({ brokers: [bootstrap], logLevel: logLevel.NOTHING });
    const consumer = kafka.consumer({ groupId: `bench-kjs-${topic}` });
    await consumer.connect();
    await consumer.subscribe({ topic, fromBeginning: true });
    let count = 0;
    const started = performance.now();
    await new Promise((resolve) => {
      consumer.run({
        eachBatch: async ({ batch }) => {
          count += batch.messages.length;
          if (count >= RECORDS) resolve();
        },
      });
    });
    const ms = performance.now() - started;
    await consumer.disconnect();
    return ms;
  },
  async platformatic(bootstrap, topic) {
    const { Consumer: PConsumer } = await import('@platformatic/kafka');
    const consumer = new PConsumer({ groupId: `bench-pk-${topic}`, clientId: 'bench', bootstrapBrokers: [bootstrap] });
    const started = performance.now();
    const stream = await consumer.consume({ topics: [topic], mode: 'earliest', autocommit: true });
    let count = 0;
    await new Promise((resolve) => {
      stream.on('data', () => {
        count++;
        if (count === RECORDS) resolve();
      });
    });
    const ms = performance.now() - started;
    await stream.close();
    await consumer.close();
    return ms;
  },
};

function rate(ms) {
  const perSecond = RECORDS / (ms / 1000);
  return { recordsPerSecond: perSecond, mbPerSecond: (perSecond * SIZE) / 1e6 };
}

const broker = await BrokerProcess.start({
  properties: { 'num.partitions': 1, 'group.initial.rebalance.delay.ms': 0 },
});
const rows = [];
try {
  const admin = new Admin({ 'bootstrap.servers': broker.bootstrap });
  for (const partitions of PARTITIONS) {
    for (const client of CLIENTS) {
      const topic = `bench-${client}-p${partitions}`;
      await admin.createTopics([{ name: topic, numPartitions: partitions }]);
      const produceMs = await producers[client](broker.bootstrap, topic);
      const consumeMs = await consumers[client](broker.bootstrap, topic);
      const row = { client, partitions, produce: rate(produceMs), consume: rate(consumeMs) };
      rows.push(row);
      console.error(
        `${client.padEnd(12)} p=${partitions}  produce ${Math.round(row.produce.recordsPerSecond)} rec/s  consume ${Math.round(row.consume.recordsPerSecond)} rec/s`,
      );
    }
  }
  await admin.close();
} finally {
  await broker.close();
}

const fmt = (r) => `${Math.round(r.recordsPerSecond).toLocaleString('en-US')} (${r.mbPerSecond.toFixed(1)} MB/s)`;
const names = {
  samsa: '@samsa/client',
  'samsa-1MiB': '@samsa/client batch.size=1MiB',
  kafkajs: 'KafkaJS 2.2.4',
  platformatic: '@platformatic/kafka',
};
const lines = [];
lines.push(
  `${RECORDS.toLocaleString('en-US')} records × ${SIZE} B, acks=1, ${cpus().length} cores (${cpus()[0]?.model.trim()}), Node ${process.version}`,
);
lines.push('');
const others = CLIENTS.filter((c) => !c.startsWith('samsa'));
const ours = CLIENTS.filter((c) => c.startsWith('samsa'));
const ratioHeads = ours.flatMap((o) => others.map((c) => `${o} / ${c}`));
lines.push(`| workload | partitions | ${CLIENTS.map((c) => names[c]).join(' | ')} | ${ratioHeads.join(' | ')} |`);
lines.push(`| --- | ---: | ${CLIENTS.map(() => '---:').join(' | ')} | ${ratioHeads.map(() => '---:').join(' | ')} |`);
for (const kind of ['produce', 'consume']) {
  for (const partitions of PARTITIONS) {
    const byClient = Object.fromEntries(
      rows.filter((r) => r.partitions === partitions).map((r) => [r.client, r[kind]]),
    );
    const ratios = ours.flatMap((o) =>
      others.map((c) => `${(byClient[o].recordsPerSecond / byClient[c].recordsPerSecond).toFixed(2)}×`),
    );
    lines.push(
      `| ${kind} | ${partitions} | ${CLIENTS.map((c) => fmt(byClient[c])).join(' | ')} | ${ratios.join(' | ')} |`,
    );
  }
}
console.log(lines.join('\n'));
