/**
 * The shard as a whole: loading by replaying the records it produced (tombstones included)
 * rebuilds the same groups and offsets, and a failed append leaves no trace.
 */
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { ErrorCode, KafkaError } from '@samsa/protocol';
import type { GroupCoordinatorShard } from '../../../src/coordinator/group/group-coordinator-shard.js';
import { GroupState } from '../../../src/coordinator/group/group-state.js';
import { notLeader, ShardHarness } from './support/shard-harness.js';

/** Everything durable about the shard's groups, in comparable form. */
function durableView(shard: GroupCoordinatorShard) {
  return shard
    .allGroups()
    .map((g) => ({
      groupId: g.groupId,
      state: g.state,
      generationId: g.generationId,
      protocolType: g.protocolType,
      protocolName: g.protocolName,
      leaderId: g.leaderId,
      members: [...g.allMembers()].map((m) => ({
        memberId: m.memberId,
        groupInstanceId: m.groupInstanceId,
        clientId: m.clientId,
        clientHost: m.clientHost,
        rebalanceTimeoutMs: m.rebalanceTimeoutMs,
        sessionTimeoutMs: m.sessionTimeoutMs,
        metadata: g.protocolName === undefined ? undefined : m.metadata(g.protocolName).toString('hex'),
        assignment: m.assignment.toString('hex'),
      })),
      offsets: [...g.allOffsets()].flatMap(([topic, partitions]) =>
        [...partitions].map(([partition, o]) => [
          topic,
          partition,
          o.committedOffset,
          o.leaderEpoch,
          o.metadata,
          o.commitTimestampMs,
          o.expireTimestampMs,
        ]),
      ),
    }))
    .sort((a, b) => a.groupId.localeCompare(b.groupId));
}

function offsets(...entries: [string, number, bigint][]) {
  return entries.map(([name, partitionIndex, committedOffset]) => ({
    name,
    partitions: [
      {
        partitionIndex,
        committedOffset,
        committedLeaderEpoch: 3,
        commitTimestamp: -1n,
        committedMetadata: `m${committedOffset}`,
      },
    ],
  }));
}

describe('loading a partition', () => {
  test('replaying the records produced earlier (tombstones included) rebuilds the same groups and offsets', () => {
    const h = new ShardHarness();
    // A Stable consumer group with commits.
    const { leader, generationId } = h.stableGroup(2);
    h.commit({
      memberId: leader,
      generationIdOrMemberEpoch: generationId,
      topics: offsets(['topic', 0, 5n], ['topic', 1, 6n]),
    });
    // A static group whose member restarted (stored replacement).
    const s = h.join({ groupId: 'static', clientId: 'sc', groupInstanceId: 'i1' });
    h.advance(0);
    const staticGen = s.answer()?.generationId as number;
    h.sync({
      groupId: 'static',
      memberId: s.answer()?.memberId as string,
      groupInstanceId: 'i1',
      generationId: staticGen,
      assignments: [{ memberId: s.answer()?.memberId as string, assignment: Buffer.from('sa') }],
    });
    h.join({ groupId: 'static', groupInstanceId: 'i1' });
    // A simple group with an offset deleted.
    h.commit({ groupId: 'simple', topics: offsets(['t', 0, 1n], ['t', 1, 2n]) });
    h.commit({ groupId: 'simple', retentionTimeMs: 86_400_000n, topics: offsets(['u', 0, 3n]) });
    h.settle(h.shard.deleteOffsets(h.nowMs, 'simple', [{ name: 't', partitions: [{ partitionIndex: 1 }] }]));
    // A deleted group.
    h.commit({ groupId: 'deleted', topics: offsets(['t', 0, 9n]) });
    h.settle(h.shard.deleteGroups(h.nowMs, ['deleted']));
    // A group whose only member left: Empty, next generation, protocol type kept.
    const e = h.stableGroup(1, { groupId: 'emptied' });
    h.commit({
      groupId: 'emptied',
      memberId: e.leader,
      generationIdOrMemberEpoch: e.generationId,
      topics: offsets(['t', 0, 4n]),
    });
    h.leave([{ memberId: e.leader, groupInstanceId: null }], 'emptied');

    const before = durableView(h.shard);
    assert.deepEqual(
      before.map((g) => [g.groupId, g.state]),
      [
        ['emptied', GroupState.Empty],
        ['group', GroupState.Stable],
        ['simple', GroupState.Empty],
        ['static', GroupState.Stable],
      ],
    );
    const listed = h.shard.listGroups([], []);
    const described = h.shard.describeGroup('group');
    const restarted = h.restart();
    assert.deepEqual(durableView(restarted), before);
    assert.deepEqual(restarted.listGroups([], []), listed);
    assert.deepEqual(restarted.describeGroup('group'), described);
    assert.equal(restarted.group('emptied')?.protocolType, 'consumer');
    assert.equal(restarted.group('emptied')?.generationId, e.generationId + 1);
    assert.equal(restarted.fetchOffsets('deleted', null, false).topics?.length, 0);
  });

  test('after loading, members must heartbeat within their session; those who do carry on', () => {
    const h = new ShardHarness();
    const { memberIds, leader, generationId } = h.stableGroup(2);
    h.nowMs += 60_000; // the coordinator was down for a minute: sessions restart at load time
    h.restart();
    h.advance(6_000);
    assert.equal(h.heartbeat({ memberId: leader, generationId }), ErrorCode.NONE);
    h.advance(4_000);
    const group = h.shard.group('group');
    assert.equal(group?.has(leader), true);
    assert.equal(group?.has(memberIds.find((m) => m !== leader) as string), false);
    assert.equal(group?.state, GroupState.PreparingRebalance);
  });

  test('a group over a lowered group.max.size rebalances after loading', () => {
    const h = new ShardHarness();
    h.stableGroup(3);
    const small = new ShardHarness({ groupMaxSize: 2 });
    small.entries.push(...h.entries);
    small.restart();
    assert.equal(small.shard.group('group')?.state, GroupState.PreparingRebalance);
  });
});

describe('an append that fails leaves no phantom state', () => {
  test('offset commit: the mapped error, the previous offset, no group created', () => {
    const h = new ShardHarness();
    h.commit({ topics: offsets(['t', 0, 1n]) });
    h.failNextAppend = notLeader();
    const response = h.commit({
      topics: [
        ...offsets(['t', 0, 2n]),
        {
          name: 't',
          partitions: [
            {
              partitionIndex: 1,
              committedOffset: 9n,
              committedLeaderEpoch: -1,
              commitTimestamp: -1n,
              committedMetadata: 'x'.repeat(5000),
            },
          ],
        },
      ],
    });
    assert.deepEqual(ShardHarness.errors(response), [ErrorCode.NOT_COORDINATOR, ErrorCode.OFFSET_METADATA_TOO_LARGE]);
    assert.equal(h.fetch([{ name: 't', partitionIndexes: [0] }]).topics?.[0]?.partitions?.[0]?.committedOffset, 1n);
    h.failNextAppend = new KafkaError(ErrorCode.NOT_ENOUGH_REPLICAS);
    assert.deepEqual(ShardHarness.errors(h.commit({ groupId: 'new', topics: offsets(['t', 0, 1n]) })), [
      ErrorCode.COORDINATOR_NOT_AVAILABLE,
    ]);
    assert.equal(h.shard.group('new'), undefined);
  });

  test('JoinGroup creating a group: the error, and no group, pending member or timer', () => {
    const h = new ShardHarness();
    h.failNextAppend = notLeader();
    const response = h.join().answer();
    assert.deepEqual(response, { memberId: '', errorCode: ErrorCode.NOT_COORDINATOR });
    assert.equal(h.shard.group('group'), undefined);
    assert.equal(h.log.length, 0);
    assert.equal(h.join().answer()?.errorCode, ErrorCode.MEMBER_ID_REQUIRED, 'a retry succeeds');
  });

  test("the leader's SyncGroup: every parked member gets the error and the group rebalances again", () => {
    const h = new ShardHarness();
    const joins = [1, 2].map((i) => h.joinNew({ clientId: `c${i}` }));
    h.advance(0);
    const { leader, generationId } = joins[0]!.join.answer() as { leader: string; generationId: number };
    const follower = joins.find((j) => j.memberId !== leader)?.memberId as string;
    const followerSync = h.sync({ memberId: follower, generationId });
    const logLength = h.log.length;
    h.failNextAppend = notLeader();
    const leaderSync = h.sync({
      memberId: leader,
      generationId,
      assignments: [{ memberId: follower, assignment: Buffer.from('x') }],
    });
    assert.equal(leaderSync.answer()?.errorCode, ErrorCode.NOT_COORDINATOR);
    assert.equal(followerSync.answer()?.errorCode, ErrorCode.NOT_COORDINATOR);
    const group = h.shard.group('group');
    assert.equal(group?.state, GroupState.PreparingRebalance);
    assert.equal(group?.member(follower).assignment.length, 0, 'the assignment was not stored, so it is not kept');
    assert.equal(h.log.length, logLength);
    // The members rejoin and the next generation completes normally.
    const rejoins = [leader, follower].map((memberId) => h.join({ memberId }));
    assert.equal(rejoins[0]?.answer()?.generationId, generationId + 1);
    h.sync({ memberId: leader, generationId: generationId + 1, assignments: [] });
    assert.equal(h.shard.group('group')?.state, GroupState.Stable);
  });

  test('static member replacement: the old member id stays valid, the new instance must retry', () => {
    const h = new ShardHarness();
    const j = h.join({ groupInstanceId: 'i1' });
    h.advance(0);
    const memberId = j.answer()?.memberId as string;
    const generationId = j.answer()?.generationId as number;
    h.sync({
      memberId,
      generationId,
      groupInstanceId: 'i1',
      assignments: [{ memberId, assignment: Buffer.from('a') }],
    });
    h.failNextAppend = notLeader();
    const replaced = h.join({ groupInstanceId: 'i1' }).answer();
    assert.equal(replaced?.errorCode, ErrorCode.NOT_COORDINATOR);
    assert.equal(replaced?.memberId, '');
    assert.equal(h.heartbeat({ memberId, generationId, groupInstanceId: 'i1' }), ErrorCode.NONE);
    assert.equal(h.shard.group('group')?.staticMemberId('i1'), memberId);
  });

  test('DeleteGroups: the group and its offsets stay', () => {
    const h = new ShardHarness();
    h.commit({ topics: offsets(['t', 0, 1n]) });
    h.failNextAppend = notLeader();
    const response = h.settle(h.shard.deleteGroups(h.nowMs, ['group']));
    assert.deepEqual(response, [{ groupId: 'group', errorCode: ErrorCode.NOT_COORDINATOR }]);
    assert.equal(h.fetch(null).topics?.[0]?.partitions?.[0]?.committedOffset, 1n);
  });

  test('a timer whose records fail is undone and fires again', () => {
    const h = new ShardHarness();
    const { leader } = h.stableGroup(1);
    h.nowMs += 10_000;
    h.failNextAppend = notLeader();
    h.settle(h.shard.expireTimers(h.nowMs)); // session expiry would store the group Empty
    const group = h.shard.group('group');
    assert.equal(group?.state, GroupState.Stable);
    assert.equal(group?.has(leader), true);
    assert.ok((h.shard.nextDeadlineMs() ?? Number.POSITIVE_INFINITY) <= h.nowMs, 'the expiry is due again');
    h.advance(0);
    assert.equal(h.shard.group('group')?.state, GroupState.Empty);
  });

  test('after failures, the log replays to the state the shard is in', () => {
    const h = new ShardHarness();
    h.stableGroup(2);
    h.commit({ topics: offsets(['t', 0, 1n]), groupId: 'simple' });
    h.failNextAppend = notLeader();
    h.commit({ topics: offsets(['t', 0, 2n]), groupId: 'simple' });
    h.failNextAppend = notLeader();
    h.settle(h.shard.deleteGroups(h.nowMs, ['simple']));
    const before = durableView(h.shard);
    assert.deepEqual(durableView(h.restart()), before);
  });
});

test('the shard refuses a new operation until the previous one is committed or aborted', () => {
  const h = new ShardHarness();
  const op = h.shard.commitOffsets(h.nowMs, {
    groupId: 'g',
    generationIdOrMemberEpoch: -1,
    memberId: '',
    groupInstanceId: null,
    retentionTimeMs: -1n,
    unknownGroupErrorCode: ErrorCode.ILLEGAL_GENERATION,
    topics: offsets(['t', 0, 1n]),
  });
  assert.throws(() => h.shard.fetchOffsets('g', null, false));
  assert.throws(() => h.shard.expireTimers(h.nowMs));
  op.commit();
  assert.throws(() => op.commit());
  assert.equal(h.shard.fetchOffsets('g', null, false).topics?.length, 1);
});
