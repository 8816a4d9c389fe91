import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, it } from 'node:test';
import { ErrorCode, KafkaError } from '@samsa/protocol';
import { producerSnapshotFile } from '../../src/util/log-file-utils.js';
import { markerBatch, rmDir, simpleBatch, tmpDir } from '../support/batches.js';
import { openLog, T0 } from '../support/log-helpers.js';

function code(err: unknown): number {
  assert.ok(err instanceof KafkaError, `expected KafkaError, got ${String(err)}`);
  return err.errorCode;
}

const PID = 1000;

function idem(count: number, baseSequence: number, producerEpoch = 0, extra = {}) {
  return simpleBatch(count, { producerId: PID, producerEpoch, baseSequence, timestamp: T0, ...extra });
}

describe('Log idempotent producers', () => {
  let dir: string;
  beforeEach(() => {
    dir = join(tmpDir(), 'topic-0');
  });
  afterEach(() => rmDir(join(dir, '..')));

  it('returns the original offsets for a retried batch without appending', async () => {
    const { log } = await openLog(dir);
    log.appendAsLeader(simpleBatch(2, { timestamp: T0 }), 0);
    const first = log.appendAsLeader(idem(3, 0), 0);
    log.appendAsLeader(idem(2, 3), 0);
    const size = log.size;
    const retry = log.appendAsLeader(idem(3, 0), 0);
    assert.equal(retry.duplicate, true);
    assert.equal(retry.firstOffset, first.firstOffset);
    assert.equal(retry.lastOffset, first.lastOffset);
    assert.equal(log.size, size);
    assert.equal(log.logEndOffset, 7);
    await log.close();
  });

  it('rejects sequence gaps, stale epochs and non-zero first sequence of a new epoch', async () => {
    const { log } = await openLog(dir);
    log.appendAsLeader(idem(2, 0), 0);
    assert.throws(
      () => log.appendAsLeader(idem(1, 5), 0),
      (e) => code(e) === ErrorCode.OUT_OF_ORDER_SEQUENCE_NUMBER,
    );
    assert.throws(
      () => log.appendAsLeader(idem(1, 3, 1), 0),
      (e) => code(e) === ErrorCode.OUT_OF_ORDER_SEQUENCE_NUMBER,
    );
    log.appendAsLeader(idem(1, 0, 1), 0);
    assert.throws(
      () => log.appendAsLeader(idem(1, 2, 0), 0),
      (e) => code(e) === ErrorCode.INVALID_PRODUCER_EPOCH,
    );
    assert.equal(log.logEndOffset, 3);
    const [p] = log.activeProducers();
    assert.deepEqual(p, {
      producerId: PID,
      producerEpoch: 1,
      lastSequence: 0,
      lastTimestamp: T0,
      coordinatorEpoch: -1,
      currentTxnStartOffset: -1,
    });
    await log.close();
  });

  it('rejects a whole request when a later batch fails, leaving log and producer state unchanged', async () => {
    const { log } = await openLog(dir);
    log.appendAsLeader(idem(1, 0), 0);
    const size = log.size;
    assert.throws(
      () => log.appendAsLeader(Buffer.concat([idem(1, 1), idem(1, 9)]), 0),
      (e) => code(e) === ErrorCode.OUT_OF_ORDER_SEQUENCE_NUMBER,
    );
    assert.equal(log.logEndOffset, 1);
    assert.equal(log.size, size);
    assert.equal(log.activeProducers()[0]?.lastSequence, 0);
    assert.equal(log.appendAsLeader(idem(1, 1), 0).firstOffset, 1);
    await log.close();
  });

  it('keeps producer state across a clean restart via the shutdown snapshot', async () => {
    const { log } = await openLog(dir, { segmentBytes: 400 });
    for (let s = 0; s < 10; s += 2) log.appendAsLeader(idem(2, s), 0);
    assert.ok(log.numberOfSegments > 1);
    await log.flush();
    await log.close();
    assert.ok(fs.existsSync(producerSnapshotFile(dir, 10)));
    const { log: again } = await openLog(dir, { segmentBytes: 400 }, { hadCleanShutdown: true });
    const retry = again.appendAsLeader(idem(2, 8), 0);
    assert.equal(retry.duplicate, true);
    assert.equal(retry.firstOffset, 8);
    assert.throws(
      () => again.appendAsLeader(idem(1, 11), 0),
      (e) => code(e) === ErrorCode.OUT_OF_ORDER_SEQUENCE_NUMBER,
    );
    await again.close();
  });

  it('rebuilds producer state after an unclean shutdown from a snapshot plus replay', async () => {
    const { log } = await openLog(dir, { segmentBytes: 400 });
    for (let s = 0; s < 10; s += 2) log.appendAsLeader(idem(2, s), 0);
    await log.flush();
    // Simulate a crash: no close(), so no snapshot at the log end; remove any at the end anyway.
    for (const name of fs.readdirSync(dir))
      if (name.endsWith('.snapshot') && name.startsWith('0000000000000000001')) fs.unlinkSync(join(dir, name));
    const { log: again } = await openLog(dir, { segmentBytes: 400 }, { recoveryPoint: 0 });
    assert.equal(again.logEndOffset, 10);
    const retry = again.appendAsLeader(idem(2, 8), 0);
    assert.equal(retry.duplicate, true);
    const next = again.appendAsLeader(idem(1, 10), 0);
    assert.equal(next.firstOffset, 10);
    await again.close();
    await log.close();
  });
});

describe('Log transactions', () => {
  let dir: string;
  beforeEach(() => {
    dir = join(tmpDir(), 'topic-0');
  });
  afterEach(() => rmDir(join(dir, '..')));

  const txn = (pid: number, seq: number, count = 2) =>
    simpleBatch(count, { producerId: pid, producerEpoch: 0, baseSequence: seq, transactional: true, timestamp: T0 });

  it('holds the LSO at the first ongoing transaction, indexes aborts, and collects them', async () => {
    const { log } = await openLog(dir);
    log.appendAsLeader(simpleBatch(2, { timestamp: T0 }), 0); // 0-1
    log.appendAsLeader(txn(1, 0), 0); // 2-3
    log.appendAsLeader(txn(2, 0), 0); // 4-5
    log.updateHighWatermark(log.logEndOffset);
    assert.equal(log.lastStableOffset, 2);
    log.appendAsLeader(markerBatch(false, { producerId: 1, producerEpoch: 0, coordinatorEpoch: 3 }), 0, 'coordinator'); // 6 abort
    log.updateHighWatermark(6);
    assert.equal(log.lastStableOffset, 2); // marker not yet below HW
    log.updateHighWatermark(log.logEndOffset);
    assert.equal(log.lastStableOffset, 4); // producer 2 still ongoing
    log.appendAsLeader(markerBatch(true, { producerId: 2, producerEpoch: 0 }), 0, 'coordinator'); // 7 commit
    log.updateHighWatermark(log.logEndOffset);
    assert.equal(log.lastStableOffset, 8);
    assert.deepEqual(log.collectAbortedTransactions(0, 8), [{ producerId: 1, firstOffset: 2 }]);
    assert.deepEqual(log.collectAbortedTransactions(7, 8), []);
    const aborted = log.activeSegment.txnIndex.allAbortedTxns();
    assert.deepEqual(aborted, [{ producerId: 1, firstOffset: 2, lastOffset: 6, lastStableOffset: 4 }]);
    // Zombie coordinator.
    log.appendAsLeader(txn(1, 2), 0);
    assert.throws(
      () =>
        log.appendAsLeader(
          markerBatch(true, { producerId: 1, producerEpoch: 0, coordinatorEpoch: 1 }),
          0,
          'coordinator',
        ),
      (e) => code(e) === ErrorCode.TRANSACTION_COORDINATOR_FENCED,
    );
    await log.close();
  });

  it('KIP-890 part 2: a marker at a higher epoch raises the producer epoch; the next transaction starts at sequence 0', async () => {
    const at = (epoch: number, seq: number) =>
      simpleBatch(2, { producerId: 1, producerEpoch: epoch, baseSequence: seq, transactional: true, timestamp: T0 });
    const { log } = await openLog(dir);
    log.appendAsLeader(at(0, 0), 0); // 0-1
    log.appendAsLeader(at(0, 2), 0); // 2-3
    // EndTxn v5 bumped the epoch: the coordinator writes the marker at epoch 1.
    log.appendAsLeader(markerBatch(true, { producerId: 1, producerEpoch: 1, coordinatorEpoch: 2 }), 0, 'coordinator'); // 4
    assert.deepEqual(
      log.activeProducers().map((p) => [p.producerEpoch, p.lastSequence, p.currentTxnStartOffset]),
      [[1, -1, -1]],
    );
    // A late batch of the committed transaction is fenced by the marker's epoch.
    assert.throws(
      () => log.appendAsLeader(at(0, 4), 0),
      (e) => code(e) === ErrorCode.INVALID_PRODUCER_EPOCH,
    );
    // The next transaction, at the new epoch, must start at sequence 0.
    assert.throws(
      () => log.appendAsLeader(at(1, 4), 0),
      (e) => code(e) === ErrorCode.OUT_OF_ORDER_SEQUENCE_NUMBER,
    );
    log.appendAsLeader(at(1, 0), 0); // 5-6
    log.appendAsLeader(at(1, 2), 0); // 7-8
    assert.deepEqual(
      log.activeProducers().map((p) => [p.producerEpoch, p.lastSequence, p.currentTxnStartOffset]),
      [[1, 3, 5]],
    );
    log.appendAsLeader(markerBatch(false, { producerId: 1, producerEpoch: 2, coordinatorEpoch: 2 }), 0, 'coordinator'); // 9
    log.updateHighWatermark(log.logEndOffset);
    assert.equal(log.lastStableOffset, 10);
    assert.deepEqual(log.collectAbortedTransactions(0, 10), [{ producerId: 1, firstOffset: 5 }]);
    // A marker below the producer's epoch is a zombie coordinator's.
    assert.throws(
      () =>
        log.appendAsLeader(
          markerBatch(true, { producerId: 1, producerEpoch: 1, coordinatorEpoch: 2 }),
          0,
          'coordinator',
        ),
      (e) => code(e) === ErrorCode.INVALID_PRODUCER_EPOCH,
    );
    await log.close();
  });

  it('rebuilds ongoing transactions and the txn index on recovery', async () => {
    const { log } = await openLog(dir);
    log.appendAsLeader(txn(1, 0), 0); // 0-1
    log.appendAsLeader(markerBatch(false, { producerId: 1, producerEpoch: 0 }), 0, 'coordinator'); // 2
    log.appendAsLeader(txn(2, 0), 0); // 3-4
    await log.flush();
    fs.unlinkSync(join(dir, '00000000000000000000.txnindex'));
    for (const name of fs.readdirSync(dir)) if (name.endsWith('.snapshot')) fs.unlinkSync(join(dir, name));
    const { log: again } = await openLog(dir, {}, { recoveryPoint: 0, highWatermark: 5 });
    assert.equal(again.lastStableOffset, 3);
    assert.deepEqual(again.collectAbortedTransactions(0, 5), [{ producerId: 1, firstOffset: 0 }]);
    await again.close();
    await log.close();
  });
});
