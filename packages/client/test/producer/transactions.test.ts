import assert from 'node:assert/strict';
import { afterEach, describe, it } from 'node:test';
import { ApiKey, BatchAttributes, ErrorCode, GENERATED_APIS, KafkaError, readBatchHeader } from '@samsa/protocol';
import { Producer } from '../../src/producer/producer.js';
import { FakeBroker, type ReceivedRequest } from '../support/fake-broker.js';

/** Produce answers: success with consecutive offsets per partition. */
function produceOk(request: ReceivedRequest, offsets: Map<string, bigint>) {
  return {
    responses: request.body.topicData.map(
      (t: { name: string; partitionData: { index: number; records: Buffer }[] }) => ({
        name: t.name,
        partitionResponses: t.partitionData.map((p) => {
          const key = `${t.name}-${p.index}`;
          const base = offsets.get(key) ?? 0n;
          offsets.set(key, base + BigInt(p.records.readInt32BE(57)));
          return { index: p.index, errorCode: 0, baseOffset: base, logAppendTimeMs: -1n, logStartOffset: 0n };
        }),
      }),
    ),
  };
}

function produceError(request: ReceivedRequest, errorCode: number) {
  return {
    responses: request.body.topicData.map((t: { name: string; partitionData: { index: number }[] }) => ({
      name: t.name,
      partitionResponses: t.partitionData.map((p) => ({
        index: p.index,
        errorCode,
        baseOffset: -1n,
        logAppendTimeMs: -1n,
        logStartOffset: -1n,
      })),
    })),
  };
}

function batchOf(request: ReceivedRequest) {
  return readBatchHeader(request.body.topicData[0].partitionData[0].records as Buffer);
}

describe('transactional producer (protocol flow against a fake broker; end to end in integration/test/transactions)', () => {
  let broker: FakeBroker | undefined;
  afterEach(async () => {
    await broker?.close();
    broker = undefined;
  });

  async function start(overrides: Partial<Record<string, (r: ReceivedRequest) => unknown>> = {}): Promise<FakeBroker> {
    const offsets = new Map<string, bigint>();
    let epoch = 0;
    broker = await FakeBroker.start((r) => {
      const custom = overrides[r.apiName]?.(r);
      if (custom !== undefined) return custom;
      switch (r.apiName) {
        case 'InitProducerId':
          return { errorCode: 0, producerId: 1000n, producerEpoch: epoch++ };
        case 'AddPartitionsToTxn':
          return {
            resultsByTopicV3AndBelow: r.body.v3AndBelowTopics.map((t: { name: string; partitions: number[] }) => ({
              name: t.name,
              resultsByPartition: t.partitions.map((p) => ({ partitionIndex: p, partitionErrorCode: 0 })),
            })),
          };
        case 'Produce':
          return produceOk(r, offsets);
        case 'EndTxn':
          // v5 (KIP-890 part 2): the coordinator bumps the epoch at every end.
          return {
            errorCode: 0,
            producerId: r.body.producerId,
            producerEpoch: r.body.producerEpoch + (r.version >= 5 ? 1 : 0),
          };
        case 'AddOffsetsToTxn':
          return { errorCode: 0 };
        case 'TxnOffsetCommit':
          return {
            topics: r.body.topics.map((t: { name: string; partitions: { partitionIndex: number }[] }) => ({
              name: t.name,
              partitions: t.partitions.map((p) => ({ partitionIndex: p.partitionIndex, errorCode: 0 })),
            })),
          };
        default:
          return undefined;
      }
    });
    broker.topics.set('t', 2);
    return broker;
  }

  it('init, begin, send, commit: FindCoordinator(txn) → InitProducerId → AddPartitionsToTxn → Produce → EndTxn', async () => {
    const b = await start();
    const producer = new Producer<string, string>({
      'bootstrap.servers': b.bootstrap,
      'transactional.id': 'tx-1',
      keySerializer: 'string',
      valueSerializer: 'string',
    });
    try {
      await producer.initTransactions();
      const find = b.named('FindCoordinator')[0];
      assert.equal(find?.body.keyType, 1);
      assert.deepEqual(find?.version >= 4 ? find?.body.coordinatorKeys : [find?.body.key], ['tx-1']);
      assert.equal(b.named('InitProducerId')[0]?.body.transactionalId, 'tx-1');
      producer.beginTransaction();
      assert.equal(producer.transactionState, 'IN_TRANSACTION');
      const metadata = await producer.sendBatch([
        { topic: 't', value: 'a', partition: 0 },
        { topic: 't', value: 'b', partition: 1 },
      ]);
      assert.deepEqual(
        metadata.map((m) => m.offset),
        [0n, 0n],
      );
      await producer.commitTransaction();
      assert.equal(producer.transactionState, 'READY');
      const names = b.requests.map((r) => r.apiName).filter((n) => n !== 'ApiVersions' && n !== 'Metadata');
      assert.deepEqual(names.slice(0, 3), ['FindCoordinator', 'InitProducerId', 'AddPartitionsToTxn']);
      assert.equal(names[names.length - 1], 'EndTxn');
      const add = b.named('AddPartitionsToTxn')[0];
      assert.equal(add?.body.v3AndBelowTransactionalId, 'tx-1');
      assert.deepEqual(
        add?.body.v3AndBelowTopics.map((t: { name: string; partitions: number[] }) => [t.name, t.partitions]),
        [['t', [0, 1]]],
      );
      const produce = b.named('Produce');
      assert.ok(produce.every((p) => p.body.transactionalId === 'tx-1'));
      for (const p of produce) {
        const header = batchOf(p);
        assert.ok((header.attributes & BatchAttributes.TRANSACTIONAL) !== 0, 'transactional batch');
        assert.equal(header.producerId, 1000);
        assert.equal(header.producerEpoch, 0);
      }
      const end = b.named('EndTxn')[0];
      assert.equal(end?.body.committed, true);
      assert.equal(end?.body.transactionalId, 'tx-1');
      // A second transaction adds partitions again.
      producer.beginTransaction();
      await producer.send({ topic: 't', value: 'c', partition: 0 });
      await producer.abortTransaction();
      assert.equal(b.named('AddPartitionsToTxn').length, 2);
      assert.equal(b.named('EndTxn')[1]?.body.committed, false);
    } finally {
      await producer.close();
    }
  });

  /** Two transactions with a record on each of partitions 0 and 1: [version, epoch] of each EndTxn, [id, epoch, sequence] of each batch. */
  async function twoTransactions(b: FakeBroker) {
    const producer = new Producer<string, string>({
      'bootstrap.servers': b.bootstrap,
      'transactional.id': 'tx-1',
      keySerializer: 'string',
      valueSerializer: 'string',
      'linger.ms': 0,
    });
    try {
      await producer.initTransactions();
      for (let i = 0; i < 2; i++) {
        producer.beginTransaction();
        await producer.send({ topic: 't', value: 'a', partition: 0 });
        await producer.send({ topic: 't', value: 'b', partition: 0 });
        await producer.send({ topic: 't', value: 'c', partition: 1 });
        await producer.commitTransaction();
      }
      return {
        ends: b.named('EndTxn').map((r) => [r.version, Number(r.body.producerId), r.body.producerEpoch]),
        batches: b.named('Produce').map((r) => {
          const p = r.body.topicData[0].partitionData[0];
          const h = readBatchHeader(p.records as Buffer);
          return [p.index, h.producerId, h.producerEpoch, h.baseSequence];
        }),
        after: producer.producerIdAndEpoch,
      };
    } finally {
      await producer.close();
    }
  }

  it('EndTxn v5: each transaction continues at the epoch the coordinator answers, sequences from 0', async () => {
    const { ends, batches, after } = await twoTransactions(await start());
    assert.deepEqual(ends, [
      [5, 1000, 0],
      [5, 1000, 1],
    ]);
    assert.deepEqual(batches, [
      [0, 1000, 0, 0],
      [0, 1000, 0, 1],
      [1, 1000, 0, 0],
      [0, 1000, 1, 0],
      [0, 1000, 1, 1],
      [1, 1000, 1, 0],
    ]);
    assert.deepEqual(after, { producerId: 1000, producerEpoch: 2 });
  });

  it('EndTxn v5 after an exhausted epoch: the next transaction uses the new producer id from sequence 0', async () => {
    const b = await start({
      InitProducerId: () => ({ errorCode: 0, producerId: 500n, producerEpoch: 32766 }),
      EndTxn: (r) =>
        r.body.producerId === 500n
          ? { errorCode: 0, producerId: 1001n, producerEpoch: 0 }
          : { errorCode: 0, producerId: r.body.producerId, producerEpoch: r.body.producerEpoch + 1 },
    });
    const { batches, after } = await twoTransactions(b);
    assert.deepEqual(batches.slice(3), [
      [0, 1001, 0, 0],
      [0, 1001, 0, 1],
      [1, 1001, 0, 0],
    ]);
    assert.deepEqual(after, { producerId: 1001, producerEpoch: 1 });
  });

  it('a coordinator offering EndTxn up to v4 keeps the epoch: sequences go on', async () => {
    const b = await start({
      ApiVersions: () => ({
        errorCode: 0,
        apiKeys: GENERATED_APIS.map((a) => ({
          apiKey: a.apiKey,
          minVersion: a.request.minVersion,
          maxVersion: a.apiKey === ApiKey.EndTxn ? 4 : a.request.maxVersion,
        })),
      }),
    });
    const { ends, batches, after } = await twoTransactions(b);
    assert.deepEqual(ends, [
      [4, 1000, 0],
      [4, 1000, 0],
    ]);
    assert.deepEqual(
      batches.map(([partition, , epoch, sequence]) => [partition, epoch, sequence]),
      [
        [0, 0, 0],
        [0, 0, 1],
        [1, 0, 0],
        [0, 0, 2],
        [0, 0, 3],
        [1, 0, 1],
      ],
    );
    assert.deepEqual(after, { producerId: 1000, producerEpoch: 0 });
  });

  it('sendOffsetsToTransaction: AddOffsetsToTxn, then TxnOffsetCommit to the group coordinator', async () => {
    const b = await start();
    const producer = new Producer({ 'bootstrap.servers': b.bootstrap, 'transactional.id': 'tx-2' });
    try {
      await producer.initTransactions();
      producer.beginTransaction();
      await producer.sendOffsetsToTransaction([{ topic: 'in', partition: 3, offset: 42n }], {
        groupId: 'grp',
        generationId: 5,
        memberId: 'm-1',
        groupInstanceId: null,
      });
      await producer.commitTransaction();
      assert.equal(b.named('AddOffsetsToTxn')[0]?.body.groupId, 'grp');
      const commit = b.named('TxnOffsetCommit')[0];
      assert.equal(commit?.body.generationId, 5);
      assert.equal(commit?.body.memberId, 'm-1');
      assert.equal(commit?.body.topics[0].partitions[0].committedOffset, 42n);
      assert.equal(b.named('EndTxn')[0]?.body.committed, true);
    } finally {
      await producer.close();
    }
  });

  it('state machine: send outside a transaction and begin twice are refused; fencing is fatal', async () => {
    const b = await start({ EndTxn: () => ({ errorCode: ErrorCode.PRODUCER_FENCED }) });
    const producer = new Producer({ 'bootstrap.servers': b.bootstrap, 'transactional.id': 'tx-3' });
    try {
      assert.throws(() => producer.beginTransaction(), /not allowed in transaction state UNINITIALIZED/);
      await producer.initTransactions();
      await assert.rejects(producer.send({ topic: 't', value: Buffer.from('x') }), /call beginTransaction/);
      producer.beginTransaction();
      assert.throws(() => producer.beginTransaction(), /IN_TRANSACTION/);
      await producer.send({ topic: 't', value: Buffer.from('x'), partition: 0 });
      await assert.rejects(
        producer.commitTransaction(),
        (e: unknown) => e instanceof KafkaError && e.errorName === 'PRODUCER_FENCED',
      );
      assert.equal(producer.transactionState, 'FATAL_ERROR');
      assert.throws(() => producer.beginTransaction(), /FATAL_ERROR/);
    } finally {
      await producer.close();
    }
  });
  it('a record refused before it reaches a batch makes the transaction abortable: commit fails, abort works', async () => {
    const b = await start();
    const producer = new Producer({ 'bootstrap.servers': b.bootstrap, 'transactional.id': 'tx-4' });
    try {
      await producer.initTransactions();
      producer.beginTransaction();
      await producer.send({ topic: 't', value: Buffer.from('kept'), partition: 0 });
      await assert.rejects(producer.send({ topic: 't', value: Buffer.from('lost'), partition: 99 }), /does not exist/);
      assert.equal(producer.transactionState, 'ABORTABLE_ERROR');
      await assert.rejects(producer.commitTransaction(), /not allowed in transaction state ABORTABLE_ERROR/);
      await producer.abortTransaction();
      assert.equal(producer.transactionState, 'READY');
      assert.deepEqual(
        b.named('EndTxn').map((r) => r.body.committed),
        [false],
      );
    } finally {
      await producer.close();
    }
  });

  it('TRANSACTION_ABORTABLE (KIP-890) from a partition is abortable, not fatal: abort, then the next transaction commits', async () => {
    let refuse = true;
    const b = await start({
      Produce: (r) => (refuse ? produceError(r, ErrorCode.TRANSACTION_ABORTABLE) : undefined),
    });
    const producer = new Producer({ 'bootstrap.servers': b.bootstrap, 'transactional.id': 'tx-abortable' });
    try {
      await producer.initTransactions();
      producer.beginTransaction();
      await assert.rejects(
        producer.send({ topic: 't', value: Buffer.from('x'), partition: 0 }),
        (e: unknown) => e instanceof KafkaError && e.errorName === 'TRANSACTION_ABORTABLE',
      );
      assert.equal(producer.transactionState, 'ABORTABLE_ERROR');
      await producer.abortTransaction();
      assert.equal(producer.transactionState, 'READY');
      refuse = false;
      producer.beginTransaction();
      await producer.send({ topic: 't', value: Buffer.from('y'), partition: 0 });
      await producer.commitTransaction();
      assert.deepEqual(
        b.named('EndTxn').map((r) => r.body.committed),
        [false, true],
      );
      assert.equal(b.named('Produce').length, 2, 'TRANSACTION_ABORTABLE is not retried');
    } finally {
      await producer.close();
    }
  });

  it('abort: ends locally when nothing reached the coordinator; after a failed AddPartitionsToTxn, INVALID_TXN_STATE means nothing to abort', async () => {
    const b = await start({
      AddPartitionsToTxn: (r) => ({
        resultsByTopicV3AndBelow: r.body.v3AndBelowTopics.map((t: { name: string; partitions: number[] }) => ({
          name: t.name,
          resultsByPartition: t.partitions.map((p) => ({
            partitionIndex: p,
            partitionErrorCode: ErrorCode.TOPIC_AUTHORIZATION_FAILED,
          })),
        })),
      }),
      EndTxn: () => ({ errorCode: ErrorCode.INVALID_TXN_STATE }),
    });
    const producer = new Producer({ 'bootstrap.servers': b.bootstrap, 'transactional.id': 'tx-5' });
    try {
      await producer.initTransactions();
      producer.beginTransaction();
      await producer.abortTransaction();
      assert.equal(b.named('EndTxn').length, 0, 'an empty transaction ends without EndTxn');
      producer.beginTransaction();
      await assert.rejects(
        producer.send({ topic: 't', value: Buffer.from('x'), partition: 0 }),
        (e: unknown) => e instanceof KafkaError && e.errorName === 'TOPIC_AUTHORIZATION_FAILED',
      );
      assert.equal(producer.transactionState, 'ABORTABLE_ERROR');
      await producer.abortTransaction();
      assert.equal(producer.transactionState, 'READY');
      assert.equal(b.named('EndTxn').length, 1, 'the abort asked the coordinator');
    } finally {
      await producer.close();
    }
  });
});

describe('idempotent producer error handling (fake broker)', () => {
  let broker: FakeBroker | undefined;
  afterEach(async () => {
    await broker?.close();
    broker = undefined;
  });

  it('retries NOT_LEADER_OR_FOLLOWER with the same sequence after refreshing metadata', async () => {
    const offsets = new Map<string, bigint>();
    let failures = 1;
    broker = await FakeBroker.start((r) => {
      if (r.apiName === 'InitProducerId') return { errorCode: 0, producerId: 7n, producerEpoch: 0 };
      if (r.apiName === 'Produce')
        return failures-- > 0 ? produceError(r, ErrorCode.NOT_LEADER_OR_FOLLOWER) : produceOk(r, offsets);
      return undefined;
    });
    broker.topics.set('t', 1);
    const producer = new Producer({ 'bootstrap.servers': broker.bootstrap, 'retry.backoff.ms': 10 });
    try {
      const metadataBefore = broker.named('Metadata').length;
      const result = await producer.send({ topic: 't', value: Buffer.from('v') });
      assert.equal(result.offset, 0n);
      const produces = broker.named('Produce');
      assert.equal(produces.length, 2);
      assert.equal(batchOf(produces[0] as ReceivedRequest).baseSequence, 0);
      assert.equal(batchOf(produces[1] as ReceivedRequest).baseSequence, 0);
      assert.ok(broker.named('Metadata').length > metadataBefore, 'metadata refreshed');
    } finally {
      await producer.close();
    }
  });

  it('KIP-360: OUT_OF_ORDER_SEQUENCE_NUMBER fails the batch and bumps the epoch; sequences restart at 0', async () => {
    const offsets = new Map<string, bigint>();
    let produces = 0;
    broker = await FakeBroker.start((r) => {
      if (r.apiName === 'InitProducerId') {
        // The bump keeps the ID and raises the epoch (KIP-360, InitProducerId v3+).
        return r.body.producerId === -1n
          ? { errorCode: 0, producerId: 9n, producerEpoch: 0 }
          : { errorCode: 0, producerId: r.body.producerId, producerEpoch: r.body.producerEpoch + 1 };
      }
      if (r.apiName === 'Produce') {
        produces++;
        return produces === 2 ? produceError(r, ErrorCode.OUT_OF_ORDER_SEQUENCE_NUMBER) : produceOk(r, offsets);
      }
      return undefined;
    });
    broker.topics.set('t', 1);
    const producer = new Producer({ 'bootstrap.servers': broker.bootstrap, 'retry.backoff.ms': 10, 'linger.ms': 0 });
    try {
      await producer.send({ topic: 't', value: Buffer.from('1') });
      await assert.rejects(
        producer.send({ topic: 't', value: Buffer.from('2') }),
        (e: unknown) => e instanceof KafkaError && e.errorName === 'OUT_OF_ORDER_SEQUENCE_NUMBER',
      );
      const third = await producer.send({ topic: 't', value: Buffer.from('3') });
      assert.equal(third.offset, 1n);
      const inits = broker.named('InitProducerId');
      assert.equal(inits.length, 2);
      assert.equal(inits[1]?.body.producerId, 9n);
      assert.equal(inits[1]?.body.producerEpoch, 0);
      const sent = broker.named('Produce').map((p) => batchOf(p));
      assert.deepEqual(
        sent.map((h) => [h.producerEpoch, h.baseSequence]),
        [
          [0, 0],
          [0, 1],
          [1, 0],
        ],
      );
      assert.deepEqual(producer.producerIdAndEpoch, { producerId: 9, producerEpoch: 1 });
    } finally {
      await producer.close();
    }
  });

  it('a delivery timeout fails records the broker never acknowledged', async () => {
    broker = await FakeBroker.start((r) => {
      if (r.apiName === 'InitProducerId') return { errorCode: 0, producerId: 1n, producerEpoch: 0 };
      if (r.apiName === 'Produce') return produceError(r, ErrorCode.NOT_ENOUGH_REPLICAS);
      return undefined;
    });
    broker.topics.set('t', 1);
    const producer = new Producer({
      'bootstrap.servers': broker.bootstrap,
      'retry.backoff.ms': 20,
      'retry.backoff.max.ms': 50,
      'delivery.timeout.ms': 600,
      'request.timeout.ms': 500,
      'linger.ms': 0,
    });
    try {
      const started = Date.now();
      await assert.rejects(
        producer.send({ topic: 't', value: Buffer.from('v') }),
        /600 ms has passed since batch creation/,
      );
      assert.ok(Date.now() - started >= 550);
      assert.ok(broker.named('Produce').length >= 3, 'retried until the deadline');
    } finally {
      await producer.close({ timeoutMs: 0 });
    }
  });
});
