import assert from 'node:assert/strict';
import { afterEach, test } from 'node:test';
import { Consumed } from '../../src/dsl/consumed.js';
import { Materialized } from '../../src/dsl/materialized.js';
import { Produced } from '../../src/dsl/produced.js';
import { SessionWindows } from '../../src/dsl/session-windows.js';
import { StreamsBuilder } from '../../src/dsl/streams-builder.js';
import type { Windowed } from '../../src/dsl/time-windows.js';
import { Serdes } from '../../src/serde/serdes.js';
import { WindowedSerdes } from '../../src/serde/windowed-serdes.js';
import type { SessionStore } from '../../src/state/session-store.js';
import { Stores } from '../../src/state/stores.js';
import { TopologyTestDriver } from '../../src/test-utils/topology-test-driver.js';

const S = Serdes.String();
const L = Serdes.Long();
let driver: TopologyTestDriver | undefined;

afterEach(() => {
  driver?.close();
  driver = undefined;
});

function sessionCounts(windows: SessionWindows, materialized: Materialized<string, bigint>): TopologyTestDriver {
  const builder = new StreamsBuilder();
  builder
    .stream('in', Consumed.with(S, S))
    .groupByKey()
    .windowedBy(windows)
    .count(materialized)
    .toStream()
    .to('out', Produced.with(WindowedSerdes.sessionWindowedSerdeFrom(S), L));
  return new TopologyTestDriver(builder.build(), { 'application.id': 'sess' });
}

const show = (k: Windowed<string>, v: bigint | null, ts: number) =>
  `${k.key()}@${k.window().start()}/${k.window().end()}=${v ?? 'null'} t${ts}`;

function read(d: TopologyTestDriver): string[] {
  return d
    .createOutputTopic('out', WindowedSerdes.sessionWindowedSerdeFrom(S).deserializer(), L.deserializer())
    .readRecordsToList()
    .map((r) => show(r.key as Windowed<string>, r.value, r.timestamp));
}

for (const [kind, supplier] of [
  ['persistent (SQLite)', Stores.persistentSessionStore('sessions')],
  ['in-memory', Stores.inMemorySessionStore('sessions')],
] as const) {
  test(`session windows (${kind} store): a bridging record merges two sessions, old keys get tombstones; late records are dropped`, () => {
    driver = sessionCounts(SessionWindows.ofInactivityGapAndGrace(5, 100), Materialized.as(supplier));
    const input = driver.createInputTopic('in', S.serializer(), S.serializer());
    input.pipeInput('a', 'x', 0);
    input.pipeInput('a', 'x', 10); // more than the gap after 0: a new session
    input.pipeInput('b', 'x', 2);
    input.pipeInput('a', 'x', 5); // within the gap of both: merges [0,0] and [10,10]
    const store = driver.getSessionStore<string, bigint>('sessions');
    assert.equal(store.fetchSession('b', 2, 2), 1n);
    store.remove([...store.fetch('b')][0]?.key as Windowed<string>);
    assert.equal([...store.fetch('b')].length, 0);
    input.pipeInput('a', 'x', 120); // stream time 120 closes sessions ending before 120 - 5 - 100
    input.pipeInput('a', 'x', 8); // would join [0,10], which is closed: dropped
    assert.deepEqual(read(driver), [
      'a@0/0=1 t0',
      'a@10/10=1 t10',
      'b@2/2=1 t2',
      'a@0/0=null t0',
      'a@10/10=null t10',
      'a@0/10=3 t10',
      // The store is cached (the default): the remove above is written through, and forwarded,
      // when the next record's processing flushes the cache, as a Java caching store's would be.
      'b@2/2=null t2',
      'a@120/120=1 t120',
    ]);
    assert.deepEqual(
      [...store.fetch('a')].map((kv) => `${kv.key.window().start()}/${kv.key.window().end()}=${kv.value}`),
      ['0/10=3', '120/120=1'],
    );
    assert.deepEqual(
      [...store.findSessions('a', 5, 20)].map((kv) => kv.key.toString()),
      ['[a@0/10]'],
    );
    // The changelog carries Java's session key bytes and a tombstone for each merged session.
    const changelog = driver
      .createOutputTopic(
        'sess-sessions-changelog',
        WindowedSerdes.sessionWindowedSerdeFrom(S).deserializer(),
        L.deserializer(),
      )
      .readKeyValuesToList()
      .map((kv) => `${kv.key}=${kv.value}`);
    assert.deepEqual(changelog.slice(3, 6), ['[a@0/0]=null', '[a@10/10]=null', '[a@0/10]=3']);
  });
}

test('session-windowed keys are written as Java SessionWindowedSerde bytes: key, end, start', () => {
  driver = sessionCounts(SessionWindows.ofInactivityGapWithNoGrace(5), Materialized.as('s'));
  const input = driver.createInputTopic('in', S.serializer(), S.serializer());
  input.pipeInput('a', 'x', 7);
  input.pipeInput('a', 'x', 9);
  const raw = driver
    .createOutputTopic('out', Serdes.ByteArray().deserializer(), L.deserializer())
    .readKeyValuesToList();
  assert.equal(Buffer.from(raw[2]?.key as Uint8Array).toString('hex'), `61${'0000000000000009'}${'0000000000000007'}`);
});

test('session reduce and aggregate with a merger', () => {
  const builder = new StreamsBuilder();
  const grouped = builder.stream('in', Consumed.with(S, S)).groupByKey();
  const windows = SessionWindows.ofInactivityGapAndGrace(15, 1000);
  grouped
    .windowedBy(windows)
    .reduce((a, b) => `${a}+${b}`, Materialized.with(S, S))
    .toStream()
    .filter((_k, v) => v !== null)
    .mapValues((v) => v)
    .to('reduced', Produced.with(WindowedSerdes.sessionWindowedSerdeFrom(S), S));
  grouped
    .windowedBy(windows)
    .aggregate(
      () => '',
      (_k, v, agg) => `${agg}${v}`,
      (_k, a, b) => `${a}|${b}`,
      Materialized.with(S, S),
    )
    .toStream()
    .filter((_k, v) => v !== null)
    .to('aggregated', Produced.with(WindowedSerdes.sessionWindowedSerdeFrom(S), S));
  driver = new TopologyTestDriver(builder.build(), { 'application.id': 'sess2' });
  const input = driver.createInputTopic('in', S.serializer(), S.serializer());
  input.pipeInput('k', 'A', 0);
  input.pipeInput('k', 'B', 30);
  input.pipeInput('k', 'C', 15); // bridges [0,0] and [30,30]
  const values = (topic: string) =>
    (driver as TopologyTestDriver)
      .createOutputTopic(topic, WindowedSerdes.sessionWindowedSerdeFrom(S).deserializer(), S.deserializer())
      .readKeyValuesToList()
      .map((kv) => `${kv.key?.toString()}=${kv.value}`);
  assert.deepEqual(values('reduced'), ['[k@0/0]=A', '[k@30/30]=B', '[k@0/30]=A+B+C']);
  assert.deepEqual(values('aggregated'), ['[k@0/0]=A', '[k@30/30]=B', '[k@0/30]=|A|BC']);
});

test('describe() prints what Java prints for a session-windowed count', () => {
  const builder = new StreamsBuilder();
  builder
    .stream<string, string>('in')
    .groupByKey()
    .windowedBy(SessionWindows.ofInactivityGapWithNoGrace(300_000))
    .count()
    .toStream()
    .to('out');
  assert.equal(
    builder.build().describe().toString(),
    'Topologies:\n' +
      '   Sub-topology: 0\n' +
      '    Source: KSTREAM-SOURCE-0000000000 (topics: [in])\n' +
      '      --> KSTREAM-AGGREGATE-0000000002\n' +
      '    Processor: KSTREAM-AGGREGATE-0000000002 (stores: [KSTREAM-AGGREGATE-STATE-STORE-0000000001])\n' +
      '      --> KTABLE-TOSTREAM-0000000003\n' +
      '      <-- KSTREAM-SOURCE-0000000000\n' +
      '    Processor: KTABLE-TOSTREAM-0000000003 (stores: [])\n' +
      '      --> KSTREAM-SINK-0000000004\n' +
      '      <-- KSTREAM-AGGREGATE-0000000002\n' +
      '    Sink: KSTREAM-SINK-0000000004 (topic: out)\n' +
      '      <-- KTABLE-TOSTREAM-0000000003\n\n',
  );
});

test('sessions past the retention (gap + grace) leave the store', () => {
  driver = sessionCounts(SessionWindows.ofInactivityGapAndGrace(5, 10), Materialized.as('s'));
  const input = driver.createInputTopic('in', S.serializer(), S.serializer());
  input.pipeInput('a', 'x', 0);
  input.pipeInput('b', 'x', 100);
  const store = driver.getStateStore('s') as SessionStore<string, bigint>;
  assert.deepEqual([...store.fetch('a')], []);
  assert.equal([...store.fetch('b')].length, 1);
});

/** One input record fanned out to three: three updates of one session before the driver's commit. */
function fannedOutSessionCounts(materialized: Materialized<string, bigint> | undefined): string[] {
  const builder = new StreamsBuilder();
  builder
    .stream('in', Consumed.with(S, S))
    .flatMapValues((v) => v.split(' '))
    .groupByKey()
    .windowedBy(SessionWindows.ofInactivityGapWithNoGrace(5))
    .count(materialized)
    .toStream()
    .to('out', Produced.with(WindowedSerdes.sessionWindowedSerdeFrom(S), L));
  driver = new TopologyTestDriver(builder.build(), { 'application.id': 'sess-cache' });
  const input = driver.createInputTopic('in', S.serializer(), S.serializer());
  input.pipeInput('k', 'x x x', 0);
  input.pipeInput('k', 'x x', 3);
  return read(driver);
}

test('session counts are cached by default: a session updated several times between commits sends its last count; a merged one its tombstone', () => {
  assert.deepEqual(fannedOutSessionCounts(undefined), ['k@0/0=3 t0', 'k@0/0=null t0', 'k@0/3=5 t3']);
});

test('session counts withCachingDisabled: every update goes downstream', () => {
  assert.deepEqual(fannedOutSessionCounts(Materialized.as<string, bigint>('s').withCachingDisabled()), [
    'k@0/0=1 t0',
    'k@0/0=2 t0',
    'k@0/0=3 t0',
    'k@0/0=null t0',
    'k@0/3=4 t3',
    // Java's KStreamSessionWindowAggregate too: a record that falls inside a session without being
    // its only member removes it (a tombstone) and puts it back.
    'k@0/3=null t3',
    'k@0/3=5 t3',
  ]);
});

test('Materialized.withRetention keeps expired sessions in the store until the retention; less than gap + grace is refused', () => {
  const sessionsOf = (retentionMs: number | undefined) => {
    const builder = new StreamsBuilder();
    const materialized = Materialized.as<string, bigint>('sessions');
    builder
      .stream('in', Consumed.with(S, S))
      .groupByKey()
      .windowedBy(SessionWindows.ofInactivityGapWithNoGrace(1000))
      .count(retentionMs === undefined ? materialized : materialized.withRetention(retentionMs));
    const d = new TopologyTestDriver(builder.build(), { 'application.id': 'session-retention' });
    driver = d;
    const input = d.createInputTopic('in', S.serializer(), S.serializer());
    const sessions = () => [...d.getSessionStore<string, bigint>('sessions').fetch('k')].map((kv) => kv.value);
    return { d, input, sessions };
  };
  // Default retention (gap + grace = 1 s): the session is gone once stream time is well past it.
  const byDefault = sessionsOf(undefined);
  byDefault.input.pipeInput('k', 'a', 100);
  byDefault.input.pipeInput('other', 'b', 5000);
  assert.deepEqual(byDefault.sessions(), []);
  byDefault.d.close();
  // Kept for 10 s: still queryable at stream time 5 s, gone at 20 s.
  const kept = sessionsOf(10_000);
  kept.input.pipeInput('k', 'a', 100);
  kept.input.pipeInput('other', 'b', 5000);
  assert.deepEqual(kept.sessions(), [1n]);
  kept.input.pipeInput('other', 'c', 20_000);
  assert.deepEqual(kept.sessions(), []);
  assert.throws(
    () =>
      new StreamsBuilder()
        .stream('in', Consumed.with(S, S))
        .groupByKey()
        .windowedBy(SessionWindows.ofInactivityGapAndGrace(1000, 500))
        .count(Materialized.as<string, bigint>('short').withRetention(1200)),
    /The retention period of the session store short must be no smaller than the session inactivity gap plus the grace period\. Got gap=\[1000\], grace=\[500\], retention=\[1200\]/,
  );
});
