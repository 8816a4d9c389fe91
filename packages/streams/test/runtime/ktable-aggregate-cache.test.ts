import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { Admin, Consumer, OffsetSpec, Producer } from '@samsa/client';
import { BrokerProcess } from '@samsa/testkit';
import { Consumed } from '../../src/dsl/consumed.js';
import { Grouped } from '../../src/dsl/grouped.js';
import { Materialized } from '../../src/dsl/materialized.js';
import { Produced } from '../../src/dsl/produced.js';
import { StreamsBuilder } from '../../src/dsl/streams-builder.js';
import { KafkaStreams } from '../../src/runtime/kafka-streams.js';
import { Serdes } from '../../src/serde/serdes.js';
import { KeyValue } from '../../src/state/key-value.js';

// A KGroupedTable aggregation on a broker: 100 users updated 10 times each, all counted in one
// group. The source table is not cached, so every update reaches the aggregation as one Change;
// the aggregation's own record cache (Java's default) then sends fewer than one count per update,
// and Materialized.withCachingDisabled() sends exactly one per update. Either way the final count
// is the number of users.

const USERS = 100;
const UPDATES = 10;
const S = Serdes.String();
let broker: BrokerProcess;
let stateDir: string;

before(async () => {
  broker = await BrokerProcess.start({ properties: { 'num.partitions': 1 } });
  stateDir = mkdtempSync(join(tmpdir(), 'samsa-streams-ktable-cache-'));
  const admin = new Admin({ 'bootstrap.servers': broker.bootstrap });
  await admin.createTopics([{ name: 'users', numPartitions: 1, replicationFactor: 1 }]);
  await admin.close();
  const producer = new Producer<string, string>({
    'bootstrap.servers': broker.bootstrap,
    keySerializer: 'string',
    valueSerializer: 'string',
    'linger.ms': 5,
  });
  const records = [];
  for (let round = 0; round < UPDATES; round++) {
    for (let u = 0; u < USERS; u++) records.push({ topic: 'users', key: `user-${u}`, value: `v${round}` });
  }
  await producer.sendBatch(records);
  await producer.close();
});

after(async () => {
  await broker?.close();
  if (stateDir !== undefined) rmSync(stateDir, { recursive: true, force: true });
});

/** Waits until the application's group has committed the end of every partition it reads (input and repartition topic). */
async function awaitAllCommitted(admin: Admin, appId: string): Promise<void> {
  for (;;) {
    const committed = await admin.listConsumerGroupOffsets(appId).catch(() => []);
    const input = committed.find((o) => o.topic === 'users');
    if (input?.offset === BigInt(USERS * UPDATES) && committed.length >= 2) {
      const ends = await admin.listOffsets(
        committed.map((o) => ({ topic: o.topic, partition: o.partition, timestamp: OffsetSpec.LATEST })),
      );
      if (committed.every((o, i) => o.offset === ends[i]?.offset)) return;
    }
    await new Promise((r) => setTimeout(r, 200));
  }
}

/** Runs the counting app until the output's latest count is USERS; returns how many counts it sent. */
async function countUpdates(appId: string, materialized: Materialized<string, bigint>): Promise<number> {
  const builder = new StreamsBuilder();
  builder
    .table('users', Consumed.with(S, S), Materialized.as<string, string>(`${appId}-users`).withCachingDisabled())
    .groupBy((_user, value) => KeyValue.pair('all', value), Grouped.with(S, S))
    .count(materialized)
    .toStream()
    .to(`${appId}-out`, Produced.with(S, Serdes.Long()));
  const streams = new KafkaStreams(builder.build(), {
    'application.id': appId,
    'bootstrap.servers': broker.bootstrap,
    'state.dir': stateDir,
    'commit.interval.ms': 1000,
  });
  await streams.start();
  const admin = new Admin({ 'bootstrap.servers': broker.bootstrap });
  try {
    await awaitAllCommitted(admin, appId);
  } finally {
    await admin.close();
    await streams.close();
  }
  // Every input offset is committed, so the caches were written through before it: the output is complete.
  const consumer = new Consumer<string, bigint>({
    'bootstrap.servers': broker.bootstrap,
    keyDeserializer: 'string',
    valueDeserializer: (data) => data.readBigInt64BE(0),
  });
  let records = 0;
  let latest: bigint | undefined;
  try {
    consumer.assign([{ topic: `${appId}-out`, partition: 0 }]);
    consumer.seekToBeginning();
    const admin2 = new Admin({ 'bootstrap.servers': broker.bootstrap });
    const [end] = await admin2.listOffsets([{ topic: `${appId}-out`, partition: 0, timestamp: OffsetSpec.LATEST }]);
    await admin2.close();
    let position = 0n;
    while (position < (end?.offset ?? 0n)) {
      for (const r of await consumer.poll({ timeoutMs: 500 })) {
        latest = r.value as bigint;
        records++;
        position = r.offset + 1n;
      }
    }
  } finally {
    await consumer.close();
  }
  assert.equal(latest, BigInt(USERS));
  return records;
}

test('KGroupedTable count is cached by default: fewer counts than updates, the right final count', async () => {
  const records = await countUpdates('kt-cached', Materialized.as('kt-cached-counts'));
  assert.ok(records < USERS * UPDATES, `${records} counts sent for ${USERS * UPDATES} updates`);
});

test('KGroupedTable count withCachingDisabled: one count per update', async () => {
  const records = await countUpdates(
    'kt-uncached',
    Materialized.as<string, bigint>('kt-uncached-counts').withCachingDisabled(),
  );
  assert.equal(records, USERS * UPDATES);
});
