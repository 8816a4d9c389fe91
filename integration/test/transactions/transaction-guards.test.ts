/**
 * What the broker refuses, at the protocol level: a transactional batch whose partition was never
 * added to the transaction (KIP-890's hanging-transaction guard), a fenced producer epoch, and a
 * marker from a coordinator epoch older than one the partition has seen.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import {
  AddPartitionsToTxnApi,
  buildRecordBatch,
  EndTxnApi,
  ErrorCode,
  FindCoordinatorApi,
  InitProducerIdApi,
  ProduceApi,
  TxnOffsetCommitApi,
  WriteTxnMarkersApi,
} from '@samsa/protocol';
import type { BrokerProcess } from '@samsa/testkit';
import { createTopic, startBroker, uniqueName, waitFor } from '../client/client-support.js';
import { RawClient } from '../support/raw-client.js';

interface ProduceResponse {
  responses: { partitionResponses: { errorCode: number; baseOffset: bigint }[] }[];
}

describe('transaction guards', () => {
  let broker: BrokerProcess;
  let client: RawClient;
  before(async () => {
    broker = await startBroker();
    client = await RawClient.connect(broker.port);
  });
  after(async () => {
    client?.close();
    await broker?.close();
  });

  /** A transactional id bound to a producer id, its coordinator loaded. */
  async function initTransactional(transactionalId: string): Promise<{ producerId: bigint; producerEpoch: number }> {
    let init: { errorCode: number; producerId: bigint; producerEpoch: number } | undefined;
    await waitFor(
      async () => {
        await client.send(FindCoordinatorApi, 3, { key: transactionalId, keyType: 1 });
        const response = await client.send<{ errorCode: number; producerId: bigint; producerEpoch: number }>(
          InitProducerIdApi,
          4,
          { transactionalId, transactionTimeoutMs: 60_000, producerId: -1n, producerEpoch: -1 },
        );
        init = response;
        return response.errorCode === ErrorCode.NONE;
      },
      15_000,
      'InitProducerId',
    );
    return init as { producerId: bigint; producerEpoch: number };
  }

  function produce(
    topic: string,
    transactionalId: string,
    producerId: bigint,
    producerEpoch: number,
    baseSequence: number,
    version = 9,
  ) {
    const records = buildRecordBatch({
      producerId: Number(producerId),
      producerEpoch,
      baseSequence,
      isTransactional: true,
      records: [{ value: Buffer.from(`seq-${baseSequence}`) }],
    });
    return client.send<ProduceResponse>(ProduceApi, version, {
      transactionalId,
      acks: -1,
      timeoutMs: 5000,
      topicData: [{ name: topic, partitionData: [{ index: 0, records }] }],
    });
  }

  it('a transactional batch for a partition not added to the transaction is refused (KIP-890), then accepted once added', async () => {
    const topic = uniqueName('guard');
    await createTopic(broker.bootstrap, topic, 1);
    const tid = uniqueName('tid');
    const { producerId, producerEpoch } = await initTransactional(tid);
    const refused = await produce(topic, tid, producerId, producerEpoch, 0);
    assert.equal(refused.responses[0]?.partitionResponses[0]?.errorCode, ErrorCode.INVALID_TXN_STATE);
    const added = await client.send<{
      resultsByTopicV3AndBelow: { resultsByPartition: { partitionErrorCode: number }[] }[];
    }>(AddPartitionsToTxnApi, 3, {
      v3AndBelowTransactionalId: tid,
      v3AndBelowProducerId: producerId,
      v3AndBelowProducerEpoch: producerEpoch,
      v3AndBelowTopics: [{ name: topic, partitions: [0] }],
    });
    assert.equal(added.resultsByTopicV3AndBelow[0]?.resultsByPartition[0]?.partitionErrorCode, ErrorCode.NONE);
    const accepted = await produce(topic, tid, producerId, producerEpoch, 0);
    assert.equal(accepted.responses[0]?.partitionResponses[0]?.errorCode, ErrorCode.NONE);
    const second = await produce(topic, tid, producerId, producerEpoch, 1);
    assert.equal(
      second.responses[0]?.partitionResponses[0]?.errorCode,
      ErrorCode.NONE,
      'later batches need no verification',
    );

    // The transaction aborted, a late batch of it may not open a new one (the hanging transaction).
    const ended = await client.send<{ errorCode: number }>(EndTxnApi, 3, {
      transactionalId: tid,
      producerId,
      producerEpoch,
      committed: false,
    });
    assert.equal(ended.errorCode, ErrorCode.NONE);
    await waitFor(
      async () => {
        const late = await produce(topic, tid, producerId, producerEpoch, 2);
        return late.responses[0]?.partitionResponses[0]?.errorCode === ErrorCode.INVALID_TXN_STATE;
      },
      10_000,
      'a late batch refused once the abort is complete',
    );
  });

  it('KIP-890: a write outside the transaction is TRANSACTION_ABORTABLE for clients that know it, INVALID_TXN_STATE before', async () => {
    const topic = uniqueName('abortable');
    await createTopic(broker.bootstrap, topic, 1);
    const tid = uniqueName('tid');
    const { producerId, producerEpoch } = await initTransactional(tid);
    const produceError = async (version: number) =>
      (await produce(topic, tid, producerId, producerEpoch, 0, version)).responses[0]?.partitionResponses[0]?.errorCode;
    assert.equal(await produceError(11), ErrorCode.TRANSACTION_ABORTABLE, 'Produce v11');
    assert.equal(await produceError(10), ErrorCode.INVALID_TXN_STATE, 'Produce v10');
    assert.equal(await produceError(3), ErrorCode.INVALID_TXN_STATE, 'Produce v3');

    // The broker-to-coordinator question itself (verifyOnly), as a partition leader asks it.
    const verify = async (version: number) => {
      const response = await client.send<{
        resultsByTransaction: { topicResults: { resultsByPartition: { partitionErrorCode: number }[] }[] }[];
      }>(AddPartitionsToTxnApi, version, {
        transactions: [
          {
            transactionalId: tid,
            producerId,
            producerEpoch,
            verifyOnly: true,
            topics: [{ name: topic, partitions: [0] }],
          },
        ],
      });
      return response.resultsByTransaction[0]?.topicResults[0]?.resultsByPartition[0]?.partitionErrorCode;
    };
    assert.equal(await verify(5), ErrorCode.TRANSACTION_ABORTABLE, 'AddPartitionsToTxn v5 verifyOnly');
    assert.equal(await verify(4), ErrorCode.INVALID_TXN_STATE, 'AddPartitionsToTxn v4 verifyOnly');

    // Offsets of a group the transaction never added (no AddOffsetsToTxn).
    const groupId = uniqueName('group');
    const commitError = async (version: number) => {
      const response = await client.send<{ topics: { partitions: { errorCode: number }[] }[] }>(
        TxnOffsetCommitApi,
        version,
        {
          transactionalId: tid,
          groupId,
          producerId,
          producerEpoch,
          generationId: -1,
          memberId: '',
          groupInstanceId: null,
          topics: [
            {
              name: topic,
              partitions: [
                { partitionIndex: 0, committedOffset: 1n, committedLeaderEpoch: -1, committedMetadata: null },
              ],
            },
          ],
        },
      );
      return response.topics[0]?.partitions[0]?.errorCode;
    };
    await waitFor(
      async () => {
        await client.send(FindCoordinatorApi, 3, { key: groupId, keyType: 0 });
        return (await commitError(4)) === ErrorCode.TRANSACTION_ABORTABLE;
      },
      15_000,
      'TxnOffsetCommit v4 answered TRANSACTION_ABORTABLE',
    );
    assert.equal(await commitError(3), ErrorCode.INVALID_TXN_STATE, 'TxnOffsetCommit v3');

    // Nothing was written: once the partition is added, the same producer starts at sequence 0.
    await client.send(AddPartitionsToTxnApi, 3, {
      v3AndBelowTransactionalId: tid,
      v3AndBelowProducerId: producerId,
      v3AndBelowProducerEpoch: producerEpoch,
      v3AndBelowTopics: [{ name: topic, partitions: [0] }],
    });
    assert.equal(await produceError(11), ErrorCode.NONE);
  });

  it('a fenced producer epoch is refused by the coordinator and by the partition', async () => {
    const topic = uniqueName('fenced');
    await createTopic(broker.bootstrap, topic, 1);
    const tid = uniqueName('tid');
    const old = await initTransactional(tid);
    await client.send(AddPartitionsToTxnApi, 3, {
      v3AndBelowTransactionalId: tid,
      v3AndBelowProducerId: old.producerId,
      v3AndBelowProducerEpoch: old.producerEpoch,
      v3AndBelowTopics: [{ name: topic, partitions: [0] }],
    });
    assert.equal(
      (await produce(topic, tid, old.producerId, old.producerEpoch, 0)).responses[0]?.partitionResponses[0]?.errorCode,
      ErrorCode.NONE,
    );
    // A new instance: the open transaction is aborted with a bumped epoch (CONCURRENT_TRANSACTIONS until done).
    const current = await initTransactional(tid);
    assert.equal(current.producerEpoch, old.producerEpoch + 2);
    const endOld = await client.send<{ errorCode: number }>(EndTxnApi, 3, {
      transactionalId: tid,
      producerId: old.producerId,
      producerEpoch: old.producerEpoch,
      committed: true,
    });
    assert.equal(endOld.errorCode, ErrorCode.PRODUCER_FENCED);
    const zombie = await produce(topic, tid, old.producerId, old.producerEpoch, 1);
    assert.equal(zombie.responses[0]?.partitionResponses[0]?.errorCode, ErrorCode.INVALID_PRODUCER_EPOCH);
  });

  it('a marker with a coordinator epoch older than the last one seen is refused', async () => {
    const topic = uniqueName('stale');
    await createTopic(broker.bootstrap, topic, 1);
    const marker = (coordinatorEpoch: number) =>
      client.send<{ markers: { topics: { partitions: { errorCode: number }[] }[] }[] }>(WriteTxnMarkersApi, 1, {
        markers: [
          {
            producerId: 777_000n,
            producerEpoch: 0,
            transactionResult: false,
            coordinatorEpoch,
            topics: [{ name: topic, partitionIndexes: [0] }],
          },
        ],
      });
    const first = await marker(5);
    assert.equal(first.markers[0]?.topics[0]?.partitions[0]?.errorCode, ErrorCode.NONE);
    const stale = await marker(4);
    assert.equal(stale.markers[0]?.topics[0]?.partitions[0]?.errorCode, ErrorCode.TRANSACTION_COORDINATOR_FENCED);
  });
});
