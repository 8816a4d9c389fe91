/**
 * ACLs on producer ids and transactions (InitProducerId, AddPartitionsToTxn, AddOffsetsToTxn,
 * EndTxn, TxnOffsetCommit, DescribeTransactions, ListTransactions, DescribeProducers,
 * WriteTxnMarkers) and on the inter-broker APIs.
 */
import assert from 'node:assert/strict';
import { after, before, beforeEach, describe, test } from 'node:test';
import {
  type AddOffsetsToTxnResponse,
  type AddPartitionsToTxnResponse,
  ApiKey,
  type CreateTopicsResponse,
  type DescribeProducersResponse,
  type DescribeTransactionsResponse,
  type EndTxnResponse,
  ErrorCode,
  type InitProducerIdResponse,
  type ListTransactionsResponse,
  type TxnOffsetCommitResponse,
  type WriteTxnMarkersResponse,
} from '@samsa/protocol';
import { AclOperationCode as Op, ResourceType } from '../../src/security/authorizer.js';
import { AclHarness } from './support/acl-harness.js';

const partitionCodes = (topics: readonly { name: string; resultsByPartition: { partitionErrorCode: number }[] }[]) =>
  topics.map((t) => [t.name, t.resultsByPartition[0]?.partitionErrorCode]);

describe('ACLs on transactions and the inter-broker APIs', () => {
  let h: AclHarness;
  const producers = new Map<string, { producerId: bigint; producerEpoch: number }>();
  before(async () => {
    h = await AclHarness.start();
    await h.setup<CreateTopicsResponse>(ApiKey.CreateTopics, 7, {
      topics: ['secret', 'open'].map((name) => ({ name, numPartitions: 1, replicationFactor: 1 })),
      timeoutMs: 5000,
    });
    await h.awaitCoordinator(1, 'tx-open');
    for (const transactionalId of ['tx-open', 'tx-hidden']) {
      const init = await h.setup<InitProducerIdResponse>(ApiKey.InitProducerId, 4, {
        transactionalId,
        transactionTimeoutMs: 60000,
        producerId: -1n,
        producerEpoch: -1,
      });
      assert.equal(init.errorCode, ErrorCode.NONE);
      producers.set(transactionalId, { producerId: init.producerId, producerEpoch: init.producerEpoch });
      const added = await h.setup<AddPartitionsToTxnResponse>(ApiKey.AddPartitionsToTxn, 3, {
        v3AndBelowTransactionalId: transactionalId,
        v3AndBelowProducerId: init.producerId,
        v3AndBelowProducerEpoch: init.producerEpoch,
        v3AndBelowTopics: [
          { name: 'secret', partitions: [0] },
          { name: 'open', partitions: [0] },
        ],
      });
      assert.deepEqual(partitionCodes(added.resultsByTopicV3AndBelow), [
        ['secret', ErrorCode.NONE],
        ['open', ErrorCode.NONE],
      ]);
    }
  });
  after(async () => {
    await h?.close();
  });
  beforeEach(() => {
    h.authorizer.reset();
  });

  const producer = (id: string) => producers.get(id) as { producerId: bigint; producerEpoch: number };

  test('InitProducerId: WRITE on the transactional id; idempotence needs IDEMPOTENT_WRITE or WRITE on a topic', async () => {
    const init = (transactionalId: string | null) =>
      h.send<InitProducerIdResponse>(ApiKey.InitProducerId, 4, {
        transactionalId,
        transactionTimeoutMs: 60000,
        producerId: -1n,
        producerEpoch: -1,
      });
    const txn = await init('tx-new');
    assert.deepEqual([txn.errorCode, txn.producerId], [ErrorCode.TRANSACTIONAL_ID_AUTHORIZATION_FAILED, -1n]);
    const idempotent = await init(null);
    assert.deepEqual([idempotent.errorCode, idempotent.producerId], [ErrorCode.CLUSTER_AUTHORIZATION_FAILED, -1n]);
    h.authorizer.allow(Op.WRITE, ResourceType.TOPIC, 'open');
    assert.equal((await init(null)).errorCode, ErrorCode.NONE, 'KIP-679: WRITE on some topic is enough');
    h.authorizer.reset().allow(Op.IDEMPOTENT_WRITE, ResourceType.CLUSTER);
    assert.equal((await init(null)).errorCode, ErrorCode.NONE);
    h.authorizer.allow(Op.WRITE, ResourceType.TRANSACTIONAL_ID, 'tx-new');
    assert.equal((await init('tx-new')).errorCode, ErrorCode.NONE);
  });

  test('AddPartitionsToTxn: WRITE on the transactional id, then WRITE per topic; internal topics never', async () => {
    const { producerId, producerEpoch } = producer('tx-open');
    const add = (topics: string[]) =>
      h.send<AddPartitionsToTxnResponse>(ApiKey.AddPartitionsToTxn, 3, {
        v3AndBelowTransactionalId: 'tx-open',
        v3AndBelowProducerId: producerId,
        v3AndBelowProducerEpoch: producerEpoch,
        v3AndBelowTopics: topics.map((name) => ({ name, partitions: [0] })),
      });
    assert.deepEqual(partitionCodes((await add(['open'])).resultsByTopicV3AndBelow), [
      ['open', ErrorCode.TRANSACTIONAL_ID_AUTHORIZATION_FAILED],
    ]);
    h.authorizer.allow(Op.WRITE, ResourceType.TRANSACTIONAL_ID, 'tx-open').allow(Op.WRITE, ResourceType.TOPIC, 'open');
    assert.deepEqual(partitionCodes((await add(['secret', 'open', 'ghost'])).resultsByTopicV3AndBelow), [
      ['secret', ErrorCode.TOPIC_AUTHORIZATION_FAILED],
      ['open', ErrorCode.OPERATION_NOT_ATTEMPTED],
      ['ghost', ErrorCode.TOPIC_AUTHORIZATION_FAILED],
    ]);
    h.authorizer.allow(Op.WRITE, ResourceType.TOPIC);
    assert.deepEqual(partitionCodes((await add(['__consumer_offsets', 'open'])).resultsByTopicV3AndBelow), [
      ['__consumer_offsets', ErrorCode.TOPIC_AUTHORIZATION_FAILED],
      ['open', ErrorCode.OPERATION_NOT_ATTEMPTED],
    ]);
    assert.deepEqual(partitionCodes((await add(['open'])).resultsByTopicV3AndBelow), [['open', ErrorCode.NONE]]);
    // v4+ batches come from brokers: CLUSTER_ACTION.
    const fromBroker = await h.send<AddPartitionsToTxnResponse>(ApiKey.AddPartitionsToTxn, 5, {
      transactions: [
        {
          transactionalId: 'tx-open',
          producerId,
          producerEpoch,
          verifyOnly: true,
          topics: [{ name: 'open', partitions: [0] }],
        },
      ],
    });
    assert.equal(fromBroker.errorCode, ErrorCode.CLUSTER_AUTHORIZATION_FAILED);
  });

  test('AddOffsetsToTxn and EndTxn: WRITE on the transactional id; AddOffsetsToTxn also READ on the group', async () => {
    const { producerId, producerEpoch } = producer('tx-open');
    const addOffsets = () =>
      h.send<AddOffsetsToTxnResponse>(ApiKey.AddOffsetsToTxn, 3, {
        transactionalId: 'tx-open',
        producerId,
        producerEpoch,
        groupId: 'g',
      });
    assert.equal((await addOffsets()).errorCode, ErrorCode.TRANSACTIONAL_ID_AUTHORIZATION_FAILED);
    const end = await h.send<EndTxnResponse>(ApiKey.EndTxn, 3, {
      transactionalId: 'tx-open',
      producerId,
      producerEpoch,
      committed: false,
    });
    assert.equal(end.errorCode, ErrorCode.TRANSACTIONAL_ID_AUTHORIZATION_FAILED);
    h.authorizer.allow(Op.WRITE, ResourceType.TRANSACTIONAL_ID, 'tx-open');
    assert.equal((await addOffsets()).errorCode, ErrorCode.GROUP_AUTHORIZATION_FAILED);
  });

  test('TxnOffsetCommit: WRITE on the transactional id, READ on the group, READ per topic', async () => {
    const { producerId, producerEpoch } = producer('tx-open');
    const commit = () =>
      h.send<TxnOffsetCommitResponse>(ApiKey.TxnOffsetCommit, 3, {
        transactionalId: 'tx-open',
        groupId: 'g',
        producerId,
        producerEpoch,
        generationId: -1,
        memberId: '',
        groupInstanceId: null,
        topics: ['secret', 'open'].map((name) => ({
          name,
          partitions: [{ partitionIndex: 0, committedOffset: 1n, committedLeaderEpoch: -1, committedMetadata: '' }],
        })),
      });
    const codes = async () => (await commit()).topics.map((t) => [t.name, t.partitions[0]?.errorCode]);
    assert.deepEqual(await codes(), [
      ['secret', ErrorCode.TRANSACTIONAL_ID_AUTHORIZATION_FAILED],
      ['open', ErrorCode.TRANSACTIONAL_ID_AUTHORIZATION_FAILED],
    ]);
    h.authorizer.allow(Op.WRITE, ResourceType.TRANSACTIONAL_ID, 'tx-open');
    assert.deepEqual(await codes(), [
      ['secret', ErrorCode.GROUP_AUTHORIZATION_FAILED],
      ['open', ErrorCode.GROUP_AUTHORIZATION_FAILED],
    ]);
    h.authorizer.allow(Op.READ, ResourceType.GROUP, 'g').allow(Op.READ, ResourceType.TOPIC, 'open');
    const [secret, open] = await codes();
    assert.deepEqual(secret, ['secret', ErrorCode.TOPIC_AUTHORIZATION_FAILED]);
    const authorizationErrors: number[] = [ErrorCode.TOPIC_AUTHORIZATION_FAILED, ErrorCode.GROUP_AUTHORIZATION_FAILED];
    assert.ok(!authorizationErrors.includes(open?.[1] as number));
  });

  test("DescribeTransactions: DESCRIBE on the id; a transaction's undescribable topics left out", async () => {
    h.authorizer
      .allow(Op.DESCRIBE, ResourceType.TRANSACTIONAL_ID, 'tx-open')
      .allow(Op.DESCRIBE, ResourceType.TOPIC, 'open');
    const response = await h.send<DescribeTransactionsResponse>(ApiKey.DescribeTransactions, 0, {
      transactionalIds: ['tx-hidden', 'tx-open'],
    });
    assert.deepEqual(
      response.transactionStates.map((s) => [
        s.transactionalId,
        s.errorCode,
        s.producerId,
        s.topics.map((t) => t.topic),
      ]),
      [
        ['tx-hidden', ErrorCode.TRANSACTIONAL_ID_AUTHORIZATION_FAILED, -1n, []],
        ['tx-open', ErrorCode.NONE, producer('tx-open').producerId, ['open']],
      ],
    );
  });

  test('ListTransactions: only the ids the principal may describe', async () => {
    const list = async () =>
      (await h.send<ListTransactionsResponse>(ApiKey.ListTransactions, 1, { durationFilter: -1n })).transactionStates
        .map((s) => s.transactionalId)
        .sort();
    assert.deepEqual(await list(), []);
    h.authorizer.allow(Op.DESCRIBE, ResourceType.TRANSACTIONAL_ID, 'tx-open');
    assert.deepEqual(await list(), ['tx-open']);
  });

  test('DescribeProducers: READ per topic', async () => {
    h.authorizer.allow(Op.READ, ResourceType.TOPIC, 'open');
    const response = await h.send<DescribeProducersResponse>(ApiKey.DescribeProducers, 0, {
      topics: ['secret', 'open', 'ghost'].map((name) => ({ name, partitionIndexes: [0] })),
    });
    assert.deepEqual(
      response.topics.map((t) => [t.name, t.partitions[0]?.errorCode]),
      [
        ['secret', ErrorCode.TOPIC_AUTHORIZATION_FAILED],
        ['open', ErrorCode.NONE],
        ['ghost', ErrorCode.TOPIC_AUTHORIZATION_FAILED],
      ],
    );
  });

  test('WriteTxnMarkers: ALTER or CLUSTER_ACTION on the cluster', async () => {
    const body = {
      markers: [
        {
          producerId: 999n,
          producerEpoch: 0,
          transactionResult: false,
          coordinatorEpoch: 0,
          topics: [{ name: 'open', partitionIndexes: [0] }],
        },
      ],
    };
    const denied = await h.send<WriteTxnMarkersResponse>(ApiKey.WriteTxnMarkers, 1, body);
    assert.equal(denied.markers[0]?.topics[0]?.partitions[0]?.errorCode, ErrorCode.CLUSTER_AUTHORIZATION_FAILED);
    h.authorizer.allow(Op.ALTER, ResourceType.CLUSTER);
    const allowed = await h.send<WriteTxnMarkersResponse>(ApiKey.WriteTxnMarkers, 1, body);
    assert.notEqual(allowed.markers[0]?.topics[0]?.partitions[0]?.errorCode, ErrorCode.CLUSTER_AUTHORIZATION_FAILED);
  });

  test('inter-broker APIs: CLUSTER_ACTION on the cluster', async () => {
    const apis: [number, number][] = [
      [ApiKey.LeaderAndIsr, 7],
      [ApiKey.UpdateMetadata, 8],
      [ApiKey.StopReplica, 4],
      [ApiKey.ControlledShutdown, 3],
      [ApiKey.AlterPartition, 1],
    ];
    for (const [apiKey, version] of apis) {
      const denied = await h.send<{ errorCode: number }>(apiKey, version, {});
      assert.equal(denied.errorCode, ErrorCode.CLUSTER_AUTHORIZATION_FAILED, `API ${apiKey}`);
    }
    h.authorizer.allow(Op.CLUSTER_ACTION, ResourceType.CLUSTER);
    for (const [apiKey, version] of apis) {
      const allowed = await h.send<{ errorCode: number }>(apiKey, version, {});
      assert.notEqual(allowed.errorCode, ErrorCode.CLUSTER_AUTHORIZATION_FAILED, `API ${apiKey}`);
    }
  });
});
