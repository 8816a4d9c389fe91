import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { Admin, Producer } from '@samsa/client';
import { BrokerProcess } from '@samsa/testkit';
import { Materialized } from '../../src/dsl/materialized.js';
import { SessionWindows } from '../../src/dsl/session-windows.js';
import { SlidingWindows } from '../../src/dsl/sliding-windows.js';
import { StreamsBuilder } from '../../src/dsl/streams-builder.js';
import { TimeWindows } from '../../src/dsl/time-windows.js';
import { KafkaStreams } from '../../src/runtime/kafka-streams.js';
import { State } from '../../src/runtime/kafka-streams-state.js';
import { Serdes } from '../../src/serde/serdes.js';
import {
  InvalidStateStoreException,
  QueryableStoreTypes,
  StoreQueryParameters,
} from '../../src/state/queryable-store-types.js';

// Interactive queries of window and session stores on a broker: clicks with set timestamps,
// counted in tumbling windows of 1 s, sliding windows of 1 s and sessions with a 100 ms gap,
// read back through QueryableStoreTypes.windowStore() and sessionStore() across the instance's
// two tasks. Timestamps are far in the past with a long grace so that nothing closes.

const T = 1_700_000_000_000;
const GRACE_MS = 10 * 365 * 86_400_000;
/** alice: two clicks in [T, T+1000), one at T+1500; bob: clicks at T+10 and T+50 (one session). */
const CLICKS: [string, number][] = [
  ['alice', T],
  ['alice', T + 80],
  ['alice', T + 1500],
  ['bob', T + 10],
  ['bob', T + 50],
];
let broker: BrokerProcess;
let dir: string;
let streams: KafkaStreams;

before(async () => {
  broker = await BrokerProcess.start({ properties: { 'num.partitions': 1 } });
  const admin = new Admin({ 'bootstrap.servers': broker.bootstrap });
  await admin.createTopics([{ name: 'wq-clicks', numPartitions: 2, replicationFactor: 1 }]);
  await admin.close();
  const producer = new Producer<string, string>({
    'bootstrap.servers': broker.bootstrap,
    keySerializer: 'string',
    valueSerializer: 'string',
  });
  await producer.sendBatch(CLICKS.map(([key, timestamp]) => ({ topic: 'wq-clicks', key, value: 'x', timestamp })));
  await producer.close();
  const builder = new StreamsBuilder();
  const grouped = builder.stream<string, string>('wq-clicks').groupByKey();
  grouped.windowedBy(TimeWindows.ofSizeAndGrace(1000, GRACE_MS)).count(Materialized.as('per-second'));
  grouped.windowedBy(SlidingWindows.ofTimeDifferenceAndGrace(1000, GRACE_MS)).count(Materialized.as('sliding'));
  grouped.windowedBy(SessionWindows.ofInactivityGapAndGrace(100, GRACE_MS)).count(Materialized.as('sessions'));
  dir = mkdtempSync(join(tmpdir(), 'samsa-streams-wq-'));
  streams = new KafkaStreams(builder.build(), {
    'application.id': 'wq-app',
    'bootstrap.servers': broker.bootstrap,
    'default.key.serde': Serdes.String(),
    'default.value.serde': Serdes.String(),
    'state.dir': dir,
    'commit.interval.ms': 100,
  });
  await streams.start();
  while (streams.state() !== State.RUNNING) await new Promise((r) => setTimeout(r, 50));
  // Every click counted: the sessions store holds alice's two sessions and bob's one.
  const sessions = StoreQueryParameters.fromNameAndType('sessions', QueryableStoreTypes.sessionStore<string, bigint>());
  for (;;) {
    const store = streams.store(sessions);
    const counts = [...store.fetch('alice'), ...store.fetch('bob')].map((kv) => kv.value);
    if (counts.reduce((a, b) => a + b, 0n) === BigInt(CLICKS.length)) break;
    await new Promise((r) => setTimeout(r, 100));
  }
});

after(async () => {
  await streams?.close();
  await broker?.close();
  if (dir !== undefined) rmSync(dir, { recursive: true, force: true });
});

test('windowStore(): fetch by key and start time, by key and time range, key ranges, all', () => {
  const store = streams.store(
    StoreQueryParameters.fromNameAndType('per-second', QueryableStoreTypes.windowStore<string, bigint>()),
  );
  assert.equal(store.fetch('alice', T), 2n);
  assert.equal(store.fetch('alice', T + 1000), 1n);
  assert.equal(store.fetch('alice', T + 2000), null);
  assert.equal(store.fetch('carol', T), null);
  const alice = [...store.fetch('alice', T - 5000, T + 5000)].map((kv) => `${kv.key - T}=${kv.value}`);
  assert.deepEqual(alice, ['0=2', '1000=1']);
  assert.deepEqual(
    [...store.backwardFetch('alice', T - 5000, T + 5000)].map((kv) => `${kv.key - T}=${kv.value}`),
    ['1000=1', '0=2'],
  );
  const all = [...store.all()].map((kv) => `${kv.key.key()}@${kv.key.window().start() - T}=${kv.value}`);
  assert.deepEqual(all, ['alice@0=2', 'alice@1000=1', 'bob@0=2']);
  assert.deepEqual(
    [...store.fetchAll(T + 500, T + 5000)].map((kv) => `${kv.key.key()}@${kv.key.window().start() - T}`),
    ['alice@1000'],
  );
  assert.deepEqual(
    [...store.fetch('b', 'c', T - 5000, T + 5000)].map((kv) => `${kv.key.key()}@${kv.key.window().start() - T}`),
    ['bob@0'],
  );
});

test('windowStore() over a sliding-window store: plain values (timestamps stripped, as Java)', () => {
  const store = streams.store(
    StoreQueryParameters.fromNameAndType('sliding', QueryableStoreTypes.windowStore<string, bigint>()),
  );
  // bob's left windows: [T-990, T+10] = 1 and [T-950, T+50] = 2; his right window of T+10 is [T+11, T+1011] = 1.
  assert.deepEqual(
    [...store.fetch('bob', T - 5000, T + 5000)].map((kv) => `${kv.key - T}=${kv.value}`),
    ['-990=1', '-950=2', '11=1'],
  );
  assert.equal(typeof store.fetch('bob', T - 950), 'bigint');
});

test('sessionStore(): sessions of a key, findSessions, fetchSession', () => {
  const store = streams.store(
    StoreQueryParameters.fromNameAndType('sessions', QueryableStoreTypes.sessionStore<string, bigint>()),
  );
  const show = (kv: { key: { window(): { start(): number; end(): number } }; value: bigint }) =>
    `${kv.key.window().start() - T}/${kv.key.window().end() - T}=${kv.value}`;
  assert.deepEqual([...store.fetch('alice')].map(show), ['0/80=2', '1500/1500=1']);
  assert.deepEqual([...store.backwardFetch('alice')].map(show), ['1500/1500=1', '0/80=2']);
  assert.deepEqual([...store.findSessions('alice', T + 1000, T + 2000)].map(show), ['1500/1500=1']);
  assert.equal(store.fetchSession('bob', T + 10, T + 50), 2n);
  assert.equal(store.fetchSession('bob', T + 10, T + 49), null);
  assert.deepEqual(
    [...store.fetch(null, null)].map((kv) => `${kv.key.key()}:${show(kv)}`),
    ['alice:0/80=2', 'alice:1500/1500=1', 'bob:10/50=2'],
  );
});

test('a store queried as the wrong type is refused, as Java refuses it', () => {
  assert.throws(
    () => streams.store(StoreQueryParameters.fromNameAndType('per-second', QueryableStoreTypes.keyValueStore())),
    (e: Error) =>
      e instanceof InvalidStateStoreException &&
      /Cannot get state store per-second because the queryable store type \[KeyValueStoreType\] does not accept the actual store type \[WindowStore\]/.test(
        e.message,
      ),
  );
  assert.throws(
    () => streams.store(StoreQueryParameters.fromNameAndType('sessions', QueryableStoreTypes.windowStore())),
    InvalidStateStoreException,
  );
});
