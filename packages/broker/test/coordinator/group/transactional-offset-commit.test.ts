/**
 * Transactional offset commits (TxnOffsetCommit, KIP-98/KIP-447) in the shard: pending until the
 * producer's marker, COMMIT/ABORT, requireStable, membership checks, the order between
 * transactional and ordinary commits, expiry and deletion, and loading from records and markers.
 */
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { ErrorCode, KafkaError } from '@samsa/protocol';
import {
  decodeGroupCoordinatorRecord,
  groupMetadataTombstone,
} from '../../../src/coordinator/group/group-coordinator-record.js';
import { GroupState } from '../../../src/coordinator/group/group-state.js';
import type {
  OffsetCommitTopicArgs,
  TxnOffsetCommitTopicArgs,
} from '../../../src/coordinator/group/offset-metadata-manager.js';
import { notLeader, ShardHarness } from './support/shard-harness.js';

const errors = ShardHarness.errors;

function txnTopic(name: string, ...partitions: [number, bigint, (string | null)?][]): TxnOffsetCommitTopicArgs {
  return {
    name,
    partitions: partitions.map(([partitionIndex, committedOffset, committedMetadata]) => ({
      partitionIndex,
      committedOffset,
      committedLeaderEpoch: 4,
      committedMetadata: committedMetadata === undefined ? 'txn' : committedMetadata,
    })),
  };
}

function topic(name: string, ...partitions: [number, bigint][]): OffsetCommitTopicArgs {
  return {
    name,
    partitions: partitions.map(([partitionIndex, committedOffset]) => ({
      partitionIndex,
      committedOffset,
      committedLeaderEpoch: 7,
      commitTimestamp: -1n,
      committedMetadata: 'plain',
    })),
  };
}

function fetched(h: ShardHarness, name: string, partition: number, requireStable = false, groupId = 'group') {
  const group = h.shard.fetchOffsets(groupId, [{ name, partitionIndexes: [partition] }], requireStable);
  const p = group.topics?.[0]?.partitions?.[0];
  return { offset: p?.committedOffset, errorCode: p?.errorCode };
}

describe('TxnOffsetCommit', () => {
  test('the offsets are written as the producer transactional batch and are invisible until COMMIT', () => {
    const h = new ShardHarness();
    h.commit({ topics: [topic('t', [0, 1n])] });
    const response = h.txnCommit({ producerId: 7, producerEpoch: 3, topics: [txnTopic('t', [0, 5n], [1, 6n])] });
    assert.deepEqual(errors(response), [ErrorCode.NONE, ErrorCode.NONE]);
    const written = h.entries.slice(-2);
    assert.deepEqual(
      written.map((e) => e.type === 'record' && [e.transactional, e.producerId, e.producerEpoch]),
      [
        [true, 7, 3],
        [true, 7, 3],
      ],
    );
    const decoded = decodeGroupCoordinatorRecord(h.log.at(-1) as never);
    assert.ok(decoded.type === 'offset-commit' && decoded.value !== null, 'an ordinary OffsetCommit record');
    assert.equal(decoded.value.offset, 6n);
    assert.deepEqual(fetched(h, 't', 0), { offset: 1n, errorCode: ErrorCode.NONE }, 'the last committed offset');
    assert.deepEqual(fetched(h, 't', 1), { offset: -1n, errorCode: ErrorCode.NONE });

    h.endTxn('COMMIT', 7, 3);
    assert.deepEqual(fetched(h, 't', 0, true), { offset: 5n, errorCode: ErrorCode.NONE });
    assert.deepEqual(fetched(h, 't', 1, true), { offset: 6n, errorCode: ErrorCode.NONE });
    const offset = h.shard.group('group')?.offset('t', 0);
    assert.equal(offset?.leaderEpoch, 4);
    assert.equal(offset?.metadata, 'txn');
    assert.equal(offset?.commitTimestampMs, h.nowMs);
    assert.equal(offset?.expireTimestampMs, undefined);
    assert.ok(h.shard.group('group')?.pendingTransactionalOffsets.isEmpty());
  });

  test('ABORT drops the pending offsets; the committed ones stay', () => {
    const h = new ShardHarness();
    h.commit({ topics: [topic('t', [0, 1n])] });
    h.txnCommit({ topics: [txnTopic('t', [0, 5n], [1, 6n])] });
    h.endTxn('ABORT');
    assert.deepEqual(fetched(h, 't', 0, true), { offset: 1n, errorCode: ErrorCode.NONE });
    assert.deepEqual(fetched(h, 't', 1, true), { offset: -1n, errorCode: ErrorCode.NONE });
    assert.ok(h.shard.group('group')?.pendingTransactionalOffsets.isEmpty());
  });

  test('a marker of another producer, or with nothing pending, changes nothing', () => {
    const h = new ShardHarness();
    h.txnCommit({ producerId: 1, topics: [txnTopic('t', [0, 5n])] });
    h.endTxn('COMMIT', 2);
    assert.deepEqual(fetched(h, 't', 0, true), { offset: -1n, errorCode: ErrorCode.UNSTABLE_OFFSET_COMMIT });
    h.endTxn('COMMIT', 1);
    h.endTxn('ABORT', 1);
    assert.deepEqual(fetched(h, 't', 0, true), { offset: 5n, errorCode: ErrorCode.NONE });
  });

  test('requireStable: UNSTABLE_OFFSET_COMMIT for partitions with a pending offset, until every producer ended', () => {
    const h = new ShardHarness();
    h.commit({ topics: [topic('t', [0, 1n], [2, 3n])] });
    h.txnCommit({ producerId: 1, topics: [txnTopic('t', [0, 5n])] });
    h.txnCommit({ producerId: 2, topics: [txnTopic('t', [0, 6n], [1, 7n])] });
    const unstable = { offset: -1n, errorCode: ErrorCode.UNSTABLE_OFFSET_COMMIT };
    assert.deepEqual(fetched(h, 't', 0, true), unstable);
    assert.deepEqual(fetched(h, 't', 1, true), unstable);
    assert.deepEqual(fetched(h, 't', 2, true), { offset: 3n, errorCode: ErrorCode.NONE }, 'nothing pending there');
    // Every committed partition (topics null): listed with the same rule; pending-only partitions are not listed.
    const all = h.shard.fetchOffsets('group', null, true).topics?.[0]?.partitions;
    assert.deepEqual(
      all?.map((p) => [p.partitionIndex, p.errorCode]),
      [
        [0, ErrorCode.UNSTABLE_OFFSET_COMMIT],
        [2, ErrorCode.NONE],
      ],
    );
    h.endTxn('COMMIT', 1);
    assert.deepEqual(fetched(h, 't', 0, true), unstable, 'producer 2 still has one');
    assert.deepEqual(fetched(h, 't', 0), { offset: 5n, errorCode: ErrorCode.NONE });
    h.endTxn('ABORT', 2);
    assert.deepEqual(fetched(h, 't', 0, true), { offset: 5n, errorCode: ErrorCode.NONE });
    assert.deepEqual(fetched(h, 't', 1, true), { offset: -1n, errorCode: ErrorCode.NONE });
  });

  test('the later record wins: a transaction commits its offset only over an older committed one', () => {
    const h = new ShardHarness();
    // Transactional first, ordinary commit after it: the ordinary one is newer and stays.
    h.txnCommit({ producerId: 1, topics: [txnTopic('t', [0, 5n])] });
    h.commit({ topics: [topic('t', [0, 9n])] });
    // Ordinary first, transactional after it: the transaction's offset replaces it.
    h.commit({ topics: [topic('t', [1, 9n])] });
    h.txnCommit({ producerId: 1, topics: [txnTopic('t', [1, 5n])] });
    h.endTxn('COMMIT', 1);
    assert.equal(fetched(h, 't', 0).offset, 9n);
    assert.equal(fetched(h, 't', 1).offset, 5n);
    h.restart();
    assert.equal(fetched(h, 't', 0).offset, 9n, 'loading applies the same rule');
    assert.equal(fetched(h, 't', 1).offset, 5n);
  });

  test('a group that does not exist is created as a simple group; with a generation it is ILLEGAL_GENERATION', () => {
    const h = new ShardHarness();
    assert.deepEqual(errors(h.txnCommit({ generationId: 2, memberId: 'm', topics: [txnTopic('t', [0, 1n])] })), [
      ErrorCode.ILLEGAL_GENERATION,
    ]);
    assert.equal(h.shard.group('group'), undefined);
    assert.deepEqual(errors(h.txnCommit({ memberId: 'm', topics: [txnTopic('t', [0, 1n])] })), [ErrorCode.NONE]);
    const group = h.shard.group('group');
    assert.equal(group?.state, GroupState.Empty);
    assert.equal(group?.protocolType, undefined);
    assert.equal(group?.hasOffsets(), false, 'nothing committed yet');
  });

  test('a group with members: generation, member and instance checked when given (v3+); without, accepted', () => {
    const h = new ShardHarness();
    const { leader, generationId } = h.stableGroup(2);
    const commit = (generation: number, memberId: string, groupInstanceId: string | null = null) =>
      errors(h.txnCommit({ generationId: generation, memberId, groupInstanceId, topics: [txnTopic('t', [0, 1n])] }));
    assert.deepEqual(commit(generationId, leader), [ErrorCode.NONE]);
    assert.deepEqual(commit(generationId - 1, leader), [ErrorCode.ILLEGAL_GENERATION]);
    assert.deepEqual(commit(generationId, 'stranger'), [ErrorCode.UNKNOWN_MEMBER_ID]);
    assert.deepEqual(commit(-1, 'stranger'), [ErrorCode.UNKNOWN_MEMBER_ID]);
    assert.deepEqual(commit(generationId, leader, 'not-static'), [ErrorCode.UNKNOWN_MEMBER_ID]);
    assert.deepEqual(commit(-1, ''), [ErrorCode.NONE], 'v0-v2 carry no member: accepted from a group with members');
    // Unlike OffsetCommit, the group state is not enforced: accepted while completing a rebalance.
    for (const m of h.shard.group('group')?.allMembers() ?? []) h.join({ memberId: m.memberId });
    assert.equal(h.shard.group('group')?.state, GroupState.CompletingRebalance);
    assert.deepEqual(commit(generationId + 1, leader), [ErrorCode.NONE]);
  });

  test('a static member replaced by a new instance is fenced', () => {
    const h = new ShardHarness();
    const first = h.join({ groupInstanceId: 'i1' });
    h.advance(0);
    const { memberId, generationId } = first.answer() as { memberId: string; generationId: number };
    h.sync({ memberId, generationId, groupInstanceId: 'i1' });
    h.join({ groupInstanceId: 'i1' }); // the instance restarted: a new member id takes its place
    assert.deepEqual(
      errors(h.txnCommit({ generationId, memberId, groupInstanceId: 'i1', topics: [txnTopic('t', [0, 1n])] })),
      [ErrorCode.FENCED_INSTANCE_ID],
    );
  });

  test('metadata longer than offset.metadata.max.bytes is refused per partition', () => {
    const h = new ShardHarness({ offsetMetadataMaxBytes: 5 });
    const response = h.txnCommit({ topics: [txnTopic('t', [0, 1n, 'x'.repeat(6)], [1, 2n, null])] });
    assert.deepEqual(errors(response), [ErrorCode.OFFSET_METADATA_TOO_LARGE, ErrorCode.NONE]);
    assert.equal(h.log.length, 1);
    h.endTxn('COMMIT');
    assert.equal(fetched(h, 't', 0).offset, -1n);
    assert.equal(h.shard.group('group')?.offset('t', 1)?.metadata, '', 'null metadata is stored as ""');
  });

  test('a failed append leaves nothing pending and no group', () => {
    const h = new ShardHarness();
    h.failNextAppend = notLeader();
    assert.deepEqual(errors(h.txnCommit({ topics: [txnTopic('t', [0, 1n], [1, 2n, 'x'.repeat(5000)])] })), [
      ErrorCode.NOT_COORDINATOR,
      ErrorCode.OFFSET_METADATA_TOO_LARGE,
    ]);
    assert.equal(h.shard.group('group'), undefined);
    h.commit({ topics: [topic('t', [0, 1n])] });
    h.failNextAppend = new KafkaError(ErrorCode.INVALID_PRODUCER_EPOCH, 'fenced');
    assert.deepEqual(
      errors(h.txnCommit({ topics: [txnTopic('t', [0, 2n])] })),
      [ErrorCode.INVALID_PRODUCER_EPOCH],
      'a fenced producer is told so, as Kafka passes the log error through',
    );
    assert.deepEqual(fetched(h, 't', 0, true), { offset: 1n, errorCode: ErrorCode.NONE });
    h.endTxn('COMMIT');
    assert.equal(fetched(h, 't', 0).offset, 1n);
  });
});

describe('loading transactional offsets', () => {
  test('records and markers rebuild committed and pending offsets; an unfinished transaction stays pending', () => {
    const h = new ShardHarness();
    h.txnCommit({ producerId: 1, topics: [txnTopic('t', [0, 10n])] });
    h.txnCommit({ producerId: 2, topics: [txnTopic('t', [1, 20n])] });
    h.txnCommit({ producerId: 3, groupId: 'other', topics: [txnTopic('t', [0, 30n])] });
    h.endTxn('COMMIT', 1);
    h.endTxn('ABORT', 2);
    h.txnCommit({ producerId: 1, topics: [txnTopic('t', [0, 11n])] }); // its next transaction, still open
    const restarted = h.restart();
    assert.equal(fetched(h, 't', 0).offset, 10n);
    assert.deepEqual(fetched(h, 't', 0, true).errorCode, ErrorCode.UNSTABLE_OFFSET_COMMIT);
    assert.deepEqual(fetched(h, 't', 1, true), { offset: -1n, errorCode: ErrorCode.NONE });
    assert.deepEqual(fetched(h, 't', 0, true, 'other'), { offset: -1n, errorCode: ErrorCode.UNSTABLE_OFFSET_COMMIT });
    assert.equal(restarted.group('other')?.state, GroupState.Empty, 'a pending commit creates the group');
    // The open transactions complete after loading, as their markers arrive.
    h.endTxn('COMMIT', 1);
    h.endTxn('COMMIT', 3);
    assert.deepEqual(fetched(h, 't', 0, true), { offset: 11n, errorCode: ErrorCode.NONE });
    assert.deepEqual(fetched(h, 't', 0, true, 'other'), { offset: 30n, errorCode: ErrorCode.NONE });
    h.restart();
    assert.equal(fetched(h, 't', 0, true).offset, 11n);
    assert.equal(fetched(h, 't', 0, true, 'other').offset, 30n);
  });
});

describe('expiry and deletion with pending transactional offsets', () => {
  test('a group tombstone keeps a simple group for the pending offsets written after it', () => {
    const h = new ShardHarness();
    h.stableGroup(1);
    h.txnCommit({ topics: [txnTopic('t', [0, 5n])] });
    const record = groupMetadataTombstone('group');
    h.entries.push({
      type: 'record',
      ...record,
      offset: h.entries.length,
      producerId: -1,
      producerEpoch: -1,
      transactional: false,
    });
    h.restart();
    const group = h.shard.group('group');
    assert.equal(group?.protocolType, undefined, 'a simple group now');
    assert.equal(fetched(h, 't', 0, true).errorCode, ErrorCode.UNSTABLE_OFFSET_COMMIT);
    h.endTxn('COMMIT');
    assert.equal(fetched(h, 't', 0).offset, 5n);
  });

  test('an offset with a pending commit does not expire, nor is its group deleted, until the transaction ends', () => {
    const h = new ShardHarness({ offsetsRetentionMinutes: 60, offsetsRetentionCheckIntervalMs: 60_000 });
    h.commit({ topics: [topic('t', [0, 1n], [1, 2n])] });
    h.txnCommit({ topics: [txnTopic('t', [0, 5n])] });
    h.txnCommit({ groupId: 'pending-only', topics: [txnTopic('t', [0, 5n])] });
    h.advance(61 * 60_000);
    assert.equal(fetched(h, 't', 0).offset, 1n, 'kept while a transaction may still commit over it');
    assert.equal(fetched(h, 't', 1).offset, -1n, 'no pending commit: expired');
    assert.notEqual(h.shard.group('group'), undefined);
    assert.notEqual(h.shard.group('pending-only'), undefined);
    h.endTxn('ABORT');
    h.advance(60_000);
    assert.equal(h.shard.group('group'), undefined, 'expired and deleted once the transaction ended');
    assert.equal(h.shard.group('pending-only'), undefined, 'nothing left: deleted too');
  });

  test('DeleteGroups deletes pending offsets too (as Kafka); the marker then commits nothing', () => {
    const h = new ShardHarness();
    h.commit({ topics: [topic('t', [0, 1n])] });
    h.txnCommit({ topics: [txnTopic('t', [0, 5n], [1, 6n])] });
    assert.deepEqual(h.settle(h.shard.deleteGroups(h.nowMs, ['group'])), [
      { groupId: 'group', errorCode: ErrorCode.NONE },
    ]);
    const written = h.log.slice(-3).map((r) => decodeGroupCoordinatorRecord(r));
    assert.deepEqual(
      written.map((r) => (r.type === 'offset-commit' ? [r.key.partition, r.value] : [r.type])),
      [[0, null], [1, null], ['group-metadata']],
      'one tombstone per partition, committed or pending',
    );
    assert.equal(h.shard.group('group'), undefined);
    h.endTxn('COMMIT');
    assert.equal(h.shard.group('group'), undefined);
    h.restart();
    assert.equal(h.shard.group('group'), undefined);
  });

  test('OffsetDelete writes a tombstone for a partition with only a pending offset', () => {
    const h = new ShardHarness();
    h.txnCommit({ topics: [txnTopic('t', [0, 5n])] });
    const response = h.settle(
      h.shard.deleteOffsets(h.nowMs, 'group', [{ name: 't', partitions: [{ partitionIndex: 0 }] }]),
    );
    assert.equal(response.errorCode, ErrorCode.NONE);
    assert.deepEqual(fetched(h, 't', 0, true), { offset: -1n, errorCode: ErrorCode.NONE });
    h.endTxn('COMMIT');
    assert.equal(fetched(h, 't', 0).offset, -1n);
    h.restart();
    assert.equal(fetched(h, 't', 0).offset, -1n);
  });
});
