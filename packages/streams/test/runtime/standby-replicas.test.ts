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
import { OffsetCheckpoint } from '../../src/runtime/offset-checkpoint.js';
import { Serdes } from '../../src/serde/serdes.js';
import { QueryableStoreTypes, StoreQueryParameters } from '../../src/state/queryable-store-types.js';

// num.standby.replicas=1 with two instances: each keeps a standby of the other's tasks, fed
// from the changelogs and checkpointed in its state directory. When one instance leaves, the
// other takes its tasks over and restores nothing: the standbys were already at the
// changelogs' ends. The metadata names the standby host of every key.

const APP = 'standby-app';
const KEYS = Array.from({ length: 40 }, (_, i) => `user-${i}`);
let broker: BrokerProcess;
const dirs: string[] = [];

before(async () => {
  broker = await BrokerProcess.start({ properties: { 'num.partitions': 1 } });
  const admin = new Admin({ 'bootstrap.servers': broker.bootstrap });
  await admin.createTopics([{ name: 'standby-clicks', numPartitions: 4, replicationFactor: 1 }]);
  await admin.close();
  const producer = new Producer<string, string>({
    'bootstrap.servers': broker.bootstrap,
    keySerializer: 'string',
    valueSerializer: 'string',
  });
  await producer.sendBatch(
    Array.from({ length: 400 }, (_, i) => ({ topic: 'standby-clicks', key: KEYS[i % 40] as string, value: 'x' })),
  );
  await producer.close();
});

after(async () => {
  await broker?.close();
  for (const d of dirs) rmSync(d, { recursive: true, force: true });
});

interface Instance {
  streams: KafkaStreams;
  dir: string;
  restored: { partition: number; start: bigint; total: number }[];
}

function instance(server: string): Instance {
  const builder = new StreamsBuilder();
  builder.stream<string, string>('standby-clicks').groupByKey().count(Materialized.as('clicks'));
  const dir = mkdtempSync(join(tmpdir(), 'samsa-streams-standby-'));
  dirs.push(dir);
  const streams = new KafkaStreams(builder.build(), {
    'application.id': APP,
    'bootstrap.servers': broker.bootstrap,
    'application.server': server,
    'num.standby.replicas': 1,
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
  return { streams, dir, restored };
}

async function until(condition: () => boolean | Promise<boolean>): Promise<void> {
  while (!(await condition())) await new Promise((resolve) => setTimeout(resolve, 100));
}

const clicks = StoreQueryParameters.fromNameAndType('clicks', QueryableStoreTypes.keyValueStore<string, bigint>());

test('a standby keeps the other instance’s stores warm; taking over restores nothing', {
  timeout: 120_000,
}, async () => {
  const a = instance('localhost:7101');
  const b = instance('localhost:7102');
  await a.streams.start();
  await b.streams.start();
  const placed = () =>
    [a, b].every(
      ({ streams }) =>
        streams.state() === State.RUNNING &&
        streams.metadataForAllStreamsClients().length === 2 &&
        streams
          .metadataForAllStreamsClients()
          .every((m) => m.topicPartitions().length === 2 && m.standbyTopicPartitions().length === 2),
    );
  await until(placed);
  const [ma, mb] = a.streams.metadataForAllStreamsClients() as [
    ReturnType<KafkaStreams['metadataForAllStreamsClients']>[0],
    ReturnType<KafkaStreams['metadataForAllStreamsClients']>[0],
  ];
  const partitions = (tps: readonly { partition: number }[]) => tps.map((tp) => tp.partition).sort();
  assert.deepEqual(partitions(ma.standbyTopicPartitions()), partitions(mb.topicPartitions()), 'A stands by for B');
  assert.deepEqual(partitions(mb.standbyTopicPartitions()), partitions(ma.topicPartitions()), 'B stands by for A');
  assert.ok(mb.standbyStateStoreNames().has('clicks'));

  // Every key counted, found where the metadata says; its standby is the other instance.
  const byHost = new Map([
    ['localhost:7101', a.streams],
    ['localhost:7102', b.streams],
  ]);
  const where = (key: string) => a.streams.queryMetadataForKey('clicks', key, Serdes.String().serializer());
  await until(() =>
    KEYS.every(
      (key) =>
        byHost
          .get(where(key)?.activeHost().endpoint() ?? '')
          ?.store(clicks)
          .get(key) === 10n,
    ),
  );
  for (const key of KEYS) {
    const metadata = where(key);
    const other = metadata?.activeHost().endpoint() === 'localhost:7101' ? 'localhost:7102' : 'localhost:7101';
    assert.deepEqual(
      [...(metadata?.standbyHosts() ?? [])].map((h) => h.endpoint()),
      [other],
    );
  }

  // B's standbys catch up with the changelogs (their checkpoints say so): without a record
  // cache, partition p's changelog holds one update per input record, 10 per key in p.
  const aTasks = partitions(ma.topicPartitions());
  const updates = new Map<number, bigint>();
  for (const key of KEYS) {
    const p = where(key)?.partition() as number;
    updates.set(p, (updates.get(p) ?? 0n) + 10n);
  }
  const changelog = `${APP}-clicks-changelog`;
  await until(() =>
    aTasks.every(
      (p) =>
        new OffsetCheckpoint(join(b.dir, APP, `0_${p}`, '.checkpoint')).read().get(`${changelog}:${p}`) ===
        (updates.get(p) as bigint) - 1n,
    ),
  );

  // A leaves: B runs all four tasks, and restoring A's two reads nothing.
  b.restored.length = 0;
  await a.streams.close();
  await until(
    () =>
      b.streams.state() === State.RUNNING &&
      b.streams.metadataForAllStreamsClients()[0]?.topicPartitions().length === 4,
  );
  const moved = b.restored.filter((r) => aTasks.includes(r.partition));
  assert.deepEqual(
    moved.map((r) => r.total),
    [0, 0],
    'the standbys held everything',
  );
  assert.ok(moved.every((r) => r.start > 0n));
  for (const key of KEYS) assert.equal(b.streams.store(clicks).get(key), 10n, key);
  await b.streams.close();
});
