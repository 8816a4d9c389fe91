import assert from 'node:assert/strict';
import { test } from 'node:test';
import { JoinWindows } from '../../src/dsl/join-windows.js';
import { StreamJoined } from '../../src/dsl/stream-joined.js';
import { StreamsBuilder } from '../../src/dsl/streams-builder.js';
import { javaHashSetOrder } from '../../src/processor/topology-description.js';

// What Java's `builder.build().describe()` prints for the same join programs (Kafka 3.x; the
// inner join is TopologyTest#streamStreamJoinTopologyWithDefaultStoresNames). Note the merge's
// predecessors (JOINTHIS before JOINOTHER: Java's insertion-time TreeSet order) and a processor's
// stores in HashSet order.

const JAVA_INNER = `Topologies:
   Sub-topology: 0
    Source: KSTREAM-SOURCE-0000000000 (topics: [left])
      --> KSTREAM-WINDOWED-0000000002
    Source: KSTREAM-SOURCE-0000000001 (topics: [right])
      --> KSTREAM-WINDOWED-0000000003
    Processor: KSTREAM-WINDOWED-0000000002 (stores: [KSTREAM-JOINTHIS-0000000004-store])
      --> KSTREAM-JOINTHIS-0000000004
      <-- KSTREAM-SOURCE-0000000000
    Processor: KSTREAM-WINDOWED-0000000003 (stores: [KSTREAM-JOINOTHER-0000000005-store])
      --> KSTREAM-JOINOTHER-0000000005
      <-- KSTREAM-SOURCE-0000000001
    Processor: KSTREAM-JOINOTHER-0000000005 (stores: [KSTREAM-JOINTHIS-0000000004-store])
      --> KSTREAM-MERGE-0000000006
      <-- KSTREAM-WINDOWED-0000000003
    Processor: KSTREAM-JOINTHIS-0000000004 (stores: [KSTREAM-JOINOTHER-0000000005-store])
      --> KSTREAM-MERGE-0000000006
      <-- KSTREAM-WINDOWED-0000000002
    Processor: KSTREAM-MERGE-0000000006 (stores: [])
      --> KSTREAM-SINK-0000000007
      <-- KSTREAM-JOINTHIS-0000000004, KSTREAM-JOINOTHER-0000000005
    Sink: KSTREAM-SINK-0000000007 (topic: out)
      <-- KSTREAM-MERGE-0000000006

`;

const JAVA_LEFT = `Topologies:
   Sub-topology: 0
    Source: KSTREAM-SOURCE-0000000000 (topics: [left])
      --> KSTREAM-WINDOWED-0000000002
    Source: KSTREAM-SOURCE-0000000001 (topics: [right])
      --> KSTREAM-WINDOWED-0000000003
    Processor: KSTREAM-WINDOWED-0000000002 (stores: [KSTREAM-JOINTHIS-0000000004-store])
      --> KSTREAM-JOINTHIS-0000000004
      <-- KSTREAM-SOURCE-0000000000
    Processor: KSTREAM-WINDOWED-0000000003 (stores: [KSTREAM-OUTEROTHER-0000000005-store])
      --> KSTREAM-OUTEROTHER-0000000005
      <-- KSTREAM-SOURCE-0000000001
    Processor: KSTREAM-JOINTHIS-0000000004 (stores: [KSTREAM-OUTEROTHER-0000000005-store, KSTREAM-OUTERSHARED-0000000004-store])
      --> KSTREAM-MERGE-0000000006
      <-- KSTREAM-WINDOWED-0000000002
    Processor: KSTREAM-OUTEROTHER-0000000005 (stores: [KSTREAM-JOINTHIS-0000000004-store, KSTREAM-OUTERSHARED-0000000004-store])
      --> KSTREAM-MERGE-0000000006
      <-- KSTREAM-WINDOWED-0000000003
    Processor: KSTREAM-MERGE-0000000006 (stores: [])
      --> KSTREAM-SINK-0000000007
      <-- KSTREAM-JOINTHIS-0000000004, KSTREAM-OUTEROTHER-0000000005
    Sink: KSTREAM-SINK-0000000007 (topic: out)
      <-- KSTREAM-MERGE-0000000006

`;

const JAVA_OUTER = `Topologies:
   Sub-topology: 0
    Source: KSTREAM-SOURCE-0000000000 (topics: [left])
      --> KSTREAM-WINDOWED-0000000002
    Source: KSTREAM-SOURCE-0000000001 (topics: [right])
      --> KSTREAM-WINDOWED-0000000003
    Processor: KSTREAM-WINDOWED-0000000002 (stores: [KSTREAM-OUTERTHIS-0000000004-store])
      --> KSTREAM-OUTERTHIS-0000000004
      <-- KSTREAM-SOURCE-0000000000
    Processor: KSTREAM-WINDOWED-0000000003 (stores: [KSTREAM-OUTEROTHER-0000000005-store])
      --> KSTREAM-OUTEROTHER-0000000005
      <-- KSTREAM-SOURCE-0000000001
    Processor: KSTREAM-OUTEROTHER-0000000005 (stores: [KSTREAM-OUTERTHIS-0000000004-store, KSTREAM-OUTERSHARED-0000000004-store])
      --> KSTREAM-MERGE-0000000006
      <-- KSTREAM-WINDOWED-0000000003
    Processor: KSTREAM-OUTERTHIS-0000000004 (stores: [KSTREAM-OUTEROTHER-0000000005-store, KSTREAM-OUTERSHARED-0000000004-store])
      --> KSTREAM-MERGE-0000000006
      <-- KSTREAM-WINDOWED-0000000002
    Processor: KSTREAM-MERGE-0000000006 (stores: [])
      --> KSTREAM-SINK-0000000007
      <-- KSTREAM-OUTERTHIS-0000000004, KSTREAM-OUTEROTHER-0000000005
    Sink: KSTREAM-SINK-0000000007 (topic: out)
      <-- KSTREAM-MERGE-0000000006

`;

const JAVA_STREAM_TABLE = `Topologies:
   Sub-topology: 0
    Source: KSTREAM-SOURCE-0000000000 (topics: [orders])
      --> KSTREAM-JOIN-0000000004
    Processor: KSTREAM-JOIN-0000000004 (stores: [customers-STATE-STORE-0000000001])
      --> KSTREAM-SINK-0000000005
      <-- KSTREAM-SOURCE-0000000000
    Source: KSTREAM-SOURCE-0000000002 (topics: [customers])
      --> KTABLE-SOURCE-0000000003
    Sink: KSTREAM-SINK-0000000005 (topic: out)
      <-- KSTREAM-JOIN-0000000004
    Processor: KTABLE-SOURCE-0000000003 (stores: [customers-STATE-STORE-0000000001])
      --> none
      <-- KSTREAM-SOURCE-0000000002

`;

const JAVA_TABLE_TABLE = `Topologies:
   Sub-topology: 0
    Source: KSTREAM-SOURCE-0000000001 (topics: [left])
      --> KTABLE-SOURCE-0000000002
    Source: KSTREAM-SOURCE-0000000004 (topics: [right])
      --> KTABLE-SOURCE-0000000005
    Processor: KTABLE-SOURCE-0000000002 (stores: [left-STATE-STORE-0000000000])
      --> KTABLE-JOINTHIS-0000000007
      <-- KSTREAM-SOURCE-0000000001
    Processor: KTABLE-SOURCE-0000000005 (stores: [right-STATE-STORE-0000000003])
      --> KTABLE-JOINOTHER-0000000008
      <-- KSTREAM-SOURCE-0000000004
    Processor: KTABLE-JOINOTHER-0000000008 (stores: [left-STATE-STORE-0000000000])
      --> KTABLE-MERGE-0000000006
      <-- KTABLE-SOURCE-0000000005
    Processor: KTABLE-JOINTHIS-0000000007 (stores: [right-STATE-STORE-0000000003])
      --> KTABLE-MERGE-0000000006
      <-- KTABLE-SOURCE-0000000002
    Processor: KTABLE-MERGE-0000000006 (stores: [])
      --> KTABLE-TOSTREAM-0000000009
      <-- KTABLE-JOINTHIS-0000000007, KTABLE-JOINOTHER-0000000008
    Processor: KTABLE-TOSTREAM-0000000009 (stores: [])
      --> KSTREAM-SINK-0000000010
      <-- KTABLE-MERGE-0000000006
    Sink: KSTREAM-SINK-0000000010 (topic: out)
      <-- KTABLE-TOSTREAM-0000000009

`;

const JAVA_GLOBAL = `Topologies:
   Sub-topology: 0 for global store (will not generate tasks)
    Source: KSTREAM-SOURCE-0000000001 (topics: [users])
      --> KTABLE-SOURCE-0000000002
    Processor: KTABLE-SOURCE-0000000002 (stores: [users-STATE-STORE-0000000000])
      --> none
      <-- KSTREAM-SOURCE-0000000001
  Sub-topology: 1
    Source: KSTREAM-SOURCE-0000000003 (topics: [clicks])
      --> KSTREAM-JOIN-0000000004
    Processor: KSTREAM-JOIN-0000000004 (stores: [])
      --> KSTREAM-SINK-0000000005
      <-- KSTREAM-SOURCE-0000000003
    Sink: KSTREAM-SINK-0000000005 (topic: out)
      <-- KSTREAM-JOIN-0000000004

`;

const joiner = (a: unknown, b: unknown) => `${a}${b}`;

test('stream-stream join, leftJoin and outerJoin describe as in Java', () => {
  const windows = JoinWindows.ofTimeDifferenceWithNoGrace(100);
  let b = new StreamsBuilder();
  b.stream('left').join(b.stream('right'), joiner, windows).to('out');
  assert.equal(b.build().describe().toString(), JAVA_INNER);
  b = new StreamsBuilder();
  b.stream('left').leftJoin(b.stream('right'), joiner, windows).to('out');
  assert.equal(b.build().describe().toString(), JAVA_LEFT);
  b = new StreamsBuilder();
  b.stream('left').outerJoin(b.stream('right'), joiner, windows).to('out');
  assert.equal(b.build().describe().toString(), JAVA_OUTER);
});

test('stream-table, table-table and stream-globalTable joins describe as in Java', () => {
  let b = new StreamsBuilder();
  b.stream('orders').join(b.table('customers'), joiner).to('out');
  assert.equal(b.build().describe().toString(), JAVA_STREAM_TABLE);
  b = new StreamsBuilder();
  b.table('left').join(b.table('right'), joiner).toStream().to('out');
  assert.equal(b.build().describe().toString(), JAVA_TABLE_TABLE);
  b = new StreamsBuilder();
  const users = b.globalTable('users');
  b.stream('clicks')
    .join(users, (k) => k, joiner)
    .to('out');
  assert.equal(b.build().describe().toString(), JAVA_GLOBAL);
});

test('StreamJoined names the processors and the stores (and so the changelogs)', () => {
  const b = new StreamsBuilder();
  b.stream('left')
    .leftJoin(
      b.stream('right'),
      joiner,
      JoinWindows.ofTimeDifferenceWithNoGrace(100),
      StreamJoined.as('orders').withName('enrich'),
    )
    .to('out');
  const text = b.build().describe().toString();
  for (const name of [
    'Processor: enrich-this-windowed (stores: [orders-this-join-store])',
    'Processor: enrich-other-windowed (stores: [orders-outer-other-join-store])',
    'Processor: enrich-this-join',
    'Processor: enrich-other-join',
    'Processor: enrich-merge (stores: [])',
    'orders-left-shared-join-store',
    'Sink: KSTREAM-SINK-0000000004 (topic: out)',
  ]) {
    assert.ok(text.includes(name), `${name} in\n${text}`);
  }
});

test('stores print in java.util.HashSet order (bucket of String.hashCode), not sorted', () => {
  // "Aa" and "BB" share a hash (2112): same bucket, insertion order kept.
  assert.deepEqual(javaHashSetOrder(['BB', 'Aa']), ['BB', 'Aa']);
  assert.deepEqual(javaHashSetOrder(['b', 'a']), ['a', 'b']); // buckets 2 and 1
  assert.deepEqual(javaHashSetOrder(['q', 'a']), ['q', 'a']); // 113 & 15 = 97 & 15 = 1: insertion order
});
