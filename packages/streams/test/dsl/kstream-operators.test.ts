import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, test } from 'node:test';
import { Consumed } from '../../src/dsl/consumed.js';
import { Grouped } from '../../src/dsl/grouped.js';
import { Materialized } from '../../src/dsl/materialized.js';
import { Printed } from '../../src/dsl/printed.js';
import { Produced } from '../../src/dsl/produced.js';
import { Repartitioned } from '../../src/dsl/repartitioned.js';
import { StreamsBuilder } from '../../src/dsl/streams-builder.js';
import { Serdes } from '../../src/serde/serdes.js';
import { KeyValue } from '../../src/state/key-value.js';
import { Stores } from '../../src/state/stores.js';
import type { TestInputTopic } from '../../src/test-utils/test-input-topic.js';
import type { TestOutputTopic } from '../../src/test-utils/test-output-topic.js';
import { TopologyTestDriver } from '../../src/test-utils/topology-test-driver.js';

const S = Serdes.String();
const CONFIG = { 'application.id': 'ops', 'default.key.serde': S, 'default.value.serde': S };
let driver: TopologyTestDriver | undefined;

afterEach(() => {
  driver?.close();
  driver = undefined;
});

function run(build: (builder: StreamsBuilder) => void): {
  input: TestInputTopic<string, string>;
  output: TestOutputTopic<string, string>;
} {
  const builder = new StreamsBuilder();
  build(builder);
  driver = new TopologyTestDriver(builder.build(), CONFIG, 0);
  return {
    input: driver.createInputTopic('in', S.serializer(), S.serializer()),
    output: driver.createOutputTopic('out', S.deserializer(), S.deserializer()),
  };
}

const pairs = (out: TestOutputTopic<string, string>) => out.readKeyValuesToList().map((kv) => [kv.key, kv.value]);

test('filter and filterNot', () => {
  const { input, output } = run((b) => {
    const s = b.stream<string, string>('in');
    s.filter((_k, v) => v.length > 2).to('out');
    s.filterNot((_k, v) => v.length > 2).to('short');
  });
  input.pipeInput('a', 'long');
  input.pipeInput('b', 'no');
  assert.deepEqual(pairs(output), [['a', 'long']]);
  const short = driver!.createOutputTopic('short', S.deserializer(), S.deserializer());
  assert.deepEqual(pairs(short), [['b', 'no']]);
});

test('map, mapValues (with and without key), selectKey', () => {
  const { input, output } = run((b) => {
    const s = b.stream<string, string>('in');
    s.map((k, v) => KeyValue.pair(v, k)).to('out');
    s.mapValues((v) => v.toUpperCase()).to('upper');
    s.mapValues((v, k) => `${k}:${v}`).to('joined');
    s.selectKey((_k, v) => v[0] ?? '').to('first');
  });
  input.pipeInput('key', 'value');
  const kv = output.readKeyValue();
  assert.deepEqual([kv.key, kv.value], ['value', 'key']);
  assert.ok(output.isEmpty());
  assert.throws(() => output.readKeyValue(), /Empty topic: out/);
  const read = (t: string) => pairs(driver!.createOutputTopic(t, S.deserializer(), S.deserializer()));
  assert.deepEqual(read('upper'), [['key', 'VALUE']]);
  assert.deepEqual(read('joined'), [['key', 'key:value']]);
  assert.deepEqual(read('first'), [['v', 'value']]);
});

test('flatMap and flatMapValues keep order and timestamps', () => {
  const { input, output } = run((b) => {
    const s = b.stream<string, string>('in');
    s.flatMapValues((v) => v.split(' ')).to('out');
    s.flatMap((k, v) => v.split(' ').map((w, i) => KeyValue.pair(`${k}${i}`, w))).to('flat');
  });
  input.pipeInput('k', 'a b c', 42);
  const records = output.readRecordsToList();
  assert.deepEqual(
    records.map((r) => [r.key, r.value, r.timestamp]),
    [
      ['k', 'a', 42],
      ['k', 'b', 42],
      ['k', 'c', 42],
    ],
  );
  assert.deepEqual(pairs(driver!.createOutputTopic('flat', S.deserializer(), S.deserializer())), [
    ['k0', 'a'],
    ['k1', 'b'],
    ['k2', 'c'],
  ]);
});

test('peek, foreach and merge', () => {
  const peeked: string[] = [];
  const each: string[] = [];
  const { input, output } = run((b) => {
    const a = b.stream<string, string>('in').peek((k, v) => peeked.push(`${k}=${v}`));
    const other = b.stream<string, string>('in2');
    a.merge(other).to('out');
    other.foreach((k, v) => each.push(`${k}=${v}`));
  });
  const in2 = driver!.createInputTopic('in2', S.serializer(), S.serializer());
  input.pipeInput('a', '1');
  in2.pipeInput('b', '2');
  assert.deepEqual(pairs(output), [
    ['a', '1'],
    ['b', '2'],
  ]);
  assert.deepEqual(peeked, ['a=1']);
  assert.deepEqual(each, ['b=2']);
});

test('to with Produced serdes and a StreamPartitioner', () => {
  const partitions: number[] = [];
  const builder = new StreamsBuilder();
  builder
    .stream('in', Consumed.with(S, Serdes.Integer()))
    .mapValues((v) => BigInt(v) * 2n)
    .to(
      'out',
      Produced.with(S, Serdes.Long()).withStreamPartitioner((_t, _k, _v, n) => {
        partitions.push(n);
        return 0;
      }),
    );
  driver = new TopologyTestDriver(builder.build(), { 'application.id': 'p' });
  driver.createInputTopic('in', S.serializer(), Serdes.Integer().serializer()).pipeInput('k', 21);
  const out = driver.createOutputTopic('out', S.deserializer(), Serdes.Long().deserializer());
  assert.equal(out.readValue(), 42n);
  assert.deepEqual(partitions, [1]);
});

test('groupByKey().count() and the store behind it', () => {
  const builder = new StreamsBuilder();
  builder
    .stream('in', Consumed.with(S, S))
    .groupByKey()
    .count(Materialized.as('counts'))
    .toStream()
    .to('out', Produced.with(S, Serdes.Long()));
  driver = new TopologyTestDriver(builder.build(), { 'application.id': 'c' });
  const input = driver.createInputTopic('in', S.serializer(), S.serializer());
  for (const k of ['a', 'b', 'a', 'a']) input.pipeInput(k, 'x');
  input.pipeInput(null, 'dropped: null key');
  input.pipeInput('b', null); // dropped: null value
  const out = driver.createOutputTopic('out', S.deserializer(), Serdes.Long().deserializer());
  assert.deepEqual(
    out.readKeyValuesToList().map((kv) => [kv.key, kv.value]),
    [
      ['a', 1n],
      ['b', 1n],
      ['a', 2n],
      ['a', 3n],
    ],
  );
  const store = driver.getKeyValueStore<string, bigint>('counts');
  assert.equal(store.get('a'), 3n);
  assert.deepEqual(
    [...store.all()].map((kv) => [kv.key, kv.value]),
    [
      ['a', 3n],
      ['b', 1n],
    ],
  );
});

test('groupBy goes through the repartition topic (which carries the application id)', () => {
  const builder = new StreamsBuilder();
  builder
    .stream<string, string>('in')
    .groupBy((_k, v) => v, Grouped.as('by-value'))
    .count()
    .toStream()
    .to('out', Produced.with(S, Serdes.Long()));
  driver = new TopologyTestDriver(builder.build(), CONFIG);
  const input = driver.createInputTopic('in', S.serializer(), S.serializer());
  input.pipeInput('1', 'x');
  input.pipeInput('2', 'y');
  input.pipeInput('3', 'x');
  const out = driver.createOutputTopic('out', S.deserializer(), Serdes.Long().deserializer());
  assert.deepEqual(
    [...out.readKeyValuesToMap()],
    [
      ['x', 2n],
      ['y', 1n],
    ],
  );
  assert.ok(driver.producedTopicNames().has('ops-KSTREAM-AGGREGATE-STATE-STORE-0000000001-changelog'));
});

test('reduce and aggregate', () => {
  const builder = new StreamsBuilder();
  const grouped = builder.stream('in', Consumed.with(S, Serdes.Integer())).groupByKey();
  grouped
    .reduce((a, b) => a + b, Materialized.as(Stores.inMemoryKeyValueStore('sums')))
    .toStream()
    .to('sums', Produced.with(S, Serdes.Integer()));
  grouped
    .aggregate(
      () => '',
      (_k, v, agg) => `${agg}${v}`,
      Materialized.with(S, S),
    )
    .toStream()
    .to('concat', Produced.with(S, S));
  driver = new TopologyTestDriver(builder.build(), { 'application.id': 'r' });
  const input = driver.createInputTopic('in', S.serializer(), Serdes.Integer().serializer());
  input.pipeKeyValueList([KeyValue.pair('a', 1), KeyValue.pair('a', 2), KeyValue.pair('b', 5), KeyValue.pair('a', 3)]);
  const sums = driver.createOutputTopic('sums', S.deserializer(), Serdes.Integer().deserializer());
  assert.deepEqual(
    sums.readKeyValuesToList().map((kv) => [kv.key, kv.value]),
    [
      ['a', 1],
      ['a', 3],
      ['b', 5],
      ['a', 6],
    ],
  );
  const concat = driver.createOutputTopic('concat', S.deserializer(), S.deserializer());
  assert.deepEqual(
    [...concat.readKeyValuesToMap()],
    [
      ['a', '123'],
      ['b', '5'],
    ],
  );
  assert.equal(driver.getKeyValueStore<string, number>('sums').get('a'), 6);
});

test('KTable filter sends a tombstone when a key stops matching; mapValues; builder.table', () => {
  const builder = new StreamsBuilder();
  const table = builder.stream('in', Consumed.with(S, S)).groupByKey().count();
  table
    .filter((_k, n) => n % 2n === 0n)
    .mapValues((n) => `even:${n}`)
    .toStream()
    .to('out', Produced.with(S, S));
  builder
    .table('users', Consumed.with(S, S), Materialized.as('users-store'))
    .filterNot((_k, v) => v === 'hidden')
    .toStream()
    .to('users-out', Produced.with(S, S));
  driver = new TopologyTestDriver(builder.build(), { 'application.id': 't' });
  const input = driver.createInputTopic('in', S.serializer(), S.serializer());
  for (let i = 0; i < 3; i++) input.pipeInput('a', 'x');
  const out = driver.createOutputTopic('out', S.deserializer(), S.deserializer());
  // count 1: no match, nothing; 2: matches; 3: no longer matches, a tombstone.
  assert.deepEqual(
    out.readKeyValuesToList().map((kv) => [kv.key, kv.value]),
    [
      ['a', 'even:2'],
      ['a', null],
    ],
  );
  const users = driver.createInputTopic('users', S.serializer(), S.serializer());
  users.pipeInput('u1', 'alice');
  users.pipeInput('u2', 'hidden');
  users.pipeInput('u1', null);
  const usersOut = driver.createOutputTopic('users-out', S.deserializer(), S.deserializer());
  assert.deepEqual(
    usersOut.readKeyValuesToList().map((kv) => [kv.key, kv.value]),
    [
      ['u1', 'alice'],
      ['u1', null],
    ],
  );
  assert.equal(driver.getKeyValueStore<string, string>('users-store').get('u1'), null);
});

test('default serdes come from the config, and a missing one fails naming the setting', () => {
  const builder = new StreamsBuilder();
  builder.stream<string, string>('in').to('out');
  driver = new TopologyTestDriver(builder.build(), {
    'default.key.serde': 'org.apache.kafka.common.serialization.Serdes$StringSerde',
  });
  const input = driver.createInputTopic('in', S.serializer(), S.serializer());
  assert.throws(() => input.pipeInput('k', 'v'), /default\.value\.serde/);
});

test('repartition(): Java names, no second repartition before a grouping, records flow through', () => {
  const builder = new StreamsBuilder();
  builder
    .stream<string, string>('in')
    .selectKey((_k, v) => v)
    .repartition()
    .groupByKey()
    .count()
    .toStream()
    .to('out', Produced.with(S, Serdes.Long()));
  const topology = builder.build();
  assert.deepEqual(topology.internalTopicNames(), ['KSTREAM-REPARTITION-0000000002-repartition']);
  assert.match(
    topology.describe().toString(),
    /Processor: KSTREAM-AGGREGATE-0000000007 \(stores: \[KSTREAM-AGGREGATE-STATE-STORE-0000000006\]\)/,
  );
  driver = new TopologyTestDriver(topology, CONFIG);
  const input = driver.createInputTopic('in', S.serializer(), S.serializer());
  for (const v of ['x', 'y', 'x']) input.pipeInput('k', v);
  const out = driver.createOutputTopic('out', S.deserializer(), Serdes.Long().deserializer());
  assert.deepEqual(
    [...out.readKeyValuesToMap()],
    [
      ['x', 2n],
      ['y', 1n],
    ],
  );

  const named = new StreamsBuilder();
  named
    .stream<string, string>('in')
    .repartition(Repartitioned.as<string, string>('by-user').withNumberOfPartitions(5))
    .to('out');
  const namedTopology = named.build();
  assert.deepEqual(namedTopology.internalTopicNames(), ['by-user-repartition']);
  assert.equal(namedTopology.internalTopicPartitions('by-user-repartition'), 5);
  assert.match(namedTopology.describe().toString(), /Sink: by-user-repartition-sink \(topic: by-user-repartition\)/);
});

test('toTable(): latest value per key, tombstones delete; after a key change, a repartition topic', () => {
  const builder = new StreamsBuilder();
  builder.stream<string, string>('in').toTable().toStream().to('out');
  const topology = builder.build();
  assert.match(
    topology.describe().toString(),
    /Processor: KSTREAM-TOTABLE-0000000001 \(stores: \[KSTREAM-TOTABLE-STATE-STORE-0000000002\]\)/,
  );
  driver = new TopologyTestDriver(topology, CONFIG);
  const input = driver.createInputTopic('in', S.serializer(), S.serializer());
  input.pipeInput('a', '1');
  input.pipeInput('a', '2');
  input.pipeInput('b', '3');
  input.pipeInput('a', null);
  const out = driver.createOutputTopic('out', S.deserializer(), S.deserializer());
  assert.deepEqual(pairs(out), [
    ['a', '1'],
    ['a', '2'],
    ['b', '3'],
    ['a', null],
  ]);
  const store = driver.getKeyValueStore<string, string>('KSTREAM-TOTABLE-STATE-STORE-0000000002');
  assert.deepEqual(
    [...store.all()].map((kv) => [kv.key, kv.value]),
    [['b', '3']],
  );

  const rekeyed = new StreamsBuilder();
  rekeyed
    .stream<string, string>('in')
    .selectKey((_k, v) => v)
    .toTable(Materialized.as('by-value'));
  assert.deepEqual(rekeyed.build().internalTopicNames(), ['KSTREAM-TOTABLE-0000000002-repartition']);
});

test("print(): Java's [label]: key, value lines, to a file or standard output", () => {
  const dir = mkdtempSync(join(tmpdir(), 'samsa-streams-print-'));
  try {
    const file = join(dir, 'printed.txt');
    const builder = new StreamsBuilder();
    const s = builder.stream<string, string>('in');
    s.print(Printed.toFile<string, string>(file));
    s.print(
      Printed.toFile<string, string>(file)
        .withLabel('upper')
        .withKeyValueMapper((k, v) => `${k}=${v.toUpperCase()}`),
    );
    driver = new TopologyTestDriver(builder.build(), CONFIG);
    driver.createInputTopic('in', S.serializer(), S.serializer()).pipeInput('k', 'v');
    assert.equal(readFileSync(file, 'utf8'), '[KSTREAM-PRINTER-0000000001]: k, v\n[upper]: k=V\n');
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('through(topic) (deprecated in Java 2.6): a sink, then a new sub-topology reading the topic with the same serdes', () => {
  const builder = new StreamsBuilder();
  builder
    .stream<string, string>('in')
    .mapValues((v) => v.toUpperCase())
    .through('middle', Produced.with(S, S))
    .mapValues((v) => `${v}!`)
    .to('out');
  const topology = builder.build();
  const described = topology.describe().toString();
  assert.match(described, /Sink: KSTREAM-SINK-0000000002 \(topic: middle\)/);
  assert.match(described, /Sub-topology: 1\n {4}Source: KSTREAM-SOURCE-0000000003 \(topics: \[middle\]\)/);
  assert.deepEqual(topology.internalTopicNames(), [], 'the topic is the application’s, not internal');
  driver = new TopologyTestDriver(topology, CONFIG);
  driver.createInputTopic('in', S.serializer(), S.serializer()).pipeInput('k', 'hello');
  const middle = driver.createOutputTopic('middle', S.deserializer(), S.deserializer());
  assert.deepEqual(middle.readKeyValue(), new KeyValue('k', 'HELLO'));
  const out = driver.createOutputTopic('out', S.deserializer(), S.deserializer());
  assert.deepEqual(out.readKeyValue(), new KeyValue('k', 'HELLO!'));
});
