/**
 * Transactions end to end on a single broker, with Samsa's client, KafkaJS, confluent-kafka
 * (Python, Debian's librdkafka) and kcat: commit and abort, read_committed consumers, offsets
 * sent in the transaction, a zombie producer fenced by a new instance, and Samsa's client ending
 * each transaction with EndTxn v5 (KIP-890 part 2: a new epoch every time).
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { Admin, Consumer, type ConsumerRecord, KafkaError, Producer } from '@samsa/client';
import { Kafka as SamsaKafkaJS } from '@samsa/client/kafkajs';
import { type BrokerProcess, requireCommand, requirePythonModule, run } from '@samsa/testkit';
import { Kafka, logLevel } from 'kafkajs';
import { createTopic, readRecords, startBroker, uniqueName, waitFor } from '../client/client-support.js';

/** Everything a consumer in `isolation` sees of `topic` (all partitions) up to the end, as strings. */
async function readAll(
  bootstrap: string,
  topic: string,
  partitions: number,
  isolation: 'read_committed' | 'read_uncommitted',
): Promise<string[]> {
  const consumer = new Consumer<string, string>({
    'bootstrap.servers': bootstrap,
    'auto.offset.reset': 'earliest',
    'isolation.level': isolation,
    'fetch.max.wait.ms': 50,
    'key.deserializer': 'string',
    'value.deserializer': 'string',
  });
  try {
    const tps = Array.from({ length: partitions }, (_, partition) => ({ topic, partition }));
    consumer.assign(tps);
    const out: ConsumerRecord<string, string>[] = [];
    // Read until three empty polls in a row: the end as this isolation level sees it.
    for (let empty = 0; empty < 3; ) {
      const records = await consumer.poll({ timeoutMs: 300 });
      if (records.length === 0) empty++;
      else out.push(...records);
    }
    return out.map((r) => r.value ?? '');
  } finally {
    await consumer.close();
  }
}

function transactionalProducer(bootstrap: string, transactionalId: string): Producer<string, string> {
  return new Producer<string, string>({
    'bootstrap.servers': bootstrap,
    'transactional.id': transactionalId,
    'key.serializer': 'string',
    'value.serializer': 'string',
    'linger.ms': 0,
  });
}

describe('transactions', () => {
  let broker: BrokerProcess;
  before(async () => {
    broker = await startBroker({ 'transaction.abort.timed.out.transaction.cleanup.interval.ms': 500 });
  });
  after(async () => {
    await broker?.close();
  });

  it('Samsa client: committed records are visible to read_committed, aborted ones never', async () => {
    const topic = uniqueName('txn');
    await createTopic(broker.bootstrap, topic, 2);
    const producer = transactionalProducer(broker.bootstrap, uniqueName('tid'));
    try {
      await producer.initTransactions();
      producer.beginTransaction();
      for (let i = 0; i < 10; i++) void producer.send({ topic, key: `k${i}`, value: `committed-${i}` });
      await producer.commitTransaction();
      producer.beginTransaction();
      for (let i = 0; i < 10; i++) void producer.send({ topic, key: `k${i}`, value: `aborted-${i}` });
      await producer.flush();
      await producer.abortTransaction();
      producer.beginTransaction();
      await producer.send({ topic, key: 'last', value: 'committed-last' });
      await producer.commitTransaction();
    } finally {
      await producer.close();
    }
    const committed = await readAll(broker.bootstrap, topic, 2, 'read_committed');
    assert.deepEqual(
      committed.sort(),
      [...Array.from({ length: 10 }, (_, i) => `committed-${i}`), 'committed-last'].sort(),
    );
    const uncommitted = await readAll(broker.bootstrap, topic, 2, 'read_uncommitted');
    assert.equal(uncommitted.filter((v) => v.startsWith('aborted-')).length, 10, 'read_uncommitted sees aborted data');
  });

  it('null keys in a transaction: only the partitions written join it (the sticky partitioner moving on adds none)', async () => {
    const topic = uniqueName('txn-sticky');
    await createTopic(broker.bootstrap, topic, 4);
    const producer = transactionalProducer(broker.bootstrap, uniqueName('tid'));
    const admin = new Admin({ 'bootstrap.servers': broker.bootstrap });
    const ends = async () =>
      (
        await admin.listOffsets(Array.from({ length: 4 }, (_, partition) => ({ topic, partition, timestamp: -1n })))
      ).map((o) => o.offset);
    try {
      await producer.initTransactions();
      // linger.ms=0: each record's batch leaves at once, so the next keyless record finds no open
      // batch on the sticky partition and the partitioner moves on (KIP-480).
      for (let txn = 0; txn < 3; txn++) {
        const before = await ends();
        producer.beginTransaction();
        const written = await Promise.all(
          [0, 1].map((i) => producer.send({ topic, key: null, value: `t${txn}-${i}` })),
        );
        await producer.commitTransaction();
        const after = await ends();
        const used = new Set(written.map((m) => m.partition));
        for (let p = 0; p < 4; p++) {
          const records = written.filter((m) => m.partition === p).length;
          // A partition of the transaction gets its records and the commit marker; any other, nothing.
          const grew = Number((after[p] as bigint) - (before[p] as bigint));
          assert.equal(grew, used.has(p) ? records + 1 : 0, `partition ${p} in transaction ${txn}`);
        }
      }
    } finally {
      await admin.close();
      await producer.close();
    }
  });

  it('EndTxn v5 (KIP-890 part 2): a new epoch per transaction, taken by the partitions; read_committed sees the commits', async () => {
    const topic = uniqueName('bump');
    await createTopic(broker.bootstrap, topic, 2);
    const tid = uniqueName('tid');
    const producer = transactionalProducer(broker.bootstrap, tid);
    const admin = new Admin({ 'bootstrap.servers': broker.bootstrap });
    const partitions = [0, 1].map((partition) => ({ topic, partition }));
    /** [partition, epoch, last sequence, open transaction?] of our producer on each partition. */
    const producerStates = async () =>
      (await admin.describeProducers(partitions)).flatMap((p) =>
        p.activeProducers.map((s) => [
          p.partition,
          s.producerEpoch,
          s.lastSequence,
          s.currentTransactionStartOffset >= 0n,
        ]),
      );
    try {
      await producer.initTransactions();
      const { producerId, producerEpoch: first } = producer.producerIdAndEpoch;
      const outcomes = [true, false, true, true];
      for (const [n, commit] of outcomes.entries()) {
        const epoch = first + n;
        assert.deepEqual(producer.producerIdAndEpoch, { producerId, producerEpoch: epoch });
        producer.beginTransaction();
        for (const partition of [0, 1]) {
          for (let i = 0; i < 3; i++) await producer.send({ topic, partition, value: `${n}-${partition}-${i}` });
        }
        // Each partition took the epoch this transaction got, its sequences starting again at 0.
        assert.deepEqual(await producerStates(), [
          [0, epoch, 2, true],
          [1, epoch, 2, true],
        ]);
        if (commit) await producer.commitTransaction();
        else await producer.abortTransaction();
        // EndTxn answered the next epoch; the markers carry it to the partitions.
        assert.deepEqual(producer.producerIdAndEpoch, { producerId, producerEpoch: epoch + 1 });
        await waitFor(
          async () =>
            JSON.stringify(await producerStates()) ===
            JSON.stringify([
              [0, epoch + 1, -1, false],
              [1, epoch + 1, -1, false],
            ]),
          10_000,
          `the markers of transaction ${n} at epoch ${epoch + 1}`,
        );
      }
      const [described] = await admin.describeTransactions([tid]);
      assert.equal(described?.description?.state, 'CompleteCommit');
      assert.equal(described?.description?.producerId, BigInt(producerId));
      assert.equal(described?.description?.producerEpoch, first + outcomes.length);
    } finally {
      await producer.close();
      await admin.close();
    }
    const expected = [0, 2, 3].flatMap((n) =>
      [0, 1].flatMap((partition) => [0, 1, 2].map((i) => `${n}-${partition}-${i}`)),
    );
    assert.deepEqual((await readAll(broker.bootstrap, topic, 2, 'read_committed')).sort(), expected.sort());
  });

  it('an open transaction holds read_committed consumers at its first offset until it ends', async () => {
    const topic = uniqueName('lso');
    await createTopic(broker.bootstrap, topic, 1);
    const producer = transactionalProducer(broker.bootstrap, uniqueName('tid'));
    try {
      await producer.initTransactions();
      producer.beginTransaction();
      await producer.send({ topic, value: 'pending' });
      await producer.flush();
      assert.deepEqual(await readAll(broker.bootstrap, topic, 1, 'read_committed'), []);
      assert.deepEqual(await readAll(broker.bootstrap, topic, 1, 'read_uncommitted'), ['pending']);
      await producer.commitTransaction();
      assert.deepEqual(await readAll(broker.bootstrap, topic, 1, 'read_committed'), ['pending']);
    } finally {
      await producer.close();
    }
  });

  it('a new instance with the same transactional.id fences the old one and aborts its open transaction', async () => {
    const topic = uniqueName('zombie');
    await createTopic(broker.bootstrap, topic, 1);
    const tid = uniqueName('tid');
    const zombie = transactionalProducer(broker.bootstrap, tid);
    const successor = transactionalProducer(broker.bootstrap, tid);
    try {
      await zombie.initTransactions();
      zombie.beginTransaction();
      await zombie.send({ topic, value: 'from-zombie' });
      await zombie.flush();
      await successor.initTransactions();
      await assert.rejects(async () => {
        await zombie.send({ topic, value: 'zombie-again' });
        await zombie.commitTransaction();
      }, isFenced);
      successor.beginTransaction();
      await successor.send({ topic, value: 'from-successor' });
      await successor.commitTransaction();
    } finally {
      await zombie.close().catch(() => {});
      await successor.close();
    }
    assert.deepEqual(await readAll(broker.bootstrap, topic, 1, 'read_committed'), ['from-successor']);
  });

  it('consume-transform-produce: offsets sent in the transaction commit with it', async () => {
    const input = uniqueName('in');
    const output = uniqueName('out');
    const group = uniqueName('group');
    await createTopic(broker.bootstrap, input, 1);
    await createTopic(broker.bootstrap, output, 1);
    const seed = new Producer<string, string>({ 'bootstrap.servers': broker.bootstrap, 'value.serializer': 'string' });
    for (let i = 0; i < 20; i++) void seed.send({ topic: input, value: `v${i}` });
    await seed.flush();
    await seed.close();

    const consumer = new Consumer<string, string>({
      'bootstrap.servers': broker.bootstrap,
      'group.id': group,
      'enable.auto.commit': false,
      'auto.offset.reset': 'earliest',
      'isolation.level': 'read_committed',
      'value.deserializer': 'string',
    });
    const producer = transactionalProducer(broker.bootstrap, uniqueName('tid'));
    try {
      consumer.assign([{ topic: input, partition: 0 }]);
      await producer.initTransactions();
      let aborted = false;
      let processed = 0;
      while (processed < 20) {
        const records = await consumer.poll({ timeoutMs: 500 });
        if (records.length === 0) continue;
        producer.beginTransaction();
        // Sends of the transaction that is aborted reject ("transaction aborted"): settle them all.
        const sends = records.map((r) => producer.send({ topic: output, value: (r.value ?? '').toUpperCase() }));
        const settled = Promise.allSettled(sends);
        const last = records[records.length - 1] as ConsumerRecord<string, string>;
        await producer.sendOffsetsToTransaction(
          [{ topic: input, partition: 0, offset: last.offset + 1n }],
          consumer.groupMetadata(),
        );
        if (!aborted) {
          // The first batch is aborted: its output and its offsets vanish, and it is read again.
          aborted = true;
          await producer.abortTransaction();
          await settled;
          consumer.seek({ topic: input, partition: 0 }, records[0]?.offset ?? 0n);
          continue;
        }
        await producer.commitTransaction();
        for (const result of await settled) assert.equal(result.status, 'fulfilled');
        processed += records.length;
      }
      const committed = await consumer.committed([{ topic: input, partition: 0 }]);
      assert.equal(committed[0]?.offset, 20n);
    } finally {
      await producer.close();
      await consumer.close();
    }
    const out = await readAll(broker.bootstrap, output, 1, 'read_committed');
    assert.deepEqual(
      out,
      Array.from({ length: 20 }, (_, i) => `V${i}`),
      'every input exactly once, in order',
    );
  });

  it('KafkaJS 2.2.4: producer.transaction() send/commit/abort and sendOffsets', async () => {
    const topic = uniqueName('kjs');
    const group = uniqueName('kjs-group');
    await createTopic(broker.bootstrap, topic, 1);
    const kafka = new Kafka({ brokers: [broker.bootstrap], logLevel: logLevel.NOTHING, clientId: 'kjs-txn' });
    const producer = kafka.producer({
      transactionalId: uniqueName('kjs-tid'),
      idempotent: true,
      maxInFlightRequests: 1,
    });
    await producer.connect();
    try {
      const committed = await producer.transaction();
      await committed.send({ topic, messages: [{ value: 'kjs-committed-1' }, { value: 'kjs-committed-2' }] });
      await committed.sendOffsets({
        consumerGroupId: group,
        topics: [{ topic, partitions: [{ partition: 0, offset: '2' }] }],
      });
      await committed.commit();
      const aborted = await producer.transaction();
      await aborted.send({ topic, messages: [{ value: 'kjs-aborted' }] });
      await aborted.abort();
    } finally {
      await producer.disconnect();
    }
    assert.deepEqual(await readAll(broker.bootstrap, topic, 1, 'read_committed'), [
      'kjs-committed-1',
      'kjs-committed-2',
    ]);
    const admin = kafka.admin();
    await admin.connect();
    try {
      const offsets = await admin.fetchOffsets({ groupId: group, topics: [topic] });
      assert.equal(offsets[0]?.partitions[0]?.offset, '2', 'offsets sent in the committed transaction');
    } finally {
      await admin.disconnect();
    }
  });

  it("Samsa's KafkaJS-compatible entry: producer.transaction() commit and abort", async () => {
    const topic = uniqueName('skjs');
    await createTopic(broker.bootstrap, topic, 1);
    const kafka = new SamsaKafkaJS({ brokers: [broker.bootstrap], clientId: 'samsa-kjs' });
    const producer = kafka.producer({ transactionalId: uniqueName('skjs-tid') });
    await producer.connect();
    try {
      const t1 = await producer.transaction();
      await t1.send({ topic, messages: [{ value: 'one' }] });
      await t1.commit();
      const t2 = await producer.transaction();
      await t2.send({ topic, messages: [{ value: 'two' }] });
      await t2.abort();
    } finally {
      await producer.disconnect();
    }
    assert.deepEqual(await readAll(broker.bootstrap, topic, 1, 'read_committed'), ['one']);
  });

  it('confluent-kafka (Python): commit, abort, send_offsets_to_transaction; a read_committed consumer sees exactly the committed records', async () => {
    const python = requirePythonModule('confluent_kafka', 'python3-confluent-kafka');
    const topic = uniqueName('ck');
    await createTopic(broker.bootstrap, topic, 3);
    const result = await run(
      python,
      [
        '-c',
        `
import os, sys
from confluent_kafka import Producer, Consumer, TopicPartition
bs, topic = os.environ['BOOTSTRAP'], os.environ['TOPIC']
p = Producer({'bootstrap.servers': bs, 'transactional.id': topic + '-tid'})
p.init_transactions(30)
p.begin_transaction()
for i in range(30): p.produce(topic, key=str(i), value='c-%d' % i)
c = Consumer({'bootstrap.servers': bs, 'group.id': topic + '-g', 'enable.auto.commit': False})
p.send_offsets_to_transaction([TopicPartition(topic, 0, 17)], c.consumer_group_metadata(), 30)
p.commit_transaction(30)
p.begin_transaction()
for i in range(30): p.produce(topic, key=str(i), value='a-%d' % i)
p.flush(30)
p.abort_transaction(30)
committed = c.committed([TopicPartition(topic, 0)], 10)
print('committed-offset', committed[0].offset)
c.close()
r = Consumer({'bootstrap.servers': bs, 'group.id': topic + '-reader', 'isolation.level': 'read_committed', 'auto.offset.reset': 'earliest', 'enable.partition.eof': True})
r.assign([TopicPartition(topic, p_, 0) for p_ in range(3)])
seen, eof = [], set()
while len(eof) < 3:
    m = r.poll(5)
    if m is None: sys.exit('timed out reading')
    if m.error():
        if m.error().code() == -191: eof.add(m.partition()); continue
        sys.exit(str(m.error()))
    seen.append(m.value().decode())
r.close()
print('seen', len(seen), 'aborted', sum(1 for v in seen if v.startswith('a-')))
`,
      ],
      { env: { ...process.env, BOOTSTRAP: broker.bootstrap, TOPIC: topic }, timeoutMs: 90_000 },
    );
    assert.equal(result.code, 0, `python failed:\n${result.stderr}\n${result.stdout}`);
    assert.deepEqual(result.stdout.trim().split('\n'), ['committed-offset 17', 'seen 30 aborted 0']);
  });

  it('kcat with isolation.level=read_committed sees no aborted record', async () => {
    const kcat = requireCommand('kcat', 'kcat');
    const topic = uniqueName('kcat');
    await createTopic(broker.bootstrap, topic, 1);
    const producer = transactionalProducer(broker.bootstrap, uniqueName('tid'));
    try {
      await producer.initTransactions();
      for (const [value, commit] of [
        ['k-1', true],
        ['k-2', false],
        ['k-3', true],
      ] as const) {
        producer.beginTransaction();
        await producer.send({ topic, value });
        if (commit) await producer.commitTransaction();
        else await producer.abortTransaction();
      }
    } finally {
      await producer.close();
    }
    const read = async (isolation: string) => {
      const result = await run(
        kcat,
        [
          '-b',
          broker.bootstrap,
          '-C',
          '-t',
          topic,
          '-o',
          'beginning',
          '-e',
          '-q',
          '-X',
          `isolation.level=${isolation}`,
        ],
        { timeoutMs: 30_000 },
      );
      assert.equal(result.code, 0, result.stderr);
      return result.stdout.trim().split('\n');
    };
    assert.deepEqual(await read('read_committed'), ['k-1', 'k-3']);
    assert.deepEqual(await read('read_uncommitted'), ['k-1', 'k-2', 'k-3']);
  });

  it('a transaction left open is aborted after transaction.timeout.ms and never becomes visible', async () => {
    const topic = uniqueName('timeout');
    await createTopic(broker.bootstrap, topic, 1);
    const producer = new Producer<string, string>({
      'bootstrap.servers': broker.bootstrap,
      'transactional.id': uniqueName('tid'),
      'transaction.timeout.ms': 1000,
      'value.serializer': 'string',
    });
    try {
      await producer.initTransactions();
      producer.beginTransaction();
      await producer.send({ topic, value: 'abandoned' });
      await producer.flush();
      // The coordinator aborts it (checking every 500 ms here); read_committed then reaches the end.
      const deadline = Date.now() + 15_000;
      let seenEnd = false;
      while (!seenEnd && Date.now() < deadline) {
        const records = await readRecords(broker.bootstrap, topic, 1, 0, { 'isolation.level': 'read_committed' });
        assert.equal(records.length, 0);
        seenEnd = (await lastStableOffset(broker.bootstrap, topic)) === 2n;
      }
      assert.ok(seenEnd, 'the abort marker moved the last stable offset past the transaction');
      await assert.rejects(producer.commitTransaction(), isFenced);
    } finally {
      await producer.close().catch(() => {});
    }
    assert.deepEqual(await readAll(broker.bootstrap, topic, 1, 'read_committed'), []);
  });
});

/** PRODUCER_FENCED, or INVALID_PRODUCER_EPOCH where a partition leader refused the old epoch. */
function isFenced(err: unknown): boolean {
  return err instanceof KafkaError && (err.errorCode === 90 || err.errorCode === 47);
}

/** The partition's end offset as a read_committed consumer sees it (its last stable offset). */
async function lastStableOffset(bootstrap: string, topic: string): Promise<bigint> {
  const consumer = new Consumer({ 'bootstrap.servers': bootstrap, 'isolation.level': 'read_committed' });
  try {
    const ends = await consumer.endOffsets([{ topic, partition: 0 }]);
    return ends[0]?.offset ?? -1n;
  } finally {
    await consumer.close();
  }
}
