import assert from 'node:assert/strict';
import { afterEach, test } from 'node:test';
import { Consumed } from '../../src/dsl/consumed.js';
import { Materialized } from '../../src/dsl/materialized.js';
import { Produced } from '../../src/dsl/produced.js';
import { StreamsBuilder } from '../../src/dsl/streams-builder.js';
import { Serdes } from '../../src/serde/serdes.js';
import { Stores } from '../../src/state/stores.js';
import { TopologyTestDriver } from '../../src/test-utils/topology-test-driver.js';

// StreamsBuilder.globalTable and KStream–GlobalKTable joins through TopologyTestDriver.

const S = Serdes.String();
const NULL = null as unknown as string;
let driver: TopologyTestDriver | undefined;

afterEach(() => {
  driver?.close();
  driver = undefined;
});

function setup(leftJoin: boolean) {
  const builder = new StreamsBuilder();
  const products = builder.globalTable('products', Consumed.with(S, S));
  const orders = builder.stream('orders', Consumed.with(S, S));
  // Orders are keyed by order id; the value names the product: "<product>,<qty>".
  const productOf = (_orderId: string, v: string) => v.split(',')[0] ?? null;
  const joiner = (order: string, product: string | null) => `${order}=>${product}`;
  (leftJoin ? orders.leftJoin(products, productOf, joiner) : orders.join(products, productOf, joiner)).to(
    'out',
    Produced.with(S, S),
  );
  driver = new TopologyTestDriver(builder.build(), { 'application.id': 'gkt' });
  const out = driver.createOutputTopic('out', S.deserializer(), S.deserializer());
  return {
    products: driver.createInputTopic('products', S.serializer(), S.serializer()),
    orders: driver.createInputTopic('orders', S.serializer(), S.serializer()),
    read: () => out.readKeyValuesToList().map((kv) => `${kv.key}:${kv.value}`),
  };
}

test('join with a GlobalKTable: the mapper picks the table key, the stream key is kept', () => {
  const { products, orders, read } = setup(false);
  orders.pipeInput('o1', 'p1,2'); // no product yet
  products.pipeInput('p1', 'pen');
  orders.pipeInput('o2', 'p1,1');
  products.pipeInput('p1', NULL); // tombstone deletes the product
  orders.pipeInput('o3', 'p1,5');
  orders.pipeInput(NULL, 'p1,1'); // a null stream key is fine: the table key comes from the mapper
  products.pipeInput('p2', 'ink');
  orders.pipeInput(NULL, 'p2,1');
  assert.deepEqual(read(), ['o2:p1,1=>pen', 'null:p2,1=>ink']);
  assert.equal(driver?.getKeyValueStore<string, string>('products-STATE-STORE-0000000000').get('p2'), 'ink');
});

test('leftJoin with a GlobalKTable: every order, null when the product is unknown', () => {
  const { products, orders, read } = setup(true);
  orders.pipeInput('o1', 'p1,2');
  products.pipeInput('p1', 'pen');
  orders.pipeInput('o2', 'p1,1');
  assert.deepEqual(read(), ['o1:p1,2=>null', 'o2:p1,1=>pen']);
});

test('a global store has no changelog, whatever Materialized says', () => {
  const builder = new StreamsBuilder();
  builder.globalTable(
    'products',
    Consumed.with(S, S),
    Materialized.as<string, string>(Stores.inMemoryKeyValueStore('catalog')),
  );
  builder.stream('orders', Consumed.with(S, S)).to('copy', Produced.with(S, S));
  const topology = builder.build();
  assert.equal(topology.isGlobalStore('catalog'), true);
  assert.equal(topology.storeBuilder('catalog')?.loggingEnabled(), false);
  driver = new TopologyTestDriver(topology, { 'application.id': 'gkt' });
  driver.createInputTopic('products', S.serializer(), S.serializer()).pipeInput('p', 'x');
  assert.deepEqual([...driver.producedTopicNames()], []);
  assert.equal(driver.getKeyValueStore<string, string>('catalog').get('p'), 'x');
});
