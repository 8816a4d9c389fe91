import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { Admin, Consumer, Producer } from '@samsa/client';
import { BrokerProcess } from '@samsa/testkit';
import { Consumed } from '../../src/dsl/consumed.js';
import { JoinWindows } from '../../src/dsl/join-windows.js';
import { Produced } from '../../src/dsl/produced.js';
import { StreamsBuilder } from '../../src/dsl/streams-builder.js';
import { KafkaStreams } from '../../src/runtime/kafka-streams.js';
import { Serdes } from '../../src/serde/serdes.js';
import { QueryableStoreTypes, StoreQueryParameters } from '../../src/state/queryable-store-types.js';

// Joins on a broker: impressions ⋈ clicks within a minute (stream–stream, two partitions, window
// stores logged to compact,delete changelogs), and clicks ⋈ a GlobalKTable of users spread over
// three partitions (more than the stream has: no co-partitioning needed), restored from the
// topic before the first click is processed. Then a join of topics with 2 and 3 partitions is
// refused at start.

const S = Serdes.String();
let broker: BrokerProcess;
let stateDir: string;
const BASE = Date.now();

before(async () => {
  broker = await BrokerProcess.start({ properties: { 'num.partitions': 1 } });
  stateDir = mkdtempSync(join(tmpdir(), 'samsa-streams-joins-'));
  const admin = new Admin({ 'bootstrap.servers': broker.bootstrap });
  await admin.createTopics([
    { name: 'impressions', numPartitions: 2, replicationFactor: 1 },
    { name: 'clicks', numPartitions: 2, replicationFactor: 1 },
    { name: 'users', numPartitions: 3, replicationFactor: 1 },
    { name: 'uneven', numPartitions: 3, replicationFactor: 1 },
    { name: 'ad-clicks', numPartitions: 1, replicationFactor: 1 },
    { name: 'clicks-by-user', numPartitions: 1, replicationFactor: 1 },
    { name: 'orders', numPartitions: 3, replicationFactor: 1 },
    { name: 'customers', numPartitions: 2, replicationFactor: 1 },
    { name: 'orders-enriched', numPartitions: 1, replicationFactor: 1 },
  ]);
  await admin.close();
});

after(async () => {
  await broker?.close();
  if (stateDir !== undefined) rmSync(stateDir, { recursive: true, force: true });
});

async function produce(topic: string, records: { key: string; value: string; timestamp: number }[]): Promise<void> {
  const producer = new Producer<string, string>({
    'bootstrap.servers': broker.bootstrap,
    keySerializer: 'string',
    valueSerializer: 'string',
  });
  await producer.sendBatch(records.map((r) => ({ topic, ...r })));
  await producer.close();
}

/** Reads `topic` from the beginning until it holds exactly `count` records; returns them sorted. */
async function readAll(topic: string, count: number): Promise<string[]> {
  const consumer = new Consumer<Buffer, Buffer>({ 'bootstrap.servers': broker.bootstrap });
  consumer.assign([{ topic, partition: 0 }]);
  consumer.seekToBeginning();
  const seen: string[] = [];
  try {
    while (seen.length < count) {
      for (const r of await consumer.poll({ timeoutMs: 300 })) seen.push(`${r.key?.toString()}:${r.value?.toString()}`);
    }
  } finally {
    await consumer.close();
  }
  return seen.sort();
}

test('stream-stream join and stream-globalTable join on a broker', async () => {
  // 20 users over 3 partitions, all written before the application starts.
  await produce(
    'users',
    Array.from({ length: 20 }, (_, i) => ({ key: `u${i}`, value: `user-${i}`, timestamp: BASE })),
  );
  // 40 ads shown; ads 0..29 clicked (by user ad % 20) 10 s later; ads 30..39 "clicked" 5 minutes
  // before, outside the one-minute window. Clicks are keyed by ad, the value is the user id.
  // (The runtime orders the two topics by timestamp only within one poll, not across polls as
  // Java's PartitionGroup does, so no record here is later than another's window plus grace.)
  await produce(
    'impressions',
    Array.from({ length: 40 }, (_, i) => ({ key: `ad${i}`, value: `imp${i}`, timestamp: BASE + i })),
  );
  await produce(
    'clicks',
    Array.from({ length: 40 }, (_, i) => ({
      key: `ad${i}`,
      value: `u${i % 20}`,
      timestamp: BASE + i + (i < 30 ? 10_000 : -300_000),
    })),
  );

  const builder = new StreamsBuilder();
  const impressions = builder.stream('impressions', Consumed.with(S, S));
  const clicks = builder.stream('clicks', Consumed.with(S, S));
  impressions
    .join(clicks, (imp, user) => `${imp}/${user}`, JoinWindows.ofTimeDifferenceWithNoGrace(60_000))
    .to('ad-clicks', Produced.with(S, S));
  const users = builder.globalTable('users', Consumed.with(S, S));
  clicks
    .join(
      users,
      (_ad, userId) => userId,
      (userId, name) => `${userId}=${name}`,
    )
    .to('clicks-by-user', Produced.with(S, S));
  const streams = new KafkaStreams(builder.build(), {
    'application.id': 'joins-e2e',
    'bootstrap.servers': broker.bootstrap,
    'state.dir': stateDir,
    'commit.interval.ms': 200,
  });
  await streams.start();
  try {
    const adClicks = await readAll('ad-clicks', 30);
    assert.deepEqual(adClicks, Array.from({ length: 30 }, (_, i) => `ad${i}:imp${i}/u${i % 20}`).sort());
    // Every click found its user: the global store was complete before the first click.
    const byUser = await readAll('clicks-by-user', 40);
    assert.deepEqual(byUser, Array.from({ length: 40 }, (_, i) => `ad${i}:u${i % 20}=user-${i % 20}`).sort());
    // The global store answers interactive queries with every partition's keys.
    const usersStore = streams.store(
      StoreQueryParameters.fromNameAndType(
        'users-STATE-STORE-0000000008',
        QueryableStoreTypes.keyValueStore<string, string>(),
      ),
    );
    assert.equal(usersStore.get('u17'), 'user-17');
    assert.equal(usersStore.approximateNumEntries(), 20);
  } finally {
    await streams.close();
  }

  const admin = new Admin({ 'bootstrap.servers': broker.bootstrap });
  try {
    const topics = new Set(await admin.listTopics());
    for (const store of ['KSTREAM-JOINTHIS-0000000004-store', 'KSTREAM-JOINOTHER-0000000005-store']) {
      const changelog = `joins-e2e-${store}-changelog`;
      assert.ok(topics.has(changelog), changelog);
      const [config] = await admin.describeConfigs([{ type: 'topic', name: changelog, keys: ['cleanup.policy'] }]);
      assert.equal(config?.configs.find((c) => c.name === 'cleanup.policy')?.value, 'compact,delete');
      const [described] = await admin.describeTopics([changelog]);
      assert.equal(described?.partitions.length, 2);
    }
    // The global store has no changelog: the users topic is its source of truth.
    assert.equal(
      [...topics].some((t) => t.startsWith('joins-e2e-users')),
      false,
    );
  } finally {
    await admin.close();
  }
});

test('foreign-key join on a broker: subscription topics sized after the table each one feeds', async () => {
  await produce(
    'customers',
    Array.from({ length: 10 }, (_, i) => ({ key: `c${i}`, value: `customer-${i}`, timestamp: BASE })),
  );
  // 50 orders, each naming its customer; customers c10..c14 do not exist.
  await produce(
    'orders',
    Array.from({ length: 50 }, (_, i) => ({ key: `o${i}`, value: `c${i % 15}`, timestamp: BASE + i })),
  );
  const builder = new StreamsBuilder();
  const orders = builder.table('orders', Consumed.with(S, S));
  const customers = builder.table('customers', Consumed.with(S, S));
  orders
    .join(
      customers,
      (customerId) => customerId,
      (customerId, name) => `${customerId}=${name}`,
    )
    .toStream()
    .to('orders-enriched', Produced.with(S, S));
  const streams = new KafkaStreams(builder.build(), {
    'application.id': 'fk-e2e',
    'bootstrap.servers': broker.bootstrap,
    'state.dir': stateDir,
    'commit.interval.ms': 200,
  });
  await streams.start();
  const expected = Array.from({ length: 50 }, (_, i) => i)
    .filter((i) => i % 15 < 10)
    .map((i) => `o${i}:c${i % 15}=customer-${i % 15}`)
    .sort();
  try {
    assert.deepEqual(await readAll('orders-enriched', expected.length), expected);
  } finally {
    await streams.close();
  }
  const admin = new Admin({ 'bootstrap.servers': broker.bootstrap });
  try {
    const partitions = async (topic: string) => (await admin.describeTopics([topic]))[0]?.partitions.length;
    // Registration is partitioned by foreign key like `customers`; responses by order id like `orders`.
    assert.equal(await partitions('fk-e2e-KTABLE-FK-JOIN-SUBSCRIPTION-REGISTRATION-0000000006-topic'), 2);
    assert.equal(await partitions('fk-e2e-KTABLE-FK-JOIN-SUBSCRIPTION-RESPONSE-0000000014-topic'), 3);
    assert.equal(await partitions('fk-e2e-KTABLE-FK-JOIN-SUBSCRIPTION-STATE-STORE-0000000010-changelog'), 2);
  } finally {
    await admin.close();
  }
});

test('joining topics with different partition counts is refused at start, naming them', async () => {
  const builder = new StreamsBuilder();
  builder
    .stream('clicks', Consumed.with(S, S))
    .join(builder.table('uneven', Consumed.with(S, S)), (a, b) => `${a}${b}`)
    .to('ad-clicks', Produced.with(S, S));
  const streams = new KafkaStreams(builder.build(), {
    'application.id': 'joins-uneven',
    'bootstrap.servers': broker.bootstrap,
    'state.dir': stateDir,
  });
  await assert.rejects(streams.start(), {
    name: 'TopologyException',
    message: /Topics not co-partitioned: \[clicks,uneven\] \(clicks: 2 partitions, uneven: 3 partitions\)/,
  });
  await streams.close();
});
