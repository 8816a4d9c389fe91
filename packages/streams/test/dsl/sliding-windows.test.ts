import assert from 'node:assert/strict';
import { afterEach, test } from 'node:test';
import { Consumed } from '../../src/dsl/consumed.js';
import { Materialized } from '../../src/dsl/materialized.js';
import { Produced } from '../../src/dsl/produced.js';
import { SlidingWindows } from '../../src/dsl/sliding-windows.js';
import { StreamsBuilder } from '../../src/dsl/streams-builder.js';
import type { Windowed } from '../../src/dsl/time-windows.js';
import { Serdes } from '../../src/serde/serdes.js';
import { WindowedSerdes } from '../../src/serde/windowed-serdes.js';
import type { TimestampedWindowStore } from '../../src/state/timestamped-window-store.js';
import { TopologyTestDriver } from '../../src/test-utils/topology-test-driver.js';

const S = Serdes.String();
const L = Serdes.Long();
let driver: TopologyTestDriver | undefined;

afterEach(() => {
  driver?.close();
  driver = undefined;
});

function slidingCounts(windows: SlidingWindows): TopologyTestDriver {
  const builder = new StreamsBuilder();
  builder
    .stream('in', Consumed.with(S, S))
    .groupByKey()
    .windowedBy(windows)
    .count(Materialized.as('sliding'))
    .toStream()
    .to('out', Produced.with(WindowedSerdes.timeWindowedSerdeFrom(S, windows.timeDifference()), L));
  return new TopologyTestDriver(builder.build(), { 'application.id': 'slide' });
}

function read(d: TopologyTestDriver, diff: number): string[] {
  return d
    .createOutputTopic('out', WindowedSerdes.timeWindowedSerdeFrom(S, diff).deserializer(), L.deserializer())
    .readRecordsToList()
    .map((r) => {
      const k = r.key as Windowed<string>;
      return `${k.key()}@${k.window().start()}/${k.window().end()}=${r.value} t${r.timestamp}`;
    });
}

test('sliding windows: each record makes its left window [t-diff, t] and the right windows it needs; an out-of-order record updates every window holding it', () => {
  driver = slidingCounts(SlidingWindows.ofTimeDifferenceAndGrace(10, 100));
  const input = driver.createInputTopic('in', S.serializer(), S.serializer());
  input.pipeInput('a', 'x', 10);
  input.pipeInput('a', 'x', 15);
  input.pipeInput('a', 'x', 25);
  input.pipeInput('a', 'x', 12); // out of order, within grace
  assert.deepEqual(read(driver, 10), [
    'a@0/10=1 t10',
    'a@11/21=1 t15', // the right window of 10, now that 15 falls in it
    'a@5/15=2 t15',
    'a@16/26=1 t25',
    'a@15/25=2 t25',
    'a@11/21=2 t15', // latest window first, as Java's backward fetch
    'a@5/15=3 t15',
    'a@2/12=2 t12',
    'a@13/23=1 t15', // 12's right window holds what came after it: 15
  ]);
});

test('sliding windows: a record whose windows have all closed is dropped; early records share [0, diff]', () => {
  driver = slidingCounts(SlidingWindows.ofTimeDifferenceWithNoGrace(10));
  const input = driver.createInputTopic('in', S.serializer(), S.serializer());
  input.pipeInput('a', 'x', 3); // earlier than diff: the combined window [0, 10]
  input.pipeInput('a', 'x', 5);
  input.pipeInput('a', 'x', 100);
  input.pipeInput('a', 'x', 50); // 50 + 1 + 10 <= 100: both its windows are closed
  assert.deepEqual(read(driver, 10), ['a@0/10=1 t3', 'a@4/14=1 t5', 'a@0/10=2 t5', 'a@90/100=1 t100']);
});

test('describe() prints what Java prints for a sliding-window reduce', () => {
  const builder = new StreamsBuilder();
  builder
    .stream<string, string>('in')
    .groupByKey()
    .windowedBy(SlidingWindows.ofTimeDifferenceWithNoGrace(1000))
    .reduce((a, b) => a + b)
    .toStream()
    .to('out');
  assert.equal(
    builder.build().describe().toString(),
    'Topologies:\n' +
      '   Sub-topology: 0\n' +
      '    Source: KSTREAM-SOURCE-0000000000 (topics: [in])\n' +
      '      --> KSTREAM-REDUCE-0000000002\n' +
      '    Processor: KSTREAM-REDUCE-0000000002 (stores: [KSTREAM-REDUCE-STATE-STORE-0000000001])\n' +
      '      --> KTABLE-TOSTREAM-0000000003\n' +
      '      <-- KSTREAM-SOURCE-0000000000\n' +
      '    Processor: KTABLE-TOSTREAM-0000000003 (stores: [])\n' +
      '      --> KSTREAM-SINK-0000000004\n' +
      '      <-- KSTREAM-REDUCE-0000000002\n' +
      '    Sink: KSTREAM-SINK-0000000004 (topic: out)\n' +
      '      <-- KTABLE-TOSTREAM-0000000003\n\n',
  );
});

test('sliding windows past the retention leave the store', () => {
  driver = slidingCounts(SlidingWindows.ofTimeDifferenceWithNoGrace(10));
  const input = driver.createInputTopic('in', S.serializer(), S.serializer());
  input.pipeInput('a', 'x', 20);
  input.pipeInput('b', 'x', 200);
  const store = driver.getStateStore('sliding') as TimestampedWindowStore<string, bigint>;
  assert.deepEqual([...store.fetch('a', 0, 1000)], []);
  assert.deepEqual(
    [...store.fetch('b', 0, 1000)].map((kv) => `${kv.key.window().start()}=${kv.value.value}@${kv.value.timestamp}`),
    ['190=1@200'],
  );
});

/** One input record fanned out to three, then one more: several updates of the same windows before the driver's commit. */
function fannedOutSlidingCounts(materialized: Materialized<string, bigint>): string[] {
  const builder = new StreamsBuilder();
  builder
    .stream('in', Consumed.with(S, S))
    .flatMapValues((v) => v.split(' '))
    .groupByKey()
    .windowedBy(SlidingWindows.ofTimeDifferenceWithNoGrace(5))
    .count(materialized)
    .toStream()
    .to('out', Produced.with(WindowedSerdes.timeWindowedSerdeFrom(S, 5), L));
  driver = new TopologyTestDriver(builder.build(), { 'application.id': 'slide-cache' });
  const input = driver.createInputTopic('in', S.serializer(), S.serializer());
  input.pipeInput('k', 'x x x', 10);
  input.pipeInput('k', 'x x', 12);
  return read(driver, 5);
}

test('sliding counts are cached by default: each window sends its last count per commit', () => {
  assert.deepEqual(fannedOutSlidingCounts(Materialized.as('sliding')), [
    'k@5/10=3 t10',
    'k@11/16=2 t12',
    'k@7/12=5 t12',
  ]);
});

test('sliding counts withCachingDisabled: every update goes downstream', () => {
  assert.deepEqual(fannedOutSlidingCounts(Materialized.as<string, bigint>('sliding').withCachingDisabled()), [
    'k@5/10=1 t10',
    'k@5/10=2 t10',
    'k@5/10=3 t10',
    'k@11/16=1 t12',
    'k@7/12=4 t12',
    'k@11/16=2 t12',
    'k@7/12=5 t12',
  ]);
});

test('Materialized.withRetention keeps sliding windows until the retention; less than 2 × diff + grace is refused', () => {
  const windowsOf = (retentionMs: number | undefined) => {
    const builder = new StreamsBuilder();
    const materialized = Materialized.as<string, bigint>('sliding');
    builder
      .stream('in', Consumed.with(S, S))
      .groupByKey()
      .windowedBy(SlidingWindows.ofTimeDifferenceWithNoGrace(1000))
      .count(retentionMs === undefined ? materialized : materialized.withRetention(retentionMs));
    const d = new TopologyTestDriver(builder.build(), { 'application.id': 'sliding-retention' });
    driver = d;
    const input = d.createInputTopic('in', S.serializer(), S.serializer());
    const windows = () =>
      [...d.getWindowStore<string, unknown>('sliding').fetch('k', 0, 100_000)].map((kv) => kv.key.window().start());
    return { d, input, windows };
  };
  // Default retention (2 × diff + grace = 2 s): [0, 1000] is gone at stream time 5 s.
  const byDefault = windowsOf(undefined);
  byDefault.input.pipeInput('k', 'a', 100);
  byDefault.input.pipeInput('other', 'b', 5000);
  assert.deepEqual(byDefault.windows(), []);
  byDefault.d.close();
  // Kept for 10 s: still there at 5 s, gone at 20 s.
  const kept = windowsOf(10_000);
  kept.input.pipeInput('k', 'a', 100);
  kept.input.pipeInput('other', 'b', 5000);
  assert.deepEqual(kept.windows(), [0]);
  kept.input.pipeInput('other', 'c', 20_000);
  assert.deepEqual(kept.windows(), []);
  assert.throws(
    () =>
      new StreamsBuilder()
        .stream('in', Consumed.with(S, S))
        .groupByKey()
        .windowedBy(SlidingWindows.ofTimeDifferenceAndGrace(1000, 500))
        .count(Materialized.as<string, bigint>('short').withRetention(2400)),
    /The retention period of the window store short must be no smaller than 2 \* time difference plus the grace period\. Got time difference=\[1000\], grace=\[500\], retention=\[2400\]/,
  );
});
