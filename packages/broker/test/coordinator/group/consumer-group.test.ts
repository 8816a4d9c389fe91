/**
 * KIP-848 consumer groups in the shard's state machine, with a fake clock and an in-memory log:
 * epochs, revocation before assignment, timers, static membership, persistence, and how the
 * other group APIs see consumer groups.
 */
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { type ConsumerGroupHeartbeatResponseInput, ErrorCode } from '@samsa/protocol';
import { type Assignment, assignmentFromWire } from '../../../src/coordinator/group/consumer/assignment.js';
import type { ConsumerGroupHeartbeatArgs } from '../../../src/coordinator/group/consumer/consumer-group-heartbeat.js';
import type { TopicsView } from '../../../src/coordinator/group/consumer/topics-view.js';
import { ShardHarness } from './support/shard-harness.js';

/** A Kafka topic id (16 bytes, base64url) made from the name, for readable assertions. */
const idOf = (name: string): string => Buffer.from(name.padEnd(16, '_').slice(0, 16)).toString('base64url');

class Topics implements TopicsView {
  readonly byName = new Map<string, { topicId: string; numPartitions: number }>();
  add(name: string, numPartitions: number): this {
    this.byName.set(name, { topicId: idOf(name), numPartitions });
    return this;
  }
  topic(name: string) {
    return this.byName.get(name);
  }
  topicName(topicId: string) {
    return [...this.byName].find(([, t]) => t.topicId === topicId)?.[0];
  }
  topicNames() {
    return this.byName.keys();
  }
}

/** A member as a client keeps it: id, epoch, and what it owns. */
interface Member {
  id: string;
  epoch: number;
  owned: Assignment;
}

class Fixture {
  readonly h: ShardHarness;
  readonly topics = new Topics().add('t', 4);

  constructor(overrides: ConstructorParameters<typeof ShardHarness>[0] = {}) {
    this.h = new ShardHarness(overrides);
  }

  heartbeat(args: Partial<ConsumerGroupHeartbeatArgs>): ConsumerGroupHeartbeatResponseInput {
    const full: ConsumerGroupHeartbeatArgs = {
      apiVersion: 1,
      groupId: 'cg',
      memberId: 'm',
      memberEpoch: 0,
      instanceId: null,
      rackId: null,
      rebalanceTimeoutMs: -1,
      subscribedTopicNames: null,
      subscribedTopicRegex: null,
      serverAssignor: null,
      topicPartitions: null,
      clientId: 'client',
      clientHost: '/127.0.0.1',
      ...args,
    };
    return this.h.settle(this.h.shard.consumerGroupHeartbeat(this.h.nowMs, full, this.topics));
  }

  join(id: string, extra: Partial<ConsumerGroupHeartbeatArgs> = {}): Member {
    const response = this.heartbeat({
      memberId: id,
      memberEpoch: 0,
      rebalanceTimeoutMs: 10_000,
      subscribedTopicNames: ['t'],
      topicPartitions: new Map(),
      ...extra,
    });
    assert.equal(response.errorCode, ErrorCode.NONE, response.errorMessage ?? '');
    return {
      id,
      epoch: response.memberEpoch ?? 0,
      owned: assigned(response.assignment?.topicPartitions ?? []),
    };
  }

  /** A heartbeat of `member` with what it owns; applies the answer as a client does. */
  beat(member: Member): ConsumerGroupHeartbeatResponseInput {
    const response = this.heartbeat({ memberId: member.id, memberEpoch: member.epoch, topicPartitions: member.owned });
    assert.equal(response.errorCode, ErrorCode.NONE, response.errorMessage ?? '');
    member.epoch = response.memberEpoch ?? 0;
    if (response.assignment != null) member.owned = assigned(response.assignment.topicPartitions ?? []);
    return response;
  }

  group() {
    return this.h.shard.consumerGroups.group('cg');
  }
}

/** The assignment of a response, as the member reads it. */
function assigned(topicPartitions: readonly { topicId?: string; partitions?: number[] }[]): Assignment {
  return assignmentFromWire(topicPartitions.map((t) => ({ topicId: t.topicId ?? '', partitions: t.partitions ?? [] })));
}

const count = (a: Assignment) => [...a.values()].reduce((n, p) => n + p.length, 0);

function assertDisjoint(...members: Member[]): void {
  const seen = new Set<string>();
  for (const m of members) {
    for (const [topicId, partitions] of m.owned) {
      for (const p of partitions) {
        assert.ok(!seen.has(`${topicId}:${p}`), `${topicId}:${p} owned twice`);
        seen.add(`${topicId}:${p}`);
      }
    }
  }
}

describe('consumer group heartbeat', () => {
  test('first member gets every partition at epoch 1', () => {
    const f = new Fixture();
    const a = f.join('a');
    assert.equal(a.epoch, 1);
    assert.deepEqual(a.owned, new Map([[idOf('t'), [0, 1, 2, 3]]]));
    assert.equal(f.group()?.state, 'Stable');
    // A heartbeat with nothing new answers no assignment.
    assert.equal(f.beat(a).assignment, null);
  });

  test('revocation before assignment: a partition is never owned by two members', () => {
    const f = new Fixture();
    const a = f.join('a');
    const b = f.join('b');
    assert.equal(b.epoch, 2);
    assert.equal(count(b.owned), 0, 'b waits for partitions a still owns');
    assert.equal(f.group()?.state, 'Reconciling');
    f.beat(a);
    assert.equal(a.epoch, 1, 'a keeps its epoch until it revoked');
    assert.equal(count(a.owned), 2);
    assert.equal(f.group()?.members.get('a')?.state, 1 /* UNREVOKED_PARTITIONS */);
    f.beat(b);
    assert.equal(count(b.owned), 0);
    assertDisjoint(a, b);
    f.beat(a);
    assert.equal(a.epoch, 2);
    f.beat(b);
    assert.equal(count(b.owned), 2);
    assertDisjoint(a, b);
    assert.equal(f.group()?.state, 'Stable');
  });

  test('a member that does not heartbeat within the session timeout is fenced', () => {
    const f = new Fixture();
    const a = f.join('a');
    const b = f.join('b');
    f.beat(a);
    f.beat(a);
    f.beat(b);
    f.h.advance(40_000);
    f.beat(b);
    f.h.advance(10_000);
    assert.equal(f.group()?.members.has('a'), false);
    assert.equal(f.group()?.groupEpoch, 3);
    f.beat(b);
    assert.equal(count(b.owned), 4);
    const late = f.heartbeat({ memberId: 'a', memberEpoch: a.epoch, topicPartitions: a.owned });
    assert.equal(late.errorCode, ErrorCode.UNKNOWN_MEMBER_ID);
  });

  test('a member that does not revoke within its rebalance timeout is fenced', () => {
    const f = new Fixture({ consumerGroupSessionTimeoutMs: 60_000 });
    const a = f.join('a', { rebalanceTimeoutMs: 5000 });
    const b = f.join('b');
    f.beat(a); // a is asked to revoke, and never says it did
    f.h.advance(6000);
    assert.equal(f.group()?.members.has('a'), false);
    f.beat(b);
    assert.equal(count(b.owned), 4);
  });

  test('epochs are checked: a greater or unknown earlier epoch is fenced', () => {
    const f = new Fixture();
    const a = f.join('a');
    const ahead = f.heartbeat({ memberId: 'a', memberEpoch: 5, topicPartitions: a.owned });
    assert.equal(ahead.errorCode, ErrorCode.FENCED_MEMBER_EPOCH);
    const unknown = f.heartbeat({ memberId: 'x', memberEpoch: 1 });
    assert.equal(unknown.errorCode, ErrorCode.UNKNOWN_MEMBER_ID);
    assert.equal(unknown.errorMessage, 'Member x is not a member of group cg.');
    const noGroup = f.heartbeat({ groupId: 'other', memberId: 'x', memberEpoch: 1 });
    assert.equal(noGroup.errorCode, ErrorCode.GROUP_ID_NOT_FOUND);
  });

  test('invalid requests answer INVALID_REQUEST with Kafka messages', () => {
    const f = new Fixture();
    const messages = [
      f.heartbeat({ memberId: '', rebalanceTimeoutMs: 1, subscribedTopicNames: ['t'], topicPartitions: new Map() }),
      f.heartbeat({ memberId: 'a', subscribedTopicNames: ['t'], topicPartitions: new Map() }),
      f.heartbeat({ memberId: 'a', rebalanceTimeoutMs: 1, subscribedTopicNames: ['t'] }),
      f.heartbeat({ memberId: 'a', rebalanceTimeoutMs: 1, topicPartitions: new Map() }),
      f.heartbeat({ memberId: 'a', memberEpoch: -2 }),
      f.heartbeat({ memberId: 'a', memberEpoch: -3 }),
    ].map((r) => [r.errorCode, r.errorMessage]);
    assert.deepEqual(messages, [
      [ErrorCode.INVALID_REQUEST, "MemberId can't be empty."],
      [ErrorCode.INVALID_REQUEST, 'RebalanceTimeoutMs must be provided in first request.'],
      [ErrorCode.INVALID_REQUEST, 'TopicPartitions must be empty when (re-)joining.'],
      [ErrorCode.INVALID_REQUEST, 'SubscribedTopicNames or SubscribedTopicRegex must be set in first request.'],
      [ErrorCode.INVALID_REQUEST, "InstanceId can't be null."],
      [ErrorCode.INVALID_REQUEST, 'MemberEpoch is invalid.'],
    ]);
    const regex = f.heartbeat({
      memberId: 'a',
      rebalanceTimeoutMs: 1,
      subscribedTopicRegex: '(',
      topicPartitions: new Map(),
    });
    assert.equal(regex.errorCode, ErrorCode.INVALID_REGULAR_EXPRESSION);
  });

  test('group.consumer.max.size', () => {
    const f = new Fixture({ consumerGroupMaxSize: 1 });
    f.join('a');
    const full = f.heartbeat({
      memberId: 'b',
      rebalanceTimeoutMs: 1,
      subscribedTopicNames: ['t'],
      topicPartitions: new Map(),
    });
    assert.equal(full.errorCode, ErrorCode.GROUP_MAX_SIZE_REACHED);
  });

  test('the range assignor when members ask for it', () => {
    const f = new Fixture();
    const a = f.join('a', { serverAssignor: 'range' });
    const b = f.join('b', { serverAssignor: 'range' });
    f.beat(a);
    f.beat(a);
    f.beat(b);
    assert.deepEqual(a.owned, new Map([[idOf('t'), [0, 1]]]));
    assert.deepEqual(b.owned, new Map([[idOf('t'), [2, 3]]]));
  });

  test('new partitions and regex-matched topics rebalance the group', () => {
    const f = new Fixture();
    const a = f.join('a', { subscribedTopicNames: null, subscribedTopicRegex: 'orders-.*' });
    assert.equal(count(a.owned), 0);
    f.topics.add('orders-eu', 2);
    f.beat(a);
    assert.equal(a.epoch, 2);
    assert.deepEqual(a.owned, new Map([[idOf('orders-eu'), [0, 1]]]));
    f.topics.add('orders-eu', 3);
    f.beat(a);
    assert.equal(a.epoch, 3);
    assert.deepEqual(a.owned, new Map([[idOf('orders-eu'), [0, 1, 2]]]));
  });

  test('a new regex is resolved after the heartbeat that brought it, as Kafka resolves in the background', () => {
    const f = new Fixture();
    f.topics.add('orders-eu', 2);
    const a = f.join('a', { subscribedTopicNames: ['t'], subscribedTopicRegex: 'orders-.*' });
    assert.deepEqual([...a.owned.keys()], [idOf('t')], 'literal topics first');
    f.beat(a);
    assert.deepEqual([...a.owned.keys()].sort(), [idOf('orders-eu'), idOf('t')].sort());
  });

  test('a static member leaving with epoch -2 comes back with its assignment, without a rebalance', () => {
    const f = new Fixture();
    const a = f.join('a', { instanceId: 'i-a' });
    const b = f.join('b', { instanceId: 'i-b' });
    f.beat(a);
    f.beat(a);
    f.beat(b);
    const epoch = f.group()?.groupEpoch;
    const left = f.heartbeat({ memberId: 'a', memberEpoch: -2, instanceId: 'i-a' });
    assert.equal(left.memberEpoch, -2);
    const taken = f.heartbeat({
      memberId: 'a2',
      rebalanceTimeoutMs: 1,
      subscribedTopicNames: ['t'],
      topicPartitions: new Map(),
      instanceId: 'i-b',
    });
    assert.equal(taken.errorCode, ErrorCode.UNRELEASED_INSTANCE_ID);
    const back = f.join('a2', { instanceId: 'i-a' });
    assert.deepEqual(back.owned, a.owned);
    assert.equal(back.epoch, 2);
    assert.equal(f.group()?.groupEpoch, epoch);
    assert.deepEqual([...(f.group()?.members.keys() ?? [])].sort(), ['a2', 'b']);
  });

  test('leaving with epoch -1 frees the partitions; the group can then be deleted', () => {
    const f = new Fixture();
    const a = f.join('a');
    assert.deepEqual(f.h.settle(f.h.shard.deleteGroups(f.h.nowMs, ['cg'])), [
      { groupId: 'cg', errorCode: ErrorCode.NON_EMPTY_GROUP },
    ]);
    const left = f.heartbeat({ memberId: a.id, memberEpoch: -1 });
    assert.equal(left.memberEpoch, -1);
    assert.equal(f.group()?.state, 'Empty');
    assert.deepEqual(f.h.settle(f.h.shard.deleteGroups(f.h.nowMs, ['cg'])), [
      { groupId: 'cg', errorCode: ErrorCode.NONE },
    ]);
    assert.equal(f.group(), undefined);
    f.h.restart();
    assert.equal(f.group(), undefined, 'the tombstones delete it on load too');
  });

  test('epochs, members and assignments are rebuilt from the log', () => {
    const f = new Fixture();
    const a = f.join('a', { instanceId: 'i-a', serverAssignor: 'range' });
    const b = f.join('b');
    f.beat(a);
    const before = f.group();
    f.h.restart();
    const after = f.group();
    assert.equal(after?.groupEpoch, before?.groupEpoch);
    assert.equal(after?.assignmentEpoch, before?.assignmentEpoch);
    assert.deepEqual(after?.members, before?.members);
    assert.deepEqual(after?.targetAssignment, before?.targetAssignment);
    assert.equal(after?.staticMembers.get('i-a'), 'a');
    // The reconciliation goes on where it was.
    f.beat(a);
    assert.equal(a.epoch, 2);
    f.beat(b);
    assertDisjoint(a, b);
    assert.equal(count(b.owned), 2);
  });

  test('the other group APIs: ListGroups, DescribeGroups, JoinGroup, OffsetCommit', () => {
    const f = new Fixture();
    const a = f.join('a');
    assert.deepEqual(f.h.shard.listGroups([], ['consumer']), [
      { groupId: 'cg', protocolType: 'consumer', groupState: 'Stable', groupType: 'consumer' },
    ]);
    assert.deepEqual(f.h.shard.listGroups([], ['classic']), []);
    assert.equal(f.h.shard.describeGroup('cg').groupState, 'Dead');
    const join = f.h.join({ groupId: 'cg' });
    assert.equal(join.answer()?.errorCode, ErrorCode.INCONSISTENT_GROUP_PROTOCOL);
    const commit = (memberId: string, epoch: number, apiVersion?: number) =>
      ShardHarness.errors(
        f.h.commit({
          groupId: 'cg',
          memberId,
          generationIdOrMemberEpoch: epoch,
          ...(apiVersion === undefined ? {} : { apiVersion }),
          topics: [
            {
              name: 't',
              partitions: [
                {
                  partitionIndex: 0,
                  committedOffset: 3n,
                  committedLeaderEpoch: -1,
                  commitTimestamp: -1n,
                  committedMetadata: '',
                },
              ],
            },
          ],
        }),
      );
    assert.deepEqual(commit('a', a.epoch), [ErrorCode.NONE]);
    assert.deepEqual(commit('a', a.epoch + 1), [ErrorCode.STALE_MEMBER_EPOCH]);
    assert.deepEqual(commit('zz', a.epoch), [ErrorCode.UNKNOWN_MEMBER_ID]);
    assert.deepEqual(commit('', -1), [ErrorCode.UNKNOWN_MEMBER_ID], 'admin commits need an empty group');
    // A consumer-protocol member's commit must carry its epoch: OffsetCommit v9 or later.
    assert.deepEqual(commit('a', a.epoch, 8), [ErrorCode.UNSUPPORTED_VERSION]);
    assert.deepEqual(commit('a', a.epoch, 9), [ErrorCode.NONE]);
    assert.equal(
      f.h.fetch([{ name: 't', partitionIndexes: [0] }], 'cg').topics?.[0]?.partitions?.[0]?.committedOffset,
      3n,
    );
    // The offsets holder does not show as a classic group.
    assert.equal(f.h.shard.listGroups([], []).length, 1);
  });

  test('offsets of subscribed topics do not expire while the group subscribes to them', () => {
    const f = new Fixture({ consumerGroupSessionTimeoutMs: 86_400_000, offsetsRetentionMinutes: 1 });
    const a = f.join('a');
    f.h.commit({
      groupId: 'cg',
      memberId: 'a',
      generationIdOrMemberEpoch: a.epoch,
      topics: [
        {
          name: 't',
          partitions: [
            {
              partitionIndex: 0,
              committedOffset: 3n,
              committedLeaderEpoch: -1,
              commitTimestamp: -1n,
              committedMetadata: '',
            },
          ],
        },
      ],
    });
    const committed = () => f.h.fetch([{ name: 't', partitionIndexes: [0] }], 'cg').topics?.[0]?.partitions?.[0];
    f.h.advance(700_000);
    assert.equal(committed()?.committedOffset, 3n);
    f.heartbeat({ memberId: 'a', memberEpoch: -1 });
    f.h.advance(700_000);
    assert.equal(committed()?.committedOffset, -1n);
  });

  test('a classic group with members keeps its id from consumer groups', () => {
    const f = new Fixture();
    f.h.stableGroup(1, { groupId: 'cg' });
    const refused = f.heartbeat({
      memberId: 'a',
      rebalanceTimeoutMs: 1,
      subscribedTopicNames: ['t'],
      topicPartitions: new Map(),
    });
    assert.equal(refused.errorCode, ErrorCode.GROUP_ID_NOT_FOUND);
    assert.equal(refused.errorMessage, 'Group cg is not a consumer group.');
  });
});
