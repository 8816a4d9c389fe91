import assert from 'node:assert/strict';
import { test } from 'node:test';
import { Produced } from '../../src/dsl/produced.js';
import { StreamsBuilder } from '../../src/dsl/streams-builder.js';
import type { RecordContext } from '../../src/processor/topic-name-extractor.js';
import { Topology } from '../../src/processor/topology.js';
import { Serdes } from '../../src/serde/serdes.js';
import { TopologyTestDriver } from '../../src/test-utils/topology-test-driver.js';

const S = Serdes.String();
const L = Serdes.Long();

test('to(TopicNameExtractor): each record goes to the topic the extractor names, with Produced serdes', () => {
  const builder = new StreamsBuilder();
  const contexts: string[] = [];
  const byRegion = (key: string, _value: bigint, context: RecordContext) => {
    contexts.push(`${context.topic()}-${context.partition()}@${context.offset()} t=${context.timestamp()}`);
    return `orders-${key.split(':')[0]}`;
  };
  builder
    .stream<string, string>('orders')
    .mapValues((v) => BigInt(v.length))
    .to(byRegion, Produced.with(S, L));
  const text = builder.build().describe().toString();
  // Java prints the extractor's toString(); here its function name.
  assert.match(
    text,
    /Sink: KSTREAM-SINK-0000000002 \(extractor class: byRegion\)\n {6}<-- KSTREAM-MAPVALUES-0000000001/,
  );

  const driver = new TopologyTestDriver(builder.build(), { 'default.key.serde': S, 'default.value.serde': S });
  try {
    const input = driver.createInputTopic('orders', S.serializer(), S.serializer());
    input.pipeInput('eu:1', 'pen', 10);
    input.pipeInput('us:2', 'notebook', 20);
    input.pipeInput('eu:3', 'ink', 30);
    const read = (t: string) => driver.createOutputTopic(t, S.deserializer(), L.deserializer()).readKeyValuesToList();
    assert.deepEqual(
      read('orders-eu').map((kv) => [kv.key, kv.value]),
      [
        ['eu:1', 3n],
        ['eu:3', 3n],
      ],
    );
    assert.deepEqual(
      read('orders-us').map((kv) => [kv.key, kv.value]),
      [['us:2', 8n]],
    );
    assert.deepEqual(contexts, ['orders-0@0 t=10', 'orders-0@1 t=20', 'orders-0@2 t=30']);
  } finally {
    driver.close();
  }
});

test('Topology.addSink with an extractor object (Java: a class implementing extract)', () => {
  class ByFirstLetter {
    extract(key: string): string {
      return `letter-${key[0]}`;
    }
  }
  const topology = new Topology()
    .addSource('src', 'in')
    .addSink('sink', new ByFirstLetter(), S.serializer(), S.serializer(), 'src');
  assert.match(topology.describe().toString(), /Sink: sink \(extractor class: ByFirstLetter\)\n {6}<-- src/);
  const driver = new TopologyTestDriver(topology, { 'default.key.serde': S, 'default.value.serde': S });
  try {
    const input = driver.createInputTopic('in', S.serializer(), S.serializer());
    input.pipeInput('apple', '1');
    input.pipeInput('banana', '2');
    const read = (t: string) => driver.createOutputTopic(t, S.deserializer(), S.deserializer()).readValuesToList();
    assert.deepEqual(read('letter-a'), ['1']);
    assert.deepEqual(read('letter-b'), ['2']);
  } finally {
    driver.close();
  }
});

test('an extractor that returns no topic name fails the record with a clear error', () => {
  const builder = new StreamsBuilder();
  builder.stream<string, string>('in').to(() => '');
  const driver = new TopologyTestDriver(builder.build(), { 'default.key.serde': S, 'default.value.serde': S });
  try {
    const input = driver.createInputTopic('in', S.serializer(), S.serializer());
    assert.throws(() => input.pipeInput('k', 'v'), /TopicNameExtractor <anonymous> returned no topic name/);
  } finally {
    driver.close();
  }
});
