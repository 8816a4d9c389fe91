import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { Admin, Producer } from '@samsa/client';
import { BrokerProcess } from '@samsa/testkit';
import { Materialized } from '../../src/dsl/materialized.js';
import { StreamsBuilder } from '../../src/dsl/streams-builder.js';
import { KafkaStreams } from '../../src/runtime/kafka-streams.js';
import { State } from '../../src/runtime/kafka-streams-state.js';
import { Serdes } from '../../src/serde/serdes.js';
import { QueryableStoreTypes, StoreQueryParameters } from '../../src/state/queryable-store-types.js';

// KIP-441 with two instances and no standby replicas: A counts 4,000 records alone; B joins
// with no state, far more than acceptable.recovery.lag (100) behind on every task. B does not
// get A's stateful tasks at once: it gets a warm-up (max.warmup.replicas=1) and the group
// comes back in probing rebalances (every 1.5 s here, 10 min by default) to move each task
// once B's copy has caught up. So B never restores a task from the changelog's beginning, and
// the tasks end up shared two and two.

const APP = 'warmup-app';
const TOPIC = 'warmup-clicks';
const KEYS = Array.from({ length: 40 }, (_, i) => `user-${i}`);
const PER_KEY = 100;
let broker: BrokerProcess;
const dirs: string[] = [];

before(async () => {
  broker = await BrokerProcess.start({ properties: { 'num.partitions': 1 } });
  const admin = new Admin({ 'bootstrap.servers': broker.bootstrap });
  await admin.createTopics([{ name: TOPIC, numPartitions: 4, replicationFactor: 1 }]);
  await admin.close();
  const producer = new Producer<string, string>({
    'bootstrap.servers': broker.bootstrap,
    keySerializer: 'string',
    valueSerializer: 'string',
  });
  await producer.sendBatch(
    Array.from({ length: KEYS.length * PER_KEY }, (_, i) => ({
      topic: TOPIC,
      key: KEYS[i % KEYS.length] as string,
      value: 'x',
    })),
  );
  await producer.close();
});

after(async () => {
  await broker?.close();
  for (const d of dirs) rmSync(d, { recursive: true, force: true });
});

interface Instance {
  streams: KafkaStreams;
  restored: { partition: number; start: bigint; total: number }[];
}

function instance(server: string): Instance {
  const builder = new StreamsBuilder();
  builder.stream<string, string>(TOPIC).groupByKey().count(Materialized.as('clicks'));
  const dir = mkdtempSync(join(tmpdir(), 'samsa-streams-warmup-'));
  dirs.push(dir);
  const streams = new KafkaStreams(builder.build(), {
    'application.id': APP,
    'bootstrap.servers': broker.bootstrap,
    'application.server': server,
    'acceptable.recovery.lag': 100,
    'max.warmup.replicas': 1,
    '__probing.rebalance.interval.ms__': 1500,
    'default.key.serde': Serdes.String(),
    'default.value.serde': Serdes.String(),
    'state.dir': dir,
    'commit.interval.ms': 100,
    'statestore.cache.max.bytes': 0,
  });
  const restored: Instance['restored'] = [];
  const starts = new Map<number, bigint>();
  streams.setGlobalStateRestoreListener({
    onRestoreStart: (tp, _store, start) => starts.set(tp.partition, start),
    onRestoreEnd: (tp, _store, total) =>
      restored.push({ partition: tp.partition, start: starts.get(tp.partition) ?? -1n, total }),
  });
  return { streams, restored };
}

async function until(condition: () => boolean, timeoutMs: number, what: string): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

const clicks = StoreQueryParameters.fromNameAndType('clicks', QueryableStoreTypes.keyValueStore<string, bigint>());

test('KIP-441: a new instance warms tasks up before it runs them; probing rebalances move them', {
  timeout: 120_000,
}, async () => {
  const a = instance('localhost:7201');
  await a.streams.start();
  await until(
    () => a.streams.state() === State.RUNNING && KEYS.every((k) => a.streams.store(clicks).get(k) === BigInt(PER_KEY)),
    60_000,
    'A to count everything',
  );
  const b = instance('localhost:7202');
  await b.streams.start();
  const own = (s: KafkaStreams, endpoint: string) =>
    s.metadataForAllStreamsClients().find((m) => m.hostInfo().endpoint() === endpoint);
  // B's view of itself, sampled: a moment with fewer than its share of tasks and a warm-up.
  let warmingSeen = false;
  let probingSteps = 0;
  let last = '';
  const sampler = setInterval(() => {
    const mine = own(b.streams, 'localhost:7202');
    if (mine === undefined) return;
    const active = mine.topicPartitions().length;
    const warming = mine.standbyTopicPartitions().length;
    if (active < 2 && warming === 1) warmingSeen = true;
    const now = `${active}/${warming}`;
    if (now !== last) probingSteps++;
    last = now;
  }, 20);
  try {
    await until(
      () =>
        [a, b].every(
          ({ streams }) =>
            streams.state() === State.RUNNING &&
            streams.metadataForAllStreamsClients().length === 2 &&
            streams
              .metadataForAllStreamsClients()
              .every((m) => m.topicPartitions().length === 2 && m.standbyTopicPartitions().length === 0),
        ),
      60_000,
      'the tasks to be shared two and two, with no warm-up left',
    );
  } finally {
    clearInterval(sampler);
  }
  assert.ok(warmingSeen, 'B held a warm-up while running fewer than its share');
  assert.ok(probingSteps >= 2, `B's assignment changed in steps (${probingSteps})`);
  // Every task B took over was restored from its warm-up's checkpoint, never from offset 0.
  const moved = own(b.streams, 'localhost:7202')
    ?.topicPartitions()
    .map((tp) => tp.partition) as number[];
  assert.equal(moved.length, 2);
  for (const p of moved) {
    const restorations = b.restored.filter((r) => r.partition === p);
    assert.ok(restorations.length > 0, `partition ${p} was restored`);
    assert.ok(
      restorations.every((r) => r.start > 0n),
      `partition ${p} restored from its warm-up, not from 0: ${JSON.stringify(restorations, (_k, v) => (typeof v === 'bigint' ? String(v) : v))}`,
    );
  }
  const byHost = new Map([
    ['localhost:7201', a.streams],
    ['localhost:7202', b.streams],
  ]);
  for (const key of KEYS) {
    const host = a.streams.queryMetadataForKey('clicks', key, Serdes.String().serializer())?.activeHost().endpoint();
    assert.equal(
      byHost
        .get(host ?? '')
        ?.store(clicks)
        .get(key),
      BigInt(PER_KEY),
      key,
    );
  }
  await Promise.all([a.streams.close(), b.streams.close()]);
});
