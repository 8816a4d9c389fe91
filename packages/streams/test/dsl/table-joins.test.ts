import assert from 'node:assert/strict';
import { afterEach, test } from 'node:test';
import { Consumed } from '../../src/dsl/consumed.js';
import { Joined } from '../../src/dsl/joined.js';
import type { KTable } from '../../src/dsl/ktable.js';
import { Materialized } from '../../src/dsl/materialized.js';
import { Produced } from '../../src/dsl/produced.js';
import { StreamsBuilder } from '../../src/dsl/streams-builder.js';
import { Serdes } from '../../src/serde/serdes.js';
import { KeyValue } from '../../src/state/key-value.js';
import { TopologyTestDriver } from '../../src/test-utils/topology-test-driver.js';

// Stream–table and table–table joins through TopologyTestDriver.

const S = Serdes.String();
const NULL = null as unknown as string;
let driver: TopologyTestDriver | undefined;

afterEach(() => {
  driver?.close();
  driver = undefined;
});

function streamTable(leftJoin: boolean) {
  const builder = new StreamsBuilder();
  const orders = builder.stream('orders', Consumed.with(S, S));
  const customers = builder.table('customers', Consumed.with(S, S));
  const joiner = (order: string, customer: string | null) => `${order}/${customer}`;
  (leftJoin ? orders.leftJoin(customers, joiner) : orders.join(customers, joiner)).to('out', Produced.with(S, S));
  driver = new TopologyTestDriver(builder.build(), { 'application.id': 'stj' });
  const out = driver.createOutputTopic('out', S.deserializer(), S.deserializer());
  return {
    orders: driver.createInputTopic('orders', S.serializer(), S.serializer()),
    customers: driver.createInputTopic('customers', S.serializer(), S.serializer()),
    read: () => out.readKeyValuesToList().map((kv) => `${kv.key}:${kv.value}`),
  };
}

test('stream-table join: a stream record looks up the current table value; table updates emit nothing', () => {
  const { orders, customers, read } = streamTable(false);
  orders.pipeInput('c1', 'o1', 0); // no customer yet: nothing
  customers.pipeInput('c1', 'alice', 1);
  orders.pipeInput('c1', 'o2', 2);
  customers.pipeInput('c1', 'alice2', 3);
  orders.pipeInput('c1', 'o3', 4);
  customers.pipeInput('c1', NULL, 5); // tombstone: the customer is gone
  orders.pipeInput('c1', 'o4', 6);
  orders.pipeInput(NULL, 'o5', 7); // null key: dropped
  orders.pipeInput('c1', NULL, 8); // null value: dropped
  assert.deepEqual(read(), ['c1:o2/alice', 'c1:o3/alice2']);
});

test('stream-table leftJoin: every stream record, with null when the table has no value (null keys too, KIP-962)', () => {
  const { orders, customers, read } = streamTable(true);
  orders.pipeInput('c1', 'o1', 0);
  customers.pipeInput('c1', 'alice', 1);
  orders.pipeInput('c1', 'o2', 2);
  customers.pipeInput('c1', NULL, 3);
  orders.pipeInput('c1', 'o3', 4);
  orders.pipeInput(NULL, 'o4', 5);
  assert.deepEqual(read(), ['c1:o1/null', 'c1:o2/alice', 'c1:o3/null', 'null:o4/null']);
});

test('stream-table join after a key change goes through a repartition topic named after Joined', () => {
  const builder = new StreamsBuilder();
  const customers = builder.table('customers', Consumed.with(S, S));
  builder
    .stream('orders', Consumed.with(S, S))
    .selectKey((_k, v) => v.split(',')[0] as string)
    .join(customers, (o, c) => `${o}/${c}`, Joined.with(S, S, S, 'by-customer'))
    .to('out', Produced.with(S, S));
  driver = new TopologyTestDriver(builder.build(), { 'application.id': 'stj' });
  driver.createInputTopic('customers', S.serializer(), S.serializer()).pipeInput('c9', 'bob');
  driver.createInputTopic('orders', S.serializer(), S.serializer()).pipeInput('x', 'c9,book');
  const out = driver.createOutputTopic('out', S.deserializer(), S.deserializer()).readKeyValuesToList();
  assert.deepEqual(out, [KeyValue.pair('c9', 'c9,book/bob')]);
  assert.match(builder.build().describe().toString(), /topic: by-customer-repartition/);
});

type TableJoin = (l: KTable<string, string>, r: KTable<string, string>) => KTable<string, string>;

function tableTable(join: TableJoin) {
  const builder = new StreamsBuilder();
  const l = builder.table('l', Consumed.with(S, S));
  const r = builder.table('r', Consumed.with(S, S));
  join(l, r).toStream().to('out', Produced.with(S, S));
  driver = new TopologyTestDriver(builder.build(), { 'application.id': 'ttj' });
  const out = driver.createOutputTopic('out', S.deserializer(), S.deserializer());
  return {
    l: driver.createInputTopic('l', S.serializer(), S.serializer()),
    r: driver.createInputTopic('r', S.serializer(), S.serializer()),
    read: () => out.readKeyValuesToList().map((kv) => `${kv.key}:${kv.value}`),
  };
}

const j = (a: string | null, b: string | null) => `${a}+${b}`;

test('table-table inner join: updates on either side, tombstones delete the result', () => {
  const { l, r, read } = tableTable((a, b) => a.join(b, j));
  l.pipeInput('k', 'l1');
  r.pipeInput('k', 'r1');
  l.pipeInput('k', 'l2');
  r.pipeInput('k', 'r2');
  r.pipeInput('k', NULL); // the right side is gone: the joined row becomes a tombstone
  l.pipeInput('k', 'l3'); // no right value: nothing
  r.pipeInput('x', 'rx'); // no left value: nothing
  assert.deepEqual(read(), ['k:l1+r1', 'k:l2+r1', 'k:l2+r2', 'k:null']);
});

test('table-table leftJoin and outerJoin', () => {
  let t = tableTable((a, b) => a.leftJoin(b, j));
  t.l.pipeInput('k', 'l1');
  t.r.pipeInput('k', 'r1');
  t.r.pipeInput('k', NULL);
  t.r.pipeInput('y', 'ry'); // right only: nothing in a left join
  t.l.pipeInput('k', NULL);
  assert.deepEqual(t.read(), ['k:l1+null', 'k:l1+r1', 'k:l1+null', 'k:null']);
  driver?.close();
  t = tableTable((a, b) => a.outerJoin(b, j));
  t.r.pipeInput('k', 'r1');
  t.l.pipeInput('k', 'l1');
  t.r.pipeInput('k', NULL);
  t.l.pipeInput('k', NULL);
  assert.deepEqual(t.read(), ['k:null+r1', 'k:l1+r1', 'k:l1+null', 'k:null']);
});

test('a materialized table-table join keeps its result in a queryable store', () => {
  const builder = new StreamsBuilder();
  const l = builder.table('l', Consumed.with(S, S));
  const r = builder.table('r', Consumed.with(S, S));
  const joined = l.join(r, j, Materialized.as<string, string>('joined').withKeySerde(S).withValueSerde(S));
  assert.equal(joined.queryableStoreNameOf(), 'joined');
  const seen: string[] = [];
  joined.toStream().foreach((k, v) => seen.push(`${k}:${v}`));
  driver = new TopologyTestDriver(builder.build(), { 'application.id': 'ttj' });
  driver.createInputTopic('l', S.serializer(), S.serializer()).pipeInput('k', 'a');
  driver.createInputTopic('r', S.serializer(), S.serializer()).pipeInput('k', 'b');
  assert.equal(driver.getKeyValueStore<string, string>('joined').get('k'), 'a+b');
  assert.deepEqual(seen, ['k:a+b']);
});

test('an unmaterialized join result can be joined again: its value is computed from both sides', () => {
  const builder = new StreamsBuilder();
  const a = builder.table('a', Consumed.with(S, S));
  const b = builder.table('b', Consumed.with(S, S));
  const ab = a.join(b, j);
  builder
    .stream('events', Consumed.with(S, S))
    .join(ab, (e, v) => `${e}@${v}`)
    .to('out', Produced.with(S, S));
  driver = new TopologyTestDriver(builder.build(), { 'application.id': 'ttj' });
  driver.createInputTopic('a', S.serializer(), S.serializer()).pipeInput('k', 'x');
  driver.createInputTopic('b', S.serializer(), S.serializer()).pipeInput('k', 'y');
  driver.createInputTopic('events', S.serializer(), S.serializer()).pipeInput('k', 'e');
  const out = driver.createOutputTopic('out', S.deserializer(), S.deserializer()).readValuesToList();
  assert.deepEqual(out, ['e@x+y']);
});

test('joining an unmaterialized filter result is refused with a clear message', () => {
  const builder = new StreamsBuilder();
  const t = builder.table('t', Consumed.with(S, S)).filter(() => true);
  assert.throws(
    () => builder.stream('s', Consumed.with(S, S)).join(t, (x, y) => `${x}${y}`),
    /KTable KTABLE-FILTER-0000000003 is not materialized/,
  );
});
