import assert from 'node:assert/strict';
import { afterEach, test } from 'node:test';
import { Consumed } from '../../src/dsl/consumed.js';
import { Grouped } from '../../src/dsl/grouped.js';
import { Materialized } from '../../src/dsl/materialized.js';
import { Named } from '../../src/dsl/named.js';
import { Produced } from '../../src/dsl/produced.js';
import { StreamsBuilder } from '../../src/dsl/streams-builder.js';
import { TimeWindows, type Windowed } from '../../src/dsl/time-windows.js';
import { Serdes } from '../../src/serde/serdes.js';
import { KeyValue } from '../../src/state/key-value.js';
import { TopologyTestDriver } from '../../src/test-utils/topology-test-driver.js';

// KIP-150's example: several streams keyed by customer update one profile per customer, each
// with its own aggregator, in one store.

const S = Serdes.String();
const I = Serdes.Integer();
let driver: TopologyTestDriver | undefined;

afterEach(() => {
  driver?.close();
  driver = undefined;
});

const profile = () => 'clicks=0 spent=0';
const addClick = (_k: string, _v: string, agg: string) =>
  agg.replace(/clicks=(\d+)/, (_m, n) => `clicks=${Number(n) + 1}`);
const addPurchase = (_k: string, amount: number, agg: string) =>
  agg.replace(/spent=(\d+)/, (_m, n) => `spent=${Number(n) + amount}`);

function profiles(named?: Named): StreamsBuilder {
  const builder = new StreamsBuilder();
  const clicks = builder.stream('clicks', Consumed.with(S, S)).groupByKey();
  const purchases = builder.stream('purchases', Consumed.with(S, I)).groupByKey();
  const cogrouped = clicks.cogroup(addClick).cogroup(purchases, addPurchase);
  const table =
    named === undefined
      ? cogrouped.aggregate(profile, Materialized.as<string, string>('profiles').withValueSerde(S))
      : cogrouped.aggregate(profile, named, Materialized.as<string, string>('profiles').withValueSerde(S));
  table.toStream().to('out', Produced.with(S, S));
  return builder;
}

test('cogroup: each stream updates the shared aggregate with its own aggregator; the store holds one profile per key', () => {
  driver = new TopologyTestDriver(profiles().build(), { 'application.id': 'cogroup' });
  const clicks = driver.createInputTopic('clicks', S.serializer(), S.serializer());
  const purchases = driver.createInputTopic('purchases', S.serializer(), I.serializer());
  clicks.pipeInput('ann', 'home');
  purchases.pipeInput('ann', 30);
  clicks.pipeInput('bob', 'cart');
  clicks.pipeInput('ann', 'cart');
  purchases.pipeInput('ann', 12);
  const out = driver.createOutputTopic('out', S.deserializer(), S.deserializer()).readKeyValuesToList();
  assert.deepEqual(
    out.map((kv) => `${kv.key}: ${kv.value}`),
    [
      'ann: clicks=1 spent=0',
      'ann: clicks=1 spent=30',
      'bob: clicks=1 spent=0',
      'ann: clicks=2 spent=30',
      'ann: clicks=2 spent=42',
    ],
  );
  const store = driver.getKeyValueStore<string, string>('profiles');
  assert.equal(store.get('ann'), 'clicks=2 spent=42');
  assert.equal(store.get('bob'), 'clicks=1 spent=0');
});

test("cogroup: Java's node names (one aggregation per stream, one merge node) and Named suffixes", () => {
  const names = (builder: StreamsBuilder) =>
    builder
      .build()
      .describe()
      .subtopologies()
      .flatMap((sub) => sub.nodes.map((n) => n.name))
      .sort();
  assert.deepEqual(names(profiles()), [
    'COGROUPKSTREAM-AGGREGATE-0000000002',
    'COGROUPKSTREAM-AGGREGATE-0000000003',
    'COGROUPKSTREAM-MERGE-0000000004',
    'KSTREAM-SINK-0000000006',
    'KSTREAM-SOURCE-0000000000',
    'KSTREAM-SOURCE-0000000001',
    'KTABLE-TOSTREAM-0000000005',
  ]);
  assert.deepEqual(
    names(profiles(Named.as('profile'))).filter((n) => n.startsWith('profile')),
    ['profile-cogroup-agg-0', 'profile-cogroup-agg-1', 'profile-cogroup-merge'],
  );
});

test('cogroup with a re-keyed stream: it is repartitioned through a topic named after the store', () => {
  const builder = new StreamsBuilder();
  const clicks = builder.stream('clicks', Consumed.with(S, S)).groupByKey();
  // Purchases arrive keyed by order; the customer is in the value ("customer:amount").
  const purchases = builder
    .stream('orders', Consumed.with(S, S))
    .groupBy((_order, v) => v.split(':')[0] as string, Grouped.with(S, S));
  clicks
    .cogroup(addClick)
    .cogroup(purchases, (k, v, agg) => addPurchase(k, Number(v.split(':')[1]), agg))
    .aggregate(profile, Materialized.with(S, S))
    .toStream()
    .to('out', Produced.with(S, S));
  const topology = builder.build();
  const topics = topology
    .describe()
    .subtopologies()
    .flatMap((sub) => sub.nodes.flatMap((n) => n.topics ?? []));
  assert.ok(topics.includes('COGROUPKSTREAM-AGGREGATE-STATE-STORE-0000000003-repartition'), topics.join(','));
  driver = new TopologyTestDriver(topology, { 'application.id': 'cogroup-repartition' });
  driver.createInputTopic('clicks', S.serializer(), S.serializer()).pipeInput('ann', 'home');
  driver.createInputTopic('orders', S.serializer(), S.serializer()).pipeInput('order-1', 'ann:25');
  const out = driver.createOutputTopic('out', S.deserializer(), S.deserializer()).readKeyValuesToList();
  assert.deepEqual(
    out.map((kv) => `${kv.key}: ${kv.value}`),
    ['ann: clicks=1 spent=0', 'ann: clicks=1 spent=25'],
  );
});

test('cogroup windowedBy(TimeWindows): one aggregate per key and window from both streams', () => {
  const builder = new StreamsBuilder();
  const clicks = builder.stream('clicks', Consumed.with(S, S)).groupByKey();
  const purchases = builder.stream('purchases', Consumed.with(S, I)).groupByKey();
  clicks
    .cogroup(addClick)
    .cogroup(purchases, addPurchase)
    .windowedBy(TimeWindows.ofSizeWithNoGrace(1000))
    .aggregate(profile, Materialized.with(S, S))
    .toStream()
    .map((wk: Windowed<string>, v) => KeyValue.pair(`${wk.key()}@${wk.window().start()}`, v))
    .to('out', Produced.with(S, S));
  driver = new TopologyTestDriver(builder.build(), { 'application.id': 'cogroup-windowed' });
  const clicksIn = driver.createInputTopic('clicks', S.serializer(), S.serializer());
  const purchasesIn = driver.createInputTopic('purchases', S.serializer(), I.serializer());
  clicksIn.pipeInput('ann', 'home', 100);
  purchasesIn.pipeInput('ann', 30, 900);
  clicksIn.pipeInput('ann', 'home', 1200);
  purchasesIn.pipeInput('ann', 5, 300); // stream time 1200, no grace: window [0, 1000) is closed
  const out = driver.createOutputTopic('out', S.deserializer(), S.deserializer()).readKeyValuesToList();
  assert.deepEqual(
    out.map((kv) => `${kv.key}: ${kv.value}`),
    ['ann@0: clicks=1 spent=0', 'ann@0: clicks=1 spent=30', 'ann@1000: clicks=1 spent=0'],
  );
});
