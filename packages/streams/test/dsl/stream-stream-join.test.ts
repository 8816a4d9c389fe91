import assert from 'node:assert/strict';
import { afterEach, test } from 'node:test';
import { Consumed } from '../../src/dsl/consumed.js';
import { JoinWindows } from '../../src/dsl/join-windows.js';
import type { KStream } from '../../src/dsl/kstream.js';
import { Produced } from '../../src/dsl/produced.js';
import { StreamJoined } from '../../src/dsl/stream-joined.js';
import { StreamsBuilder } from '../../src/dsl/streams-builder.js';
import { Serdes } from '../../src/serde/serdes.js';
import { Stores } from '../../src/state/stores.js';
import type { TestInputTopic } from '../../src/test-utils/test-input-topic.js';
import { TopologyTestDriver } from '../../src/test-utils/topology-test-driver.js';

// Stream–stream windowed joins through TopologyTestDriver, with Kafka 3.x semantics: inner joins
// emit each pair once (timestamp: the later of the two); left/outer joins emit a record without
// partner only when its window (plus grace) has closed, never a spurious (v, null) first.

const S = Serdes.String();
let driver: TopologyTestDriver | undefined;

afterEach(() => {
  driver?.close();
  driver = undefined;
});

type Join = (l: KStream<string, string>, r: KStream<string, string>) => KStream<string, string>;
const joiner = (l: string | null, r: string | null) => `${l}+${r}`;

function setup(join: Join): {
  left: TestInputTopic<string, string>;
  right: TestInputTopic<string, string>;
  read: () => string[];
} {
  const builder = new StreamsBuilder();
  const l = builder.stream('left', Consumed.with(S, S));
  const r = builder.stream('right', Consumed.with(S, S));
  join(l, r).to('out', Produced.with(S, S));
  driver = new TopologyTestDriver(builder.build(), { 'application.id': 'ssj' });
  const out = driver.createOutputTopic('out', S.deserializer(), S.deserializer());
  return {
    left: driver.createInputTopic('left', S.serializer(), S.serializer()),
    right: driver.createInputTopic('right', S.serializer(), S.serializer()),
    read: () => out.readRecordsToList().map((rec) => `${rec.key}:${rec.value}@${rec.timestamp}`),
  };
}

test('inner join: pairs within the window, both orders, out of order within the window; late records dropped', () => {
  const { left, right, read } = setup((l, r) => l.join(r, joiner, JoinWindows.ofTimeDifferenceWithNoGrace(100)));
  left.pipeInput('a', 'L1', 0);
  right.pipeInput('a', 'R1', 50);
  right.pipeInput('b', 'Rb', 60); // other key: never joins a
  right.pipeInput('a', 'R2', 200); // 200 - 0 > 100: no pair with L1
  left.pipeInput('a', 'L2', 150); // pairs with R1 (|150-50| = 100) and R2
  left.pipeInput('a', 'L3', 120); // out of order, window still open: R1 and R2
  left.pipeInput('a', 'L4', 50); // 50 + 100 < stream time 200: its window closed, dropped
  assert.deepEqual(read(), ['a:L1+R1@50', 'a:L2+R1@150', 'a:L2+R2@200', 'a:L3+R1@120', 'a:L3+R2@200']);
});

test('before/after make the window asymmetric, mirrored for the other side', () => {
  const { left, right, read } = setup((l, r) =>
    l.join(r, joiner, JoinWindows.ofTimeDifferenceWithNoGrace(0).after(100)),
  );
  left.pipeInput('a', 'L', 100);
  right.pipeInput('a', 'R0', 99); // before L: outside [100, 200]
  right.pipeInput('a', 'R1', 150); // inside
  right.pipeInput('a', 'R2', 200); // inside (inclusive)
  right.pipeInput('a', 'R3', 201); // outside
  assert.deepEqual(read(), ['a:L+R1@150', 'a:L+R2@200']);
});

test('left join: no spurious (L, null); non-joined results only once the window closes', () => {
  const { left, right, read } = setup((l, r) => l.leftJoin(r, joiner, JoinWindows.ofTimeDifferenceWithNoGrace(100)));
  left.pipeInput('a', 'L1', 0);
  right.pipeInput('a', 'R1', 50);
  left.pipeInput('b', 'Lb', 10);
  assert.deepEqual(read(), ['a:L1+R1@50']);
  right.pipeInput('c', 'Rc', 100); // right-only records never produce output in a left join
  left.pipeInput('d', 'Ld', 111); // stream time 111: Lb's window [.., 110] has closed
  assert.deepEqual(read(), ['b:Lb+null@10']);
  left.pipeInput('d', 'Ld2', 300);
  assert.deepEqual(read(), ['d:Ld+null@111']);
});

test('left join with grace: a late partner within grace still joins; an out-of-order record past its window is emitted at once', () => {
  const { left, right, read } = setup((l, r) => l.leftJoin(r, joiner, JoinWindows.ofTimeDifferenceAndGrace(100, 50)));
  left.pipeInput('a', 'L1', 0);
  left.pipeInput('x', 'X', 140); // stream time 140: L1's window closed (100) but grace runs to 150
  right.pipeInput('a', 'R1', 90); // late but within grace: joins, and L1 is never emitted unjoined
  assert.deepEqual(read(), ['a:L1+R1@90']);
  left.pipeInput('y', 'Y', 400); // closes everything held: X
  assert.deepEqual(read(), ['x:X+null@140']);
  left.pipeInput('d', 'Ld', 260); // 260 + 100 < 400 but + grace 50 is not: kept, yet already past its window
  assert.deepEqual(read(), ['d:Ld+null@260']);
  left.pipeInput('e', 'Le', 100); // 100 + 100 + 50 < 400: dropped
  assert.deepEqual(read(), []);
});

test('outer join: unmatched records of both sides after their windows close, in timestamp order', () => {
  const { left, right, read } = setup((l, r) => l.outerJoin(r, joiner, JoinWindows.ofTimeDifferenceWithNoGrace(10)));
  left.pipeInput('a', 'La', 0);
  right.pipeInput('b', 'Rb', 5);
  right.pipeInput('c', 'Rc', 8);
  left.pipeInput('c', 'Lc', 9);
  assert.deepEqual(read(), ['c:Lc+Rc@9']);
  left.pipeInput('z', 'Lz', 100);
  assert.deepEqual(read(), ['a:La+null@0', 'b:null+Rb@5']);
});

test('null keys and null values: dropped by inner joins; a null-key record is emitted unjoined by a left join (KIP-962)', () => {
  const inner = setup((l, r) => l.join(r, joiner, JoinWindows.ofTimeDifferenceWithNoGrace(100)));
  inner.left.pipeInput(null as unknown as string, 'L', 0);
  inner.right.pipeInput(null as unknown as string, 'R', 0);
  inner.left.pipeInput('a', null as unknown as string, 0);
  inner.right.pipeInput('a', 'R', 0);
  assert.deepEqual(inner.read(), []);
  driver?.close();
  const left = setup((l, r) => l.leftJoin(r, joiner, JoinWindows.ofTimeDifferenceWithNoGrace(100)));
  left.left.pipeInput(null as unknown as string, 'L', 7);
  assert.deepEqual(left.read(), ['null:L+null@7']);
});

test('window stores keep duplicates, in memory through StreamJoined suppliers, with Java key bytes', () => {
  const { left, right, read } = setup((l, r) =>
    l.join(
      r,
      joiner,
      JoinWindows.ofTimeDifferenceWithNoGrace(100),
      StreamJoined.with(S, S, S)
        .withThisStoreSupplier(Stores.inMemoryWindowStore('this-store', 200, 200, true))
        .withOtherStoreSupplier(Stores.inMemoryWindowStore('other-store', 200, 200, true)),
    ),
  );
  left.pipeInput('a', 'L1', 10);
  left.pipeInput('a', 'L2', 10); // same key and timestamp: both kept (sequence numbers 1 and 2)
  right.pipeInput('a', 'R', 20);
  assert.deepEqual(read(), ['a:L1+R@20', 'a:L2+R@20']);
  const store = driver?.getStateStore('this-store');
  assert.equal(store?.persistent(), false);
  // The changelog carries WindowKeySchema keys: key bytes, 8-byte timestamp, 4-byte seqnum.
  const changelog = driver?.createOutputTopic(
    'ssj-this-store-changelog',
    Serdes.ByteArray().deserializer(),
    S.deserializer(),
  );
  const keys = changelog?.readKeyValuesToList().map((kv) => Buffer.from(kv.key as Uint8Array).toString('hex'));
  assert.deepEqual(keys, ['61000000000000000a00000001', '61000000000000000a00000002']);
});

test('left join: the shared outer store logs Java TimestampedKeyAndJoinSide keys and LeftOrRightValue values', () => {
  const { left, read } = setup((l, r) =>
    l.leftJoin(r, joiner, JoinWindows.ofTimeDifferenceWithNoGrace(100), StreamJoined.as('orders')),
  );
  left.pipeInput('k', 'v', 1);
  assert.deepEqual(read(), []);
  const changelog = driver?.createOutputTopic(
    'ssj-orders-left-shared-join-store-changelog',
    Serdes.ByteArray().deserializer(),
    Serdes.ByteArray().deserializer(),
  );
  const [entry] = changelog?.readKeyValuesToList() ?? [];
  assert.equal(Buffer.from(entry?.key as Uint8Array).toString('hex'), `0000000000000001${'01'}6b`);
  assert.equal(Buffer.from(entry?.value as Uint8Array).toString('hex'), '0176');
  assert.ok(driver?.getStateStore('orders-this-join-store'));
  assert.ok(driver?.getStateStore('orders-outer-other-join-store'));
});

test('JoinWindows validation', () => {
  assert.throws(() => JoinWindows.ofTimeDifferenceWithNoGrace(-1), /must not be negative/);
  assert.throws(() => JoinWindows.ofTimeDifferenceWithNoGrace(10).before(-20), /must not be negative/);
  assert.equal(JoinWindows.ofTimeDifferenceAndGrace(10, 5).size(), 20);
});

test('both sides repartitioned after a key change: `<name>-left/right-repartition`, then joined', () => {
  const builder = new StreamsBuilder();
  const l = builder.stream('left', Consumed.with(S, S)).selectKey((_k, v) => v.split(':')[0] as string);
  const r = builder.stream('right', Consumed.with(S, S)).selectKey((_k, v) => v.split(':')[0] as string);
  l.join(r, joiner, JoinWindows.ofTimeDifferenceWithNoGrace(100), StreamJoined.with(S, S, S).withName('j')).to(
    'out',
    Produced.with(S, S),
  );
  const text = builder.build().describe().toString();
  assert.match(text, /Sink: j-left-repartition-sink \(topic: j-left-repartition\)/);
  assert.match(text, /Source: j-right-repartition-source \(topics: \[j-right-repartition\]\)/);
  driver = new TopologyTestDriver(builder.build(), { 'application.id': 'ssj' });
  driver.createInputTopic('left', S.serializer(), S.serializer()).pipeInput('x', 'k:l', 1);
  driver.createInputTopic('right', S.serializer(), S.serializer()).pipeInput('y', 'k:r', 2);
  const out = driver.createOutputTopic('out', S.deserializer(), S.deserializer()).readKeyValuesToList();
  assert.deepEqual(
    out.map((kv) => `${kv.key}=${kv.value}`),
    ['k=k:l+k:r'],
  );
});
