/**
 * ACLs on the group APIs: FindCoordinator, JoinGroup/SyncGroup/Heartbeat/LeaveGroup, OffsetCommit,
 * OffsetFetch, DescribeGroups, ListGroups, DeleteGroups, OffsetDelete.
 */
import assert from 'node:assert/strict';
import { after, before, beforeEach, describe, test } from 'node:test';
import {
  ApiKey,
  type ConsumerGroupHeartbeatResponse,
  type CreateTopicsResponse,
  type DeleteGroupsResponse,
  type DescribeGroupsResponse,
  ErrorCode,
  type FindCoordinatorResponse,
  type HeartbeatResponse,
  type JoinGroupResponse,
  type LeaveGroupResponse,
  type ListGroupsResponse,
  type OffsetCommitResponse,
  type OffsetDeleteResponse,
  type OffsetFetchResponse,
  type ShareGroupHeartbeatResponse,
  type SyncGroupResponse,
} from '@samsa/protocol';
import { AclOperationCode as Op, ResourceType } from '../../src/security/authorizer.js';
import { AclHarness } from './support/acl-harness.js';

const bits = (...ops: number[]) => ops.reduce((field, op) => field | (1 << op), 0);

function commitBody(groupId: string, topics: string[], offset = 5n) {
  return {
    groupId,
    generationIdOrMemberEpoch: -1,
    memberId: '',
    groupInstanceId: null,
    topics: topics.map((name) => ({
      name,
      partitions: [{ partitionIndex: 0, committedOffset: offset, committedLeaderEpoch: -1, committedMetadata: '' }],
    })),
  };
}

const codes = (response: OffsetCommitResponse) => response.topics.map((t) => [t.name, t.partitions[0]?.errorCode]);

describe('ACLs on the group APIs', () => {
  let h: AclHarness;
  before(async () => {
    // Share groups on too: ShareGroupHeartbeat's topic check is the consumer group heartbeat's.
    h = await AclHarness.start({ 'group.share.enable': 'true' });
    await h.setup<CreateTopicsResponse>(ApiKey.CreateTopics, 7, {
      topics: ['secret', 'open'].map((name) => ({ name, numPartitions: 1, replicationFactor: 1 })),
      timeoutMs: 5000,
    });
    await h.awaitCoordinator(0, 'g-open');
    for (const group of ['g-open', 'g-secret', 'g-del-open', 'g-del-secret']) {
      const committed = await h.setup<OffsetCommitResponse>(
        ApiKey.OffsetCommit,
        8,
        commitBody(group, ['secret', 'open']),
      );
      assert.deepEqual(codes(committed), [
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

  test('ConsumerGroupHeartbeat and ShareGroupHeartbeat: DESCRIBE on every subscribed topic', async () => {
    h.authorizer.allow(Op.READ, ResourceType.GROUP, 'g-open').allow(Op.DESCRIBE, ResourceType.TOPIC, 'open');
    const consumer = await h.send<ConsumerGroupHeartbeatResponse>(ApiKey.ConsumerGroupHeartbeat, 1, {
      groupId: 'g-open',
      memberId: 'm1',
      memberEpoch: 0,
      instanceId: null,
      rackId: null,
      rebalanceTimeoutMs: 30000,
      subscribedTopicNames: ['open', 'secret', 'secret'],
      subscribedTopicRegex: null,
      serverAssignor: null,
      topicPartitions: [],
    });
    assert.equal(consumer.errorCode, ErrorCode.TOPIC_AUTHORIZATION_FAILED);
    assert.equal(consumer.errorMessage, 'Topic authorization failed for topics: secret');
    const share = await h.send<ShareGroupHeartbeatResponse>(ApiKey.ShareGroupHeartbeat, 1, {
      groupId: 'g-open',
      memberId: 'm1',
      memberEpoch: 0,
      rackId: null,
      subscribedTopicNames: ['secret', 'open'],
    });
    assert.equal(share.errorCode, ErrorCode.TOPIC_AUTHORIZATION_FAILED);
    assert.equal(share.errorMessage, 'Topic authorization failed for topics: secret');
  });

  test('FindCoordinator: DESCRIBE on the group or transactional id', async () => {
    h.authorizer.allow(Op.DESCRIBE, ResourceType.GROUP, 'g-open');
    const batched = await h.send<FindCoordinatorResponse>(ApiKey.FindCoordinator, 4, {
      keyType: 0,
      coordinatorKeys: ['g-secret', 'g-open'],
    });
    assert.deepEqual(
      batched.coordinators.map((c) => [c.key, c.errorCode, c.nodeId]),
      [
        ['g-secret', ErrorCode.GROUP_AUTHORIZATION_FAILED, -1],
        ['g-open', ErrorCode.NONE, 0],
      ],
    );
    assert.equal(h.authorizer.calls.length, 1, 'the keys are authorized in one call');
    const single = await h.send<FindCoordinatorResponse>(ApiKey.FindCoordinator, 3, { key: 'g-secret', keyType: 0 });
    assert.equal(single.errorCode, ErrorCode.GROUP_AUTHORIZATION_FAILED);
    const txn = await h.send<FindCoordinatorResponse>(ApiKey.FindCoordinator, 4, {
      keyType: 1,
      coordinatorKeys: ['g-open'],
    });
    assert.equal(txn.coordinators[0]?.errorCode, ErrorCode.TRANSACTIONAL_ID_AUTHORIZATION_FAILED);
  });

  test('JoinGroup, SyncGroup, Heartbeat and LeaveGroup: READ on the group', async () => {
    const join = () =>
      h.send<JoinGroupResponse>(ApiKey.JoinGroup, 9, {
        groupId: 'g-join',
        sessionTimeoutMs: 10000,
        rebalanceTimeoutMs: 10000,
        memberId: '',
        groupInstanceId: null,
        protocolType: 'consumer',
        protocols: [{ name: 'range', metadata: new Uint8Array() }],
        reason: null,
      });
    assert.equal((await join()).errorCode, ErrorCode.GROUP_AUTHORIZATION_FAILED);
    const sync = await h.send<SyncGroupResponse>(ApiKey.SyncGroup, 5, {
      groupId: 'g-join',
      generationId: 1,
      memberId: 'm',
      groupInstanceId: null,
      protocolType: 'consumer',
      protocolName: 'range',
      assignments: [],
    });
    assert.equal(sync.errorCode, ErrorCode.GROUP_AUTHORIZATION_FAILED);
    const heartbeat = await h.send<HeartbeatResponse>(ApiKey.Heartbeat, 4, {
      groupId: 'g-join',
      generationId: 1,
      memberId: 'm',
      groupInstanceId: null,
    });
    assert.equal(heartbeat.errorCode, ErrorCode.GROUP_AUTHORIZATION_FAILED);
    const leave = await h.send<LeaveGroupResponse>(ApiKey.LeaveGroup, 5, {
      groupId: 'g-join',
      members: [{ memberId: 'm', groupInstanceId: null, reason: null }],
    });
    assert.equal(leave.errorCode, ErrorCode.GROUP_AUTHORIZATION_FAILED);
    // DESCRIBE is not READ.
    h.authorizer.allow(Op.DESCRIBE, ResourceType.GROUP, 'g-join');
    assert.equal((await join()).errorCode, ErrorCode.GROUP_AUTHORIZATION_FAILED);
    h.authorizer.allow(Op.READ, ResourceType.GROUP, 'g-join');
    // Past authorization: a new member is first asked to rejoin with its id (KIP-394).
    assert.equal((await join()).errorCode, ErrorCode.MEMBER_ID_REQUIRED);
  });

  test('OffsetCommit: READ on the group, then READ per topic', async () => {
    const denied = await h.send<OffsetCommitResponse>(ApiKey.OffsetCommit, 8, commitBody('g-open', ['open']));
    assert.deepEqual(codes(denied), [['open', ErrorCode.GROUP_AUTHORIZATION_FAILED]]);
    h.authorizer.allow(Op.READ, ResourceType.GROUP, 'g-open').allow(Op.READ, ResourceType.TOPIC, 'open');
    const response = await h.send<OffsetCommitResponse>(
      ApiKey.OffsetCommit,
      8,
      commitBody('g-open', ['secret', 'open', 'ghost'], 6n),
    );
    assert.deepEqual(codes(response), [
      ['secret', ErrorCode.TOPIC_AUTHORIZATION_FAILED],
      ['open', ErrorCode.NONE],
      ['ghost', ErrorCode.TOPIC_AUTHORIZATION_FAILED],
    ]);
  });

  test('OffsetFetch: DESCRIBE on the group; offsets of undescribable topics never shown', async () => {
    const fetch = (topics: { name: string; partitionIndexes: number[] }[] | null) =>
      h.send<OffsetFetchResponse>(ApiKey.OffsetFetch, 8, {
        groups: [{ groupId: 'g-secret', topics }],
        requireStable: false,
      });
    const denied = await fetch(null);
    assert.equal(denied.groups[0]?.errorCode, ErrorCode.GROUP_AUTHORIZATION_FAILED);
    assert.deepEqual(denied.groups[0]?.topics, []);

    h.authorizer.allow(Op.DESCRIBE, ResourceType.GROUP, 'g-secret').allow(Op.DESCRIBE, ResourceType.TOPIC, 'open');
    const all = await fetch(null);
    assert.deepEqual(
      all.groups[0]?.topics.map((t) => [t.name, t.partitions[0]?.committedOffset]),
      [['open', 5n]],
    );
    const named = await fetch([
      { name: 'secret', partitionIndexes: [0] },
      { name: 'open', partitionIndexes: [0] },
    ]);
    const byName = new Map(named.groups[0]?.topics.map((t) => [t.name, t.partitions[0]]));
    assert.equal(byName.get('secret')?.errorCode, ErrorCode.TOPIC_AUTHORIZATION_FAILED);
    assert.equal(byName.get('secret')?.committedOffset, -1n);
    assert.equal(byName.get('open')?.errorCode, ErrorCode.NONE);
    assert.equal(byName.get('open')?.committedOffset, 5n);

    // Before v8: the group's refusal at the top (v2+) or on every partition (v0-1).
    h.authorizer.reset();
    const v5 = await h.send<OffsetFetchResponse>(ApiKey.OffsetFetch, 5, {
      groupId: 'g-secret',
      topics: [{ name: 'open', partitionIndexes: [0] }],
    });
    assert.equal(v5.errorCode, ErrorCode.GROUP_AUTHORIZATION_FAILED);
    const v1 = await h.send<OffsetFetchResponse>(ApiKey.OffsetFetch, 1, {
      groupId: 'g-secret',
      topics: [{ name: 'open', partitionIndexes: [0] }],
    });
    assert.equal(v1.topics[0]?.partitions[0]?.errorCode, ErrorCode.GROUP_AUTHORIZATION_FAILED);
  });

  test('DescribeGroups: DESCRIBE per group, authorized operations from the authorizer', async () => {
    h.authorizer.allow(Op.DESCRIBE, ResourceType.GROUP, 'g-open');
    const response = await h.send<DescribeGroupsResponse>(ApiKey.DescribeGroups, 5, {
      groups: ['g-secret', 'g-open'],
      includeAuthorizedOperations: true,
    });
    assert.deepEqual(
      response.groups.map((g) => [g.groupId, g.errorCode, g.groupState, g.authorizedOperations]),
      [
        ['g-secret', ErrorCode.GROUP_AUTHORIZATION_FAILED, '', -2147483648],
        ['g-open', ErrorCode.NONE, 'Empty', bits(Op.DESCRIBE)],
      ],
    );
  });

  test('ListGroups: the groups the principal may describe, all with DESCRIBE on the cluster', async () => {
    const list = async () =>
      (await h.send<ListGroupsResponse>(ApiKey.ListGroups, 4, { statesFilter: [] })).groups
        .map((g) => g.groupId)
        .sort();
    assert.deepEqual(await list(), []);
    h.authorizer.allow(Op.DESCRIBE, ResourceType.GROUP, 'g-open');
    assert.deepEqual(await list(), ['g-open']);
    h.authorizer.allow(Op.DESCRIBE, ResourceType.CLUSTER);
    const all = await list();
    for (const group of ['g-open', 'g-secret', 'g-del-open', 'g-del-secret']) assert.ok(all.includes(group), group);
  });

  test('DeleteGroups: DELETE per group', async () => {
    h.authorizer.allow(Op.DELETE, ResourceType.GROUP, 'g-del-open');
    const response = await h.send<DeleteGroupsResponse>(ApiKey.DeleteGroups, 2, {
      groupsNames: ['g-del-secret', 'g-del-open'],
    });
    assert.deepEqual(response.results.map((r) => [r.groupId, r.errorCode]).sort(), [
      ['g-del-open', ErrorCode.NONE],
      ['g-del-secret', ErrorCode.GROUP_AUTHORIZATION_FAILED],
    ]);
  });

  test('OffsetDelete: DELETE on the group, then READ per topic', async () => {
    const body = {
      groupId: 'g-secret',
      topics: ['secret', 'open'].map((name) => ({ name, partitions: [{ partitionIndex: 0 }] })),
    };
    const denied = await h.send<OffsetDeleteResponse>(ApiKey.OffsetDelete, 0, body);
    assert.equal(denied.errorCode, ErrorCode.GROUP_AUTHORIZATION_FAILED);
    h.authorizer.allow(Op.DELETE, ResourceType.GROUP, 'g-secret').allow(Op.READ, ResourceType.TOPIC, 'open');
    const response = await h.send<OffsetDeleteResponse>(ApiKey.OffsetDelete, 0, body);
    assert.equal(response.errorCode, ErrorCode.NONE);
    assert.deepEqual(response.topics.map((t) => [t.name, t.partitions[0]?.errorCode]).sort(), [
      ['open', ErrorCode.NONE],
      ['secret', ErrorCode.TOPIC_AUTHORIZATION_FAILED],
    ]);
  });
});
