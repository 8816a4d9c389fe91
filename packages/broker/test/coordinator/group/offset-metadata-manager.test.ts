/**
 * Offsets: OffsetCommit validation against membership, OffsetFetch, OffsetDelete, DeleteGroups,
 * retention-based expiry, and DescribeGroups/ListGroups views, through a shard with a fake clock.
 */
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { ErrorCode } from '@samsa/protocol';
import { decodeGroupCoordinatorRecord } from '../../../src/coordinator/group/group-coordinator-record.js';
import { GroupState } from '../../../src/coordinator/group/group-state.js';
import type { OffsetCommitTopicArgs } from '../../../src/coordinator/group/offset-metadata-manager.js';
import { subscription } from './support/consumer-metadata.js';
import { ShardHarness } from './support/shard-harness.js';

const errors = ShardHarness.errors;

function topic(name: string, ...partitions: [number, bigint, (string | null)?][]): OffsetCommitTopicArgs {
  return {
    name,
    partitions: partitions.map(([partitionIndex, committedOffset, committedMetadata]) => ({
      partitionIndex,
      committedOffset,
      committedLeaderEpoch: 7,
      commitTimestamp: -1n,
      committedMetadata: committedMetadata === undefined ? 'meta' : committedMetadata,
    })),
  };
}

function fetched(h: ShardHarness, name: string, partition: number, groupId = 'group') {
  return h.fetch([{ name, partitionIndexes: [partition] }], groupId).topics?.[0]?.partitions?.[0];
}

describe('OffsetCommit', () => {
  test('a simple consumer (generation -1, no member id) commits to a group that does not exist', () => {
    const h = new ShardHarness();
    const response = h.commit({ topics: [topic('orders', [0, 10n], [1, 20n, null])] });
    assert.deepEqual(errors(response), [ErrorCode.NONE, ErrorCode.NONE]);
    const group = h.shard.group('group');
    assert.equal(group?.state, GroupState.Empty);
    assert.equal(group?.protocolType, undefined);
    assert.deepEqual(fetched(h, 'orders', 0), {
      partitionIndex: 0,
      committedOffset: 10n,
      committedLeaderEpoch: 7,
      metadata: 'meta',
      errorCode: ErrorCode.NONE,
    });
    assert.equal(fetched(h, 'orders', 1)?.metadata, '', 'null metadata is stored as ""');
  });

  test('members commit with their generation; others are refused', () => {
    const h = new ShardHarness();
    const { leader, generationId } = h.stableGroup(2);
    const commit = (memberId: string, generation: number, groupInstanceId: string | null = null) =>
      errors(
        h.commit({
          memberId,
          generationIdOrMemberEpoch: generation,
          groupInstanceId,
          topics: [topic('orders', [0, 5n])],
        }),
      );
    assert.deepEqual(commit(leader, generationId), [ErrorCode.NONE]);
    assert.deepEqual(commit('stranger', generationId), [ErrorCode.UNKNOWN_MEMBER_ID]);
    assert.deepEqual(commit(leader, generationId - 1), [ErrorCode.ILLEGAL_GENERATION]);
    assert.deepEqual(
      commit('', -1),
      [ErrorCode.UNKNOWN_MEMBER_ID],
      'a group with members takes commits from members only',
    );
    assert.deepEqual(commit(leader, generationId, 'not-static'), [ErrorCode.UNKNOWN_MEMBER_ID]);
    // During CompletingRebalance the member has no assignment yet.
    h.join({ memberId: leader });
    const others = [...(h.shard.group('group')?.allMembers() ?? [])].filter((m) => m.memberId !== leader);
    assert.deepEqual(commit(leader, generationId), [ErrorCode.NONE], 'allowed while preparing a rebalance');
    for (const m of others) h.join({ memberId: m.memberId });
    assert.equal(h.shard.group('group')?.state, GroupState.CompletingRebalance);
    assert.deepEqual(commit(leader, generationId + 1), [ErrorCode.REBALANCE_IN_PROGRESS]);
  });

  test('a commit with a generation to an unknown group: ILLEGAL_GENERATION, or GROUP_ID_NOT_FOUND from v9', () => {
    const h = new ShardHarness();
    assert.deepEqual(errors(h.commit({ generationIdOrMemberEpoch: 3, memberId: 'm', topics: [topic('t', [0, 1n])] })), [
      ErrorCode.ILLEGAL_GENERATION,
    ]);
    assert.deepEqual(
      errors(
        h.commit({
          generationIdOrMemberEpoch: 3,
          memberId: 'm',
          unknownGroupErrorCode: ErrorCode.GROUP_ID_NOT_FOUND,
          topics: [topic('t', [0, 1n])],
        }),
      ),
      [ErrorCode.GROUP_ID_NOT_FOUND],
    );
    assert.equal(h.shard.group('group'), undefined);
  });

  test('metadata longer than offset.metadata.max.bytes is refused per partition', () => {
    const h = new ShardHarness({ offsetMetadataMaxBytes: 10 });
    const response = h.commit({ topics: [topic('t', [0, 1n, 'x'.repeat(11)], [1, 2n, 'x'.repeat(10)])] });
    assert.deepEqual(errors(response), [ErrorCode.OFFSET_METADATA_TOO_LARGE, ErrorCode.NONE]);
    assert.equal(fetched(h, 't', 0)?.committedOffset, -1n);
    assert.equal(fetched(h, 't', 1)?.metadata, 'x'.repeat(10));
    assert.equal(h.log.length, 1, 'only the valid partition is written');
  });

  test('the default limit is 4096 and metadata round-trips', () => {
    const h = new ShardHarness();
    const metadata = `{"app":"é","pad":"${'z'.repeat(4000)}"}`;
    assert.deepEqual(errors(h.commit({ topics: [topic('t', [0, 1n, metadata])] })), [ErrorCode.NONE]);
    assert.equal(fetched(h, 't', 0)?.metadata, metadata);
    assert.deepEqual(errors(h.commit({ topics: [topic('t', [0, 1n, 'y'.repeat(4097)])] })), [
      ErrorCode.OFFSET_METADATA_TOO_LARGE,
    ]);
  });

  test('a commit timestamp (v1) and a retention time (v2-v4) are honoured', () => {
    const h = new ShardHarness();
    h.commit({
      retentionTimeMs: 60_000n,
      topics: [
        {
          name: 't',
          partitions: [
            {
              partitionIndex: 0,
              committedOffset: 1n,
              committedLeaderEpoch: -1,
              commitTimestamp: 5n,
              committedMetadata: null,
            },
          ],
        },
      ],
    });
    const offset = h.shard.group('group')?.offset('t', 0);
    assert.equal(offset?.commitTimestampMs, 5);
    assert.equal(offset?.expireTimestampMs, h.nowMs + 60_000);
    assert.equal(h.log[0]?.value?.readInt16BE(0), 1, 'value version 1 carries the expire timestamp');
  });
});

describe('OffsetFetch', () => {
  test('unknown partitions and unknown groups: offset -1, metadata "", no error', () => {
    const h = new ShardHarness();
    h.commit({ topics: [topic('t', [0, 1n])] });
    assert.deepEqual(fetched(h, 't', 9), {
      partitionIndex: 9,
      committedOffset: -1n,
      committedLeaderEpoch: -1,
      metadata: '',
      errorCode: ErrorCode.NONE,
    });
    assert.deepEqual(fetched(h, 't', 0, 'other-group')?.committedOffset, -1n);
    assert.deepEqual(h.fetch(null, 'other-group'), { groupId: 'other-group', errorCode: ErrorCode.NONE, topics: [] });
  });

  test('all partitions (topics null)', () => {
    const h = new ShardHarness();
    h.commit({ topics: [topic('a', [0, 1n], [1, 2n]), topic('b', [0, 3n])] });
    const all = h.fetch(null);
    assert.deepEqual(
      all.topics?.map((t) => [t.name, t.partitions?.map((p) => [p.partitionIndex, p.committedOffset])]),
      [
        [
          'a',
          [
            [0, 1n],
            [1, 2n],
          ],
        ],
        ['b', [[0, 3n]]],
      ],
    );
  });

  test('requireStable: nothing is pending without transactions', () => {
    const h = new ShardHarness();
    h.commit({ topics: [topic('t', [0, 1n])] });
    const response = h.fetch([{ name: 't', partitionIndexes: [0] }], 'group', true);
    assert.equal(response.topics?.[0]?.partitions?.[0]?.errorCode, ErrorCode.NONE);
    assert.equal(response.topics?.[0]?.partitions?.[0]?.committedOffset, 1n);
  });
});

describe('offset expiry (offsets.retention.minutes)', () => {
  test('a simple group: offsets expire a retention after their commit, with tombstones, then the group', () => {
    const h = new ShardHarness({ offsetsRetentionMinutes: 60 });
    h.commit({ topics: [topic('t', [0, 1n])] });
    h.advance(30 * 60_000);
    h.commit({ topics: [topic('t', [1, 2n])] });
    h.advance(30 * 60_000); // partition 0 is 60 min old; the check runs every 10 min
    assert.equal(fetched(h, 't', 0)?.committedOffset, -1n);
    assert.equal(fetched(h, 't', 1)?.committedOffset, 2n);
    const tombstone = decodeGroupCoordinatorRecord(h.log.at(-1) as never);
    assert.ok(tombstone.type === 'offset-commit' && tombstone.value === null);
    assert.deepEqual(tombstone.key, { group: 'group', topic: 't', partition: 0 });
    h.advance(30 * 60_000);
    assert.equal(h.shard.group('group'), undefined, 'no offsets left: the group is deleted too');
    const last = decodeGroupCoordinatorRecord(h.log.at(-1) as never);
    assert.ok(last.type === 'group-metadata' && last.value === null && last.groupId === 'group');
  });

  test('an Empty consumer group: retention counts from when it became Empty', () => {
    const h = new ShardHarness({ offsetsRetentionMinutes: 60, offsetsRetentionCheckIntervalMs: 60_000 });
    const { leader, generationId } = h.stableGroup(1, { sessionTimeoutMs: 1_800_000 });
    h.commit({ memberId: leader, generationIdOrMemberEpoch: generationId, topics: [topic('topic', [0, 1n])] });
    // Stable and subscribed to "topic": never expires however old the commit.
    for (let i = 0; i < 10; i++) {
      h.advance(9 * 60_000);
      h.heartbeat({ memberId: leader, generationId });
    }
    assert.equal(fetched(h, 'topic', 0)?.committedOffset, 1n);
    h.leave([{ memberId: leader, groupInstanceId: null }]);
    assert.equal(h.shard.group('group')?.state, GroupState.Empty);
    h.advance(59 * 60_000);
    assert.equal(fetched(h, 'topic', 0)?.committedOffset, 1n);
    h.advance(60_000);
    assert.equal(fetched(h, 'topic', 0)?.committedOffset, -1n);
    assert.equal(h.shard.group('group'), undefined);
  });

  test('a Stable consumer group: offsets of topics nobody subscribes to expire', () => {
    const h = new ShardHarness({ offsetsRetentionMinutes: 60, offsetsRetentionCheckIntervalMs: 60_000 });
    const { leader, generationId } = h.stableGroup(1, {
      sessionTimeoutMs: 1_800_000,
      protocols: [{ name: 'range', metadata: subscription(['kept']) }],
    });
    h.commit({
      memberId: leader,
      generationIdOrMemberEpoch: generationId,
      topics: [topic('kept', [0, 1n]), topic('gone', [0, 2n])],
    });
    for (let i = 0; i < 8; i++) {
      h.advance(9 * 60_000);
      h.heartbeat({ memberId: leader, generationId });
    }
    assert.equal(fetched(h, 'kept', 0)?.committedOffset, 1n);
    assert.equal(fetched(h, 'gone', 0)?.committedOffset, -1n);
    assert.equal(h.shard.group('group')?.state, GroupState.Stable);
  });

  test('an explicit retention time (OffsetCommit v2-v4) expires the offset at that time', () => {
    const h = new ShardHarness({ offsetsRetentionCheckIntervalMs: 60_000 });
    h.commit({ retentionTimeMs: 300_000n, topics: [topic('t', [0, 1n])] });
    h.advance(4 * 60_000);
    assert.equal(fetched(h, 't', 0)?.committedOffset, 1n);
    h.advance(60_000);
    assert.equal(fetched(h, 't', 0)?.committedOffset, -1n);
  });
});

describe('DeleteGroups and OffsetDelete', () => {
  test('DeleteGroups deletes Empty groups only', () => {
    const h = new ShardHarness();
    h.commit({ groupId: 'simple', topics: [topic('t', [0, 1n], [1, 2n])] });
    h.stableGroup(1);
    const response = h.settle(h.shard.deleteGroups(h.nowMs, ['simple', 'group', 'missing']));
    assert.deepEqual(response, [
      { groupId: 'simple', errorCode: ErrorCode.NONE },
      { groupId: 'group', errorCode: ErrorCode.NON_EMPTY_GROUP },
      { groupId: 'missing', errorCode: ErrorCode.GROUP_ID_NOT_FOUND },
    ]);
    assert.equal(h.shard.group('simple'), undefined);
    assert.equal(fetched(h, 't', 0, 'simple')?.committedOffset, -1n);
    const written = h.log.slice(-3).map((r) => decodeGroupCoordinatorRecord(r));
    assert.deepEqual(
      written.map((r) => [r.type, r.type === 'unknown' || r.type === 'consumer-group' ? null : r.value]),
      [
        ['offset-commit', null],
        ['offset-commit', null],
        ['group-metadata', null],
      ],
    );
  });

  test('OffsetDelete refuses subscribed topics of a consumer group with members', () => {
    const h = new ShardHarness();
    const { leader, generationId } = h.stableGroup(1);
    h.commit({
      memberId: leader,
      generationIdOrMemberEpoch: generationId,
      topics: [topic('topic', [0, 1n]), topic('old', [0, 2n])],
    });
    const response = h.settle(
      h.shard.deleteOffsets(h.nowMs, 'group', [
        { name: 'topic', partitions: [{ partitionIndex: 0 }] },
        { name: 'old', partitions: [{ partitionIndex: 0 }, { partitionIndex: 5 }] },
      ]),
    );
    assert.equal(response.errorCode, ErrorCode.NONE);
    assert.deepEqual(
      response.topics?.map((t) => t.partitions?.map((p) => p.errorCode)),
      [[ErrorCode.GROUP_SUBSCRIBED_TO_TOPIC], [ErrorCode.NONE, ErrorCode.NONE]],
    );
    assert.equal(fetched(h, 'topic', 0)?.committedOffset, 1n);
    assert.equal(fetched(h, 'old', 0)?.committedOffset, -1n);
  });

  test('OffsetDelete: unknown group, non-consumer group with members, Empty group', () => {
    const h = new ShardHarness();
    const req = [{ name: 't', partitions: [{ partitionIndex: 0 }] }];
    assert.equal(h.settle(h.shard.deleteOffsets(h.nowMs, 'missing', req)).errorCode, ErrorCode.GROUP_ID_NOT_FOUND);
    h.stableGroup(1, {
      groupId: 'connect',
      protocolType: 'connect',
      protocols: [{ name: 'sessioned', metadata: Buffer.from('x') }],
    });
    assert.equal(h.settle(h.shard.deleteOffsets(h.nowMs, 'connect', req)).errorCode, ErrorCode.NON_EMPTY_GROUP);
    h.commit({ groupId: 'simple', topics: [topic('t', [0, 1n])] });
    const response = h.settle(h.shard.deleteOffsets(h.nowMs, 'simple', req));
    assert.deepEqual(response, {
      errorCode: ErrorCode.NONE,
      topics: [{ name: 't', partitions: [{ partitionIndex: 0, errorCode: ErrorCode.NONE }] }],
    });
    assert.equal(fetched(h, 't', 0, 'simple')?.committedOffset, -1n);
  });
});

describe('DescribeGroups and ListGroups', () => {
  test('a Stable group is described with member metadata and assignments; otherwise without', () => {
    const h = new ShardHarness();
    const { memberIds, leader } = h.stableGroup(2);
    const described = h.shard.describeGroup('group');
    assert.equal(described.groupState, 'Stable');
    assert.equal(described.protocolType, 'consumer');
    assert.equal(described.protocolData, 'range');
    assert.deepEqual(
      described.members?.map((m) => [
        m.memberId,
        m.clientId,
        m.clientHost,
        m.memberMetadata,
        m.memberAssignment?.toString(),
      ]),
      memberIds.map((id, i) => [id, `c${i + 1}`, '/127.0.0.1', subscription(['topic']), `a-c${i + 1}`]),
    );
    h.join({ memberId: leader });
    const rebalancing = h.shard.describeGroup('group');
    assert.equal(rebalancing.groupState, 'PreparingRebalance');
    assert.equal(rebalancing.protocolData, '');
    assert.deepEqual(
      rebalancing.members?.map((m) => [m.memberMetadata?.length, m.memberAssignment?.length]),
      [
        [0, 0],
        [0, 0],
      ],
    );
    assert.deepEqual(h.shard.describeGroup('nope'), {
      errorCode: ErrorCode.NONE,
      groupId: 'nope',
      groupState: 'Dead',
      protocolType: '',
      protocolData: '',
      members: [],
    });
  });

  test('ListGroups filters by state (case-insensitive) and type', () => {
    const h = new ShardHarness();
    h.stableGroup(1, { groupId: 'stable' });
    h.commit({ groupId: 'simple', topics: [topic('t', [0, 1n])] });
    const ids = (states: string[], types: string[] = []) => h.shard.listGroups(states, types).map((g) => g.groupId);
    assert.deepEqual(ids([]), ['stable', 'simple']);
    assert.deepEqual(ids(['stable']), ['stable']);
    assert.deepEqual(ids(['Empty', 'Dead']), ['simple']);
    assert.deepEqual(ids([], ['Classic']), ['stable', 'simple']);
    assert.deepEqual(ids([], ['consumer']), []);
    assert.deepEqual(h.shard.listGroups([], [])[0], {
      groupId: 'stable',
      protocolType: 'consumer',
      groupState: 'Stable',
      groupType: 'classic',
    });
  });
});
