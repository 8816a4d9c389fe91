import assert from 'node:assert/strict';
import { afterEach, test } from 'node:test';
import { Consumed } from '../../src/dsl/consumed.js';
import { Produced } from '../../src/dsl/produced.js';
import { SessionWindows } from '../../src/dsl/session-windows.js';
import { StreamsBuilder } from '../../src/dsl/streams-builder.js';
import { BufferConfig, Suppressed } from '../../src/dsl/suppressed.js';
import { TimeWindows, type Windowed } from '../../src/dsl/time-windows.js';
import { Serdes } from '../../src/serde/serdes.js';
import { KeyValue } from '../../src/state/key-value.js';
import { TopologyTestDriver } from '../../src/test-utils/topology-test-driver.js';

const S = Serdes.String();
const L = Serdes.Long();
let driver: TopologyTestDriver | undefined;

afterEach(() => {
  driver?.close();
  driver = undefined;
});

const read = (d: TopologyTestDriver) =>
  d
    .createOutputTopic('out', S.deserializer(), L.deserializer())
    .readRecordsToList()
    .map((r) => `${r.key}=${r.value} t${r.timestamp}`);

test('untilWindowCloses: each window is emitted once, with its final count, after stream time passes end + grace', () => {
  const builder = new StreamsBuilder();
  builder
    .stream('in', Consumed.with(S, S))
    .groupByKey()
    .windowedBy(TimeWindows.ofSizeAndGrace(10_000, 2_000))
    .count()
    .suppress(Suppressed.untilWindowCloses(BufferConfig.unbounded()))
    .toStream()
    .map((wk: Windowed<string>, n) => KeyValue.pair(`${wk.key()}@${wk.window().start()}`, n))
    .to('out', Produced.with(S, L));
  driver = new TopologyTestDriver(builder.build(), { 'application.id': 'sup' });
  const input = driver.createInputTopic('in', S.serializer(), S.serializer());
  input.pipeInput('a', 'x', 0);
  input.pipeInput('a', 'x', 5_000);
  input.pipeInput('b', 'x', 1_000);
  input.pipeInput('a', 'x', 11_000);
  input.pipeInput('a', 'x', 9_000); // out of order, within grace: still counted in [0, 10000)
  assert.deepEqual(read(driver), []);
  input.pipeInput('c', 'x', 12_000); // stream time 12000 = end + grace: [0, 10000) closes
  assert.deepEqual(read(driver), ['a@0=3 t9000', 'b@0=1 t1000']);
  input.pipeInput('a', 'x', 4_000); // late: dropped by the aggregation, nothing re-emitted
  input.pipeInput('a', 'x', 21_999);
  assert.deepEqual(read(driver), []);
  input.pipeInput('a', 'x', 22_000);
  assert.deepEqual(read(driver), ['a@10000=1 t11000', 'c@10000=1 t12000']);
});

test('untilWindowCloses on session windows waits for gap + grace past the session end', () => {
  const builder = new StreamsBuilder();
  builder
    .stream('in', Consumed.with(S, S))
    .groupByKey()
    .windowedBy(SessionWindows.ofInactivityGapAndGrace(100, 50))
    .count()
    .suppress(Suppressed.untilWindowCloses(BufferConfig.unbounded()))
    .toStream()
    .map((wk: Windowed<string>, n) => KeyValue.pair(`${wk.key()}@${wk.window().start()}/${wk.window().end()}`, n))
    .to('out', Produced.with(S, L));
  driver = new TopologyTestDriver(builder.build(), { 'application.id': 'sup' });
  const input = driver.createInputTopic('in', S.serializer(), S.serializer());
  input.pipeInput('a', 'x', 0);
  input.pipeInput('a', 'x', 80);
  input.pipeInput('a', 'x', 229);
  assert.deepEqual(read(driver), []); // the merged-away [0,0] was never emitted, nor its tombstone
  input.pipeInput('b', 'x', 230); // 80 + 100 + 50
  assert.deepEqual(read(driver), ['a@0/80=2 t80']);
});

test('untilTimeLimit holds a key for the time limit after its first update; maxRecords emits early', () => {
  const build = (config: BufferConfig) => {
    const builder = new StreamsBuilder();
    builder
      .stream('in', Consumed.with(S, S))
      .groupByKey()
      .count()
      .suppress(Suppressed.untilTimeLimit(5_000, config))
      .toStream()
      .to('out', Produced.with(S, L));
    return new TopologyTestDriver(builder.build(), { 'application.id': 'sup' });
  };
  driver = build(BufferConfig.unbounded());
  let input = driver.createInputTopic('in', S.serializer(), S.serializer());
  input.pipeInput('a', 'x', 0);
  input.pipeInput('a', 'x', 1_000);
  input.pipeInput('b', 'x', 2_000);
  assert.deepEqual(read(driver), []);
  input.pipeInput('a', 'x', 5_000); // a was first buffered at 0
  assert.deepEqual(read(driver), ['a=3 t5000']);
  input.pipeInput('c', 'x', 7_000);
  assert.deepEqual(read(driver), ['b=1 t2000']);
  // The buffer's changelog: Java's version-3 BufferValue layout with its `v=3` header.
  const [first] = driver
    .createOutputTopic(
      'sup-KTABLE-SUPPRESS-STATE-STORE-0000000004-changelog',
      Serdes.ByteArray().deserializer(),
      Serdes.ByteArray().deserializer(),
    )
    .readRecordsToList();
  assert.equal(Buffer.from(first?.key as Uint8Array).toString(), 'a');
  assert.equal(
    Buffer.from(first?.value as Uint8Array).toString('hex'),
    '0000000000000000' + // record timestamp
      '0000000000000000' + // offset
      '00000002' +
      Buffer.from('in').toString('hex') + // topic
      '00000000' + // partition
      '00000000' + // no headers
      'ffffffff' + // prior value: null
      'ffffffff' + // old value: null
      '00000008' +
      '0000000000000001' + // new value: 1
      '0000000000000000', // buffer time
  );
  assert.deepEqual(
    first?.headers.map((h) => `${h.key}=${h.value?.toString('hex')}`),
    ['v=03'],
  );
  driver.close();

  driver = build(BufferConfig.maxRecords(1));
  input = driver.createInputTopic('in', S.serializer(), S.serializer());
  input.pipeInput('a', 'x', 0);
  input.pipeInput('a', 'x', 10);
  input.pipeInput('b', 'x', 20); // two keys in a buffer of one: the oldest goes early
  assert.deepEqual(read(driver), ['a=2 t10']);
});

test('a full strict buffer stops the application with Java message', () => {
  const builder = new StreamsBuilder();
  builder
    .stream('in', Consumed.with(S, S))
    .groupByKey()
    .windowedBy(TimeWindows.ofSizeWithNoGrace(10_000))
    .count()
    .suppress(Suppressed.untilWindowCloses(BufferConfig.maxRecords(1).shutDownWhenFull()))
    .toStream()
    .to('out');
  driver = new TopologyTestDriver(builder.build(), { 'application.id': 'sup' });
  const input = driver.createInputTopic('in', S.serializer(), S.serializer());
  input.pipeInput('a', 'x', 0);
  assert.throws(
    () => input.pipeInput('b', 'x', 1),
    /KTABLE-SUPPRESS-0000000003 buffer exceeded its max capacity. Currently \[2\/1\] records/,
  );
  assert.throws(() => Suppressed.untilWindowCloses(BufferConfig.maxRecords(1)), /strict buffer config/);
});

test('describe() prints what Java prints for a suppressed windowed count (named and unnamed)', () => {
  const builder = new StreamsBuilder();
  const counts = builder
    .stream<string, string>('input')
    .groupByKey()
    .windowedBy(TimeWindows.ofSizeWithNoGrace(60_000))
    .count();
  counts.suppress(Suppressed.untilWindowCloses(BufferConfig.unbounded())).toStream().to('output-suppressed');
  counts.suppress(Suppressed.untilWindowCloses(BufferConfig.unbounded()).withName('asdf')).toStream().to('named');
  // Two suppressions of one aggregate is not one of Java's own test topologies (not checked on a
  // JVM): the aggregate's successors are in the order that replaying Java's describeSubtopology
  // linking gives (topology-description.ts).
  assert.equal(
    builder.build().describe().toString(),
    'Topologies:\n' +
      '   Sub-topology: 0\n' +
      '    Source: KSTREAM-SOURCE-0000000000 (topics: [input])\n' +
      '      --> KSTREAM-AGGREGATE-0000000002\n' +
      '    Processor: KSTREAM-AGGREGATE-0000000002 (stores: [KSTREAM-AGGREGATE-STATE-STORE-0000000001])\n' +
      '      --> asdf, KTABLE-SUPPRESS-0000000003\n' +
      '      <-- KSTREAM-SOURCE-0000000000\n' +
      '    Processor: KTABLE-SUPPRESS-0000000003 (stores: [KTABLE-SUPPRESS-STATE-STORE-0000000004])\n' +
      '      --> KTABLE-TOSTREAM-0000000005\n' +
      '      <-- KSTREAM-AGGREGATE-0000000002\n' +
      '    Processor: asdf (stores: [asdf-store])\n' +
      '      --> KTABLE-TOSTREAM-0000000007\n' +
      '      <-- KSTREAM-AGGREGATE-0000000002\n' +
      '    Processor: KTABLE-TOSTREAM-0000000005 (stores: [])\n' +
      '      --> KSTREAM-SINK-0000000006\n' +
      '      <-- KTABLE-SUPPRESS-0000000003\n' +
      '    Processor: KTABLE-TOSTREAM-0000000007 (stores: [])\n' +
      '      --> KSTREAM-SINK-0000000008\n' +
      '      <-- asdf\n' +
      '    Sink: KSTREAM-SINK-0000000006 (topic: output-suppressed)\n' +
      '      <-- KTABLE-TOSTREAM-0000000005\n' +
      '    Sink: KSTREAM-SINK-0000000008 (topic: named)\n' +
      '      <-- KTABLE-TOSTREAM-0000000007\n\n',
  );
});
