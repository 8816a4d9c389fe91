import assert from 'node:assert/strict';
import { afterEach, test } from 'node:test';
import { Change } from '../../src/dsl/change.js';
import { Consumed } from '../../src/dsl/consumed.js';
import { Grouped } from '../../src/dsl/grouped.js';
import { Materialized } from '../../src/dsl/materialized.js';
import { Produced } from '../../src/dsl/produced.js';
import { StreamsBuilder } from '../../src/dsl/streams-builder.js';
import { ChangedSerde } from '../../src/serde/changed-serde.js';
import { Serdes } from '../../src/serde/serdes.js';
import { KeyValue } from '../../src/state/key-value.js';
import { TopologyTestDriver } from '../../src/test-utils/topology-test-driver.js';

const S = Serdes.String();
const L = Serdes.Long();
let driver: TopologyTestDriver | undefined;

afterEach(() => {
  driver?.close();
  driver = undefined;
});

test('KTable.groupBy().count(): a row that changes group leaves the old one (Change semantics); a delete subtracts', () => {
  const builder = new StreamsBuilder();
  builder
    .table('users', Consumed.with(S, S))
    .groupBy((_user, region) => KeyValue.pair(region, 1), Grouped.with(S, Serdes.Integer()))
    .count(Materialized.as('by-region'))
    .toStream()
    .to('out', Produced.with(S, L));
  driver = new TopologyTestDriver(builder.build(), { 'application.id': 'regroup' });
  const users = driver.createInputTopic('users', S.serializer(), S.serializer());
  const out = driver.createOutputTopic('out', S.deserializer(), L.deserializer());
  users.pipeInput('alice', 'europe');
  users.pipeInput('bob', 'europe');
  users.pipeInput('alice', 'asia'); // moves: europe -1, then asia +1
  users.pipeInput('bob', 'europe'); // same group: one Change(new, old), count unchanged
  users.pipeInput('alice', null); // deleted: asia -1
  assert.deepEqual(
    out.readKeyValuesToList().map((kv) => `${kv.key}=${kv.value}`),
    ['europe=1', 'europe=2', 'europe=1', 'asia=1', 'europe=1', 'asia=0'],
  );
  assert.equal(driver.getKeyValueStore<string, bigint>('by-region').get('europe'), 1n);
  // The repartition topic carries Java's ChangedSerializer bytes (checked in the serde test below).
});

test('KGroupedTable reduce(adder, subtractor) and aggregate(initializer, adder, subtractor)', () => {
  const builder = new StreamsBuilder();
  const grouped = builder
    .table('scores', Consumed.with(S, Serdes.Integer()))
    .groupBy(
      (player, score) => KeyValue.pair(player.split('/')[0] as string, score),
      Grouped.with(S, Serdes.Integer()),
    );
  grouped
    .reduce(
      (a, b) => a + b,
      (a, b) => a - b,
      Materialized.with(S, Serdes.Integer()),
    )
    .toStream()
    .to('sum', Produced.with(S, Serdes.Integer()));
  grouped
    .aggregate(
      () => '',
      (_k, v, agg) => `${agg}+${v}`,
      (_k, v, agg) => `${agg}-${v}`,
      Materialized.with(S, S),
    )
    .toStream()
    .to('trace', Produced.with(S, S));
  driver = new TopologyTestDriver(builder.build(), { 'application.id': 'regroup2' });
  const scores = driver.createInputTopic('scores', S.serializer(), Serdes.Integer().serializer());
  scores.pipeInput('red/ann', 3);
  scores.pipeInput('red/bo', 4);
  scores.pipeInput('red/ann', 10);
  const sum = driver.createOutputTopic('sum', S.deserializer(), Serdes.Integer().deserializer());
  assert.deepEqual(
    sum.readKeyValuesToList().map((kv) => `${kv.key}=${kv.value}`),
    ['red=3', 'red=7', 'red=14'],
  );
  const trace = driver.createOutputTopic('trace', S.deserializer(), S.deserializer());
  assert.deepEqual(trace.readValuesToList(), ['+3', '+3+4', '+3+4-3+10']);
});

test('ChangedSerde writes Java ChangedSerializer bytes', () => {
  const serde = new ChangedSerde(S);
  const hex = (c: Change<string>) => Buffer.from(serde.serializer().serialize('t', c) as Uint8Array).toString('hex');
  assert.equal(hex(new Change('ab', null)), '616201');
  assert.equal(hex(new Change(null, 'ab')), '616200');
  assert.equal(hex(new Change('ab', 'c')), `04616263${'02'}`); // zig-zag varint 2 = 0x04
  const back = serde.deserializer().deserialize('t', Buffer.from('0461626302', 'hex'));
  assert.deepEqual([back?.newValue, back?.oldValue], ['ab', 'c']);
});

test('describe() prints what Java prints for table.groupBy().count()', () => {
  const builder = new StreamsBuilder();
  builder
    .table<string, string>('input')
    .groupBy((k, v) => KeyValue.pair(v, k))
    .count()
    .toStream()
    .to('output');
  assert.equal(
    builder.build().describe().toString(),
    'Topologies:\n' +
      '   Sub-topology: 0\n' +
      '    Source: KSTREAM-SOURCE-0000000001 (topics: [input])\n' +
      '      --> KTABLE-SOURCE-0000000002\n' +
      '    Processor: KTABLE-SOURCE-0000000002 (stores: [input-STATE-STORE-0000000000])\n' +
      '      --> KTABLE-SELECT-0000000003\n' +
      '      <-- KSTREAM-SOURCE-0000000001\n' +
      '    Processor: KTABLE-SELECT-0000000003 (stores: [])\n' +
      '      --> KSTREAM-SINK-0000000005\n' +
      '      <-- KTABLE-SOURCE-0000000002\n' +
      '    Sink: KSTREAM-SINK-0000000005 (topic: KTABLE-AGGREGATE-STATE-STORE-0000000004-repartition)\n' +
      '      <-- KTABLE-SELECT-0000000003\n' +
      '\n' +
      '  Sub-topology: 1\n' +
      '    Source: KSTREAM-SOURCE-0000000006 (topics: [KTABLE-AGGREGATE-STATE-STORE-0000000004-repartition])\n' +
      '      --> KTABLE-AGGREGATE-0000000007\n' +
      '    Processor: KTABLE-AGGREGATE-0000000007 (stores: [KTABLE-AGGREGATE-STATE-STORE-0000000004])\n' +
      '      --> KTABLE-TOSTREAM-0000000008\n' +
      '      <-- KSTREAM-SOURCE-0000000006\n' +
      '    Processor: KTABLE-TOSTREAM-0000000008 (stores: [])\n' +
      '      --> KSTREAM-SINK-0000000009\n' +
      '      <-- KTABLE-AGGREGATE-0000000007\n' +
      '    Sink: KSTREAM-SINK-0000000009 (topic: output)\n' +
      '      <-- KTABLE-TOSTREAM-0000000008\n\n',
  );
});
