import assert from 'node:assert/strict';
import { test } from 'node:test';
import { Grouped } from '../../src/dsl/grouped.js';
import { Materialized } from '../../src/dsl/materialized.js';
import { Produced } from '../../src/dsl/produced.js';
import { StreamsBuilder } from '../../src/dsl/streams-builder.js';
import { Topology } from '../../src/processor/topology.js';
import { TopologyException } from '../../src/processor/topology-exception.js';
import { Serdes } from '../../src/serde/serdes.js';
import { Stores } from '../../src/state/stores.js';

// Java's WordCountDemo prints exactly this for the same program (Kafka 2.x–3.x).
const JAVA_WORD_COUNT = `Topologies:
   Sub-topology: 0
    Source: KSTREAM-SOURCE-0000000000 (topics: [word-topic])
      --> KSTREAM-FLATMAPVALUES-0000000001
    Processor: KSTREAM-FLATMAPVALUES-0000000001 (stores: [])
      --> KSTREAM-KEY-SELECT-0000000002
      <-- KSTREAM-SOURCE-0000000000
    Processor: KSTREAM-KEY-SELECT-0000000002 (stores: [])
      --> KSTREAM-FILTER-0000000006
      <-- KSTREAM-FLATMAPVALUES-0000000001
    Processor: KSTREAM-FILTER-0000000006 (stores: [])
      --> KSTREAM-SINK-0000000005
      <-- KSTREAM-KEY-SELECT-0000000002
    Sink: KSTREAM-SINK-0000000005 (topic: KSTREAM-AGGREGATE-STATE-STORE-0000000003-repartition)
      <-- KSTREAM-FILTER-0000000006

  Sub-topology: 1
    Source: KSTREAM-SOURCE-0000000007 (topics: [KSTREAM-AGGREGATE-STATE-STORE-0000000003-repartition])
      --> KSTREAM-AGGREGATE-0000000004
    Processor: KSTREAM-AGGREGATE-0000000004 (stores: [KSTREAM-AGGREGATE-STATE-STORE-0000000003])
      --> KTABLE-TOSTREAM-0000000008
      <-- KSTREAM-SOURCE-0000000007
    Processor: KTABLE-TOSTREAM-0000000008 (stores: [])
      --> KSTREAM-SINK-0000000009
      <-- KSTREAM-AGGREGATE-0000000004
    Sink: KSTREAM-SINK-0000000009 (topic: result-topic)
      <-- KTABLE-TOSTREAM-0000000008

`;

test("the word count's description is Java's, character for character", () => {
  const builder = new StreamsBuilder();
  builder
    .stream<string, string>('word-topic')
    .flatMapValues((v) => v.toLowerCase().split(/\W+/))
    .groupBy((_k, v) => v)
    .count()
    .toStream()
    .to('result-topic', Produced.with(Serdes.String(), Serdes.Long()));
  const topology = builder.build();
  assert.equal(topology.describe().toString(), JAVA_WORD_COUNT);
  assert.deepEqual(topology.internalTopicNames(), ['KSTREAM-AGGREGATE-STATE-STORE-0000000003-repartition']);
});

test('a Grouped name names the repartition topic and its nodes; Materialized.as names the store', () => {
  const builder = new StreamsBuilder();
  builder
    .stream<string, string>('in')
    .groupBy((_k, v) => v, Grouped.as('by-word'))
    .count(Materialized.as('counts-store'))
    .toStream()
    .to('out');
  const text = builder.build().describe().toString();
  assert.match(text, /Processor: by-word \(stores: \[\]\)\n {6}--> by-word-repartition-filter/);
  assert.match(text, /Sink: by-word-repartition-sink \(topic: by-word-repartition\)/);
  assert.match(text, /Source: by-word-repartition-source \(topics: \[by-word-repartition\]\)/);
  assert.match(text, /Processor: KSTREAM-AGGREGATE-0000000001 \(stores: \[counts-store\]\)/);

  // Without a Grouped name, a named store names the repartition topic.
  const other = new StreamsBuilder();
  other
    .stream<string, string>('in')
    .selectKey((_k, v) => v)
    .groupByKey()
    .count(Materialized.as('counts-store'));
  assert.deepEqual(other.build().internalTopicNames(), ['counts-store-repartition']);

  // groupByKey on an unchanged key needs no repartition topic: one sub-topology.
  const direct = new StreamsBuilder();
  direct.stream<string, string>('in').groupByKey().count();
  assert.equal(direct.build().subtopologies().length, 1);
  assert.deepEqual(direct.build().internalTopicNames(), []);
});

test('Processor API: describe shows stores, fan-out ordered by sub-tree size then name', () => {
  const topology = new Topology()
    .addSource('Source', 'source-topic')
    .addProcessor('Process', () => ({ process() {} }), 'Source')
    .addStateStore(
      Stores.keyValueStoreBuilder(Stores.inMemoryKeyValueStore('Counts'), Serdes.String(), Serdes.Long()),
      'Process',
    )
    .addProcessor('A', () => ({ process() {} }), 'Process')
    .addSink('Sink', 'sink-topic', 'Process')
    .addSink('SinkA', 'a-topic', 'A');
  assert.equal(
    topology.describe().toString(),
    `Topologies:
   Sub-topology: 0
    Source: Source (topics: [source-topic])
      --> Process
    Processor: Process (stores: [Counts])
      --> A, Sink
      <-- Source
    Processor: A (stores: [])
      --> SinkA
      <-- Process
    Sink: Sink (topic: sink-topic)
      <-- Process
    Sink: SinkA (topic: a-topic)
      <-- A

`,
  );
});

test('sub-topologies are numbered by sorted source names; shared stores join them', () => {
  const topology = new Topology()
    .addSource('b-source', 'b')
    .addSource('a-source', 'a')
    .addProcessor('pb', () => ({ process() {} }), 'b-source')
    .addProcessor('pa', () => ({ process() {} }), 'a-source');
  const subs = topology.subtopologies();
  assert.deepEqual(
    subs.map((s) => s.sourceTopics),
    [['a'], ['b']],
  );
  topology.addStateStore(Stores.keyValueStoreBuilder(Stores.inMemoryKeyValueStore('shared')), 'pa', 'pb');
  assert.equal(topology.subtopologies().length, 1);
});

test('invalid topologies are refused as Java refuses them', () => {
  const t = new Topology().addSource('s', 'x');
  assert.throws(() => t.addSource('s2', 'x'), TopologyException);
  assert.throws(() => t.addSource('s', 'y'), /Processor s is already added/);
  assert.throws(
    () => t.addProcessor('p', () => ({ process() {} }), 'missing'),
    /Parent processor missing is not added yet for p/,
  );
  t.addSink('k', 'out', 's');
  assert.throws(() => t.addProcessor('p2', () => ({ process() {} }), 'k'), /Sink k cannot be used a parent/);
});
