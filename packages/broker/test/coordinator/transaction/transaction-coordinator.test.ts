import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { ErrorCode } from '@samsa/protocol';
import { TransactionCoordinator } from '../../../src/coordinator/transaction/transaction-coordinator.js';
import {
  decodeTransactionLogRecord,
  transactionLogRecord,
} from '../../../src/coordinator/transaction/transaction-log-record.js';
import type { TransactionMetadata } from '../../../src/coordinator/transaction/transaction-metadata.js';
import { TransactionState } from '../../../src/coordinator/transaction/transaction-state.js';
import { TransactionVersion } from '../../../src/coordinator/transaction/transaction-version.js';
import type { TxnMarkerRequest, TxnMarkerWriter } from '../../../src/coordinator/transaction/txn-marker-writer.js';
import { InMemoryCoordinatorLog } from '../group/support/in-memory-coordinator-log.js';

/** Records the markers asked for; `hold` keeps them pending until `release`. */
class RecordingMarkers implements TxnMarkerWriter {
  readonly written: TxnMarkerRequest[] = [];
  private held: (() => void)[] | undefined;
  private waiters: (() => void)[] = [];

  async write(request: TxnMarkerRequest, stillWanted: () => boolean): Promise<boolean> {
    if (this.held !== undefined) await new Promise<void>((resolve) => this.held?.push(resolve));
    if (!stillWanted()) return false;
    this.written.push(request);
    for (const w of this.waiters.splice(0)) w();
    return true;
  }

  hold(): void {
    this.held = [];
  }

  release(): void {
    const held = this.held ?? [];
    this.held = undefined;
    for (const r of held) r();
  }

  close(): void {}
}

const PARTITIONS = 3;
const TOPIC_A = { topic: 'a', partition: 0 };
const TOPIC_B = { topic: 'b', partition: 1 };

async function setup(nowMs = () => Date.now()) {
  const log = new InMemoryCoordinatorLog();
  const markers = new RecordingMarkers();
  let nextProducerId = 1000;
  const coordinator = new TransactionCoordinator({
    log,
    markers,
    config: { transactionStateLogNumPartitions: PARTITIONS, transactionalIdExpirationMs: 60_000 },
    generateProducerId: async () => nextProducerId++,
    nowMs,
  });
  for (let p = 0; p < PARTITIONS; p++) await coordinator.onElection(p, 7);
  return { log, markers, coordinator };
}

/** The last state written for `id` to the log. */
function lastWritten(log: InMemoryCoordinatorLog, coordinator: TransactionCoordinator, id: string) {
  const records = log.records(coordinator.partitionFor(id)).map(decodeTransactionLogRecord);
  const last = records.filter((r) => r.transactionalId === id).pop();
  assert.ok(last !== undefined, `nothing written for ${id}`);
  return last;
}

/** Waits until the coordinator's background completion has run. */
async function settle(): Promise<void> {
  for (let i = 0; i < 10; i++) await new Promise((resolve) => setImmediate(resolve));
}

describe('TransactionCoordinator', () => {
  it('binds a new transactional id to a producer id at epoch 0, written as Empty', async () => {
    const { log, coordinator } = await setup();
    const result = await coordinator.initProducerId('t1', 60_000, undefined);
    assert.deepEqual(result, { errorCode: ErrorCode.NONE, producerId: 1000, producerEpoch: 0 });
    const written = lastWritten(log, coordinator, 't1');
    assert.equal(written.metadata?.state, TransactionState.Empty);
    assert.equal(written.metadata?.txnTimeoutMs, 60_000);
  });

  it('a second InitProducerId bumps the epoch and fences the first instance', async () => {
    const { coordinator } = await setup();
    await coordinator.initProducerId('t1', 60_000, undefined);
    const second = await coordinator.initProducerId('t1', 60_000, undefined);
    assert.deepEqual(second, { errorCode: ErrorCode.NONE, producerId: 1000, producerEpoch: 1 });
    assert.equal(await coordinator.addPartitions('t1', 1000, 0, [TOPIC_A]), ErrorCode.PRODUCER_FENCED);
    assert.equal(await coordinator.addPartitions('t1', 1000, 1, [TOPIC_A]), ErrorCode.NONE);
  });

  it('commits: PrepareCommit answered, markers with the coordinator epoch, then CompleteCommit', async () => {
    const { log, markers, coordinator } = await setup();
    await coordinator.initProducerId('t1', 60_000, undefined);
    assert.equal(await coordinator.addPartitions('t1', 1000, 0, [TOPIC_B, TOPIC_A]), ErrorCode.NONE);
    assert.equal(coordinator.describe('t1').metadata?.state, TransactionState.Ongoing);
    markers.hold();
    assert.equal((await coordinator.endTransaction('t1', 1000, 0, true)).errorCode, ErrorCode.NONE);
    assert.equal(lastWritten(log, coordinator, 't1').metadata?.state, TransactionState.PrepareCommit);
    // While the markers are out, the producer cannot start the next transaction.
    assert.equal(await coordinator.addPartitions('t1', 1000, 0, [TOPIC_A]), ErrorCode.CONCURRENT_TRANSACTIONS);
    assert.equal((await coordinator.endTransaction('t1', 1000, 0, true)).errorCode, ErrorCode.CONCURRENT_TRANSACTIONS);
    markers.release();
    await settle();
    assert.deepEqual(markers.written, [
      {
        transactionalId: 't1',
        producerId: 1000,
        producerEpoch: 0,
        result: 'COMMIT',
        coordinatorEpoch: 7,
        partitions: [TOPIC_A, TOPIC_B],
      },
    ]);
    const completed = lastWritten(log, coordinator, 't1').metadata;
    assert.equal(completed?.state, TransactionState.CompleteCommit);
    assert.deepEqual(completed?.partitions, []);
    // A retried commit succeeds; an abort of the committed transaction is refused.
    assert.equal((await coordinator.endTransaction('t1', 1000, 0, true)).errorCode, ErrorCode.NONE);
    assert.equal((await coordinator.endTransaction('t1', 1000, 0, false)).errorCode, ErrorCode.INVALID_TXN_STATE);
    // The next transaction starts from CompleteCommit.
    assert.equal(await coordinator.addPartitions('t1', 1000, 0, [TOPIC_B]), ErrorCode.NONE);
    assert.deepEqual(coordinator.describe('t1').metadata?.partitions, [TOPIC_B]);
  });

  it('a new instance during an open transaction aborts it with a bumped epoch before getting its own', async () => {
    const { markers, coordinator } = await setup();
    await coordinator.initProducerId('t1', 60_000, undefined);
    await coordinator.addPartitions('t1', 1000, 0, [TOPIC_A]);
    markers.hold();
    const during = await coordinator.initProducerId('t1', 60_000, undefined);
    assert.equal(during.errorCode, ErrorCode.CONCURRENT_TRANSACTIONS);
    // The old instance is fenced at once.
    assert.equal((await coordinator.endTransaction('t1', 1000, 0, true)).errorCode, ErrorCode.PRODUCER_FENCED);
    markers.release();
    await settle();
    assert.equal(markers.written[0]?.result, 'ABORT');
    assert.equal(markers.written[0]?.producerEpoch, 1);
    const after = await coordinator.initProducerId('t1', 60_000, undefined);
    assert.deepEqual(after, { errorCode: ErrorCode.NONE, producerId: 1000, producerEpoch: 2 });
  });

  it('aborts a transaction that outlives its timeout and fences its producer', async () => {
    let now = 1_000_000;
    const { markers, coordinator } = await setup(() => now);
    await coordinator.initProducerId('t1', 10_000, undefined);
    await coordinator.addPartitions('t1', 1000, 0, [TOPIC_A]);
    now += 5_000;
    coordinator.abortTimedOutTransactions();
    await settle();
    assert.equal(markers.written.length, 0, 'not yet timed out');
    now += 6_000;
    coordinator.abortTimedOutTransactions();
    await settle();
    assert.equal(markers.written[0]?.result, 'ABORT');
    assert.equal(markers.written[0]?.producerEpoch, 1);
    assert.equal(coordinator.describe('t1').metadata?.state, TransactionState.CompleteAbort);
    assert.equal((await coordinator.endTransaction('t1', 1000, 0, true)).errorCode, ErrorCode.PRODUCER_FENCED);
  });

  it('a coordinator that loads a prepared transaction sends its markers and completes it', async () => {
    const { log, markers, coordinator } = await setup();
    await coordinator.initProducerId('t1', 60_000, undefined);
    await coordinator.addPartitions('t1', 1000, 0, [TOPIC_A]);
    markers.hold();
    await coordinator.endTransaction('t1', 1000, 0, false);
    // This broker loses the partition before the markers went out; another one loads it.
    coordinator.onResignation(coordinator.partitionFor('t1'));
    markers.release();
    await settle();
    assert.equal(markers.written.length, 0, 'a resigned coordinator sends nothing');
    const successor = new TransactionCoordinator({
      log,
      markers,
      config: { transactionStateLogNumPartitions: PARTITIONS },
      generateProducerId: async () => 2000,
    });
    await successor.onElection(successor.partitionFor('t1'), 8);
    await settle();
    assert.equal(markers.written[0]?.result, 'ABORT');
    assert.equal(markers.written[0]?.coordinatorEpoch, 8);
    assert.equal(successor.describe('t1').metadata?.state, TransactionState.CompleteAbort);
    assert.equal(successor.describe('t1').metadata?.producerId, 1000);
  });

  it('answers requests for ids it does not coordinate, unknown ids and bad timeouts as Kafka', async () => {
    const { coordinator } = await setup();
    assert.equal(
      (await coordinator.initProducerId('t1', 900_001, undefined)).errorCode,
      ErrorCode.INVALID_TRANSACTION_TIMEOUT,
    );
    assert.equal(await coordinator.addPartitions('nobody', 5, 0, [TOPIC_A]), ErrorCode.INVALID_PRODUCER_ID_MAPPING);
    assert.equal(coordinator.describe('nobody').errorCode, ErrorCode.TRANSACTIONAL_ID_NOT_FOUND);
    await coordinator.initProducerId('t1', 60_000, undefined);
    assert.equal(await coordinator.addPartitions('t1', 999, 0, [TOPIC_A]), ErrorCode.INVALID_PRODUCER_ID_MAPPING);
    assert.equal((await coordinator.endTransaction('t1', 1000, 0, true)).errorCode, ErrorCode.INVALID_TXN_STATE);
    coordinator.onResignation(coordinator.partitionFor('t1'));
    assert.equal(await coordinator.addPartitions('t1', 1000, 0, [TOPIC_A]), ErrorCode.NOT_COORDINATOR);
  });

  it('a failed write changes nothing and is answered COORDINATOR_NOT_AVAILABLE or NOT_COORDINATOR', async () => {
    const { log, coordinator } = await setup();
    await coordinator.initProducerId('t1', 60_000, undefined);
    const { KafkaError } = await import('@samsa/protocol');
    log.failAppends = new KafkaError(ErrorCode.NOT_ENOUGH_REPLICAS, 'isr too small');
    assert.equal(await coordinator.addPartitions('t1', 1000, 0, [TOPIC_A]), ErrorCode.COORDINATOR_NOT_AVAILABLE);
    assert.equal(coordinator.describe('t1').metadata?.state, TransactionState.Empty);
    log.failAppends = new KafkaError(ErrorCode.NOT_LEADER_OR_FOLLOWER, 'moved');
    assert.equal(await coordinator.addPartitions('t1', 1000, 0, [TOPIC_A]), ErrorCode.NOT_COORDINATOR);
  });

  it('KIP-360: a producer bumping its own epoch must present the current one; a retry gets the same answer', async () => {
    const { coordinator } = await setup();
    await coordinator.initProducerId('t1', 60_000, undefined);
    const bumped = await coordinator.initProducerId('t1', 60_000, { producerId: 1000, producerEpoch: 0 });
    assert.deepEqual(bumped, { errorCode: ErrorCode.NONE, producerId: 1000, producerEpoch: 1 });
    const retried = await coordinator.initProducerId('t1', 60_000, { producerId: 1000, producerEpoch: 0 });
    assert.deepEqual(retried, { errorCode: ErrorCode.NONE, producerId: 1000, producerEpoch: 1 });
    const stale = await coordinator.initProducerId('t1', 60_000, { producerId: 1000, producerEpoch: 5 });
    assert.equal(stale.errorCode, ErrorCode.PRODUCER_FENCED);
  });

  it('KIP-890 verification: NONE in the transaction, TRANSACTION_ABORTABLE outside it, CONCURRENT_TRANSACTIONS while ending', async () => {
    const { markers, coordinator } = await setup();
    await coordinator.initProducerId('t1', 60_000, undefined);
    // No transaction yet (Empty): nothing is in it.
    assert.equal(coordinator.verifyPartition('t1', 1000, 0, TOPIC_A), ErrorCode.TRANSACTION_ABORTABLE);
    await coordinator.addPartitions('t1', 1000, 0, [TOPIC_A]);
    assert.equal(coordinator.verifyPartition('t1', 1000, 0, TOPIC_A), ErrorCode.NONE);
    assert.equal(coordinator.verifyPartition('t1', 1000, 0, TOPIC_B), ErrorCode.TRANSACTION_ABORTABLE);
    assert.equal(coordinator.verifyPartition('t1', 1000, 1, TOPIC_A), ErrorCode.PRODUCER_FENCED);
    assert.equal(coordinator.verifyPartition('t1', 999, 0, TOPIC_A), ErrorCode.INVALID_PRODUCER_ID_MAPPING);
    assert.equal(coordinator.verifyPartition('unknown', 1000, 0, TOPIC_A), ErrorCode.INVALID_PRODUCER_ID_MAPPING);
    markers.hold();
    await coordinator.endTransaction('t1', 1000, 0, false);
    assert.equal(coordinator.verifyPartition('t1', 1000, 0, TOPIC_A), ErrorCode.CONCURRENT_TRANSACTIONS);
    markers.release();
    await settle();
    // A late batch of the aborted transaction may not start a new one (the hanging transaction).
    assert.equal(coordinator.describe('t1').metadata?.state, TransactionState.CompleteAbort);
    assert.equal(coordinator.verifyPartition('t1', 1000, 0, TOPIC_A), ErrorCode.TRANSACTION_ABORTABLE);
  });

  it('lists and filters transactions; removes ids idle beyond transactional.id.expiration.ms', async () => {
    let now = 1_000_000;
    const { log, coordinator } = await setup(() => now);
    await coordinator.initProducerId('idle', 60_000, undefined);
    await coordinator.initProducerId('busy', 60_000, undefined);
    await coordinator.addPartitions('busy', 1001, 0, [TOPIC_A]);
    const all = coordinator.list({ states: [], producerIds: [], minDurationMs: -1 });
    assert.deepEqual(all.transactions.map((t) => `${t.transactionalId}:${t.state}`).sort(), [
      'busy:Ongoing',
      'idle:Empty',
    ]);
    const ongoing = coordinator.list({ states: ['Ongoing'], producerIds: [], minDurationMs: -1 });
    assert.deepEqual(
      ongoing.transactions.map((t) => t.transactionalId),
      ['busy'],
    );
    const byProducer = coordinator.list({ states: [], producerIds: [1000], minDurationMs: -1 });
    assert.deepEqual(
      byProducer.transactions.map((t) => t.transactionalId),
      ['idle'],
    );
    now += 61_000;
    coordinator.removeExpiredTransactionalIds();
    await settle();
    assert.equal(coordinator.describe('idle').errorCode, ErrorCode.TRANSACTIONAL_ID_NOT_FOUND);
    assert.equal(lastWritten(log, coordinator, 'idle').metadata, null, 'a tombstone');
    assert.equal(coordinator.describe('busy').errorCode, ErrorCode.NONE, 'an open transaction is never expired');
  });
});

describe('TransactionCoordinator, transaction version 2 (EndTxn v5, KIP-890 part 2)', () => {
  const TV2 = TransactionVersion.TV_2;
  const ok = (producerId: number, producerEpoch: number) => ({ errorCode: ErrorCode.NONE, producerId, producerEpoch });

  /** All states written for `id`, oldest first, with each value's record version. */
  function written(log: InMemoryCoordinatorLog, coordinator: TransactionCoordinator, id: string) {
    return log
      .records(coordinator.partitionFor(id))
      .map((record) => ({ ...decodeTransactionLogRecord(record), valueVersion: record.value?.readInt16BE(0) }))
      .filter((r) => r.transactionalId === id);
  }

  /** Puts `metadata` in the log as if written long ago, and has the coordinator load it. */
  async function preload(
    log: InMemoryCoordinatorLog,
    coordinator: TransactionCoordinator,
    metadata: TransactionMetadata,
  ) {
    const partition = coordinator.partitionFor(metadata.transactionalId);
    coordinator.onResignation(partition);
    await log.append(partition, [transactionLogRecord(metadata)]);
    await coordinator.onElection(partition, 8);
  }

  /** Producer 500 one bump away from its epoch's end, between two TV_2 transactions. */
  const nearlyExhausted: TransactionMetadata = {
    transactionalId: 't1',
    producerId: 500,
    previousProducerId: -1,
    nextProducerId: -1,
    producerEpoch: 32766,
    lastProducerEpoch: -1,
    clientTransactionVersion: TransactionVersion.TV_2,
    txnTimeoutMs: 60_000,
    state: TransactionState.CompleteCommit,
    partitions: [],
    txnStartTimestampMs: -1,
    txnLastUpdateTimestampMs: Date.now(),
  };

  it('bumps the epoch at every commit and abort: markers at the new epoch, the answer carries it', async () => {
    const { log, markers, coordinator } = await setup();
    await coordinator.initProducerId('t1', 60_000, undefined);
    await coordinator.addPartitions('t1', 1000, 0, [TOPIC_A]);
    assert.deepEqual(await coordinator.endTransaction('t1', 1000, 0, true, TV2), ok(1000, 1));
    await settle();
    assert.equal(markers.written[0]?.result, 'COMMIT');
    assert.equal(markers.written[0]?.producerEpoch, 1, 'the markers fence epoch 0 on the partitions');
    const [, , prepare, complete] = written(log, coordinator, 't1');
    assert.equal(prepare?.metadata?.state, TransactionState.PrepareCommit);
    assert.equal(prepare?.metadata?.producerEpoch, 1);
    assert.equal(prepare?.metadata?.clientTransactionVersion, TV2);
    assert.equal(prepare?.valueVersion, 1, 'flexible value, for the tagged fields');
    assert.equal(complete?.metadata?.state, TransactionState.CompleteCommit);
    assert.equal(complete?.metadata?.producerEpoch, 1);
    // The old epoch is fenced; the next transaction runs at the new one, and its abort bumps again.
    assert.equal(await coordinator.addPartitions('t1', 1000, 0, [TOPIC_B]), ErrorCode.PRODUCER_FENCED);
    assert.equal(await coordinator.addPartitions('t1', 1000, 1, [TOPIC_B]), ErrorCode.NONE);
    assert.deepEqual(await coordinator.endTransaction('t1', 1000, 1, false, TV2), ok(1000, 2));
    await settle();
    assert.deepEqual(
      markers.written.map((m) => [m.result, m.producerEpoch, m.partitions]),
      [
        ['COMMIT', 1, [TOPIC_A]],
        ['ABORT', 2, [TOPIC_B]],
      ],
    );
    assert.equal(coordinator.describe('t1').metadata?.producerEpoch, 2, 'DescribeTransactions shows the bump');
    // A v4 client on the same id keeps its epoch, as before.
    await coordinator.addPartitions('t1', 1000, 2, [TOPIC_A]);
    assert.deepEqual(await coordinator.endTransaction('t1', 1000, 2, true), ok(1000, 2));
  });

  it('a retry with the epoch before the bump: CONCURRENT_TRANSACTIONS while prepared, the outcome once complete', async () => {
    const { markers, coordinator } = await setup();
    await coordinator.initProducerId('t1', 60_000, undefined);
    await coordinator.addPartitions('t1', 1000, 0, [TOPIC_A]);
    markers.hold();
    assert.deepEqual(await coordinator.endTransaction('t1', 1000, 0, true, TV2), ok(1000, 1));
    // The answer was lost; the producer retries at epoch 0.
    assert.equal(
      (await coordinator.endTransaction('t1', 1000, 0, true, TV2)).errorCode,
      ErrorCode.CONCURRENT_TRANSACTIONS,
    );
    assert.equal((await coordinator.endTransaction('t1', 1000, 0, false, TV2)).errorCode, ErrorCode.INVALID_TXN_STATE);
    assert.equal((await coordinator.endTransaction('t1', 1000, 1, true, TV2)).errorCode, ErrorCode.PRODUCER_FENCED);
    // A producer that got the answer waits for the completion before its next transaction.
    assert.equal(await coordinator.addPartitions('t1', 1000, 1, [TOPIC_A]), ErrorCode.CONCURRENT_TRANSACTIONS);
    markers.release();
    await settle();
    assert.deepEqual(await coordinator.endTransaction('t1', 1000, 0, true, TV2), ok(1000, 1));
    assert.equal((await coordinator.endTransaction('t1', 1000, 0, false, TV2)).errorCode, ErrorCode.INVALID_TXN_STATE);
    // At the current epoch there is no transaction to end; older epochs are fenced.
    assert.equal((await coordinator.endTransaction('t1', 1000, 1, true, TV2)).errorCode, ErrorCode.INVALID_TXN_STATE);
    assert.equal((await coordinator.endTransaction('t1', 1000, 2, true, TV2)).errorCode, ErrorCode.PRODUCER_FENCED);
    await coordinator.addPartitions('t1', 1000, 1, [TOPIC_A]);
    await coordinator.endTransaction('t1', 1000, 1, true, TV2);
    await settle();
    assert.equal((await coordinator.endTransaction('t1', 1000, 0, true, TV2)).errorCode, ErrorCode.PRODUCER_FENCED);
  });

  it('an exhausted epoch: markers at 32767 with the old producer id, then the next producer id at epoch 0', async () => {
    const { log, markers, coordinator } = await setup();
    await preload(log, coordinator, nearlyExhausted);
    assert.equal(await coordinator.addPartitions('t1', 500, 32766, [TOPIC_A]), ErrorCode.NONE);
    markers.hold();
    assert.deepEqual(await coordinator.endTransaction('t1', 500, 32766, true, TV2), ok(1000, 0));
    const prepare = written(log, coordinator, 't1').pop()?.metadata;
    assert.equal(prepare?.state, TransactionState.PrepareCommit);
    assert.deepEqual([prepare?.producerId, prepare?.producerEpoch, prepare?.nextProducerId], [500, 32767, 1000]);
    // Until the completion: the new id waits, the old one's retry too.
    assert.equal(await coordinator.addPartitions('t1', 1000, 0, [TOPIC_A]), ErrorCode.CONCURRENT_TRANSACTIONS);
    assert.equal(coordinator.verifyPartition('t1', 1000, 0, TOPIC_A), ErrorCode.CONCURRENT_TRANSACTIONS);
    assert.equal(
      (await coordinator.endTransaction('t1', 500, 32766, true, TV2)).errorCode,
      ErrorCode.CONCURRENT_TRANSACTIONS,
    );
    markers.release();
    await settle();
    assert.deepEqual(
      markers.written.map((m) => [m.producerId, m.producerEpoch]),
      [[500, 32767]],
    );
    const complete = written(log, coordinator, 't1').pop()?.metadata;
    assert.equal(complete?.state, TransactionState.CompleteCommit);
    assert.deepEqual(
      [complete?.producerId, complete?.producerEpoch, complete?.previousProducerId, complete?.nextProducerId],
      [1000, 0, 500, -1],
    );
    // A retry with the old id and epoch gets the new ones; the old id is otherwise gone.
    assert.deepEqual(await coordinator.endTransaction('t1', 500, 32766, true, TV2), ok(1000, 0));
    assert.equal(await coordinator.addPartitions('t1', 500, 32767, [TOPIC_A]), ErrorCode.INVALID_PRODUCER_ID_MAPPING);
    assert.equal(await coordinator.addPartitions('t1', 1000, 0, [TOPIC_A]), ErrorCode.NONE);
  });

  it('a new coordinator replays it all from the log, tagged fields included', async () => {
    const { log, markers, coordinator } = await setup();
    await preload(log, coordinator, nearlyExhausted);
    await coordinator.addPartitions('t1', 500, 32766, [TOPIC_A]);
    markers.hold();
    await coordinator.endTransaction('t1', 500, 32766, false, TV2);
    coordinator.onResignation(coordinator.partitionFor('t1'));
    markers.release();
    await settle();
    assert.equal(markers.written.length, 0);
    // The successor loads PrepareAbort with NextProducerId, sends the markers and moves to it.
    const successor = new TransactionCoordinator({
      log,
      markers,
      config: { transactionStateLogNumPartitions: PARTITIONS },
      generateProducerId: async () => 2000,
    });
    await successor.onElection(successor.partitionFor('t1'), 9);
    await settle();
    assert.deepEqual(
      markers.written.map((m) => [m.result, m.producerId, m.producerEpoch, m.coordinatorEpoch]),
      [['ABORT', 500, 32767, 9]],
    );
    const loaded = successor.describe('t1').metadata;
    assert.equal(loaded?.state, TransactionState.CompleteAbort);
    assert.deepEqual(
      [loaded?.producerId, loaded?.producerEpoch, loaded?.previousProducerId, loaded?.clientTransactionVersion],
      [1000, 0, 500, TV2],
    );
    assert.deepEqual(await successor.endTransaction('t1', 500, 32766, false, TV2), ok(1000, 0));
    // An ordinary bump survives a move too: the last epoch is not stored, the rule needs none.
    await successor.addPartitions('t1', 1000, 0, [TOPIC_B]);
    await successor.endTransaction('t1', 1000, 0, true, TV2);
    await settle();
    const third = new TransactionCoordinator({
      log,
      markers,
      config: { transactionStateLogNumPartitions: PARTITIONS },
      generateProducerId: async () => 3000,
    });
    await third.onElection(third.partitionFor('t1'), 10);
    await settle();
    assert.equal(third.describe('t1').metadata?.state, TransactionState.CompleteCommit);
    assert.deepEqual(await third.endTransaction('t1', 1000, 0, true, TV2), ok(1000, 1));
    assert.equal(await third.addPartitions('t1', 1000, 1, [TOPIC_A]), ErrorCode.NONE);
    successor.close();
    third.close();
  });

  it('fencing and timeouts after TV_2 transactions: one bump each, and the fenced epoch is no retry', async () => {
    let now = 1_000_000;
    const { markers, coordinator } = await setup(() => now);
    await coordinator.initProducerId('t1', 10_000, undefined);
    await coordinator.addPartitions('t1', 1000, 0, [TOPIC_A]);
    await coordinator.endTransaction('t1', 1000, 0, true, TV2);
    await settle();
    // A new instance while the second transaction is open.
    await coordinator.addPartitions('t1', 1000, 1, [TOPIC_A]);
    assert.equal(
      (await coordinator.initProducerId('t1', 10_000, undefined)).errorCode,
      ErrorCode.CONCURRENT_TRANSACTIONS,
    );
    await settle();
    assert.equal(markers.written.at(-1)?.producerEpoch, 2);
    assert.equal((await coordinator.endTransaction('t1', 1000, 1, true, TV2)).errorCode, ErrorCode.PRODUCER_FENCED);
    assert.equal((await coordinator.endTransaction('t1', 1000, 1, false, TV2)).errorCode, ErrorCode.PRODUCER_FENCED);
    assert.deepEqual(await coordinator.initProducerId('t1', 10_000, undefined), ok(1000, 3));
    // A transaction of the new instance outlives its timeout.
    await coordinator.addPartitions('t1', 1000, 3, [TOPIC_B]);
    await coordinator.endTransaction('t1', 1000, 3, true, TV2);
    await settle();
    await coordinator.addPartitions('t1', 1000, 4, [TOPIC_B]);
    now += 11_000;
    coordinator.abortTimedOutTransactions();
    await settle();
    assert.deepEqual([markers.written.at(-1)?.result, markers.written.at(-1)?.producerEpoch], ['ABORT', 5]);
    assert.equal(coordinator.describe('t1').metadata?.state, TransactionState.CompleteAbort);
    assert.equal(coordinator.describe('t1').metadata?.producerEpoch, 5);
    assert.equal((await coordinator.endTransaction('t1', 1000, 4, true, TV2)).errorCode, ErrorCode.PRODUCER_FENCED);
    assert.equal((await coordinator.endTransaction('t1', 1000, 4, false, TV2)).errorCode, ErrorCode.PRODUCER_FENCED);
  });
});
