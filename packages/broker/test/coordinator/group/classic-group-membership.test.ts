/**
 * The classic group protocol as a state machine: JoinGroup/SyncGroup/Heartbeat/LeaveGroup and
 * their timers, driven through a shard with a fake clock (no runtime, no sockets).
 */
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { ErrorCode } from '@samsa/protocol';
import { decodeGroupCoordinatorRecord } from '../../../src/coordinator/group/group-coordinator-record.js';
import { GroupState } from '../../../src/coordinator/group/group-state.js';
import { subscription } from './support/consumer-metadata.js';
import { ShardHarness } from './support/shard-harness.js';

function lastGroupRecord(h: ShardHarness) {
  for (let i = h.log.length - 1; i >= 0; i--) {
    const decoded = decodeGroupCoordinatorRecord(h.log[i] as never);
    if (decoded.type === 'group-metadata') return decoded;
  }
  return undefined;
}

describe('JoinGroup', () => {
  test('a new member without id gets MEMBER_ID_REQUIRED and a client-id based member id (v4+)', () => {
    const h = new ShardHarness();
    const response = h.join({ clientId: 'app' }).answer();
    assert.equal(response?.errorCode, ErrorCode.MEMBER_ID_REQUIRED);
    assert.equal(response?.memberId, 'app-uuid1');
    const group = h.shard.group('group');
    assert.equal(group?.state, GroupState.Empty);
    assert.equal(group?.isPendingMember('app-uuid1'), true);
    assert.equal(group?.size, 0);
    // The group exists durably from its first JoinGroup: an Empty generation-0 record.
    assert.deepEqual(
      { generation: lastGroupRecord(h)?.value?.generation, members: lastGroupRecord(h)?.value?.members },
      { generation: 0, members: [] },
    );
  });

  test('before v4 a new member is added at once and its JoinGroup parked', () => {
    const h = new ShardHarness();
    const join = h.join({ requireKnownMemberId: false });
    assert.equal(join.answer(), undefined);
    assert.equal(h.shard.group('group')?.state, GroupState.PreparingRebalance);
    h.advance(0);
    assert.equal(join.answer()?.errorCode, ErrorCode.NONE);
    assert.equal(join.answer()?.memberId, 'client-uuid1');
  });

  test('three members: one leader gets every member metadata, followers get none', () => {
    const h = new ShardHarness();
    const joins = [1, 2, 3].map((i) =>
      h.joinNew({ clientId: `c${i}`, protocols: [{ name: 'range', metadata: subscription([`t${i}`]) }] }),
    );
    assert.ok(
      joins.every((j) => j.join.answer() === undefined),
      'joins are parked until the join phase completes',
    );
    h.advance(0);
    const responses = joins.map((j) => j.join.answer());
    const leader = responses[0]?.leader;
    assert.ok(leader);
    for (const r of responses) {
      assert.equal(r?.errorCode, ErrorCode.NONE);
      assert.equal(r?.generationId, 1);
      assert.equal(r?.protocolName, 'range');
      assert.equal(r?.protocolType, 'consumer');
      assert.equal(r?.leader, leader);
    }
    const leaderResponse = responses.find((r) => r?.memberId === leader);
    assert.deepEqual(
      leaderResponse?.members?.map((m) => [m.memberId, m.metadata]),
      joins.map((j, i) => [j.memberId, subscription([`t${i + 1}`])]),
    );
    for (const r of responses) if (r?.memberId !== leader) assert.deepEqual(r?.members, []);
    assert.equal(h.shard.group('group')?.state, GroupState.CompletingRebalance);
  });

  test('protocol selection: only protocols every member supports, most voted by preference', () => {
    const h = new ShardHarness();
    const meta = Buffer.from('m');
    h.joinNew({
      clientId: 'c1',
      protocols: [
        { name: 'a', metadata: meta },
        { name: 'b', metadata: meta },
        { name: 'c', metadata: meta },
      ],
    });
    h.joinNew({
      clientId: 'c2',
      protocols: [
        { name: 'b', metadata: meta },
        { name: 'a', metadata: meta },
      ],
    });
    const last = h.joinNew({
      clientId: 'c3',
      protocols: [
        { name: 'b', metadata: meta },
        { name: 'a', metadata: meta },
      ],
    });
    h.advance(0);
    // Candidates {a, b} ("c" is not supported by all); votes a:1, b:2.
    assert.equal(last.join.answer()?.protocolName, 'b');
  });

  test('protocol selection: a tie goes to the protocol voted first (in member order)', () => {
    const h = new ShardHarness();
    const meta = Buffer.from('m');
    h.joinNew({
      clientId: 'c1',
      protocols: [
        { name: 'a', metadata: meta },
        { name: 'b', metadata: meta },
      ],
    });
    const second = h.joinNew({
      clientId: 'c2',
      protocols: [
        { name: 'b', metadata: meta },
        { name: 'a', metadata: meta },
      ],
    });
    h.advance(0);
    assert.equal(second.join.answer()?.protocolName, 'a');
  });

  test('a new member whose JoinGroup stays parked past the new-member join timeout is dropped', () => {
    const h = new ShardHarness({ groupNewMemberJoinTimeoutMs: 5_000 });
    const { memberIds, generationId } = h.stableGroup(2);
    const late = h.joinNew({ clientId: 'late' });
    assert.equal(h.shard.group('group')?.state, GroupState.PreparingRebalance);
    for (let i = 0; i < 2; i++) {
      h.advance(2_500);
      // The old members keep their sessions but do not rejoin (yet): the join phase is still open.
      for (const memberId of memberIds) h.heartbeat({ memberId, generationId });
    }
    assert.deepEqual(late.join.answer(), { memberId: '', errorCode: ErrorCode.UNKNOWN_MEMBER_ID });
    assert.equal(h.shard.group('group')?.has(late.memberId), false);
    assert.equal(h.shard.group('group')?.state, GroupState.PreparingRebalance);
  });

  test('inconsistent protocol type or protocols are refused', () => {
    const h = new ShardHarness();
    h.stableGroup(1);
    assert.equal(h.join({ protocolType: 'connect' }).answer()?.errorCode, ErrorCode.INCONSISTENT_GROUP_PROTOCOL);
    assert.equal(
      h.join({ protocols: [{ name: 'roundrobin', metadata: Buffer.alloc(0) }] }).answer()?.errorCode,
      ErrorCode.INCONSISTENT_GROUP_PROTOCOL,
    );
    const fresh = new ShardHarness();
    assert.equal(fresh.join({ protocolType: '' }).answer()?.errorCode, ErrorCode.INCONSISTENT_GROUP_PROTOCOL);
    assert.equal(
      fresh.join({ groupId: 'g2', protocols: [] }).answer()?.errorCode,
      ErrorCode.INCONSISTENT_GROUP_PROTOCOL,
    );
  });

  test('session timeout outside group.min/max.session.timeout.ms is INVALID_SESSION_TIMEOUT', () => {
    const h = new ShardHarness();
    assert.equal(h.join({ sessionTimeoutMs: 5999 }).answer()?.errorCode, ErrorCode.INVALID_SESSION_TIMEOUT);
    assert.equal(h.join({ sessionTimeoutMs: 1_800_001 }).answer()?.errorCode, ErrorCode.INVALID_SESSION_TIMEOUT);
    assert.equal(h.shard.group('group'), undefined, 'no group is created by an invalid join');
    assert.equal(h.join({ sessionTimeoutMs: 6000 }).answer()?.errorCode, ErrorCode.MEMBER_ID_REQUIRED);
    assert.equal(h.join({ sessionTimeoutMs: 1_800_000 }).answer()?.errorCode, ErrorCode.MEMBER_ID_REQUIRED);
  });

  test('group.max.size: members beyond it get GROUP_MAX_SIZE_REACHED', () => {
    const h = new ShardHarness({ groupMaxSize: 2 });
    h.stableGroup(2);
    const third = h.join({ clientId: 'c3' }).answer();
    assert.equal(third?.errorCode, ErrorCode.GROUP_MAX_SIZE_REACHED);
    assert.equal(third?.memberId, '');
    assert.equal(h.shard.group('group')?.size, 2);
  });

  test('a known member id of a group that does not exist is UNKNOWN_MEMBER_ID', () => {
    const h = new ShardHarness();
    assert.equal(h.join({ memberId: 'ghost' }).answer()?.errorCode, ErrorCode.UNKNOWN_MEMBER_ID);
    assert.equal(h.shard.group('group'), undefined);
  });

  test('a follower rejoining a Stable group with the same metadata gets the current generation back', () => {
    const h = new ShardHarness();
    const { memberIds, leader, generationId } = h.stableGroup(2);
    const follower = memberIds.find((m) => m !== leader) as string;
    const response = h.join({ memberId: follower, clientId: 'c2' }).answer();
    assert.equal(response?.errorCode, ErrorCode.NONE);
    assert.equal(response?.generationId, generationId);
    assert.equal(h.shard.group('group')?.state, GroupState.Stable);
  });

  test('a member rejoining a Stable group with changed metadata starts a rebalance (cooperative rebalancing)', () => {
    const h = new ShardHarness();
    const { memberIds, leader, generationId } = h.stableGroup(2);
    const follower = memberIds.find((m) => m !== leader) as string;
    const rejoin = h.join({
      memberId: follower,
      protocols: [{ name: 'range', metadata: subscription(['topic', 'more']) }],
    });
    assert.equal(rejoin.answer(), undefined);
    assert.equal(h.shard.group('group')?.state, GroupState.PreparingRebalance);
    assert.equal(h.heartbeat({ memberId: leader, generationId }), ErrorCode.REBALANCE_IN_PROGRESS);
    const leaderRejoin = h.join({ memberId: leader });
    assert.equal(rejoin.answer()?.generationId, generationId + 1);
    assert.equal(leaderRejoin.answer()?.generationId, generationId + 1);
  });
});

describe('SyncGroup', () => {
  test('the leader distributes the assignment: parked followers get theirs, the group becomes Stable', () => {
    const h = new ShardHarness();
    const joins = [1, 2, 3].map((i) => h.joinNew({ clientId: `c${i}` }));
    h.advance(0);
    const { leader, generationId } = joins[0]!.join.answer() as { leader: string; generationId: number };
    const followers = joins.filter((j) => j.memberId !== leader);
    const followerSyncs = followers.map((f) => h.sync({ memberId: f.memberId, generationId }));
    assert.ok(
      followerSyncs.every((s) => s.answer() === undefined),
      'followers wait for the leader',
    );
    const leaderSync = h.sync({
      memberId: leader,
      generationId,
      assignments: joins.map((j) => ({ memberId: j.memberId, assignment: Buffer.from(`for-${j.memberId}`) })),
    });
    for (const [i, f] of followers.entries()) {
      assert.equal(followerSyncs[i]?.answer()?.errorCode, ErrorCode.NONE);
      assert.deepEqual(followerSyncs[i]?.answer()?.assignment, Buffer.from(`for-${f.memberId}`));
      assert.equal(followerSyncs[i]?.answer()?.protocolName, 'range');
    }
    assert.deepEqual(leaderSync.answer()?.assignment, Buffer.from(`for-${leader}`));
    assert.equal(h.shard.group('group')?.state, GroupState.Stable);
    const stored = lastGroupRecord(h)?.value;
    assert.equal(stored?.generation, generationId);
    assert.deepEqual(
      stored?.members.map((m) => [m.memberId, m.assignment.toString()]),
      joins.map((j) => [j.memberId, `for-${j.memberId}`]),
    );
    // In Stable, SyncGroup answers the stored assignment at once.
    const again = h.sync({ memberId: followers[0]?.memberId as string, generationId });
    assert.deepEqual(again.answer()?.assignment, Buffer.from(`for-${followers[0]?.memberId}`));
  });

  test('a member the leader forgot gets an empty assignment', () => {
    const h = new ShardHarness();
    const joins = [1, 2].map((i) => h.joinNew({ clientId: `c${i}` }));
    h.advance(0);
    const { leader, generationId } = joins[0]!.join.answer() as { leader: string; generationId: number };
    const follower = joins.find((j) => j.memberId !== leader)?.memberId as string;
    const followerSync = h.sync({ memberId: follower, generationId });
    h.sync({ memberId: leader, generationId, assignments: [{ memberId: leader, assignment: Buffer.from('x') }] });
    assert.equal(followerSync.answer()?.errorCode, ErrorCode.NONE);
    assert.equal(followerSync.answer()?.assignment?.length, 0);
  });

  test('errors: unknown group or member, illegal generation, inconsistent protocol, rebalance in progress', () => {
    const h = new ShardHarness();
    assert.equal(h.sync({ memberId: 'm', generationId: 1 }).answer()?.errorCode, ErrorCode.UNKNOWN_MEMBER_ID);
    const { leader, generationId } = h.stableGroup(1);
    assert.equal(h.sync({ memberId: 'other', generationId }).answer()?.errorCode, ErrorCode.UNKNOWN_MEMBER_ID);
    assert.equal(
      h.sync({ memberId: leader, generationId: generationId + 1 }).answer()?.errorCode,
      ErrorCode.ILLEGAL_GENERATION,
    );
    assert.equal(
      h.sync({ memberId: leader, generationId, protocolType: 'connect' }).answer()?.errorCode,
      ErrorCode.INCONSISTENT_GROUP_PROTOCOL,
    );
    assert.equal(
      h.sync({ memberId: leader, generationId, protocolName: 'roundrobin' }).answer()?.errorCode,
      ErrorCode.INCONSISTENT_GROUP_PROTOCOL,
    );
    assert.equal(
      h.sync({ memberId: leader, generationId, protocolType: 'consumer', protocolName: 'range' }).answer()?.errorCode,
      ErrorCode.NONE,
    );
  });

  test('SyncGroup while preparing a rebalance is REBALANCE_IN_PROGRESS', () => {
    const h = new ShardHarness();
    const { memberIds, leader, generationId } = h.stableGroup(2);
    const follower = memberIds.find((m) => m !== leader) as string;
    h.join({ memberId: leader }); // the leader rejoining starts a rebalance; the follower has not rejoined
    assert.equal(h.shard.group('group')?.state, GroupState.PreparingRebalance);
    assert.equal(h.sync({ memberId: follower, generationId }).answer()?.errorCode, ErrorCode.REBALANCE_IN_PROGRESS);
  });

  test('a member parked in SyncGroup cannot heartbeat: its session restarts when the assignment arrives', () => {
    const h = new ShardHarness();
    const joins = [1, 2].map((i) => h.joinNew({ clientId: `c${i}` }));
    h.advance(0);
    const { leader, generationId } = joins[0]!.join.answer() as { leader: string; generationId: number };
    const follower = joins.find((j) => j.memberId !== leader)?.memberId as string;
    h.sync({ memberId: follower, generationId });
    h.advance(9_000);
    h.heartbeat({ memberId: leader, generationId });
    h.advance(6_000); // the follower's session deadline passed while it was parked: no harm
    assert.equal(h.shard.group('group')?.has(follower), true);
    h.sync({ memberId: leader, generationId, assignments: [] });
    h.heartbeat({ memberId: leader, generationId });
    h.advance(9_999);
    assert.equal(h.shard.group('group')?.has(follower), true);
    h.advance(1); // ten seconds after its SyncGroup was answered, with no heartbeat
    assert.equal(h.shard.group('group')?.has(follower), false);
  });

  test('members that never send SyncGroup are removed after the rebalance timeout', () => {
    const h = new ShardHarness();
    const joins = [1, 2].map((i) => h.joinNew({ clientId: `c${i}` }));
    h.advance(0);
    const { leader, generationId } = joins[0]!.join.answer() as { leader: string; generationId: number };
    const follower = joins.find((j) => j.memberId !== leader)?.memberId as string;
    h.sync({ memberId: leader, generationId, assignments: [] });
    assert.equal(h.shard.group('group')?.state, GroupState.Stable);
    for (let i = 0; i < 3; i++) {
      h.advance(9_000);
      // Both sessions stay alive: only the missing SyncGroup can remove the follower.
      assert.equal(h.heartbeat({ memberId: leader, generationId }), ErrorCode.NONE);
      assert.equal(h.heartbeat({ memberId: follower, generationId }), ErrorCode.NONE);
    }
    h.advance(2_999);
    assert.equal(h.shard.group('group')?.size, 2);
    h.advance(1); // 30 s (the rebalance timeout) after the join phase completed
    const group = h.shard.group('group');
    assert.equal(group?.has(follower), false);
    assert.equal(group?.state, GroupState.PreparingRebalance);
  });
});

describe('Heartbeat and session expiry', () => {
  test('heartbeats keep a member alive past its session timeout', () => {
    const h = new ShardHarness();
    const { leader, generationId } = h.stableGroup(1);
    for (let i = 0; i < 5; i++) {
      h.advance(8_000);
      assert.equal(h.heartbeat({ memberId: leader, generationId }), ErrorCode.NONE);
    }
    assert.equal(h.shard.group('group')?.has(leader), true);
    assert.equal(h.shard.group('group')?.state, GroupState.Stable);
  });

  test('session expiry removes the member and rebalances the rest', () => {
    const h = new ShardHarness();
    const { memberIds, leader, generationId } = h.stableGroup(2);
    const follower = memberIds.find((m) => m !== leader) as string;
    h.advance(6_000);
    assert.equal(h.heartbeat({ memberId: leader, generationId }), ErrorCode.NONE);
    h.advance(4_000); // the follower's session (10 s) is over
    const group = h.shard.group('group');
    assert.equal(group?.has(follower), false);
    assert.equal(group?.state, GroupState.PreparingRebalance);
    assert.equal(h.heartbeat({ memberId: leader, generationId }), ErrorCode.REBALANCE_IN_PROGRESS);
    assert.equal(h.heartbeat({ memberId: follower, generationId }), ErrorCode.UNKNOWN_MEMBER_ID);
    const rejoin = h.join({ memberId: leader });
    assert.equal(rejoin.answer()?.generationId, generationId + 1);
    assert.deepEqual(
      rejoin.answer()?.members?.map((m) => m.memberId),
      [leader],
    );
  });

  test('the last member expiring leaves an Empty group, stored as a new generation', () => {
    const h = new ShardHarness();
    const { generationId } = h.stableGroup(1);
    h.advance(10_000);
    assert.equal(h.shard.group('group')?.state, GroupState.Empty);
    assert.equal(h.shard.group('group')?.generationId, generationId + 1);
    const stored = lastGroupRecord(h)?.value;
    assert.deepEqual(
      {
        generation: stored?.generation,
        protocol: stored?.protocol,
        members: stored?.members,
        type: stored?.protocolType,
      },
      { generation: generationId + 1, protocol: null, members: [], type: 'consumer' },
    );
  });

  test('errors: unknown member, illegal generation; NONE while completing the rebalance', () => {
    const h = new ShardHarness();
    assert.equal(h.heartbeat({ memberId: 'x', generationId: 0 }), ErrorCode.UNKNOWN_MEMBER_ID);
    const joins = [1, 2].map((i) => h.joinNew({ clientId: `c${i}` }));
    h.advance(0);
    const { leader, generationId } = joins[0]!.join.answer() as { leader: string; generationId: number };
    assert.equal(h.heartbeat({ memberId: 'x', generationId }), ErrorCode.UNKNOWN_MEMBER_ID);
    assert.equal(h.heartbeat({ memberId: leader, generationId: generationId - 1 }), ErrorCode.ILLEGAL_GENERATION);
    assert.equal(h.shard.group('group')?.state, GroupState.CompletingRebalance);
    assert.equal(h.heartbeat({ memberId: leader, generationId }), ErrorCode.NONE);
  });

  test('a pending member (MEMBER_ID_REQUIRED) that never rejoins expires after its session timeout', () => {
    const h = new ShardHarness();
    const { leader } = h.stableGroup(1);
    const pendingId = h.join({ clientId: 'late' }).answer()?.memberId as string;
    assert.equal(h.shard.group('group')?.isPendingMember(pendingId), true);
    h.join({ memberId: leader }); // rebalance: the pending member holds the join phase up
    h.advance(9_999);
    assert.equal(h.shard.group('group')?.state, GroupState.PreparingRebalance);
    h.advance(1);
    assert.equal(h.shard.group('group')?.isPendingMember(pendingId), false);
    assert.equal(h.shard.group('group')?.state, GroupState.CompletingRebalance);
  });
});

describe('rebalance timeout and initial delay', () => {
  test('members that do not rejoin within the rebalance timeout are dropped', () => {
    const h = new ShardHarness();
    const { memberIds, leader, generationId } = h.stableGroup(2);
    const follower = memberIds.find((m) => m !== leader) as string;
    const leaderRejoin = h.join({ memberId: leader });
    for (let i = 0; i < 5; i++) {
      h.advance(5_000);
      // The follower keeps its session alive but never rejoins.
      assert.equal(h.heartbeat({ memberId: follower, generationId }), ErrorCode.REBALANCE_IN_PROGRESS);
    }
    h.advance(4_999);
    assert.equal(leaderRejoin.answer(), undefined);
    h.advance(1); // the rebalance timeout (30 s) is over
    assert.equal(leaderRejoin.answer()?.errorCode, ErrorCode.NONE);
    assert.deepEqual(
      leaderRejoin.answer()?.members?.map((m) => m.memberId),
      [leader],
    );
    assert.equal(h.shard.group('group')?.has(follower), false);
  });

  test('group.initial.rebalance.delay.ms delays the first rebalance and each new member extends it', () => {
    const h = new ShardHarness({ groupInitialRebalanceDelayMs: 3_000 });
    const a = h.joinNew({ clientId: 'a' });
    h.advance(2_000);
    const b = h.joinNew({ clientId: 'b' });
    h.advance(999); // t = 2 999
    assert.equal(a.join.answer(), undefined);
    h.advance(1); // t = 3 000: a member joined during the delay, so it is extended by 3 000 ms
    assert.equal(a.join.answer(), undefined);
    h.advance(2_999);
    assert.equal(a.join.answer(), undefined);
    h.advance(1); // t = 6 000
    assert.equal(a.join.answer()?.errorCode, ErrorCode.NONE);
    assert.equal(b.join.answer()?.generationId, 1);
  });

  test('without new members the initial rebalance completes after one delay', () => {
    const h = new ShardHarness({ groupInitialRebalanceDelayMs: 3_000 });
    const a = h.joinNew({ clientId: 'a' });
    h.advance(2_999);
    assert.equal(a.join.answer(), undefined);
    h.advance(1);
    assert.equal(a.join.answer()?.errorCode, ErrorCode.NONE);
  });

  test('the initial delay never exceeds the rebalance timeout', () => {
    const h = new ShardHarness({ groupInitialRebalanceDelayMs: 3_000 });
    const a = h.joinNew({ clientId: 'a', rebalanceTimeoutMs: 4_000 });
    h.advance(1_000);
    h.joinNew({ clientId: 'b', rebalanceTimeoutMs: 4_000 });
    h.advance(2_000); // t = 3 000: extended by min(3 000, remaining 1 000)
    assert.equal(a.join.answer(), undefined);
    h.advance(1_000); // t = 4 000
    assert.equal(a.join.answer()?.errorCode, ErrorCode.NONE);
  });
});

describe('LeaveGroup', () => {
  test('a member leaving rebalances the group; the last one leaves it Empty', () => {
    const h = new ShardHarness();
    const { memberIds, leader, generationId } = h.stableGroup(2);
    const follower = memberIds.find((m) => m !== leader) as string;
    const response = h.leave([{ memberId: follower, groupInstanceId: null }]);
    assert.deepEqual(response.members, [{ memberId: follower, groupInstanceId: null, errorCode: ErrorCode.NONE }]);
    assert.equal(h.shard.group('group')?.state, GroupState.PreparingRebalance);
    h.join({ memberId: leader });
    assert.equal(h.shard.group('group')?.generationId, generationId + 1);
    h.leave([{ memberId: leader, groupInstanceId: null }]);
    assert.equal(h.shard.group('group')?.state, GroupState.Empty);
  });

  test('batch (v3+): by member id, by group instance id, with per-member errors', () => {
    const h = new ShardHarness();
    const s1 = h.joinNew({ clientId: 'dyn' });
    const s2 = h.join({ clientId: 'stat', groupInstanceId: 'instance-2' });
    h.advance(0);
    const s2Id = s2.answer()?.memberId as string;
    assert.ok(s1.join.answer() && s2Id);
    const response = h.leave([
      { memberId: s1.memberId, groupInstanceId: null },
      { memberId: '', groupInstanceId: 'instance-2' },
      { memberId: 'unknown', groupInstanceId: null },
      { memberId: '', groupInstanceId: 'unknown-instance' },
    ]);
    assert.deepEqual(
      response.members?.map((m) => m.errorCode),
      [ErrorCode.NONE, ErrorCode.NONE, ErrorCode.UNKNOWN_MEMBER_ID, ErrorCode.UNKNOWN_MEMBER_ID],
    );
    assert.equal(h.shard.group('group')?.size, 0);
    assert.equal(h.shard.group('group')?.state, GroupState.Empty);
    assert.equal(
      h.leave([{ memberId: 'x', groupInstanceId: null }], 'no-such-group').members?.[0]?.errorCode,
      ErrorCode.UNKNOWN_MEMBER_ID,
    );
  });

  test('a static member leaving with a stale member id is fenced', () => {
    const h = new ShardHarness();
    const join = h.join({ groupInstanceId: 'i1' });
    h.advance(0);
    const memberId = join.answer()?.memberId as string;
    const response = h.leave([{ memberId: 'stale', groupInstanceId: 'i1' }]);
    assert.equal(response.members?.[0]?.errorCode, ErrorCode.FENCED_INSTANCE_ID);
    assert.equal(h.shard.group('group')?.has(memberId), true);
  });
});

describe('static membership (KIP-345)', () => {
  function staticGroup(h: ShardHarness) {
    const j1 = h.join({ clientId: 'c1', groupInstanceId: 'i1' });
    const j2 = h.join({ clientId: 'c2', groupInstanceId: 'i2' });
    h.advance(0);
    const r1 = j1.answer();
    const r2 = j2.answer();
    assert.equal(r1?.errorCode, ErrorCode.NONE);
    const generationId = r1?.generationId as number;
    const leader = r1?.leader as string;
    const ids = { i1: r1?.memberId as string, i2: r2?.memberId as string };
    const assignments = [
      { memberId: ids.i1, assignment: Buffer.from('p0') },
      { memberId: ids.i2, assignment: Buffer.from('p1') },
    ];
    const followerId = leader === ids.i1 ? ids.i2 : ids.i1;
    h.sync({ memberId: followerId, generationId, groupInstanceId: leader === ids.i1 ? 'i2' : 'i1' });
    h.sync({ memberId: leader, generationId, groupInstanceId: leader === ids.i1 ? 'i1' : 'i2', assignments });
    return { ids, generationId, leader };
  }

  test('static members get `<group.instance.id>-<uuid>` ids and the leader sees their instance ids', () => {
    const h = new ShardHarness();
    const j1 = h.join({ clientId: 'c1', groupInstanceId: 'i1' });
    h.advance(0);
    assert.equal(j1.answer()?.memberId, 'i1-uuid1');
    assert.deepEqual(
      j1.answer()?.members?.map((m) => m.groupInstanceId),
      ['i1'],
    );
  });

  test('a restarted static member replaces the old one without a rebalance and keeps its assignment', () => {
    const h = new ShardHarness();
    const { ids, generationId, leader } = staticGroup(h);
    const followerInstance = leader === ids.i1 ? 'i2' : 'i1';
    const oldId = ids[followerInstance];
    const rejoin = h.join({ clientId: 'c-restarted', groupInstanceId: followerInstance });
    const response = rejoin.answer();
    assert.equal(response?.errorCode, ErrorCode.NONE);
    assert.notEqual(response?.memberId, oldId);
    assert.equal(response?.generationId, generationId, 'no new generation');
    assert.equal(response?.leader, leader);
    assert.equal(h.shard.group('group')?.state, GroupState.Stable);
    const newId = response?.memberId as string;
    // The replacement is stored (new member id) so that a failover keeps it.
    assert.ok(
      lastGroupRecord(h)?.value?.members.some((m) => m.memberId === newId && m.groupInstanceId === followerInstance),
    );
    // The old instance is fenced; the new one carries on with the old assignment.
    assert.equal(
      h.heartbeat({ memberId: oldId, generationId, groupInstanceId: followerInstance }),
      ErrorCode.FENCED_INSTANCE_ID,
    );
    assert.equal(h.heartbeat({ memberId: newId, generationId, groupInstanceId: followerInstance }), ErrorCode.NONE);
    const sync = h.sync({ memberId: newId, generationId, groupInstanceId: followerInstance });
    assert.deepEqual(sync.answer()?.assignment, Buffer.from(followerInstance === 'i1' ? 'p0' : 'p1'));
    assert.equal(
      h.join({ memberId: oldId, groupInstanceId: followerInstance }).answer()?.errorCode,
      ErrorCode.FENCED_INSTANCE_ID,
    );
  });

  test('a restarted static leader is told the old leader id before v9, and to skip the assignment from v9 (KIP-814)', () => {
    const h = new ShardHarness();
    const { ids, leader } = staticGroup(h);
    const leaderInstance = leader === ids.i1 ? 'i1' : 'i2';
    const old = h.join({ groupInstanceId: leaderInstance }).answer();
    assert.equal(old?.leader, leader, 'pre-v9: the old leader id, so the new instance does not assign');
    assert.equal(old?.skipAssignment, false);
    assert.deepEqual(old?.members, []);
    const v9 = h.join({ groupInstanceId: leaderInstance, supportSkippingAssignment: true }).answer();
    assert.equal(v9?.leader, v9?.memberId);
    assert.equal(v9?.skipAssignment, true);
    assert.equal(v9?.members?.length, 2);
    assert.equal(h.shard.group('group')?.state, GroupState.Stable);
  });

  test('a restarted static member whose protocols change the group protocol triggers a rebalance', () => {
    const h = new ShardHarness();
    const { ids, leader } = staticGroup(h);
    const followerInstance = leader === ids.i1 ? 'i2' : 'i1';
    const meta = subscription(['topic']);
    // Still supports "range" (so it may join) but prefers "sticky", which the other member lacks:
    // the selected protocol stays "range" — no rebalance.
    h.join({
      groupInstanceId: followerInstance,
      protocols: [
        { name: 'sticky', metadata: meta },
        { name: 'range', metadata: meta },
      ],
    });
    assert.equal(h.shard.group('group')?.state, GroupState.Stable);
    // The leader's instance also prefers "sticky" now: the vote changes, so the group rebalances.
    const leaderInstance = followerInstance === 'i1' ? 'i2' : 'i1';
    h.join({
      groupInstanceId: leaderInstance,
      protocols: [
        { name: 'sticky', metadata: meta },
        { name: 'range', metadata: meta },
      ],
    });
    assert.equal(h.shard.group('group')?.state, GroupState.PreparingRebalance);
  });

  test('a static member that does not rejoin in time stays in the next generation (KIP-345)', () => {
    const h = new ShardHarness();
    const { ids, leader, generationId } = staticGroup(h);
    const leaderInstance = leader === ids.i1 ? 'i1' : 'i2';
    const followerInstance = leaderInstance === 'i1' ? 'i2' : 'i1';
    const rejoin = h.join({ memberId: leader, groupInstanceId: leaderInstance });
    for (let i = 0; i < 6; i++) {
      h.advance(5_000);
      h.heartbeat({ memberId: ids[followerInstance], generationId, groupInstanceId: followerInstance });
    }
    // The rebalance timeout (30 s) is over: a dynamic member would be dropped, a static one stays.
    assert.equal(rejoin.answer()?.errorCode, ErrorCode.NONE);
    assert.deepEqual(
      rejoin
        .answer()
        ?.members?.map((m) => m.groupInstanceId)
        .sort(),
      ['i1', 'i2'],
    );
  });

  test('static members that do not rejoin stay through the rebalance until their session expires', () => {
    const h = new ShardHarness();
    const { ids, leader, generationId } = staticGroup(h);
    const leaderInstance = leader === ids.i1 ? 'i1' : 'i2';
    const rejoin = h.join({ memberId: leader, groupInstanceId: leaderInstance });
    h.advance(9_000);
    assert.equal(
      h.heartbeat({ memberId: leader, generationId, groupInstanceId: leaderInstance }),
      ErrorCode.REBALANCE_IN_PROGRESS,
    );
    h.advance(1_000); // the silent static member's session expires; all remaining members have rejoined
    assert.equal(rejoin.answer()?.errorCode, ErrorCode.NONE);
    assert.deepEqual(
      rejoin.answer()?.members?.map((m) => m.groupInstanceId),
      [leaderInstance],
    );
  });
});
