import assert from 'node:assert/strict';
import { afterEach, test } from 'node:test';
import { Consumed } from '../../src/dsl/consumed.js';
import { Materialized } from '../../src/dsl/materialized.js';
import { Produced } from '../../src/dsl/produced.js';
import { StreamsBuilder } from '../../src/dsl/streams-builder.js';
import { TimeWindow, TimeWindows, Windowed } from '../../src/dsl/time-windows.js';
import { Serdes } from '../../src/serde/serdes.js';
import { WindowedSerdes } from '../../src/serde/windowed-serdes.js';
import { KeyValue } from '../../src/state/key-value.js';
import { TopologyTestDriver } from '../../src/test-utils/topology-test-driver.js';

const S = Serdes.String();
let driver: TopologyTestDriver | undefined;

afterEach(() => {
  driver?.close();
  driver = undefined;
});

function windowedCounts(windows: TimeWindows): TopologyTestDriver {
  const builder = new StreamsBuilder();
  builder
    .stream('in', Consumed.with(S, S))
    .groupByKey()
    .windowedBy(windows)
    .count()
    .toStream()
    .map((wk: Windowed<string>, n) => KeyValue.pair(`${wk.key()}@${wk.window().start()}`, n))
    .to('out', Produced.with(S, Serdes.Long()));
  return new TopologyTestDriver(builder.build(), { 'application.id': 'win' });
}

const read = (d: TopologyTestDriver) =>
  d
    .createOutputTopic('out', S.deserializer(), Serdes.Long().deserializer())
    .readKeyValuesToList()
    .map((kv) => `${kv.key}=${kv.value}`);

test('tumbling windows: counts per key and window; a record after the window closed is dropped', () => {
  driver = windowedCounts(TimeWindows.ofSizeWithNoGrace(10_000));
  const input = driver.createInputTopic('in', S.serializer(), S.serializer());
  input.pipeInput('a', 'x', 0);
  input.pipeInput('a', 'x', 9_999);
  input.pipeInput('b', 'x', 5_000);
  input.pipeInput('a', 'x', 10_000); // stream time 10000 closes [0, 10000)
  input.pipeInput('a', 'x', 3_000); // late: dropped
  assert.deepEqual(read(driver), ['a@0=1', 'a@0=2', 'b@0=1', 'a@10000=1']);
});

test('a grace period keeps a window open for late records', () => {
  driver = windowedCounts(TimeWindows.ofSizeAndGrace(10_000, 5_000));
  const input = driver.createInputTopic('in', S.serializer(), S.serializer());
  input.pipeInput('a', 'x', 1_000);
  input.pipeInput('a', 'x', 12_000);
  input.pipeInput('a', 'x', 2_000); // late by 10 s, within grace (closes at 15000)
  input.pipeInput('a', 'x', 15_000);
  input.pipeInput('a', 'x', 3_000); // now closed
  assert.deepEqual(read(driver), ['a@0=1', 'a@10000=1', 'a@0=2', 'a@10000=2']);
});

test('hopping windows: a record counts in every window holding it', () => {
  driver = windowedCounts(TimeWindows.ofSizeWithNoGrace(10_000).advanceBy(5_000));
  driver.createInputTopic('in', S.serializer(), S.serializer()).pipeInput('a', 'x', 7_000);
  assert.deepEqual(read(driver), ['a@0=1', 'a@5000=1']);
  assert.throws(() => TimeWindows.ofSizeWithNoGrace(10).advanceBy(11), /advancement interval/);
});

test("windowed keys in Java's bytes: TimeWindowedSerde on the output, WindowKeySchema in the changelog", () => {
  const builder = new StreamsBuilder();
  builder
    .stream('in', Consumed.with(S, S))
    .groupByKey()
    .windowedBy(TimeWindows.ofSizeWithNoGrace(10_000))
    .count()
    .toStream()
    .to('out');
  const topology = builder.build();
  assert.match(
    topology.describe().toString(),
    /Processor: KSTREAM-AGGREGATE-0000000002 \(stores: \[KSTREAM-AGGREGATE-STATE-STORE-0000000001\]\)/,
  );
  driver = new TopologyTestDriver(topology, { 'application.id': 'win' });
  driver.createInputTopic('in', S.serializer(), S.serializer()).pipeInput('a', 'x', 12_345);
  const bytes = Serdes.ByteArray().deserializer();
  const out = driver.createOutputTopic('out', bytes, Serdes.Long().deserializer()).readKeyValue();
  // 'a', then the window start 10000 as an 8-byte big-endian long.
  assert.equal(Buffer.from(out.key as Uint8Array).toString('hex'), '61' + '0000000000002710');
  assert.equal(out.value, 1n);
  const windowed = WindowedSerdes.timeWindowedSerdeFrom(S, 10_000).deserializer().deserialize('out', out.key);
  assert.equal(String(windowed), '[a@10000/20000]');
  const changelog = driver
    .createOutputTopic('win-KSTREAM-AGGREGATE-STATE-STORE-0000000001-changelog', bytes, bytes)
    .readKeyValue();
  // Java's window store key: key, start, 4-byte sequence number 0.
  assert.equal(Buffer.from(changelog.key as Uint8Array).toString('hex'), '61' + '0000000000002710' + '00000000');
});

test('closed windows leave the store; the changelog is compact,delete with a day past retention', () => {
  const builder = new StreamsBuilder();
  builder
    .stream('in', Consumed.with(S, S))
    .groupByKey()
    .windowedBy(TimeWindows.ofSizeAndGrace(1_000, 500))
    .count(Materialized.as('per-second'));
  const topology = builder.build();
  assert.deepEqual(topology.storeBuilder('per-second')?.logConfigs(), {
    'cleanup.policy': 'compact,delete',
    'retention.ms': String(1_500 + 86_400_000),
  });
  driver = new TopologyTestDriver(topology, { 'application.id': 'win' });
  const input = driver.createInputTopic('in', S.serializer(), S.serializer());
  for (let t = 0; t < 10_000; t += 250) input.pipeInput('a', 'x', t);
  const store = driver.getKeyValueStore<Windowed<string>, bigint>('per-second');
  // Stream time 9750, grace 500: windows ending at or before 9250 are gone (checked once per
  // window size of stream time, so at most one closed window may linger).
  const starts = [...store.all()].map((kv) => kv.key.window().start());
  assert.ok(starts.length <= 3 && starts.includes(9_000), `kept ${starts}`);
  assert.ok(starts.every((s) => s >= 8_000));
});

/** One input record fanned out to three: three updates of the same window before the driver's commit (after each input record). */
function fannedOutCounts(materialized: Materialized<string, bigint> | undefined): string[] {
  const builder = new StreamsBuilder();
  builder
    .stream('in', Consumed.with(S, S))
    .flatMapValues((v) => v.split(' '))
    .groupByKey()
    .windowedBy(TimeWindows.ofSizeWithNoGrace(1000))
    .count(materialized)
    .toStream()
    .map((wk: Windowed<string>, n) => KeyValue.pair(`${wk.key()}@${wk.window().start()}`, n))
    .to('out', Produced.with(S, Serdes.Long()));
  driver = new TopologyTestDriver(builder.build(), { 'application.id': 'win-cache' });
  const input = driver.createInputTopic('in', S.serializer(), S.serializer());
  input.pipeInput('k', 'a a a', 100);
  input.pipeInput('k', 'b b', 200);
  return read(driver);
}

test('windowed counts are cached by default: a window updated several times between commits sends its last count', () => {
  assert.deepEqual(fannedOutCounts(undefined), ['k@0=3', 'k@0=5']);
});

test('Materialized.withCachingDisabled: every update of a window goes downstream', () => {
  assert.deepEqual(fannedOutCounts(Materialized.as<string, bigint>('win-counts').withCachingDisabled()), [
    'k@0=1',
    'k@0=2',
    'k@0=3',
    'k@0=4',
    'k@0=5',
  ]);
});

test('Materialized.withRetention: closed windows stay in the store until the retention, then leave it', () => {
  const builder = new StreamsBuilder();
  builder
    .stream('in', Consumed.with(S, S))
    .groupByKey()
    .windowedBy(TimeWindows.ofSizeWithNoGrace(1000))
    .count(Materialized.as<string, bigint>('kept').withRetention(5000));
  driver = new TopologyTestDriver(builder.build(), { 'application.id': 'win-retention' });
  const input = driver.createInputTopic('in', S.serializer(), S.serializer());
  const starts = () =>
    [...(driver as TopologyTestDriver).getWindowStore<string, bigint>('kept').fetch('k', 0, 100_000)].map((kv) =>
      kv.key.window().start(),
    );
  input.pipeInput('k', 'a', 100);
  input.pipeInput('k', 'b', 2500); // [0, 1000) is closed (no grace) but within the retention
  input.pipeInput('k', 'late', 500); // closed: dropped, not counted
  assert.deepEqual(starts(), [0, 2000]);
  assert.equal(driver.getWindowStore<string, bigint>('kept').get(new Windowed('k', new TimeWindow(0, 1000))), 1n);
  input.pipeInput('k', 'c', 7500); // stream time 7500: windows starting at or before 2500 leave
  assert.deepEqual(starts(), [7000]);
});

test('withRetention below the window size plus grace is refused, as Java refuses it', () => {
  const builder = new StreamsBuilder();
  assert.throws(
    () =>
      builder
        .stream('in', Consumed.with(S, S))
        .groupByKey()
        .windowedBy(TimeWindows.ofSizeAndGrace(1000, 500))
        .count(Materialized.as<string, bigint>('short').withRetention(1200)),
    /The retention period of the window store short must be no smaller than its window size plus the grace period\. Got size=\[1000\], grace=\[500\], retention=\[1200\]/,
  );
  assert.throws(() => Materialized.as('x').withRetention(-1), /Retention must not be negative/);
});
