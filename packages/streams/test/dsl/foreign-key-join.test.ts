import assert from 'node:assert/strict';
import { afterEach, test } from 'node:test';
import { Consumed } from '../../src/dsl/consumed.js';
import { Materialized } from '../../src/dsl/materialized.js';
import { Named } from '../../src/dsl/named.js';
import { Produced } from '../../src/dsl/produced.js';
import { StreamsBuilder } from '../../src/dsl/streams-builder.js';
import { Serdes } from '../../src/serde/serdes.js';
import { TopologyTestDriver } from '../../src/test-utils/topology-test-driver.js';

// The foreign-key table–table join (KIP-213) through TopologyTestDriver: subscriptions through
// the registration topic, responses through the response topic, Java's node and topic names.

const S = Serdes.String();
const NULL = null as unknown as string;
let driver: TopologyTestDriver | undefined;

afterEach(() => {
  driver?.close();
  driver = undefined;
});

// Java's describe() of `orders.join(customers, v -> v.split(",")[0], joiner).toStream().to("out")`.
const JAVA_FK = `Topologies:
   Sub-topology: 0
    Source: KTABLE-SOURCE-0000000016 (topics: [KTABLE-FK-JOIN-SUBSCRIPTION-RESPONSE-0000000014-topic])
      --> KTABLE-FK-JOIN-SUBSCRIPTION-RESPONSE-RESOLVER-PROCESSOR-0000000017
    Source: KSTREAM-SOURCE-0000000001 (topics: [orders])
      --> KTABLE-SOURCE-0000000002
    Processor: KTABLE-FK-JOIN-SUBSCRIPTION-RESPONSE-RESOLVER-PROCESSOR-0000000017 (stores: [orders-STATE-STORE-0000000000])
      --> KTABLE-FK-JOIN-OUTPUT-0000000018
      <-- KTABLE-SOURCE-0000000016
    Processor: KTABLE-FK-JOIN-OUTPUT-0000000018 (stores: [])
      --> KTABLE-TOSTREAM-0000000020
      <-- KTABLE-FK-JOIN-SUBSCRIPTION-RESPONSE-RESOLVER-PROCESSOR-0000000017
    Processor: KTABLE-SOURCE-0000000002 (stores: [orders-STATE-STORE-0000000000])
      --> KTABLE-FK-JOIN-SUBSCRIPTION-REGISTRATION-0000000007
      <-- KSTREAM-SOURCE-0000000001
    Processor: KTABLE-FK-JOIN-SUBSCRIPTION-REGISTRATION-0000000007 (stores: [])
      --> KTABLE-SINK-0000000008
      <-- KTABLE-SOURCE-0000000002
    Processor: KTABLE-TOSTREAM-0000000020 (stores: [])
      --> KSTREAM-SINK-0000000021
      <-- KTABLE-FK-JOIN-OUTPUT-0000000018
    Sink: KSTREAM-SINK-0000000021 (topic: out)
      <-- KTABLE-TOSTREAM-0000000020
    Sink: KTABLE-SINK-0000000008 (topic: KTABLE-FK-JOIN-SUBSCRIPTION-REGISTRATION-0000000006-topic)
      <-- KTABLE-FK-JOIN-SUBSCRIPTION-REGISTRATION-0000000007

  Sub-topology: 1
    Source: KSTREAM-SOURCE-0000000004 (topics: [customers])
      --> KTABLE-SOURCE-0000000005
    Source: KTABLE-SOURCE-0000000009 (topics: [KTABLE-FK-JOIN-SUBSCRIPTION-REGISTRATION-0000000006-topic])
      --> KTABLE-FK-JOIN-SUBSCRIPTION-PROCESSOR-0000000011
    Processor: KTABLE-FK-JOIN-SUBSCRIPTION-PROCESSOR-0000000011 (stores: [KTABLE-FK-JOIN-SUBSCRIPTION-STATE-STORE-0000000010])
      --> KTABLE-FK-JOIN-SUBSCRIPTION-PROCESSOR-0000000012
      <-- KTABLE-SOURCE-0000000009
    Processor: KTABLE-SOURCE-0000000005 (stores: [customers-STATE-STORE-0000000003])
      --> KTABLE-FK-JOIN-SUBSCRIPTION-PROCESSOR-0000000013
      <-- KSTREAM-SOURCE-0000000004
    Processor: KTABLE-FK-JOIN-SUBSCRIPTION-PROCESSOR-0000000012 (stores: [customers-STATE-STORE-0000000003])
      --> KTABLE-SINK-0000000015
      <-- KTABLE-FK-JOIN-SUBSCRIPTION-PROCESSOR-0000000011
    Processor: KTABLE-FK-JOIN-SUBSCRIPTION-PROCESSOR-0000000013 (stores: [KTABLE-FK-JOIN-SUBSCRIPTION-STATE-STORE-0000000010])
      --> KTABLE-SINK-0000000015
      <-- KTABLE-SOURCE-0000000005
    Sink: KTABLE-SINK-0000000015 (topic: KTABLE-FK-JOIN-SUBSCRIPTION-RESPONSE-0000000014-topic)
      <-- KTABLE-FK-JOIN-SUBSCRIPTION-PROCESSOR-0000000012, KTABLE-FK-JOIN-SUBSCRIPTION-PROCESSOR-0000000013

`;

function setup(leftJoin: boolean) {
  const builder = new StreamsBuilder();
  const orders = builder.table('orders', Consumed.with(S, S));
  const customers = builder.table('customers', Consumed.with(S, S));
  const customerOf = (order: string) => order.split(',')[0] ?? null;
  const joiner = (order: string, customer: string | null) => `${order}|${customer}`;
  (leftJoin ? orders.leftJoin(customers, customerOf, joiner) : orders.join(customers, customerOf, joiner))
    .toStream()
    .to('out', Produced.with(S, S));
  driver = new TopologyTestDriver(builder.build(), { 'application.id': 'fk' });
  const out = driver.createOutputTopic('out', S.deserializer(), S.deserializer());
  return {
    orders: driver.createInputTopic('orders', S.serializer(), S.serializer()),
    customers: driver.createInputTopic('customers', S.serializer(), S.serializer()),
    read: () => out.readKeyValuesToList().map((kv) => `${kv.key}:${kv.value}`),
  };
}

test('foreign-key join describes as in Java (subscription registration and response topics)', () => {
  const builder = new StreamsBuilder();
  const orders = builder.table('orders', Consumed.with(S, S));
  const customers = builder.table('customers', Consumed.with(S, S));
  orders
    .join(
      customers,
      (v) => v.split(',')[0] ?? null,
      (o, c) => `${o}|${c}`,
    )
    .toStream()
    .to('out');
  assert.equal(builder.build().describe().toString(), JAVA_FK);
});

test('foreign-key inner join: both sides update the result; changing or losing the foreign key unsets it', () => {
  const { orders, customers, read } = setup(false);
  orders.pipeInput('o1', 'c1,pen'); // customer c1 unknown: nothing
  customers.pipeInput('c1', 'alice');
  orders.pipeInput('o2', 'c1,ink');
  assert.deepEqual(read(), ['o1:c1,pen|alice', 'o2:c1,ink|alice']);
  customers.pipeInput('c1', 'alice2'); // one foreign update reaches every subscriber
  assert.deepEqual(read(), ['o1:c1,pen|alice2', 'o2:c1,ink|alice2']);
  orders.pipeInput('o1', 'c2,pen'); // moved to an unknown customer: the old result is unset
  customers.pipeInput('c2', 'bob');
  assert.deepEqual(read(), ['o1:null', 'o1:c2,pen|bob']);
  customers.pipeInput('c1', 'alice3'); // o1 unsubscribed from c1: only o2 hears of it
  assert.deepEqual(read(), ['o2:c1,ink|alice3']);
  orders.pipeInput('o2', NULL); // tombstone on this side
  customers.pipeInput('c2', NULL); // tombstone on the other side
  assert.deepEqual(read(), ['o2:null', 'o1:null']);
  // As Java's driver: the subscription topics the join writes and reads back count too.
  assert.deepEqual([...(driver?.producedTopicNames() ?? [])].sort(), [
    'fk-KTABLE-FK-JOIN-SUBSCRIPTION-REGISTRATION-0000000006-topic',
    'fk-KTABLE-FK-JOIN-SUBSCRIPTION-RESPONSE-0000000014-topic',
    'fk-KTABLE-FK-JOIN-SUBSCRIPTION-STATE-STORE-0000000010-changelog',
    'fk-customers-STATE-STORE-0000000003-changelog',
    'fk-orders-STATE-STORE-0000000000-changelog',
  ]);
});

test('foreign-key leftJoin: rows without a foreign value join with null', () => {
  const { orders, customers, read } = setup(true);
  orders.pipeInput('o1', 'c1,pen');
  customers.pipeInput('c1', 'alice');
  customers.pipeInput('c1', NULL);
  orders.pipeInput('o1', NULL);
  assert.deepEqual(read(), ['o1:c1,pen|null', 'o1:c1,pen|alice', 'o1:c1,pen|null', 'o1:null']);
});

test('a named, materialized foreign-key join: names from Named, result in a queryable store', () => {
  const builder = new StreamsBuilder();
  const orders = builder.table('orders', Consumed.with(S, S));
  const customers = builder.table('customers', Consumed.with(S, S));
  const joined = orders.join(
    customers,
    (v) => v.split(',')[0] ?? null,
    (o, c) => `${o}|${c}`,
    Named.as('enrich'),
    Materialized.as<string, string>('enriched').withValueSerde(S),
  );
  const text = builder.build().describe().toString();
  for (const part of [
    'topics: [enrich-subscription-registration-topic]',
    'topic: enrich-subscription-response-topic',
    'Processor: enrich-subscription-receive (stores: [enrich-subscription-store])',
    'Processor: enrich-result (stores: [enriched])',
  ]) {
    assert.ok(text.includes(part), `${part} in\n${text}`);
  }
  assert.equal(joined.queryableStoreNameOf(), 'enriched');
  driver = new TopologyTestDriver(builder.build(), { 'application.id': 'fk' });
  driver.createInputTopic('customers', S.serializer(), S.serializer()).pipeInput('c1', 'alice');
  driver.createInputTopic('orders', S.serializer(), S.serializer()).pipeInput('o1', 'c1,pen');
  assert.equal(driver.getKeyValueStore<string, string>('enriched').get('o1'), 'c1,pen|alice');
});
