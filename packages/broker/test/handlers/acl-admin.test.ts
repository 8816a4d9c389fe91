/**
 * ACLs on the admin APIs: topics (CreateTopics, DeleteTopics, CreatePartitions, DeleteRecords),
 * configs (DescribeConfigs, AlterConfigs, IncrementalAlterConfigs) and the cluster-wide ones
 * (DescribeLogDirs, AlterReplicaLogDirs, ElectLeaders, Alter/ListPartitionReassignments).
 */
import assert from 'node:assert/strict';
import { after, before, beforeEach, describe, test } from 'node:test';
import {
  type AlterConfigsResponse,
  type AlterPartitionReassignmentsResponse,
  type AlterReplicaLogDirsResponse,
  ApiKey,
  ConfigResourceType,
  type CreatePartitionsResponse,
  type CreateTopicsResponse,
  type DeleteRecordsResponse,
  type DeleteTopicsResponse,
  type DescribeConfigsResponse,
  type DescribeLogDirsResponse,
  type ElectLeadersResponse,
  ErrorCode,
  type IncrementalAlterConfigsResponse,
  type ListPartitionReassignmentsResponse,
  type MetadataResponse,
  ZERO_UUID,
} from '@samsa/protocol';
import { AclOperationCode as Op, ResourceType } from '../../src/security/authorizer.js';
import { AclHarness } from './support/acl-harness.js';

describe('ACLs on the admin APIs', () => {
  let h: AclHarness;
  const ids = new Map<string, string>();
  before(async () => {
    h = await AclHarness.start();
    const created = await h.setup<CreateTopicsResponse>(ApiKey.CreateTopics, 7, {
      topics: ['secret', 'open', 'doomed', 'doomed-by-id'].map((name) => ({
        name,
        numPartitions: 1,
        replicationFactor: 1,
      })),
      timeoutMs: 5000,
    });
    for (const t of created.topics) ids.set(t.name, t.topicId);
  });
  after(async () => {
    await h?.close();
  });
  beforeEach(() => {
    h.authorizer.reset();
  });

  const topicNames = async () =>
    (await h.setup<MetadataResponse>(ApiKey.Metadata, 12, { topics: null })).topics.map((t) => t.name);

  test('CreateTopics: CREATE on the topic or the cluster; configs only with DESCRIBE_CONFIGS', async () => {
    const create = (...names: string[]) =>
      h.send<CreateTopicsResponse>(ApiKey.CreateTopics, 7, {
        topics: names.map((name) => ({ name, numPartitions: 3, replicationFactor: 1 })),
        timeoutMs: 5000,
      });
    const refused = await create('new-a');
    assert.deepEqual(
      refused.topics.map((t) => [t.name, t.errorCode, t.topicConfigErrorCode]),
      [['new-a', ErrorCode.TOPIC_AUTHORIZATION_FAILED, ErrorCode.TOPIC_AUTHORIZATION_FAILED]],
    );
    assert.ok(!(await topicNames()).includes('new-a'));

    h.authorizer.allow(Op.CREATE, ResourceType.TOPIC, 'new-a');
    const blind = await create('new-a', 'new-b');
    assert.deepEqual(
      blind.topics.map((t) => [
        t.name,
        t.errorCode,
        t.topicConfigErrorCode,
        t.topicId,
        t.numPartitions,
        t.configs?.length ?? 0,
      ]),
      [
        // Created, but without DESCRIBE_CONFIGS nothing about it comes back.
        ['new-a', ErrorCode.NONE, ErrorCode.TOPIC_AUTHORIZATION_FAILED, ZERO_UUID, -1, 0],
        ['new-b', ErrorCode.TOPIC_AUTHORIZATION_FAILED, ErrorCode.TOPIC_AUTHORIZATION_FAILED, ZERO_UUID, -1, 0],
      ],
    );

    h.authorizer.allow(Op.CREATE, ResourceType.CLUSTER).allow(Op.DESCRIBE_CONFIGS, ResourceType.TOPIC);
    const full = await create('new-c');
    assert.equal(full.topics[0]?.errorCode, ErrorCode.NONE);
    assert.equal(full.topics[0]?.numPartitions, 3);
    assert.notEqual(full.topics[0]?.topicId, ZERO_UUID);
    assert.ok((full.topics[0]?.configs?.length ?? 0) > 0);
  });

  test('DeleteTopics: DELETE per topic, before existence; by id, no name without DESCRIBE', async () => {
    const byName = await h.send<DeleteTopicsResponse>(ApiKey.DeleteTopics, 5, {
      topicNames: ['doomed', 'no-such-topic'],
      timeoutMs: 5000,
    });
    assert.deepEqual(
      byName.responses.map((r) => [r.name, r.errorCode]),
      [
        ['doomed', ErrorCode.TOPIC_AUTHORIZATION_FAILED],
        ['no-such-topic', ErrorCode.TOPIC_AUTHORIZATION_FAILED],
      ],
    );
    const id = ids.get('doomed-by-id') as string;
    const byId = await h.send<DeleteTopicsResponse>(ApiKey.DeleteTopics, 6, {
      topics: [{ name: null, topicId: id }],
      timeoutMs: 5000,
    });
    assert.deepEqual(
      byId.responses.map((r) => [r.name, r.topicId, r.errorCode]),
      [[null, id, ErrorCode.TOPIC_AUTHORIZATION_FAILED]],
    );
    assert.ok((await topicNames()).includes('doomed'));

    h.authorizer.allow(Op.DELETE, ResourceType.TOPIC, 'doomed').allow(Op.DELETE, ResourceType.TOPIC, 'no-such-topic');
    const deleted = await h.send<DeleteTopicsResponse>(ApiKey.DeleteTopics, 5, {
      topicNames: ['doomed', 'no-such-topic'],
      timeoutMs: 5000,
    });
    assert.deepEqual(
      deleted.responses.map((r) => [r.name, r.errorCode]),
      [
        ['doomed', ErrorCode.NONE],
        ['no-such-topic', ErrorCode.UNKNOWN_TOPIC_OR_PARTITION],
      ],
    );
  });

  test('CreatePartitions: ALTER per topic', async () => {
    h.authorizer.allow(Op.ALTER, ResourceType.TOPIC, 'open');
    const response = await h.send<CreatePartitionsResponse>(ApiKey.CreatePartitions, 3, {
      topics: ['secret', 'open'].map((name) => ({ name, count: 2, assignments: null })),
      timeoutMs: 5000,
      validateOnly: true,
    });
    assert.deepEqual(
      response.results.map((r) => [r.name, r.errorCode]),
      [
        ['secret', ErrorCode.TOPIC_AUTHORIZATION_FAILED],
        ['open', ErrorCode.NONE],
      ],
    );
  });

  test('DeleteRecords: DELETE per topic', async () => {
    h.authorizer.allow(Op.DELETE, ResourceType.TOPIC, 'open');
    const response = await h.send<DeleteRecordsResponse>(ApiKey.DeleteRecords, 2, {
      topics: ['secret', 'open', 'ghost'].map((name) => ({ name, partitions: [{ partitionIndex: 0, offset: 0n }] })),
      timeoutMs: 5000,
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

  test('DescribeConfigs: DESCRIBE_CONFIGS on the topic, or on the cluster for brokers', async () => {
    const resources = [
      { resourceType: ConfigResourceType.TOPIC, resourceName: 'secret', configurationKeys: null },
      { resourceType: ConfigResourceType.TOPIC, resourceName: 'open', configurationKeys: null },
      { resourceType: ConfigResourceType.TOPIC, resourceName: 'ghost', configurationKeys: null },
      { resourceType: ConfigResourceType.BROKER, resourceName: '0', configurationKeys: null },
    ];
    h.authorizer.allow(Op.DESCRIBE_CONFIGS, ResourceType.TOPIC, 'open');
    const response = await h.send<DescribeConfigsResponse>(ApiKey.DescribeConfigs, 4, { resources });
    assert.deepEqual(
      response.results.map((r) => [r.resourceName, r.errorCode, r.configs.length > 0]),
      [
        ['secret', ErrorCode.TOPIC_AUTHORIZATION_FAILED, false],
        ['open', ErrorCode.NONE, true],
        ['ghost', ErrorCode.TOPIC_AUTHORIZATION_FAILED, false],
        ['0', ErrorCode.CLUSTER_AUTHORIZATION_FAILED, false],
      ],
    );
    h.authorizer.allow(Op.DESCRIBE_CONFIGS, ResourceType.CLUSTER);
    const broker = await h.send<DescribeConfigsResponse>(ApiKey.DescribeConfigs, 4, { resources: [resources[3]] });
    assert.equal(broker.results[0]?.errorCode, ErrorCode.NONE);
  });

  test('AlterConfigs and IncrementalAlterConfigs: ALTER_CONFIGS on the topic, or on the cluster for brokers', async () => {
    const legacy = await h.send<AlterConfigsResponse>(ApiKey.AlterConfigs, 2, {
      resources: [
        {
          resourceType: ConfigResourceType.TOPIC,
          resourceName: 'open',
          configs: [{ name: 'retention.ms', value: '1000' }],
        },
        { resourceType: ConfigResourceType.BROKER, resourceName: '0', configs: [] },
      ],
      validateOnly: true,
    });
    assert.deepEqual(
      legacy.responses.map((r) => [r.resourceName, r.errorCode]),
      [
        ['open', ErrorCode.TOPIC_AUTHORIZATION_FAILED],
        ['0', ErrorCode.CLUSTER_AUTHORIZATION_FAILED],
      ],
    );
    h.authorizer.allow(Op.ALTER_CONFIGS, ResourceType.TOPIC, 'open');
    const incremental = await h.send<IncrementalAlterConfigsResponse>(ApiKey.IncrementalAlterConfigs, 1, {
      resources: [
        {
          resourceType: ConfigResourceType.TOPIC,
          resourceName: 'open',
          configs: [{ name: 'retention.ms', configOperation: 0, value: '1000' }],
        },
        { resourceType: ConfigResourceType.TOPIC, resourceName: 'secret', configs: [] },
        { resourceType: ConfigResourceType.BROKER_LOGGER, resourceName: '0', configs: [] },
      ],
      validateOnly: true,
    });
    assert.deepEqual(
      incremental.responses.map((r) => [r.resourceName, r.errorCode]),
      [
        ['open', ErrorCode.NONE],
        ['secret', ErrorCode.TOPIC_AUTHORIZATION_FAILED],
        ['0', ErrorCode.CLUSTER_AUTHORIZATION_FAILED],
      ],
    );
  });

  test('DescribeLogDirs: DESCRIBE on the cluster, else nothing', async () => {
    for (const version of [1, 4]) {
      const denied = await h.send<DescribeLogDirsResponse>(ApiKey.DescribeLogDirs, version, { topics: null });
      assert.equal(denied.results.length, 0);
      if (version >= 3) assert.equal(denied.errorCode, ErrorCode.CLUSTER_AUTHORIZATION_FAILED);
    }
    h.authorizer.allow(Op.DESCRIBE, ResourceType.CLUSTER);
    const allowed = await h.send<DescribeLogDirsResponse>(ApiKey.DescribeLogDirs, 4, { topics: null });
    assert.equal(allowed.errorCode, ErrorCode.NONE);
    assert.ok(allowed.results.length > 0);
  });

  test('AlterReplicaLogDirs: ALTER on the cluster, else every partition refused', async () => {
    const response = await h.send<AlterReplicaLogDirsResponse>(ApiKey.AlterReplicaLogDirs, 2, {
      dirs: [{ path: '/nowhere', topics: [{ name: 'open', partitions: [0] }] }],
    });
    assert.deepEqual(
      response.results.map((r) => [r.topicName, r.partitions[0]?.errorCode]),
      [['open', ErrorCode.CLUSTER_AUTHORIZATION_FAILED]],
    );
  });

  test('ElectLeaders and partition reassignments: ALTER (list: DESCRIBE) on the cluster', async () => {
    const elect = await h.send<ElectLeadersResponse>(ApiKey.ElectLeaders, 2, {
      electionType: 0,
      topicPartitions: [{ topic: 'open', partitions: [0] }],
      timeoutMs: 5000,
    });
    assert.equal(elect.errorCode, ErrorCode.CLUSTER_AUTHORIZATION_FAILED);
    assert.equal(
      elect.replicaElectionResults[0]?.partitionResult[0]?.errorCode,
      ErrorCode.CLUSTER_AUTHORIZATION_FAILED,
    );
    const alter = await h.send<AlterPartitionReassignmentsResponse>(ApiKey.AlterPartitionReassignments, 0, {
      timeoutMs: 5000,
      topics: [{ name: 'open', partitions: [{ partitionIndex: 0, replicas: null }] }],
    });
    assert.equal(alter.errorCode, ErrorCode.CLUSTER_AUTHORIZATION_FAILED);
    const list = await h.send<ListPartitionReassignmentsResponse>(ApiKey.ListPartitionReassignments, 0, {
      timeoutMs: 5000,
      topics: null,
    });
    assert.equal(list.errorCode, ErrorCode.CLUSTER_AUTHORIZATION_FAILED);

    h.authorizer.allow(Op.ALTER, ResourceType.CLUSTER).allow(Op.DESCRIBE, ResourceType.CLUSTER);
    const elected = await h.send<ElectLeadersResponse>(ApiKey.ElectLeaders, 2, {
      electionType: 0,
      topicPartitions: [{ topic: 'open', partitions: [0] }],
      timeoutMs: 5000,
    });
    assert.notEqual(elected.errorCode, ErrorCode.CLUSTER_AUTHORIZATION_FAILED);
    const listed = await h.send<ListPartitionReassignmentsResponse>(ApiKey.ListPartitionReassignments, 0, {
      timeoutMs: 5000,
      topics: null,
    });
    assert.equal(listed.errorCode, ErrorCode.NONE);
  });
});
