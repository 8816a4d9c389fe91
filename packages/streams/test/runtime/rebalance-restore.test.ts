import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { Admin, Consumer, Producer } from '@samsa/client';
import { BrokerProcess } from '@samsa/testkit';
import { Consumed } from '../../src/dsl/consumed.js';
import { Materialized } from '../../src/dsl/materialized.js';
import { Produced } from '../../src/dsl/produced.js';
import { Repartitioned } from '../../src/dsl/repartitioned.js';
import { StreamsBuilder } from '../../src/dsl/streams-builder.js';
import { StreamsException } from '../../src/processor/topology-exception.js';
import { KafkaStreams } from '../../src/runtime/kafka-streams.js';
import { State } from '../../src/runtime/kafka-streams-state.js';
import { Serdes } from '../../src/serde/serdes.js';
import {
  InvalidStateStoreException,
  QueryableStoreTypes,
  StoreQueryParameters,
} from '../../src/state/queryable-store-types.js';

// Two instances of one application: tasks move when the second joins and when it leaves, each
// new owner restores the moved stores from their changelogs, and a restart with its state
// directory intact restores nothing (its checkpoints are at the changelogs' ends).

let broker: BrokerProcess;
const dirs: string[] = [];

/** One run of the scenario: its own application, topics and expected counts. */
class Scenario {
  readonly app: string;
  readonly input: string;
  readonly output: string;
  readonly expected = new Map<string, bigint>();
  produced = 0;

  constructor(readonly guarantee: 'at_least_once' | 'exactly_once_v2') {
    this.app = `rebalance-${guarantee}`;
    this.input = `events-${guarantee}`;
    this.output = `counts-${guarantee}`;
  }
}

before(async () => {
  broker = await BrokerProcess.start({ properties: { 'num.partitions': 1 } });
  const admin = new Admin({ 'bootstrap.servers': broker.bootstrap });
  for (const g of ['at_least_once', 'exactly_once_v2']) {
    await admin.createTopics([
      { name: `events-${g}`, numPartitions: 4, replicationFactor: 1 },
      { name: `counts-${g}`, numPartitions: 1, replicationFactor: 1 },
    ]);
  }
  await admin.close();
});

after(async () => {
  await broker?.close();
  for (const d of dirs) rmSync(d, { recursive: true, force: true });
});

async function produce(sc: Scenario, count: number): Promise<void> {
  const producer = new Producer<string, string>({
    'bootstrap.servers': broker.bootstrap,
    keySerializer: 'string',
    valueSerializer: 'string',
  });
  const records = Array.from({ length: count }, () => {
    const key = `user-${sc.produced++ % 40}`;
    sc.expected.set(key, (sc.expected.get(key) ?? 0n) + 1n);
    return { topic: sc.input, key, value: 'click' };
  });
  await producer.sendBatch(records);
  await producer.close();
}

interface Instance {
  streams: KafkaStreams;
  restored: { store: string; partition: number; start: bigint; total: number }[];
}

function instance(sc: Scenario, stateDir: string): Instance {
  const builder = new StreamsBuilder();
  builder
    .stream(sc.input, Consumed.with(Serdes.String(), Serdes.String()))
    .groupByKey()
    .count(Materialized.as('clicks'))
    .toStream()
    .to(sc.output, Produced.with(Serdes.String(), Serdes.Long()));
  const streams = new KafkaStreams(builder.build(), {
    'application.id': sc.app,
    'processing.guarantee': sc.guarantee,
    'bootstrap.servers': broker.bootstrap,
    'state.dir': stateDir,
    'commit.interval.ms': 200,
    'consumer.session.timeout.ms': 6000,
    'consumer.heartbeat.interval.ms': 200,
  });
  const restored: Instance['restored'] = [];
  const starts = new Map<number, bigint>();
  streams.setGlobalStateRestoreListener({
    onRestoreStart: (tp, _store, start) => starts.set(tp.partition, start),
    onRestoreEnd: (tp, store, total) =>
      restored.push({ store, partition: tp.partition, start: starts.get(tp.partition) ?? -1n, total }),
  });
  return { streams, restored };
}

async function awaitCounts(sc: Scenario): Promise<void> {
  const expected = sc.expected;
  const consumer = new Consumer<string, bigint>({
    'bootstrap.servers': broker.bootstrap,
    'isolation.level': 'read_committed',
    keyDeserializer: 'string',
    valueDeserializer: (data) => data.readBigInt64BE(0),
  });
  consumer.assign([{ topic: sc.output, partition: 0 }]);
  consumer.seekToBeginning();
  const latest = new Map<string, bigint>();
  try {
    while (!(latest.size === expected.size && [...expected].every(([k, n]) => latest.get(k) === n))) {
      for (const r of await consumer.poll({ timeoutMs: 300 })) latest.set(r.key as string, r.value as bigint);
    }
  } finally {
    await consumer.close();
  }
}

async function awaitState(streams: KafkaStreams, state: State): Promise<void> {
  while (streams.state() !== state) await new Promise((r) => setTimeout(r, 50));
}

function stateDir(): string {
  const dir = mkdtempSync(join(tmpdir(), 'samsa-streams-rebalance-'));
  dirs.push(dir);
  return dir;
}

test('processing guarantees other than at_least_once and exactly_once_v2 are refused at start', async () => {
  const builder = new StreamsBuilder();
  builder.stream('events-at_least_once').to('elsewhere');
  const streams = new KafkaStreams(builder.build(), {
    'application.id': 'eos',
    'bootstrap.servers': broker.bootstrap,
    'processing.guarantee': 'exactly_once',
  });
  await assert.rejects(
    streams.start(),
    (e: unknown) =>
      e instanceof StreamsException && /processing.guarantee=exactly_once is not implemented/.test(e.message),
  );
  assert.equal(streams.state(), State.CREATED);
});

test('a missing source topic makes start() reject, with nothing left running', async () => {
  const builder = new StreamsBuilder();
  builder.stream('no-such-topic').to('elsewhere');
  const streams = new KafkaStreams(builder.build(), {
    'application.id': 'missing-source',
    'bootstrap.servers': broker.bootstrap,
  });
  await assert.rejects(streams.start(), /no-such-topic/);
  assert.equal(streams.state(), State.CREATED);
});

test('internal topics get the partition count Repartitioned asks for', async () => {
  const builder = new StreamsBuilder();
  builder
    .stream<string, string>('events-at_least_once', Consumed.with(Serdes.String(), Serdes.String()))
    .repartition(Repartitioned.numberOfPartitions<string, string>(5).withName('five'))
    .groupByKey()
    .count(Materialized.as('per-five'));
  const streams = new KafkaStreams(builder.build(), {
    'application.id': 'repartitioned',
    'bootstrap.servers': broker.bootstrap,
    'state.dir': stateDir(),
  });
  await streams.start();
  await awaitState(streams, State.RUNNING);
  await streams.close();
  const admin = new Admin({ 'bootstrap.servers': broker.bootstrap });
  const topics = await admin.describeTopics(['repartitioned-five-repartition', 'repartitioned-per-five-changelog']);
  await admin.close();
  // The changelog follows its sub-topology, which reads the 5-partition repartition topic.
  assert.deepEqual(
    topics.map((t) => t.partitions.length),
    [5, 5],
  );
});

for (const guarantee of ['at_least_once', 'exactly_once_v2'] as const) {
  test(`${guarantee}: tasks move between two instances and back; stores follow through their changelogs`, () =>
    scenario(new Scenario(guarantee)));
}

async function scenario(sc: Scenario): Promise<void> {
  const expected = sc.expected;
  const dirA = stateDir();
  const a = instance(sc, dirA);
  await a.streams.start();
  await produce(sc, 400);
  await awaitState(a.streams, State.RUNNING);
  await awaitCounts(sc);
  assert.deepEqual(
    a.restored.map((r) => r.total),
    [0, 0, 0, 0],
    'the first owner of each task starts from empty changelogs',
  );
  // Interactive queries: A runs all four tasks, so it sees every key.
  const clicks = StoreQueryParameters.fromNameAndType('clicks', QueryableStoreTypes.keyValueStore<string, bigint>());
  const storeA = a.streams.store(clicks);
  assert.equal(storeA.get('user-7'), expected.get('user-7'));
  assert.equal(storeA.approximateNumEntries(), 40);
  assert.deepEqual(new Map([...storeA.all()].map((kv) => [kv.key, kv.value])), expected);
  assert.throws(
    () => a.streams.store(StoreQueryParameters.fromNameAndType('nope', QueryableStoreTypes.keyValueStore())),
    InvalidStateStoreException,
  );

  // A second instance: the group splits the four tasks, and B restores its two from the changelog.
  const b = instance(sc, stateDir());
  await b.streams.start();
  await awaitState(b.streams, State.RUNNING);
  while (a.streams.state() !== State.RUNNING) await new Promise((r) => setTimeout(r, 50));
  assert.equal(b.restored.length, 2);
  assert.ok(b.restored.every((r) => r.start === 0n && r.total > 0));
  await produce(sc, 400);
  await awaitCounts(sc);
  // Each key is in exactly one instance's store now.
  const storeB = b.streams.store(clicks);
  for (const [key, count] of expected) {
    const [inA, inB] = [storeA.get(key), storeB.get(key)];
    assert.ok((inA === null) !== (inB === null), `${key} in exactly one instance`);
    assert.equal(inA ?? inB, count);
  }

  // B leaves: A gets its tasks back and restores only what B added after A's checkpoint.
  a.restored.length = 0;
  await b.streams.close();
  await produce(sc, 200);
  await awaitCounts(sc);
  assert.equal(a.restored.length, 2);
  assert.ok(
    a.restored.every((r) => r.start > 0n),
    'restoration resumed from the checkpoints',
  );
  await a.streams.close();

  // A restart with the state directory intact restores nothing: the checkpoints are current.
  const again = instance(sc, dirA);
  await again.streams.start();
  await awaitState(again.streams, State.RUNNING);
  assert.equal(again.restored.length, 4);
  assert.deepEqual(
    again.restored.map((r) => r.total),
    [0, 0, 0, 0],
  );
  await produce(sc, 200);
  await awaitCounts(sc);
  await again.streams.close();
}
