/**
 * EmitStrategy.onWindowClose (KIP-825) on time- and sliding-windowed aggregations: each window's final result
 * goes downstream once, when stream time passes its end plus the grace period, and nothing before;
 * the wall-clock throttle (`__emit.interval.ms.kstreams.windowed.aggregation__`) delays the
 * emission without losing windows.
 */
import assert from 'node:assert/strict';
import { afterEach, test } from 'node:test';
import { Consumed } from '../../src/dsl/consumed.js';
import { EMIT_INTERVAL_MS_KSTREAMS_WINDOWED_AGGREGATION, EmitStrategy } from '../../src/dsl/emit-strategy.js';
import type { KGroupedStream } from '../../src/dsl/kgrouped-stream.js';
import type { KTable } from '../../src/dsl/ktable.js';
import { Produced } from '../../src/dsl/produced.js';
import { SessionWindows } from '../../src/dsl/session-windows.js';
import { SlidingWindows } from '../../src/dsl/sliding-windows.js';
import { StreamsBuilder } from '../../src/dsl/streams-builder.js';
import { TimeWindows, type Windowed } from '../../src/dsl/time-windows.js';
import { Serdes } from '../../src/serde/serdes.js';
import { KeyValue } from '../../src/state/key-value.js';
import { TopologyTestDriver } from '../../src/test-utils/topology-test-driver.js';

const S = Serdes.String();
let driver: TopologyTestDriver | undefined;

afterEach(() => {
  driver?.close();
  driver = undefined;
});

function finalCounts(windows: TimeWindows, emitIntervalMs: number, strategy = EmitStrategy.onWindowClose()) {
  const builder = new StreamsBuilder();
  builder
    .stream('in', Consumed.with(S, S))
    .groupByKey()
    .windowedBy(windows)
    .emitStrategy(strategy)
    .count()
    .toStream()
    .map((wk: Windowed<string>, n) => KeyValue.pair(`${wk.key()}@${wk.window().start()}`, n))
    .to('out', Produced.with(S, Serdes.Long()));
  const d = new TopologyTestDriver(builder.build(), {
    'application.id': 'emit-final',
    [EMIT_INTERVAL_MS_KSTREAMS_WINDOWED_AGGREGATION]: emitIntervalMs,
  });
  return {
    d,
    input: d.createInputTopic('in', S.serializer(), S.serializer()),
    output: d.createOutputTopic('out', S.deserializer(), Serdes.Long().deserializer()),
  };
}

test('onWindowClose: one final count per window, when stream time closes it', () => {
  const { d, input, output } = finalCounts(TimeWindows.ofSizeWithNoGrace(10_000), 0);
  driver = d;
  input.pipeInput('a', 'x', 1_000);
  input.pipeInput('a', 'x', 2_000);
  input.pipeInput('b', 'x', 9_999);
  assert.deepEqual(output.readKeyValuesToList(), [], 'nothing before the window closes');
  input.pipeInput('a', 'x', 10_000); // closes [0, 10000)
  assert.deepEqual(
    output.readRecordsToList().map((r) => [r.key, r.value, r.timestamp]),
    [
      ['a@0', 2n, 9_999],
      ['b@0', 1n, 9_999],
    ],
  );
  input.pipeInput('a', 'x', 3_000); // late for a closed window: dropped, nothing emitted again
  input.pipeInput('a', 'x', 15_000);
  assert.deepEqual(output.readKeyValuesToList(), []);
  input.pipeInput('c', 'x', 35_000); // closes [10000, 20000) and [20000, 30000) (empty)
  assert.deepEqual(
    output.readKeyValuesToList().map((kv) => `${kv.key}=${kv.value}`),
    ['a@10000=2'],
  );
});

test('onWindowClose with grace: hopping windows are emitted once their end plus grace has passed', () => {
  const { d, input, output } = finalCounts(TimeWindows.ofSizeAndGrace(10_000, 2_000).advanceBy(5_000), 0);
  driver = d;
  input.pipeInput('a', 'x', 6_000); // windows [0, 10000) and [5000, 15000)
  input.pipeInput('a', 'x', 11_000); // stream time 11000: [0, 10000) still within grace
  assert.deepEqual(output.readKeyValuesToList(), []);
  input.pipeInput('a', 'x', 9_000); // late, within grace: counted in both windows
  input.pipeInput('a', 'x', 12_000); // closes [0, 10000)
  assert.deepEqual(
    output.readKeyValuesToList().map((kv) => `${kv.key}=${kv.value}`),
    ['a@0=2'],
  );
  input.pipeInput('a', 'x', 17_000); // closes [5000, 15000)
  assert.deepEqual(
    output.readKeyValuesToList().map((kv) => `${kv.key}=${kv.value}`),
    ['a@5000=4'],
  );
});

test('the wall-clock throttle delays final results without losing any window', () => {
  const { d, input, output } = finalCounts(TimeWindows.ofSizeWithNoGrace(1_000), 60_000);
  driver = d;
  input.pipeInput('a', 'x', 100); // the first check: nothing closed yet
  for (let t = 1_000; t < 10_000; t += 1_000) input.pipeInput('a', 'x', t); // closes 9 windows, throttled
  assert.deepEqual(output.readKeyValuesToList(), []);
  d.advanceWallClockTime(60_000);
  input.pipeInput('a', 'x', 10_000); // closes [9000, 10000); every closed window goes now
  const emitted = output.readKeyValuesToList().map((kv) => `${kv.key}=${kv.value}`);
  assert.deepEqual(emitted, ['a@0=1', ...Array.from({ length: 9 }, (_, i) => `a@${(i + 1) * 1_000}=1`)]);
});

test('onWindowUpdate stays the default: every update goes downstream', () => {
  const { d, input, output } = finalCounts(TimeWindows.ofSizeWithNoGrace(10_000), 0, EmitStrategy.onWindowUpdate());
  driver = d;
  input.pipeInput('a', 'x', 1_000);
  input.pipeInput('a', 'x', 2_000);
  assert.deepEqual(
    output.readKeyValuesToList().map((kv) => `${kv.key}=${kv.value}`),
    ['a@0=1', 'a@0=2'],
  );
});

test('onWindowClose on sliding windows: each closed window once, after the record that closes it, as Java', () => {
  const { input, read } = finalCountsOf((grouped) =>
    grouped.windowedBy(SlidingWindows.ofTimeDifferenceWithNoGrace(10)),
  );
  input.pipeInput('a', 'x', 20); // [10,20]: 1
  assert.deepEqual(read(), []);
  input.pipeInput('a', 'x', 25); // [15,25]: 2, 20's right window [21,31]: 1; [10,20] has closed
  assert.deepEqual(read(), [['a@[10,20]', 1n, 20]]);
  input.pipeInput('a', 'x', 100); // closes the others; [90,100] stays open
  assert.deepEqual(read(), [
    ['a@[15,25]', 2n, 25],
    ['a@[21,31]', 1n, 25],
  ]);
  input.pipeInput('a', 'x', 101); // [90,100] ends before stream time 101: closed (no grace)
  assert.deepEqual(read(), [['a@[90,100]', 1n, 100]]);
  input.pipeInput('a', 'x', 101); // stream time stands still: nothing more
  assert.deepEqual(read(), []);
});

test('onWindowClose on session windows: each closed session once, by end time then key, stamped with its end', () => {
  const { input, read } = finalCountsOf((grouped) => grouped.windowedBy(SessionWindows.ofInactivityGapWithNoGrace(10)));
  input.pipeInput('a', 'x', 0);
  input.pipeInput('a', 'x', 5); // merges: a [0,5] = 2, no tombstone or update goes downstream
  input.pipeInput('b', 'x', 3);
  assert.deepEqual(read(), []);
  input.pipeInput('a', 'x', 30); // stream time 30 − gap 10: sessions ending before 20 are closed
  assert.deepEqual(read(), [
    ['b@[3,3]', 1n, 3],
    ['a@[0,5]', 2n, 5],
  ]);
  input.pipeInput('a', 'x', 35); // a [30,35] is still open
  assert.deepEqual(read(), []);
  input.pipeInput('c', 'x', 50);
  assert.deepEqual(read(), [['a@[30,35]', 2n, 35]]);
  input.pipeInput('a', 'x', 1); // late: dropped, nothing emitted twice
  assert.deepEqual(read(), []);
});

test('onWindowClose: windows closed together go out by window start, then key (Java’s time-ordered store)', () => {
  const { d, input, output } = finalCounts(TimeWindows.ofSizeAndGrace(10, 20), 0);
  driver = d;
  input.pipeInput('a', 'x', 1);
  input.pipeInput('b', 'x', 2);
  input.pipeInput('a', 'x', 12);
  input.pipeInput('b', 'x', 13);
  assert.deepEqual(output.readKeyValuesToList(), []);
  input.pipeInput('c', 'x', 45); // closes [0,10) and [10,20) at once
  assert.deepEqual(
    output.readKeyValuesToList().map((kv) => kv.key),
    ['a@0', 'b@0', 'a@10', 'b@10'],
  );
});

/** A count with onWindowClose over the windows `windowed` picks; output keys `key@[start,end]`. */
function finalCountsOf(
  windowed: (grouped: KGroupedStream<string, string>) => {
    emitStrategy(strategy: EmitStrategy): { count(): KTable<Windowed<string>, bigint> };
  },
) {
  const builder = new StreamsBuilder();
  windowed(builder.stream('in', Consumed.with(S, S)).groupByKey())
    .emitStrategy(EmitStrategy.onWindowClose())
    .count()
    .toStream()
    .map((wk: Windowed<string>, n) => KeyValue.pair(`${wk.key()}@[${wk.window().start()},${wk.window().end()}]`, n))
    .to('out', Produced.with(S, Serdes.Long()));
  driver = new TopologyTestDriver(builder.build(), {
    'application.id': 'emit-final-windows',
    [EMIT_INTERVAL_MS_KSTREAMS_WINDOWED_AGGREGATION]: 0,
  });
  const input = driver.createInputTopic('in', S.serializer(), S.serializer());
  const output = driver.createOutputTopic('out', S.deserializer(), Serdes.Long().deserializer());
  return { input, read: () => output.readRecordsToList().map((r) => [r.key, r.value, r.timestamp]) };
}
