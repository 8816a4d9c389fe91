import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { Admin, Consumer, Producer } from '@samsa/client';
import { BrokerProcess } from '@samsa/testkit';
import { Consumed } from '../../src/dsl/consumed.js';
import { StreamsBuilder } from '../../src/dsl/streams-builder.js';
import { TimeWindows } from '../../src/dsl/time-windows.js';
import { KafkaStreams } from '../../src/runtime/kafka-streams.js';
import { Serdes } from '../../src/serde/serdes.js';
import { WindowedSerdes } from '../../src/serde/windowed-serdes.js';

// A windowed count on a broker: per-minute clicks, the output keyed in Java's TimeWindowedSerde
// bytes, the window store's changelog created compact,delete; then a restart from an empty state
// directory continues the still-open windows from the changelog.

let broker: BrokerProcess;
let stateDir: string;
const BASE = 1_700_000_000_000 - (1_700_000_000_000 % 60_000); // a minute boundary

before(async () => {
  broker = await BrokerProcess.start({ properties: { 'num.partitions': 1 } });
  stateDir = mkdtempSync(join(tmpdir(), 'samsa-streams-windowed-'));
  const admin = new Admin({ 'bootstrap.servers': broker.bootstrap });
  await admin.createTopics([
    { name: 'clicks', numPartitions: 2, replicationFactor: 1 },
    { name: 'clicks-per-minute', numPartitions: 1, replicationFactor: 1 },
  ]);
  await admin.close();
});

after(async () => {
  await broker?.close();
  if (stateDir !== undefined) rmSync(stateDir, { recursive: true, force: true });
});

async function produce(records: { key: string; minute: number }[]): Promise<void> {
  const producer = new Producer<string, string>({
    'bootstrap.servers': broker.bootstrap,
    keySerializer: 'string',
    valueSerializer: 'string',
  });
  await producer.sendBatch(
    records.map((r, i) => ({ topic: 'clicks', key: r.key, value: 'click', timestamp: BASE + r.minute * 60_000 + i })),
  );
  await producer.close();
}

function app(): KafkaStreams {
  const builder = new StreamsBuilder();
  builder
    .stream('clicks', Consumed.with(Serdes.String(), Serdes.String()))
    .groupByKey()
    .windowedBy(TimeWindows.ofSizeAndGrace(60_000, 3_600_000))
    .count()
    .toStream()
    .to('clicks-per-minute');
  return new KafkaStreams(builder.build(), {
    'application.id': 'windowed-e2e',
    'bootstrap.servers': broker.bootstrap,
    'state.dir': stateDir,
    'commit.interval.ms': 200,
  });
}

async function awaitCounts(expected: Map<string, bigint>): Promise<void> {
  const windowed = WindowedSerdes.timeWindowedSerdeFrom(Serdes.String(), 60_000).deserializer();
  const consumer = new Consumer<Buffer, bigint>({
    'bootstrap.servers': broker.bootstrap,
    valueDeserializer: (data) => data.readBigInt64BE(0),
  });
  consumer.assign([{ topic: 'clicks-per-minute', partition: 0 }]);
  consumer.seekToBeginning();
  const latest = new Map<string, bigint>();
  try {
    while (!(latest.size === expected.size && [...expected].every(([k, n]) => latest.get(k) === n))) {
      for (const r of await consumer.poll({ timeoutMs: 300 })) {
        const key = windowed.deserialize('clicks-per-minute', r.key);
        latest.set(`${key?.key()}@${((key?.window().start() ?? 0) - BASE) / 60_000}`, r.value as bigint);
      }
    }
  } finally {
    await consumer.close();
  }
}

test('windowed counts on a broker, restored from the window changelog', async () => {
  const records = [
    ...Array.from({ length: 30 }, (_, i) => ({ key: `user-${i % 3}`, minute: 0 })),
    ...Array.from({ length: 12 }, (_, i) => ({ key: `user-${i % 2}`, minute: 1 })),
  ];
  await produce(records);
  const expected = new Map([
    ['user-0@0', 10n],
    ['user-1@0', 10n],
    ['user-2@0', 10n],
    ['user-0@1', 6n],
    ['user-1@1', 6n],
  ]);
  let streams = app();
  await streams.start();
  await awaitCounts(expected);
  await streams.close();

  const admin = new Admin({ 'bootstrap.servers': broker.bootstrap });
  const changelog = 'windowed-e2e-KSTREAM-AGGREGATE-STATE-STORE-0000000001-changelog';
  const [config] = await admin.describeConfigs([{ type: 'topic', name: changelog, keys: ['cleanup.policy'] }]);
  assert.equal(config?.configs.find((c) => c.name === 'cleanup.policy')?.value, 'compact,delete');
  await admin.close();

  // Empty state directory: the open windows' counts come back from the changelog.
  streams.cleanUp();
  await produce([
    { key: 'user-0', minute: 1 },
    { key: 'user-2', minute: 1 },
  ]);
  expected.set('user-0@1', 7n);
  expected.set('user-2@1', 1n);
  streams = app();
  await streams.start();
  await awaitCounts(expected);
  await streams.close();
});
