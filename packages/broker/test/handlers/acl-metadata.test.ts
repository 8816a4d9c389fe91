/**
 * ACLs on what a client may learn about topics and the cluster: Metadata (with auto-creation and
 * KIP-430 authorized operations), DescribeTopicPartitions, DescribeCluster.
 */
import assert from 'node:assert/strict';
import { after, before, beforeEach, describe, test } from 'node:test';
import {
  ApiKey,
  type CreateTopicsResponse,
  type DescribeClusterResponse,
  type DescribeTopicPartitionsResponse,
  ErrorCode,
  type MetadataResponse,
  ZERO_UUID,
} from '@samsa/protocol';
import { AUTHORIZED_OPERATIONS_OMITTED } from '../../src/handlers/authorized-operations.js';
import { AclOperationCode as Op, ResourceType } from '../../src/security/authorizer.js';
import { AclHarness } from './support/acl-harness.js';

const bits = (...ops: number[]) => ops.reduce((field, op) => field | (1 << op), 0);

describe('ACLs on Metadata, DescribeTopicPartitions and DescribeCluster', () => {
  let h: AclHarness;
  let secretId: string;
  before(async () => {
    h = await AclHarness.start({ 'auto.create.topics.enable': 'true' });
    const created = await h.setup<CreateTopicsResponse>(ApiKey.CreateTopics, 7, {
      topics: ['secret', 'open', 'open-1', 'open-2'].map((name) => ({ name, numPartitions: 2, replicationFactor: 1 })),
      timeoutMs: 5000,
    });
    secretId = created.topics[0]?.topicId ?? ZERO_UUID;
    assert.notEqual(secretId, ZERO_UUID);
  });
  after(async () => {
    await h?.close();
  });
  beforeEach(() => {
    h.authorizer.reset();
  });

  const metadata = (topics: unknown, extra: Record<string, unknown> = {}, version = 12) =>
    h.send<MetadataResponse>(ApiKey.Metadata, version, {
      topics,
      allowAutoTopicCreation: false,
      includeTopicAuthorizedOperations: false,
      ...extra,
    });
  const exists = async (name: string) => {
    const all = await h.setup<MetadataResponse>(ApiKey.Metadata, 12, { topics: null });
    return all.topics.some((t) => t.name === name);
  };

  test('listing all topics leaves out those the principal may not describe', async () => {
    h.authorizer.allow(Op.DESCRIBE, ResourceType.TOPIC, 'open').allow(Op.READ, ResourceType.TOPIC, 'open');
    const response = await metadata(null, { includeTopicAuthorizedOperations: true });
    assert.deepEqual(
      response.topics.map((t) => [t.name, t.errorCode, t.partitions.length, t.topicAuthorizedOperations]),
      [['open', ErrorCode.NONE, 2, bits(Op.READ, Op.DESCRIBE)]],
    );
    // v0's empty list also means all.
    const v0 = await h.send<MetadataResponse>(ApiKey.Metadata, 0, { topics: [] });
    assert.deepEqual(
      v0.topics.map((t) => t.name),
      ['open'],
    );
  });

  test('a topic named without DESCRIBE fails whether or not it exists, with no id or partitions', async () => {
    h.authorizer.allow(Op.DESCRIBE, ResourceType.TOPIC, 'open');
    const response = await metadata([{ name: 'secret' }, { name: 'no-such-topic' }, { name: 'open' }], {
      includeTopicAuthorizedOperations: true,
    });
    assert.deepEqual(
      response.topics.map((t) => [t.name, t.errorCode, t.topicId, t.partitions.length, t.topicAuthorizedOperations]),
      [
        ['secret', ErrorCode.TOPIC_AUTHORIZATION_FAILED, ZERO_UUID, 0, AUTHORIZED_OPERATIONS_OMITTED],
        ['no-such-topic', ErrorCode.TOPIC_AUTHORIZATION_FAILED, ZERO_UUID, 0, AUTHORIZED_OPERATIONS_OMITTED],
        ['open', ErrorCode.NONE, response.topics[2]?.topicId, 2, bits(Op.DESCRIBE)],
      ],
    );
  });

  test('a topic identified by id without DESCRIBE fails without its name (v12)', async () => {
    const response = await metadata([{ name: null, topicId: secretId }]);
    assert.deepEqual(
      response.topics.map((t) => [t.name, t.topicId, t.errorCode]),
      [[null, secretId, ErrorCode.TOPIC_AUTHORIZATION_FAILED]],
    );
    h.authorizer.allow(Op.DESCRIBE, ResourceType.TOPIC, 'secret');
    const allowed = await metadata([{ name: null, topicId: secretId }]);
    assert.deepEqual(
      allowed.topics.map((t) => [t.name, t.errorCode]),
      [['secret', ErrorCode.NONE]],
    );
  });

  test('auto-creation needs CREATE on the cluster or on the topic', async () => {
    h.authorizer.allow(Op.DESCRIBE, ResourceType.TOPIC);
    const refused = await metadata([{ name: 'auto-a' }], { allowAutoTopicCreation: true });
    assert.equal(refused.topics[0]?.errorCode, ErrorCode.TOPIC_AUTHORIZATION_FAILED);
    assert.equal(await exists('auto-a'), false);

    h.authorizer.allow(Op.CREATE, ResourceType.TOPIC, 'auto-b');
    const byTopic = await metadata([{ name: 'auto-a' }, { name: 'auto-b' }], { allowAutoTopicCreation: true });
    assert.deepEqual(
      byTopic.topics.map((t) => [t.name, t.errorCode]),
      [
        ['auto-a', ErrorCode.TOPIC_AUTHORIZATION_FAILED],
        ['auto-b', ErrorCode.NONE],
      ],
    );

    h.authorizer.allow(Op.CREATE, ResourceType.CLUSTER);
    const byCluster = await metadata([{ name: 'auto-a' }], { allowAutoTopicCreation: true });
    assert.equal(byCluster.topics[0]?.errorCode, ErrorCode.NONE);
    assert.equal(await exists('auto-a'), true);

    // Without DESCRIBE, CREATE alone does not reveal (or create) anything.
    h.authorizer.reset().allow(Op.CREATE, ResourceType.CLUSTER);
    const hidden = await metadata([{ name: 'auto-c' }], { allowAutoTopicCreation: true });
    assert.equal(hidden.topics[0]?.errorCode, ErrorCode.TOPIC_AUTHORIZATION_FAILED);
    assert.equal(await exists('auto-c'), false);
  });

  test("the cluster's authorized operations need DESCRIBE on the cluster (Metadata v8-10, DescribeCluster)", async () => {
    const body = { topics: [], includeClusterAuthorizedOperations: true };
    const none = await h.send<MetadataResponse>(ApiKey.Metadata, 10, body);
    assert.equal(none.clusterAuthorizedOperations, 0);
    h.authorizer.allow(Op.ALTER, ResourceType.CLUSTER);
    assert.equal((await h.send<MetadataResponse>(ApiKey.Metadata, 10, body)).clusterAuthorizedOperations, 0);
    h.authorizer.allow(Op.DESCRIBE, ResourceType.CLUSTER);
    assert.equal(
      (await h.send<MetadataResponse>(ApiKey.Metadata, 10, body)).clusterAuthorizedOperations,
      bits(Op.ALTER, Op.DESCRIBE),
    );
    const cluster = await h.send<DescribeClusterResponse>(ApiKey.DescribeCluster, 1, {
      includeClusterAuthorizedOperations: true,
      endpointType: 1,
    });
    assert.equal(cluster.clusterAuthorizedOperations, bits(Op.ALTER, Op.DESCRIBE));
    h.authorizer.reset();
    const denied = await h.send<DescribeClusterResponse>(ApiKey.DescribeCluster, 1, {
      includeClusterAuthorizedOperations: true,
      endpointType: 1,
    });
    assert.equal(denied.errorCode, ErrorCode.NONE);
    assert.equal(denied.clusterAuthorizedOperations, 0);
    assert.ok(denied.brokers.length > 0, 'describing the cluster itself needs nothing');
  });

  test('DescribeTopicPartitions: hidden when listing all, refused when named, never in the cursor', async () => {
    h.authorizer.allow(Op.DESCRIBE, ResourceType.TOPIC, 'open').allow(Op.DESCRIBE, ResourceType.TOPIC, 'open-2');
    const all = await h.send<DescribeTopicPartitionsResponse>(ApiKey.DescribeTopicPartitions, 0, {
      topics: [],
      responsePartitionLimit: 2,
      cursor: null,
    });
    assert.deepEqual(
      all.topics.map((t) => [t.name, t.errorCode, t.topicAuthorizedOperations]),
      [['open', ErrorCode.NONE, bits(Op.DESCRIBE)]],
    );
    // The next page is "open-2", not "open-1", which sorts between and the principal may not see.
    assert.deepEqual(all.nextCursor, { topicName: 'open-2', partitionIndex: 0 });

    const named = await h.send<DescribeTopicPartitionsResponse>(ApiKey.DescribeTopicPartitions, 0, {
      topics: [{ name: 'secret' }, { name: 'open' }],
      responsePartitionLimit: 100,
      cursor: null,
    });
    assert.deepEqual(
      named.topics.map((t) => [t.name, t.errorCode, t.topicId, t.partitions.length]),
      [
        ['open', ErrorCode.NONE, named.topics[0]?.topicId, 2],
        ['secret', ErrorCode.TOPIC_AUTHORIZATION_FAILED, ZERO_UUID, 0],
      ],
    );
  });
});
