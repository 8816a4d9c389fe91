/**
 * KIP-848 consumer groups on the broker, spoken raw (ConsumerGroupHeartbeat v1,
 * ConsumerGroupDescribe v1): a first member gets every partition; a second member joins and gets
 * its partitions only after the first revoked them (no partition is ever owned by two members);
 * the group's epochs and assignments survive kill -9; a member that stops heartbeating is fenced
 * after `group.consumer.session.timeout.ms`; offsets commit with the member epoch; members leave.
 */
import assert from 'node:assert/strict';
import { rmSync } from 'node:fs';
import { after, before, describe, test } from 'node:test';
import { setTimeout as sleep } from 'node:timers/promises';
import {
  ConsumerGroupDescribeApi,
  ConsumerGroupHeartbeatApi,
  CreateTopicsApi,
  ErrorCode,
  FindCoordinatorApi,
  OffsetCommitApi,
} from '@samsa/protocol';
import { BrokerProcess } from '@samsa/testkit';
import { RawClient } from '../support/raw-client.js';

// biome-ignore lint/suspicious/noExplicitAny: raw responses are checked field by field.
type Body = any;
type Owned = Map<string, number[]>;

const GROUP = 'kip848-group';
const TOPIC = 'kip848-topic';
const SESSION_TIMEOUT_MS = 6000;

describe('consumer groups (KIP-848) over raw ConsumerGroupHeartbeat', () => {
  let broker: BrokerProcess;
  let dataDir: string;
  let client: RawClient;
  let topicId: string;

  before(async () => {
    broker = await BrokerProcess.start({
      properties: {
        'group.consumer.session.timeout.ms': SESSION_TIMEOUT_MS,
        'group.consumer.heartbeat.interval.ms': 500,
      },
    });
    dataDir = broker.dataDir;
    client = await RawClient.connect(broker.port);
    const created = await client.send<Body>(CreateTopicsApi, 7, {
      topics: [{ name: TOPIC, numPartitions: 4, replicationFactor: 1 }],
      timeoutMs: 10000,
    });
    assert.equal(created.topics[0].errorCode, ErrorCode.NONE);
    topicId = created.topics[0].topicId;
    await waitForCoordinator(client);
  });
  after(async () => {
    client?.close();
    await broker?.stop();
    rmSync(dataDir, { recursive: true, force: true });
  });

  /** Sends a heartbeat, retrying while the coordinator loads. */
  async function heartbeat(request: Record<string, unknown>): Promise<Body> {
    for (;;) {
      const response = await client.send<Body>(ConsumerGroupHeartbeatApi, 1, {
        groupId: GROUP,
        memberEpoch: 0,
        instanceId: null,
        rackId: null,
        rebalanceTimeoutMs: -1,
        subscribedTopicNames: null,
        subscribedTopicRegex: null,
        serverAssignor: null,
        topicPartitions: null,
        ...request,
      });
      if (
        response.errorCode !== ErrorCode.COORDINATOR_LOAD_IN_PROGRESS &&
        response.errorCode !== ErrorCode.NOT_COORDINATOR
      ) {
        return response;
      }
      await sleep(100);
    }
  }

  function join(memberId: string): Promise<Body> {
    return heartbeat({
      memberId,
      memberEpoch: 0,
      rebalanceTimeoutMs: 30000,
      subscribedTopicNames: [TOPIC],
      topicPartitions: [],
    });
  }

  const wire = (owned: Owned) => [...owned].map(([id, partitions]) => ({ topicId: id, partitions }));

  /** A member's heartbeat with what it owns; applies the assignment it gets back, as a client does. */
  async function beat(member: { id: string; epoch: number; owned: Owned }): Promise<Body> {
    const response = await heartbeat({
      memberId: member.id,
      memberEpoch: member.epoch,
      topicPartitions: wire(member.owned),
    });
    assert.equal(response.errorCode, ErrorCode.NONE, response.errorMessage);
    member.epoch = response.memberEpoch;
    if (response.assignment !== null) member.owned = ownedOf(response.assignment.topicPartitions);
    return response;
  }

  function assertDisjoint(...members: { owned: Owned }[]): void {
    const seen = new Set<string>();
    for (const m of members) {
      for (const [id, partitions] of m.owned) {
        for (const p of partitions) {
          assert.ok(!seen.has(`${id}:${p}`), `partition ${p} owned twice`);
          seen.add(`${id}:${p}`);
        }
      }
    }
  }

  async function describeGroup(): Promise<Body> {
    const response = await client.send<Body>(ConsumerGroupDescribeApi, 1, {
      groupIds: [GROUP],
      includeAuthorizedOperations: false,
    });
    return response.groups[0];
  }

  const a = { id: 'member-a-0000000000000', epoch: 0, owned: new Map() as Owned };
  const b = { id: 'member-b-0000000000000', epoch: 0, owned: new Map() as Owned };

  test('join, assignment, second member, revocation first, reassignment', async () => {
    const joined = await join(a.id);
    assert.equal(joined.errorCode, ErrorCode.NONE, joined.errorMessage);
    assert.equal(joined.memberId, a.id);
    assert.equal(joined.memberEpoch, 1);
    assert.equal(joined.heartbeatIntervalMs, 500);
    a.epoch = joined.memberEpoch;
    a.owned = ownedOf(joined.assignment.topicPartitions);
    assert.deepEqual(a.owned, new Map([[topicId, [0, 1, 2, 3]]]));

    // B joins: the group epoch bumps, but B gets nothing A still owns.
    const bJoined = await join(b.id);
    assert.equal(bJoined.errorCode, ErrorCode.NONE, bJoined.errorMessage);
    b.epoch = bJoined.memberEpoch;
    b.owned = ownedOf(bJoined.assignment.topicPartitions);
    assert.equal(b.epoch, 2);
    assert.deepEqual(b.owned, new Map());
    assertDisjoint(a, b);

    // A is asked to revoke two partitions, and stays at its epoch until it did.
    await beat(a);
    assert.equal(a.epoch, 1);
    assert.equal(a.owned.get(topicId)?.length, 2);
    await beat(b);
    assert.deepEqual(b.owned, new Map(), 'B gets nothing before A revoked');
    assertDisjoint(a, b);

    // A acknowledges (its owned partitions no longer include the revoked ones): it moves to epoch 2.
    await beat(a);
    assert.equal(a.epoch, 2);
    await beat(b);
    assert.equal(b.epoch, 2);
    assert.equal(b.owned.get(topicId)?.length, 2);
    assertDisjoint(a, b);

    const described = await describeGroup();
    assert.equal(described.errorCode, ErrorCode.NONE);
    assert.equal(described.groupState, 'Stable');
    assert.equal(described.groupEpoch, 2);
    assert.equal(described.assignmentEpoch, 2);
    assert.equal(described.assignorName, 'uniform');
    assert.deepEqual(described.members.map((m: Body) => m.memberEpoch).sort(), [2, 2]);
    for (const m of described.members) {
      assert.equal(m.memberType, 1);
      assert.equal(m.assignment.topicPartitions[0].topicName, TOPIC);
    }
  });

  test('offsets commit with the member epoch; a stale epoch is refused', async () => {
    const commit = (memberId: string, epoch: number) =>
      client.send<Body>(OffsetCommitApi, 9, {
        groupId: GROUP,
        generationIdOrMemberEpoch: epoch,
        memberId,
        groupInstanceId: null,
        topics: [{ name: TOPIC, partitions: [{ partitionIndex: 0, committedOffset: 5n, committedMetadata: '' }] }],
      });
    assert.equal((await commit(a.id, a.epoch)).topics[0].partitions[0].errorCode, ErrorCode.NONE);
    assert.equal((await commit(a.id, a.epoch - 1)).topics[0].partitions[0].errorCode, ErrorCode.STALE_MEMBER_EPOCH);
    assert.equal((await commit('nobody', 2)).topics[0].partitions[0].errorCode, ErrorCode.UNKNOWN_MEMBER_ID);
  });

  test('requests Kafka refuses', async () => {
    const noMemberId = await heartbeat({
      memberId: '',
      rebalanceTimeoutMs: 1000,
      subscribedTopicNames: [TOPIC],
      topicPartitions: [],
    });
    assert.equal(noMemberId.errorCode, ErrorCode.INVALID_REQUEST);
    assert.equal(noMemberId.errorMessage, "MemberId can't be empty.");
    const badAssignor = await heartbeat({
      memberId: 'm-x',
      rebalanceTimeoutMs: 1000,
      subscribedTopicNames: [TOPIC],
      topicPartitions: [],
      serverAssignor: 'sticky',
    });
    assert.equal(badAssignor.errorCode, ErrorCode.UNSUPPORTED_ASSIGNOR);
    assert.equal(
      badAssignor.errorMessage,
      'ServerAssignor sticky is not supported. Supported assignors: uniform, range.',
    );
    const fenced = await heartbeat({ memberId: a.id, memberEpoch: a.epoch + 10, topicPartitions: wire(a.owned) });
    assert.equal(fenced.errorCode, ErrorCode.FENCED_MEMBER_EPOCH);
    const unknownGroup = await heartbeat({ groupId: 'kip848-nowhere', memberId: 'm', memberEpoch: 3 });
    assert.equal(unknownGroup.errorCode, ErrorCode.GROUP_ID_NOT_FOUND);
    const unknownMember = await heartbeat({ memberId: 'stranger', memberEpoch: 2 });
    assert.equal(unknownMember.errorCode, ErrorCode.UNKNOWN_MEMBER_ID);
  });

  test('epochs and assignments survive kill -9', async () => {
    const before = await describeGroup();
    client.close();
    await broker.kill();
    broker = await BrokerProcess.start({
      dataDir,
      port: broker.port,
      properties: {
        'group.consumer.session.timeout.ms': SESSION_TIMEOUT_MS,
        'group.consumer.heartbeat.interval.ms': 500,
      },
    });
    client = await RawClient.connect(broker.port);
    await waitForCoordinator(client);
    const afterRestart = await beat(a);
    assert.equal(afterRestart.memberEpoch, 2);
    await beat(b);
    assert.equal(b.epoch, 2);
    const described = await describeGroup();
    assert.equal(described.groupEpoch, before.groupEpoch);
    assert.equal(described.assignmentEpoch, before.assignmentEpoch);
    const assignments = (g: Body) =>
      g.members
        .map(
          (m: Body) =>
            `${m.memberId}=${m.assignment.topicPartitions.map((t: Body) => t.partitions.join(',')).join(';')}`,
        )
        .sort();
    assert.deepEqual(assignments(described), assignments(before));
  });

  test('a member that stops heartbeating is fenced after the session timeout', async () => {
    // Only B heartbeats; once A's session expires, B is given every partition.
    while ((b.owned.get(topicId)?.length ?? 0) < 4) {
      await sleep(500);
      await beat(b);
    }
    assert.equal(b.epoch, 3);
    const late = await heartbeat({ memberId: a.id, memberEpoch: a.epoch, topicPartitions: wire(a.owned) });
    assert.equal(late.errorCode, ErrorCode.UNKNOWN_MEMBER_ID);
    const described = await describeGroup();
    assert.deepEqual(
      described.members.map((m: Body) => m.memberId),
      [b.id],
    );
  });

  test('a member leaves with epoch -1 and the group becomes empty', async () => {
    const left = await heartbeat({ memberId: b.id, memberEpoch: -1 });
    assert.equal(left.errorCode, ErrorCode.NONE);
    assert.equal(left.memberEpoch, -1);
    const described = await describeGroup();
    assert.equal(described.groupState, 'Empty');
    assert.equal(described.groupEpoch, 4);
  });
});

function ownedOf(topicPartitions: { topicId: string; partitions: number[] }[]): Owned {
  return new Map(
    topicPartitions.filter((t) => t.partitions.length > 0).map((t) => [t.topicId, [...t.partitions].sort()]),
  );
}

/** FindCoordinator creates `__consumer_offsets`; waits until the group's coordinator answers. */
async function waitForCoordinator(client: RawClient): Promise<void> {
  for (;;) {
    const response = await client.send<Body>(FindCoordinatorApi, 4, { keyType: 0, coordinatorKeys: [GROUP] });
    if (response.coordinators[0].errorCode === ErrorCode.NONE) return;
    await sleep(100);
  }
}
