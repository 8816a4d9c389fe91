import assert from 'node:assert/strict';
import { afterEach, describe, it } from 'node:test';
import { ApiKey, ErrorCode, GENERATED_APIS, KafkaError, readBatchHeader } from '@samsa/protocol';
import { Producer } from '../../src/producer/producer.js';
import { FakeBroker, type ReceivedRequest } from '../support/fake-broker.js';

const MAX_MESSAGE_BYTES = 2000;

/**
 * A one-partition log with Kafka's idempotence checks: a batch above `max.message.bytes` is
 * refused (MESSAGE_TOO_LARGE) before any check, a batch whose base sequence does not follow the
 * last appended one is refused OUT_OF_ORDER_SEQUENCE_NUMBER, anything else is appended.
 */
function sequencedLog() {
  const appended: { baseSequence: number; count: number; offset: bigint }[] = [];
  /** Base sequences refused OUT_OF_ORDER_SEQUENCE_NUMBER. */
  const outOfOrder: number[] = [];
  let nextSequence = 0;
  let nextOffset = 0n;
  const produce = (request: ReceivedRequest) => ({
    responses: request.body.topicData.map(
      (t: { name: string; partitionData: { index: number; records: Buffer }[] }) => ({
        name: t.name,
        partitionResponses: t.partitionData.map((p) => {
          const header = readBatchHeader(p.records);
          let errorCode = 0;
          let baseOffset = -1n;
          if (p.records.length > MAX_MESSAGE_BYTES) errorCode = ErrorCode.MESSAGE_TOO_LARGE;
          else if (header.baseSequence !== nextSequence) {
            errorCode = ErrorCode.OUT_OF_ORDER_SEQUENCE_NUMBER;
            outOfOrder.push(header.baseSequence);
          } else {
            baseOffset = nextOffset;
            appended.push({ baseSequence: header.baseSequence, count: header.recordsCount, offset: baseOffset });
            nextSequence += header.recordsCount;
            nextOffset += BigInt(header.recordsCount);
          }
          return { index: p.index, errorCode, baseOffset, logAppendTimeMs: -1n, logStartOffset: 0n };
        }),
      }),
    ),
  });
  return { appended, outOfOrder, produce };
}

describe('idempotent producer: a batch refused without being appended', () => {
  let broker: FakeBroker | undefined;
  afterEach(async () => {
    await broker?.close();
    broker = undefined;
  });

  it('gives its sequence numbers to the batches behind it: they are appended in order, once', async () => {
    const log = sequencedLog();
    broker = await FakeBroker.start((r) => {
      if (r.apiName === 'InitProducerId') return { errorCode: 0, producerId: 7n, producerEpoch: 0 };
      if (r.apiName === 'Produce') return log.produce(r);
      return undefined;
    });
    broker.topics.set('t', 1);
    const producer = new Producer<string, string>({
      'bootstrap.servers': broker.bootstrap,
      'batch.size': 100,
      'linger.ms': 0,
      // Before the fix the batches behind the refused one waited for this long (or failed).
      'request.timeout.ms': 10000,
      'delivery.timeout.ms': 20000,
      keySerializer: 'string',
      valueSerializer: 'string',
    });
    try {
      // In one tick: three batches ([small-1], [big], [small-2, small-3]) go out together, so the
      // one behind the big batch is in flight with the numbers after it when the refusal arrives.
      const sends = [
        producer.send({ topic: 't', partition: 0, value: 'small-1' }),
        producer.send({ topic: 't', partition: 0, value: 'x'.repeat(3000) }),
        producer.send({ topic: 't', partition: 0, value: 'small-2' }),
        producer.send({ topic: 't', partition: 0, value: 'small-3' }),
      ];
      const results = await Promise.allSettled(sends);
      assert.equal(results[1]?.status, 'rejected');
      const reason = (results[1] as PromiseRejectedResult).reason;
      assert.ok(reason instanceof KafkaError && reason.errorCode === ErrorCode.MESSAGE_TOO_LARGE, String(reason));
      const offsets = [results[0], results[2], results[3]].map((r) => {
        assert.equal(r?.status, 'fulfilled', r?.status === 'rejected' ? String(r.reason) : '');
        return (r as PromiseFulfilledResult<{ offset: bigint }>).value.offset;
      });
      assert.deepEqual(offsets, [0n, 1n, 2n]);
      // A batch queued after the refusal continues the numbering without a gap.
      const later = await producer.send({ topic: 't', partition: 0, value: 'small-4' });
      assert.equal(later.offset, 3n);
      // Every record appended once, its sequence following the last: 0, 1, 2, 3.
      assert.deepEqual(
        log.appended.flatMap((a) => Array.from({ length: a.count }, (_, i) => a.baseSequence + i)),
        [0, 1, 2, 3],
      );
      // No InitProducerId beyond the first: the sequences were lowered, not restarted.
      assert.equal(broker.named('InitProducerId').length, 1);
    } finally {
      await producer.close();
    }
  });

  it('after splitting a refused batch down to the one record too large, the part behind it takes its numbers', async () => {
    const log = sequencedLog();
    broker = await FakeBroker.start((r) => {
      if (r.apiName === 'InitProducerId') return { errorCode: 0, producerId: 7n, producerEpoch: 0 };
      if (r.apiName === 'Produce') return log.produce(r);
      return undefined;
    });
    broker.topics.set('t', 1);
    // One batch of the four records (batch.size fits them all); the broker refuses it, the
    // producer splits it into [small-1, big] and [small-2, small-3], then [small-1] and [big].
    // Before the fix [small-2, small-3] kept sequence 2, was refused OUT_OF_ORDER_SEQUENCE_NUMBER
    // and retried until delivery.timeout.ms.
    const producer = new Producer<string, string>({
      'bootstrap.servers': broker.bootstrap,
      'linger.ms': 5,
      'request.timeout.ms': 10000,
      'delivery.timeout.ms': 20000,
      keySerializer: 'string',
      valueSerializer: 'string',
    });
    try {
      const results = await Promise.allSettled([
        producer.send({ topic: 't', partition: 0, value: 'small-1' }),
        producer.send({ topic: 't', partition: 0, value: 'x'.repeat(3000) }),
        producer.send({ topic: 't', partition: 0, value: 'small-2' }),
        producer.send({ topic: 't', partition: 0, value: 'small-3' }),
      ]);
      assert.deepEqual(
        results.map((r) => (r.status === 'fulfilled' ? r.value.offset : (r.reason as KafkaError).errorCode)),
        [0n, ErrorCode.MESSAGE_TOO_LARGE, 1n, 2n],
      );
      assert.deepEqual(
        log.appended.map((a) => [a.baseSequence, a.count]),
        [
          [0, 1],
          [1, 2],
        ],
      );
    } finally {
      await producer.close();
    }
  });

  it('under a transaction the refusal makes the transaction abortable; after the abort the next one commits', async () => {
    const log = sequencedLog();
    broker = await FakeBroker.start((r) => {
      switch (r.apiName) {
        case 'InitProducerId':
          return { errorCode: 0, producerId: 9n, producerEpoch: 0 };
        case 'AddPartitionsToTxn':
          return {
            resultsByTopicV3AndBelow: r.body.v3AndBelowTopics.map((t: { name: string; partitions: number[] }) => ({
              name: t.name,
              resultsByPartition: t.partitions.map((p) => ({ partitionIndex: p, partitionErrorCode: 0 })),
            })),
          };
        case 'ApiVersions':
          // EndTxn up to v4: the epoch stays across the abort, so the sequences must go on from
          // the refused batch's base (v5 would start the next transaction at a new epoch).
          return {
            errorCode: 0,
            apiKeys: GENERATED_APIS.map((a) => ({
              apiKey: a.apiKey,
              minVersion: a.request.minVersion,
              maxVersion: a.apiKey === ApiKey.EndTxn ? 4 : a.request.maxVersion,
            })),
          };
        case 'EndTxn':
          return { errorCode: 0, producerId: r.body.producerId, producerEpoch: r.body.producerEpoch };
        case 'Produce':
          return log.produce(r);
        default:
          return undefined;
      }
    });
    broker.topics.set('t', 1);
    const producer = new Producer<string, string>({
      'bootstrap.servers': broker.bootstrap,
      'transactional.id': 'tx-refused',
      keySerializer: 'string',
      valueSerializer: 'string',
    });
    try {
      await producer.initTransactions();
      producer.beginTransaction();
      await assert.rejects(
        producer.send({ topic: 't', partition: 0, value: 'x'.repeat(3000) }),
        (e: unknown) => e instanceof KafkaError && e.errorCode === ErrorCode.MESSAGE_TOO_LARGE,
      );
      assert.equal(producer.transactionState, 'ABORTABLE_ERROR');
      await assert.rejects(producer.commitTransaction(), /not allowed in transaction state ABORTABLE_ERROR/);
      await producer.abortTransaction();
      producer.beginTransaction();
      await producer.send({ topic: 't', partition: 0, value: 'small' });
      await producer.commitTransaction();
      assert.deepEqual(
        broker.named('EndTxn').map((r) => r.body.committed),
        [false, true],
      );
      assert.deepEqual(
        log.appended.map((a) => a.baseSequence),
        [0],
        'the record of the next transaction took the refused sequence number',
      );
    } finally {
      await producer.close();
    }
  });
});
