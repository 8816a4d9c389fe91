import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { Admin, Consumer, Producer } from '@samsa/client';
import { BrokerProcess } from '@samsa/testkit';
import { Consumed } from '../../src/dsl/consumed.js';
import { EMIT_INTERVAL_MS_KSTREAMS_WINDOWED_AGGREGATION, EmitStrategy } from '../../src/dsl/emit-strategy.js';
import { Materialized } from '../../src/dsl/materialized.js';
import { SessionWindows } from '../../src/dsl/session-windows.js';
import { StreamsBuilder } from '../../src/dsl/streams-builder.js';
import { TimeWindows } from '../../src/dsl/time-windows.js';
import { KafkaStreams } from '../../src/runtime/kafka-streams.js';
import { decodeTopicPartitionMetadata } from '../../src/runtime/topic-partition-metadata.js';
import { Serdes } from '../../src/serde/serdes.js';
import { WindowedSerdes } from '../../src/serde/windowed-serdes.js';

// emitStrategy(onWindowClose) across a restart: the close time of the last final emission is
// committed with the input offsets (Java's ProcessorMetadata in the offset commit's metadata),
// so a restarted application does not emit again the closed windows still in its store.

let broker: BrokerProcess;
let stateDir: string;
const BASE = 1_700_000_000_000 - (1_700_000_000_000 % 60_000); // a minute boundary

before(async () => {
  broker = await BrokerProcess.start({ properties: { 'num.partitions': 1 } });
  stateDir = mkdtempSync(join(tmpdir(), 'samsa-streams-emit-close-'));
  const admin = new Admin({ 'bootstrap.servers': broker.bootstrap });
  await admin.createTopics([
    { name: 'tw-in', numPartitions: 1, replicationFactor: 1 },
    { name: 'tw-out', numPartitions: 1, replicationFactor: 1 },
    { name: 'sw-in', numPartitions: 1, replicationFactor: 1 },
    { name: 'sw-out', numPartitions: 1, replicationFactor: 1 },
    { name: 'tw2-in', numPartitions: 2, replicationFactor: 1 },
    { name: 'tw2-out', numPartitions: 1, replicationFactor: 1 },
  ]);
  await admin.close();
});

after(async () => {
  await broker?.close();
  if (stateDir !== undefined) rmSync(stateDir, { recursive: true, force: true });
});

async function produce(topic: string, records: { key: string; minute: number; partition?: number }[]): Promise<void> {
  const producer = new Producer<string, string>({
    'bootstrap.servers': broker.bootstrap,
    keySerializer: 'string',
    valueSerializer: 'string',
  });
  await producer.sendBatch(
    records.map((r, i) => ({
      topic,
      key: r.key,
      value: 'x',
      timestamp: BASE + r.minute * 60_000 + i,
      ...(r.partition === undefined ? {} : { partition: r.partition }),
    })),
  );
  await producer.close();
}

function app(applicationId: string, build: (builder: StreamsBuilder) => void): KafkaStreams {
  const builder = new StreamsBuilder();
  build(builder);
  return new KafkaStreams(builder.build(), {
    'application.id': applicationId,
    'bootstrap.servers': broker.bootstrap,
    'state.dir': stateDir,
    'commit.interval.ms': 200,
    [EMIT_INTERVAL_MS_KSTREAMS_WINDOWED_AGGREGATION]: 0,
  });
}

/** Every final result on `topic` as `key@startMinute=count`, once `count` have arrived (then 1 s more for strays). */
async function results(topic: string, count: number, session: boolean): Promise<string[]> {
  const windowed = session
    ? WindowedSerdes.sessionWindowedSerdeFrom(Serdes.String()).deserializer()
    : WindowedSerdes.timeWindowedSerdeFrom(Serdes.String(), 60_000).deserializer();
  const consumer = new Consumer<Buffer, bigint>({
    'bootstrap.servers': broker.bootstrap,
    valueDeserializer: (data) => data.readBigInt64BE(0),
  });
  consumer.assign([{ topic, partition: 0 }]);
  consumer.seekToBeginning();
  const out: string[] = [];
  let settleUntil = Number.POSITIVE_INFINITY;
  const deadline = Date.now() + 30_000;
  try {
    while (Date.now() < settleUntil && Date.now() < deadline) {
      for (const r of await consumer.poll({ timeoutMs: 200 })) {
        const key = windowed.deserialize(topic, r.key);
        out.push(`${key?.key()}@${Math.floor(((key?.window().start() ?? 0) - BASE) / 60_000)}=${r.value}`);
      }
      if (out.length >= count && settleUntil === Number.POSITIVE_INFINITY) settleUntil = Date.now() + 1000;
    }
  } finally {
    await consumer.close();
  }
  return out.sort();
}

test('time windows: closed windows are not emitted again after a restart', async () => {
  const build = (builder: StreamsBuilder) =>
    builder
      .stream('tw-in', Consumed.with(Serdes.String(), Serdes.String()))
      .groupByKey()
      .windowedBy(TimeWindows.ofSizeWithNoGrace(60_000))
      .emitStrategy(EmitStrategy.onWindowClose())
      // Closed windows stay in the store for an hour: without the committed close time they would
      // go out again.
      .count(Materialized.as<string, bigint>('tw-counts').withRetention(3_600_000))
      .toStream()
      .to('tw-out');
  // Minute 0's windows close when minute 2's record moves stream time.
  await produce('tw-in', [
    { key: 'a', minute: 0 },
    { key: 'a', minute: 0 },
    { key: 'b', minute: 0 },
    { key: 'c', minute: 2 },
  ]);
  let streams = app('emit-close-tw', build);
  await streams.start();
  assert.deepEqual(await results('tw-out', 2, false), ['a@0=2', 'b@0=1']);
  await streams.close();

  // What the commit carried: minute 2's record time, and the last emission's close time by store.
  const consumer = new Consumer({ 'bootstrap.servers': broker.bootstrap, 'group.id': 'emit-close-tw' });
  const [committed] = await consumer.committed([{ topic: 'tw-in', partition: 0 }]);
  await consumer.close();
  const metadata = decodeTopicPartitionMetadata(committed?.metadata ?? '');
  assert.equal(metadata.partitionTime, BASE + 2 * 60_000 + 3);
  assert.deepEqual([...metadata.processorMetadata], [['tw-counts', BASE + 2 * 60_000 + 3]]);

  // Minute 3 closes minute 2: only c@2 is new; minute 0's windows, still in the store, stay sent.
  await produce('tw-in', [{ key: 'd', minute: 3 }]);
  streams = app('emit-close-tw', build);
  await streams.start();
  assert.deepEqual(await results('tw-out', 3, false), ['a@0=2', 'b@0=1', 'c@2=1']);
  await streams.close();
});

test('session windows: closed sessions are not emitted again after a restart from an empty state directory', async () => {
  const build = (builder: StreamsBuilder) =>
    builder
      .stream('sw-in', Consumed.with(Serdes.String(), Serdes.String()))
      .groupByKey()
      .windowedBy(SessionWindows.ofInactivityGapWithNoGrace(60_000))
      .emitStrategy(EmitStrategy.onWindowClose())
      .count()
      .toStream()
      .to('sw-out');
  await produce('sw-in', [
    { key: 'a', minute: 0 },
    { key: 'b', minute: 0 },
    { key: 'c', minute: 3 },
  ]);
  let streams = app('emit-close-sw', build);
  await streams.start();
  assert.deepEqual(await results('sw-out', 2, true), ['a@0=1', 'b@0=1']);
  await streams.close();
  // The store comes back from its changelog, the sessions of minute 0 with it.
  streams.cleanUp();
  await produce('sw-in', [{ key: 'd', minute: 6 }]);
  streams = app('emit-close-sw', build);
  await streams.start();
  assert.deepEqual(await results('sw-out', 3, true), ['a@0=1', 'b@0=1', 'c@3=1']);
  await streams.close();
});

test("each task of a restart gets its own partition's commit metadata", async () => {
  const build = (builder: StreamsBuilder) =>
    builder
      .stream('tw2-in', Consumed.with(Serdes.String(), Serdes.String()))
      .groupByKey()
      .windowedBy(TimeWindows.ofSizeWithNoGrace(60_000))
      .emitStrategy(EmitStrategy.onWindowClose())
      .count(Materialized.as<string, bigint>('tw2-counts').withRetention(3_600_000))
      .toStream()
      .to('tw2-out');
  // Partition 0 closes minute 0 at minute 2; partition 1 at minute 10. Their committed
  // close times differ: a task given the other partition's would skip or repeat results.
  await produce('tw2-in', [
    { key: 'a', minute: 0, partition: 0 },
    { key: 'x', minute: 2, partition: 0 },
    { key: 'b', minute: 0, partition: 1 },
    { key: 'y', minute: 10, partition: 1 },
  ]);
  let streams = app('emit-close-tw2', build);
  await streams.start();
  assert.deepEqual(await results('tw2-out', 2, false), ['a@0=1', 'b@0=1']);
  await streams.close();
  // Minute 5 on partition 0 closes x's window of minute 2 (partition 0's last close was minute 2).
  await produce('tw2-in', [{ key: 'w', minute: 5, partition: 0 }]);
  streams = app('emit-close-tw2', build);
  await streams.start();
  assert.deepEqual(await results('tw2-out', 3, false), ['a@0=1', 'b@0=1', 'x@2=1']);
  await streams.close();
});
