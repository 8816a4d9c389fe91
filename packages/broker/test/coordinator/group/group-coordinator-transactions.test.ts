/**
 * The runtime's side of transactions: TxnOffsetCommit appended as the producer's transactional
 * batch, `onTransactionCompleted` applied as an operation of the partition (also when it arrives
 * while the partition loads), loading records and markers, and the errors of the runtime.
 */
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { ErrorCode, KafkaError } from '@samsa/protocol';
import type { CoordinatorLogEntry } from '../../../src/coordinator/coordinator-log.js';
import { GroupCoordinator } from '../../../src/coordinator/group/group-coordinator.js';
import type { TxnOffsetCommitArgs } from '../../../src/coordinator/group/offset-metadata-manager.js';
import { InMemoryCoordinatorLog } from './support/in-memory-coordinator-log.js';
import { ManualScheduler, settle } from './support/manual-scheduler.js';

function setup(log = new InMemoryCoordinatorLog()) {
  const coordinator = new GroupCoordinator({
    log,
    scheduler: new ManualScheduler(),
    config: { offsetsTopicNumPartitions: 1, groupInitialRebalanceDelayMs: 0 },
  });
  return { coordinator, log };
}

function txnArgs(offset: bigint, args: Partial<TxnOffsetCommitArgs> = {}): TxnOffsetCommitArgs {
  return {
    groupId: 'group',
    producerId: 7,
    producerEpoch: 1,
    generationId: -1,
    memberId: '',
    groupInstanceId: null,
    topics: [
      {
        name: 't',
        partitions: [{ partitionIndex: 0, committedOffset: offset, committedLeaderEpoch: -1, committedMetadata: null }],
      },
    ],
    ...args,
  };
}

async function fetched(coordinator: GroupCoordinator, requireStable: boolean) {
  const response = await coordinator.fetchOffsets('group', [{ name: 't', partitionIndexes: [0] }], requireStable);
  const p = response.topics?.[0]?.partitions?.[0];
  return [p?.committedOffset, p?.errorCode];
}

const errorOf = (topics: readonly { partitions?: readonly { errorCode?: number }[] }[]) =>
  topics[0]?.partitions?.[0]?.errorCode;

describe('GroupCoordinator and transactions', () => {
  test('TxnOffsetCommit is appended as a transactional batch; the marker makes it visible', async () => {
    const { coordinator, log } = setup();
    await coordinator.onElection(0);
    assert.equal(errorOf(await coordinator.commitTransactionalOffsets(txnArgs(5n))), ErrorCode.NONE);
    assert.deepEqual(
      log.records(0).map((r) => [r.transactional, r.producerId, r.producerEpoch]),
      [[true, 7, 1]],
    );
    assert.deepEqual(await fetched(coordinator, false), [-1n, ErrorCode.NONE]);
    assert.deepEqual(await fetched(coordinator, true), [-1n, ErrorCode.UNSTABLE_OFFSET_COMMIT]);
    log.appendMarker(0, 7, 1, 'COMMIT');
    await coordinator.onTransactionCompleted(0, 7, 1, 'COMMIT');
    assert.deepEqual(await fetched(coordinator, true), [5n, ErrorCode.NONE]);
    assert.equal(log.entries(0).length, 2, 'completing writes nothing');
  });

  test('a restart loads committed and pending offsets from records and markers', async () => {
    const { coordinator, log } = setup();
    await coordinator.onElection(0);
    await coordinator.commitTransactionalOffsets(txnArgs(5n));
    log.appendMarker(0, 7, 1, 'COMMIT');
    await coordinator.onTransactionCompleted(0, 7, 1, 'COMMIT');
    await coordinator.commitTransactionalOffsets(txnArgs(6n, { producerId: 8 }));
    await coordinator.close();

    const restarted = setup(log).coordinator;
    await restarted.onElection(0);
    assert.deepEqual(await fetched(restarted, false), [5n, ErrorCode.NONE]);
    assert.deepEqual(await fetched(restarted, true), [-1n, ErrorCode.UNSTABLE_OFFSET_COMMIT]);
    log.appendMarker(0, 8, 1, 'ABORT');
    await restarted.onTransactionCompleted(0, 8, 1, 'ABORT');
    assert.deepEqual(await fetched(restarted, true), [5n, ErrorCode.NONE]);
  });

  test('a completion for a partition this broker does not coordinate is ignored', async () => {
    const { coordinator, log } = setup();
    await coordinator.onTransactionCompleted(0, 7, 1, 'COMMIT');
    await coordinator.onElection(0);
    await coordinator.onResignation(0);
    await coordinator.onTransactionCompleted(0, 7, 1, 'COMMIT');
    assert.equal(log.entries(0).length, 0);
  });

  test('a marker loading did not read is applied once the partition is loaded', async () => {
    const written = new InMemoryCoordinatorLog();
    const writer = setup(written).coordinator;
    await writer.onElection(0);
    await writer.commitTransactionalOffsets(txnArgs(5n));
    await writer.close();

    let open: () => void = () => {};
    const gate = new Promise<void>((resolve) => {
      open = resolve;
    });
    /** Reads the log as it was when loading started, then waits: a marker appended meanwhile is not seen. */
    class SnapshotLog extends InMemoryCoordinatorLog {
      override async *readAll(partition: number): AsyncIterable<CoordinatorLogEntry> {
        const snapshot = [...this.entries(partition)];
        await gate;
        yield* snapshot;
      }
    }
    const log = new SnapshotLog();
    log.partitions.set(0, [...written.entries(0)]);
    const { coordinator } = setup(log);
    const loaded = coordinator.onElection(0);
    await settle();
    assert.equal(coordinator.partitionStatus(0), 'loading');
    assert.equal(
      errorOf(await coordinator.commitTransactionalOffsets(txnArgs(6n))),
      ErrorCode.COORDINATOR_LOAD_IN_PROGRESS,
    );
    log.appendMarker(0, 7, 1, 'COMMIT');
    const completed = coordinator.onTransactionCompleted(0, 7, 1, 'COMMIT');
    open();
    await Promise.all([loaded, completed]);
    assert.deepEqual(await fetched(coordinator, true), [5n, ErrorCode.NONE]);
  });

  test('errors: empty group id, not the coordinator, a fenced producer epoch', async () => {
    const { coordinator, log } = setup();
    assert.equal(errorOf(await coordinator.commitTransactionalOffsets(txnArgs(1n))), ErrorCode.NOT_COORDINATOR);
    await coordinator.onElection(0);
    assert.equal(
      errorOf(await coordinator.commitTransactionalOffsets(txnArgs(1n, { groupId: '' }))),
      ErrorCode.INVALID_GROUP_ID,
    );
    log.failAppends = new KafkaError(ErrorCode.INVALID_PRODUCER_EPOCH, 'epoch 1 is older than 2');
    assert.equal(errorOf(await coordinator.commitTransactionalOffsets(txnArgs(1n))), ErrorCode.INVALID_PRODUCER_EPOCH);
    log.failAppends = new KafkaError(ErrorCode.NOT_LEADER_OR_FOLLOWER, 'moved');
    assert.equal(errorOf(await coordinator.commitTransactionalOffsets(txnArgs(1n))), ErrorCode.NOT_COORDINATOR);
    log.failAppends = undefined;
    assert.deepEqual(await fetched(coordinator, true), [-1n, ErrorCode.NONE], 'nothing pending after failures');
  });
});
