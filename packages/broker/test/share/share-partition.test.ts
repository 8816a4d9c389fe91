import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import {
  AcknowledgeType,
  RecordState,
  SharePartition,
  type SharePartitionConfig,
} from '../../src/share/share-partition.js';

const { AVAILABLE, ACQUIRED, ACKNOWLEDGED, ARCHIVED } = RecordState;
const { GAP, ACCEPT, RELEASE, REJECT } = AcknowledgeType;
const LOCK_MS = 30_000;

function config(overrides: Partial<SharePartitionConfig> = {}): SharePartitionConfig {
  return { recordLockDurationMs: LOCK_MS, deliveryCountLimit: 5, maxInFlightRecords: 2000, ...overrides };
}

function batch(baseOffset: number, lastOffset: number) {
  return { baseOffset, lastOffset };
}

function ack(firstOffset: number, lastOffset: number, ...acknowledgeTypes: number[]) {
  return { firstOffset, lastOffset, acknowledgeTypes };
}

describe('SharePartition acquire', () => {
  test('a fresh partition hands out every fetched offset with delivery count 1', () => {
    const sp = new SharePartition(0, config());
    assert.equal(sp.nextFetchOffset(), 0);
    assert.equal(sp.canAcquire(), true);
    const ranges = sp.acquire('m1', [batch(0, 4), batch(5, 9)], 100, 1_000);
    assert.deepEqual(ranges, [{ firstOffset: 0, lastOffset: 9, deliveryCount: 1 }]);
    assert.equal(sp.startOffset, 0);
    assert.equal(sp.endOffset, 10);
    assert.equal(sp.nextFetchOffset(), 10);
    assert.equal(sp.acquiredCount(), 10);
    assert.equal(sp.nextLockDeadlineMs(), 1_000 + LOCK_MS);
    assert.deepEqual(sp.inFlightRanges(), [{ firstOffset: 0, lastOffset: 9, state: ACQUIRED, deliveryCount: 1 }]);
  });

  test('maxRecords stops after the batch in which it was reached', () => {
    const sp = new SharePartition(0, config());
    const ranges = sp.acquire('m1', [batch(0, 2), batch(3, 5), batch(6, 8)], 4, 0);
    assert.deepEqual(ranges, [{ firstOffset: 0, lastOffset: 5, deliveryCount: 1 }]);
    assert.equal(sp.endOffset, 6);
    assert.equal(sp.nextFetchOffset(), 6);
    assert.equal(sp.acquiredCount(), 6);
  });

  test('batches starting below startOffset or over done and held offsets take only the AVAILABLE ones', () => {
    const sp = new SharePartition(0, config());
    sp.acquire('m1', [batch(0, 9)], 100, 0);
    assert.equal(
      sp.acknowledge('m1', [ack(0, 2, ACCEPT), ack(5, 6, ACCEPT), ack(4, 4, RELEASE), ack(7, 7, RELEASE)]),
      'ok',
    );
    assert.equal(sp.startOffset, 3);
    assert.equal(sp.nextFetchOffset(), 4);
    const ranges = sp.acquire('m2', [batch(0, 4), batch(5, 9), batch(10, 12)], 100, 0);
    assert.deepEqual(ranges, [
      { firstOffset: 4, lastOffset: 4, deliveryCount: 2 },
      { firstOffset: 7, lastOffset: 7, deliveryCount: 2 },
      { firstOffset: 10, lastOffset: 12, deliveryCount: 1 },
    ]);
    assert.equal(sp.endOffset, 13);
    assert.deepEqual(sp.inFlightRanges(), [
      { firstOffset: 3, lastOffset: 3, state: ACQUIRED, deliveryCount: 1 },
      { firstOffset: 4, lastOffset: 4, state: ACQUIRED, deliveryCount: 2 },
      { firstOffset: 5, lastOffset: 6, state: ACKNOWLEDGED, deliveryCount: 1 },
      { firstOffset: 7, lastOffset: 7, state: ACQUIRED, deliveryCount: 2 },
      { firstOffset: 8, lastOffset: 12, state: ACQUIRED, deliveryCount: 1 },
    ]);
  });

  test('offsets the log skipped between batches are archived, never acquired', () => {
    const sp = new SharePartition(0, config());
    const ranges = sp.acquire('m1', [batch(0, 2), batch(5, 6), batch(9, 9)], 100, 0);
    assert.deepEqual(ranges, [
      { firstOffset: 0, lastOffset: 2, deliveryCount: 1 },
      { firstOffset: 5, lastOffset: 6, deliveryCount: 1 },
      { firstOffset: 9, lastOffset: 9, deliveryCount: 1 },
    ]);
    assert.equal(sp.endOffset, 10);
    assert.equal(sp.acquiredCount(), 6);
    assert.deepEqual(sp.inFlightRanges(), [
      { firstOffset: 0, lastOffset: 2, state: ACQUIRED, deliveryCount: 1 },
      { firstOffset: 3, lastOffset: 4, state: ARCHIVED, deliveryCount: 0 },
      { firstOffset: 5, lastOffset: 6, state: ACQUIRED, deliveryCount: 1 },
      { firstOffset: 7, lastOffset: 8, state: ARCHIVED, deliveryCount: 0 },
      { firstOffset: 9, lastOffset: 9, state: ACQUIRED, deliveryCount: 1 },
    ]);
    assert.equal(sp.acknowledge('m1', [ack(0, 2, ACCEPT)]), 'ok');
    assert.equal(sp.startOffset, 5);
  });

  test('a log that starts past an empty window moves the window there', () => {
    const sp = new SharePartition(0, config());
    assert.deepEqual(sp.acquire('m1', [batch(100, 101)], 10, 0), [
      { firstOffset: 100, lastOffset: 101, deliveryCount: 1 },
    ]);
    assert.equal(sp.startOffset, 100);
    assert.equal(sp.endOffset, 102);
    assert.deepEqual(sp.inFlightRanges(), [{ firstOffset: 100, lastOffset: 101, state: ACQUIRED, deliveryCount: 1 }]);
  });

  test('maxInFlightRecords caps new offsets but AVAILABLE ones stay acquirable', () => {
    const sp = new SharePartition(0, config({ maxInFlightRecords: 5 }));
    assert.deepEqual(sp.acquire('m1', [batch(0, 9)], 100, 0), [{ firstOffset: 0, lastOffset: 4, deliveryCount: 1 }]);
    assert.equal(sp.endOffset, 5);
    assert.equal(sp.canAcquire(), false);
    assert.deepEqual(sp.acquire('m2', [batch(5, 9)], 100, 0), []);
    assert.equal(sp.endOffset, 5);

    assert.equal(sp.acknowledge('m1', [ack(1, 2, RELEASE)]), 'ok');
    assert.equal(sp.canAcquire(), true);
    assert.equal(sp.nextFetchOffset(), 1);
    assert.deepEqual(sp.acquire('m2', [batch(0, 9)], 100, 0), [{ firstOffset: 1, lastOffset: 2, deliveryCount: 2 }]);
    assert.equal(sp.endOffset, 5);
    assert.equal(sp.canAcquire(), false);

    assert.equal(sp.acknowledge('m1', [ack(0, 0, ACCEPT)]), 'ok');
    assert.equal(sp.startOffset, 1);
    assert.equal(sp.canAcquire(), true);
    assert.deepEqual(sp.acquire('m1', [batch(5, 9)], 100, 0), [{ firstOffset: 5, lastOffset: 5, deliveryCount: 1 }]);
    assert.equal(sp.endOffset, 6);
  });

  test('a log gap wider than the in-flight room is archived as far as the bound allows', () => {
    const sp = new SharePartition(0, config({ maxInFlightRecords: 5 }));
    assert.deepEqual(sp.acquire('m1', [batch(0, 0), batch(10, 11)], 100, 0), [
      { firstOffset: 0, lastOffset: 0, deliveryCount: 1 },
    ]);
    assert.equal(sp.endOffset, 5);
    assert.equal(sp.canAcquire(), false);
    assert.equal(sp.acknowledge('m1', [ack(0, 0, ACCEPT)]), 'ok');
    assert.equal(sp.startOffset, 5);
    assert.equal(sp.endOffset, 5);
    assert.deepEqual(sp.acquire('m1', [batch(10, 11)], 100, 0), [
      { firstOffset: 10, lastOffset: 11, deliveryCount: 1 },
    ]);
    assert.equal(sp.startOffset, 10);
  });

  test('nextFetchOffset is the lowest AVAILABLE offset', () => {
    const sp = new SharePartition(0, config());
    sp.acquire('m1', [batch(0, 9)], 100, 0);
    assert.equal(sp.acknowledge('m1', [ack(7, 8, RELEASE), ack(3, 3, RELEASE)]), 'ok');
    assert.equal(sp.nextFetchOffset(), 3);
    sp.acquire('m2', [batch(0, 4)], 100, 0);
    assert.equal(sp.nextFetchOffset(), 7);
  });
});

describe('SharePartition acknowledge', () => {
  test('another member cannot acknowledge records it does not hold, and nothing changes', () => {
    const sp = new SharePartition(0, config());
    sp.acquire('m1', [batch(0, 4)], 100, 0);
    const before = sp.inFlightRanges();
    assert.equal(sp.acknowledge('m2', [ack(0, 4, ACCEPT)]), 'INVALID_RECORD_STATE');
    assert.equal(sp.acknowledge('m2', [ack(2, 2, REJECT)]), 'INVALID_RECORD_STATE');
    assert.equal(sp.acknowledge('m2', [ack(3, 3, GAP)]), 'INVALID_RECORD_STATE');
    assert.deepEqual(sp.inFlightRanges(), before);
    assert.equal(sp.startOffset, 0);
    assert.equal(sp.acquiredCount(), 5);
  });

  test('a batch is applied whole or not at all; the other batches still apply', () => {
    const sp = new SharePartition(0, config());
    sp.acquire('m1', [batch(0, 4)], 100, 0);
    sp.acquire('m2', [batch(5, 9)], 100, 0);
    assert.equal(sp.acknowledge('m1', [ack(0, 1, ACCEPT), ack(4, 5, ACCEPT)]), 'INVALID_RECORD_STATE');
    assert.equal(sp.startOffset, 2);
    assert.deepEqual(sp.inFlightRanges(), [{ firstOffset: 2, lastOffset: 9, state: ACQUIRED, deliveryCount: 1 }]);
    assert.equal(sp.acknowledge('m2', [ack(5, 9, ACCEPT)]), 'ok');
    assert.equal(sp.startOffset, 2);
  });

  test('ACCEPT moves startOffset only over a contiguous done prefix', () => {
    const sp = new SharePartition(0, config());
    sp.acquire('m1', [batch(0, 9)], 100, 0);
    assert.equal(sp.acknowledge('m1', [ack(2, 4, ACCEPT)]), 'ok');
    assert.equal(sp.startOffset, 0);
    assert.equal(sp.acquiredCount(), 7);
    assert.equal(sp.acknowledge('m1', [ack(0, 1, ACCEPT)]), 'ok');
    assert.equal(sp.startOffset, 5);
    assert.equal(sp.endOffset, 10);
    assert.deepEqual(sp.inFlightRanges(), [{ firstOffset: 5, lastOffset: 9, state: ACQUIRED, deliveryCount: 1 }]);
    assert.equal(sp.acknowledge('m1', [ack(5, 9, ACCEPT)]), 'ok');
    assert.equal(sp.startOffset, 10);
    assert.deepEqual(sp.inFlightRanges(), []);
    assert.equal(sp.acquiredCount(), 0);
  });

  test('RELEASE makes records acquirable again with the next delivery count', () => {
    const sp = new SharePartition(0, config());
    sp.acquire('m1', [batch(0, 4)], 100, 0);
    assert.equal(sp.acknowledge('m1', [ack(0, 4, RELEASE)]), 'ok');
    assert.equal(sp.acquiredCount(), 0);
    assert.equal(sp.nextFetchOffset(), 0);
    assert.deepEqual(sp.inFlightRanges(), [{ firstOffset: 0, lastOffset: 4, state: AVAILABLE, deliveryCount: 1 }]);
    assert.equal(sp.nextLockDeadlineMs(), undefined);
    assert.deepEqual(sp.acquire('m2', [batch(0, 6)], 100, 0), [
      { firstOffset: 0, lastOffset: 4, deliveryCount: 2 },
      { firstOffset: 5, lastOffset: 6, deliveryCount: 1 },
    ]);
    assert.equal(sp.endOffset, 7);
  });

  test('RELEASE at the delivery count limit archives', () => {
    const sp = new SharePartition(0, config({ deliveryCountLimit: 2 }));
    sp.acquire('m1', [batch(0, 4)], 100, 0);
    assert.equal(sp.acknowledge('m1', [ack(0, 4, RELEASE)]), 'ok');
    assert.deepEqual(sp.acquire('m1', [batch(0, 4)], 100, 0), [{ firstOffset: 0, lastOffset: 4, deliveryCount: 2 }]);
    assert.equal(sp.acknowledge('m1', [ack(1, 4, RELEASE)]), 'ok');
    assert.equal(sp.startOffset, 0);
    assert.deepEqual(sp.inFlightRanges(), [
      { firstOffset: 0, lastOffset: 0, state: ACQUIRED, deliveryCount: 2 },
      { firstOffset: 1, lastOffset: 4, state: ARCHIVED, deliveryCount: 2 },
    ]);
    assert.equal(sp.acknowledge('m1', [ack(0, 0, RELEASE)]), 'ok');
    assert.equal(sp.startOffset, 5);
    assert.equal(sp.canAcquire(), true);
    assert.equal(sp.nextFetchOffset(), 5);
  });

  test('per-offset types mix ACCEPT, RELEASE and REJECT', () => {
    const sp = new SharePartition(0, config());
    sp.acquire('m1', [batch(0, 4)], 100, 0);
    assert.equal(sp.acknowledge('m1', [ack(0, 4, ACCEPT, RELEASE, REJECT, ACCEPT, RELEASE)]), 'ok');
    assert.equal(sp.startOffset, 1);
    assert.equal(sp.acquiredCount(), 0);
    assert.deepEqual(sp.inFlightRanges(), [
      { firstOffset: 1, lastOffset: 1, state: AVAILABLE, deliveryCount: 1 },
      { firstOffset: 2, lastOffset: 2, state: ARCHIVED, deliveryCount: 1 },
      { firstOffset: 3, lastOffset: 3, state: ACKNOWLEDGED, deliveryCount: 1 },
      { firstOffset: 4, lastOffset: 4, state: AVAILABLE, deliveryCount: 1 },
    ]);
    assert.equal(sp.nextFetchOffset(), 1);
  });

  test('GAP archives held offsets and leaves done ones as they are', () => {
    const sp = new SharePartition(0, config());
    sp.acquire('m1', [batch(0, 5)], 100, 0);
    assert.equal(sp.acknowledge('m1', [ack(5, 5, ACCEPT)]), 'ok');
    assert.equal(sp.acknowledge('m1', [ack(1, 5, GAP, ACCEPT, GAP, ACCEPT, GAP)]), 'ok');
    assert.deepEqual(sp.inFlightRanges(), [
      { firstOffset: 0, lastOffset: 0, state: ACQUIRED, deliveryCount: 1 },
      { firstOffset: 1, lastOffset: 1, state: ARCHIVED, deliveryCount: 1 },
      { firstOffset: 2, lastOffset: 2, state: ACKNOWLEDGED, deliveryCount: 1 },
      { firstOffset: 3, lastOffset: 3, state: ARCHIVED, deliveryCount: 1 },
      { firstOffset: 4, lastOffset: 5, state: ACKNOWLEDGED, deliveryCount: 1 },
    ]);
    assert.equal(sp.acknowledge('m1', [ack(0, 0, GAP)]), 'ok');
    assert.equal(sp.startOffset, 6);
    assert.equal(sp.acquiredCount(), 0);
  });

  test('malformed batches are INVALID_REQUEST, untracked offsets INVALID_RECORD_STATE; neither changes anything, while valid ones apply', () => {
    const sp = new SharePartition(10, config());
    sp.acquire('m1', [batch(10, 19)], 100, 0);
    const before = sp.inFlightRanges();
    assert.equal(sp.acknowledge('m1', [ack(10, 12, ACCEPT, ACCEPT)]), 'INVALID_REQUEST');
    assert.equal(sp.acknowledge('m1', [ack(10, 12)]), 'INVALID_REQUEST');
    assert.equal(sp.acknowledge('m1', [ack(9, 12, ACCEPT)]), 'INVALID_RECORD_STATE', 'below the start offset');
    assert.equal(sp.acknowledge('m1', [ack(18, 20, ACCEPT)]), 'INVALID_RECORD_STATE', 'past the end offset');
    assert.equal(sp.acknowledge('m1', [ack(12, 11, ACCEPT)]), 'INVALID_REQUEST');
    assert.equal(sp.acknowledge('m1', [ack(10, 10, 4)]), 'INVALID_REQUEST');
    assert.equal(sp.acknowledge('m1', [ack(10, 11, ACCEPT, -1)]), 'INVALID_REQUEST');
    assert.deepEqual(sp.inFlightRanges(), before);
    assert.equal(sp.acknowledge('m1', [ack(10, 11, ACCEPT, 7), ack(10, 11, ACCEPT)]), 'INVALID_REQUEST');
    assert.equal(sp.startOffset, 12);
  });

  test('the first error in batch order is reported', () => {
    const sp = new SharePartition(0, config());
    sp.acquire('m1', [batch(0, 4)], 100, 0);
    sp.acquire('m2', [batch(5, 9)], 100, 0);
    assert.equal(sp.acknowledge('m1', [ack(5, 5, ACCEPT), ack(0, 0, 9)]), 'INVALID_RECORD_STATE');
    assert.equal(sp.acknowledge('m1', [ack(0, 0, 9), ack(5, 5, ACCEPT)]), 'INVALID_REQUEST');
  });
});

describe('SharePartition locks', () => {
  test('expireLocks releases exactly the records whose deadline is <= now', () => {
    const sp = new SharePartition(0, config());
    sp.acquire('m1', [batch(0, 1)], 100, 1_000);
    sp.acquire('m2', [batch(2, 3)], 100, 2_000);
    assert.equal(sp.nextLockDeadlineMs(), 31_000);
    assert.equal(sp.expireLocks(30_999), 0);
    assert.equal(sp.acquiredCount(), 4);
    assert.equal(sp.expireLocks(31_000), 2);
    assert.equal(sp.nextLockDeadlineMs(), 32_000);
    assert.deepEqual(sp.inFlightRanges(), [
      { firstOffset: 0, lastOffset: 1, state: AVAILABLE, deliveryCount: 1 },
      { firstOffset: 2, lastOffset: 3, state: ACQUIRED, deliveryCount: 1 },
    ]);
    assert.equal(sp.acknowledge('m1', [ack(0, 1, ACCEPT)]), 'INVALID_RECORD_STATE');
    assert.equal(sp.expireLocks(32_000), 2);
    assert.equal(sp.nextLockDeadlineMs(), undefined);
    assert.equal(sp.acquiredCount(), 0);
  });

  test('lock expiry at the delivery count limit archives', () => {
    const sp = new SharePartition(0, config({ deliveryCountLimit: 2 }));
    sp.acquire('m1', [batch(0, 4)], 100, 0);
    assert.equal(sp.expireLocks(LOCK_MS), 5);
    assert.equal(sp.startOffset, 0);
    assert.deepEqual(sp.acquire('m1', [batch(0, 4)], 100, 100), [{ firstOffset: 0, lastOffset: 4, deliveryCount: 2 }]);
    assert.equal(sp.expireLocks(100 + LOCK_MS), 5);
    assert.equal(sp.startOffset, 5);
    assert.equal(sp.endOffset, 5);
    assert.deepEqual(sp.inFlightRanges(), []);
  });

  test('releaseMember frees only that member’s records', () => {
    const sp = new SharePartition(0, config());
    sp.acquire('m1', [batch(0, 2)], 100, 0);
    sp.acquire('m2', [batch(3, 5)], 100, 0);
    assert.equal(sp.releaseMember('m1'), 3);
    assert.equal(sp.releaseMember('m1'), 0);
    assert.deepEqual(sp.inFlightRanges(), [
      { firstOffset: 0, lastOffset: 2, state: AVAILABLE, deliveryCount: 1 },
      { firstOffset: 3, lastOffset: 5, state: ACQUIRED, deliveryCount: 1 },
    ]);
    assert.equal(sp.acquiredCount(), 3);
    assert.equal(sp.acknowledge('m2', [ack(3, 5, ACCEPT)]), 'ok');
    assert.equal(sp.nextFetchOffset(), 0);
  });
});

describe('SharePartition start offset', () => {
  test('advanceStartOffset drops what lies below, held or not', () => {
    const sp = new SharePartition(0, config());
    sp.acquire('m1', [batch(0, 9)], 100, 0);
    assert.equal(sp.acknowledge('m1', [ack(4, 4, ACCEPT)]), 'ok');
    sp.advanceStartOffset(3);
    assert.equal(sp.startOffset, 3);
    assert.equal(sp.acquiredCount(), 6);
    assert.equal(sp.acknowledge('m1', [ack(2, 3, ACCEPT)]), 'INVALID_RECORD_STATE');
    sp.advanceStartOffset(1);
    assert.equal(sp.startOffset, 3);
    sp.advanceStartOffset(4);
    assert.equal(sp.startOffset, 5);
    assert.equal(sp.endOffset, 10);
    sp.advanceStartOffset(20);
    assert.equal(sp.startOffset, 20);
    assert.equal(sp.endOffset, 20);
    assert.equal(sp.acquiredCount(), 0);
    assert.deepEqual(sp.inFlightRanges(), []);
    assert.deepEqual(sp.acquire('m1', [batch(18, 21)], 100, 0), [
      { firstOffset: 20, lastOffset: 21, deliveryCount: 1 },
    ]);
  });

  test('resetTo empties the partition at the new offset', () => {
    const sp = new SharePartition(0, config());
    sp.acquire('m1', [batch(0, 9)], 100, 0);
    sp.resetTo(3);
    assert.equal(sp.startOffset, 3);
    assert.equal(sp.endOffset, 3);
    assert.equal(sp.acquiredCount(), 0);
    assert.equal(sp.nextLockDeadlineMs(), undefined);
    assert.deepEqual(sp.acquire('m2', [batch(3, 4)], 100, 0), [{ firstOffset: 3, lastOffset: 4, deliveryCount: 1 }]);
  });
});

describe('SharePartition.restore', () => {
  test('rebuilds persisted ranges; acquisitions are released, uncovered offsets are undelivered', () => {
    const sp = SharePartition.restore(
      10,
      [
        { firstOffset: 10, lastOffset: 11, state: AVAILABLE, deliveryCount: 1 },
        { firstOffset: 12, lastOffset: 13, state: ACQUIRED, deliveryCount: 1 },
        { firstOffset: 14, lastOffset: 14, state: ACQUIRED, deliveryCount: 3 },
        { firstOffset: 15, lastOffset: 15, state: ACKNOWLEDGED, deliveryCount: 1 },
        { firstOffset: 17, lastOffset: 17, state: ARCHIVED, deliveryCount: 2 },
      ],
      config({ deliveryCountLimit: 3 }),
    );
    assert.equal(sp.startOffset, 10);
    assert.equal(sp.endOffset, 18);
    assert.equal(sp.acquiredCount(), 0);
    assert.deepEqual(sp.inFlightRanges(), [
      { firstOffset: 10, lastOffset: 13, state: AVAILABLE, deliveryCount: 1 },
      { firstOffset: 14, lastOffset: 14, state: ARCHIVED, deliveryCount: 3 },
      { firstOffset: 15, lastOffset: 15, state: ACKNOWLEDGED, deliveryCount: 1 },
      { firstOffset: 16, lastOffset: 16, state: AVAILABLE, deliveryCount: 0 },
      { firstOffset: 17, lastOffset: 17, state: ARCHIVED, deliveryCount: 2 },
    ]);
    assert.deepEqual(sp.acquire('m1', [batch(10, 19)], 100, 0), [
      { firstOffset: 10, lastOffset: 13, deliveryCount: 2 },
      { firstOffset: 16, lastOffset: 16, deliveryCount: 1 },
      { firstOffset: 18, lastOffset: 19, deliveryCount: 1 },
    ]);
  });

  test('a done prefix is passed over and ranges below startOffset are ignored', () => {
    const sp = SharePartition.restore(
      5,
      [
        { firstOffset: 0, lastOffset: 6, state: ACKNOWLEDGED, deliveryCount: 1 },
        { firstOffset: 7, lastOffset: 7, state: ARCHIVED, deliveryCount: 1 },
        { firstOffset: 8, lastOffset: 9, state: AVAILABLE, deliveryCount: 1 },
      ],
      config(),
    );
    assert.equal(sp.startOffset, 8);
    assert.equal(sp.endOffset, 10);
    assert.equal(sp.nextFetchOffset(), 8);
  });

  test('round-trips inFlightRanges of a partition holding no locks', () => {
    const sp = new SharePartition(0, config());
    sp.acquire('m1', [batch(0, 2), batch(5, 9)], 100, 0);
    sp.acknowledge('m1', [ack(1, 2, ACCEPT, REJECT), ack(5, 9, RELEASE, ACCEPT, RELEASE, RELEASE, ACCEPT)]);
    sp.releaseMember('m1');
    const restored = SharePartition.restore(sp.startOffset, sp.inFlightRanges(), config());
    assert.equal(restored.startOffset, sp.startOffset);
    assert.equal(restored.endOffset, sp.endOffset);
    assert.deepEqual(restored.inFlightRanges(), sp.inFlightRanges());
  });

  test('an unknown state is refused', () => {
    assert.throws(
      () => SharePartition.restore(0, [{ firstOffset: 0, lastOffset: 0, state: 3, deliveryCount: 1 }], config()),
      RangeError,
    );
  });
});

describe('SharePartition and what a log read covered', () => {
  test('offsets past the last data batch (a transaction marker) are archived, so the next read starts after them', () => {
    const sp = new SharePartition(0, config());
    // Records 0-4, then a commit marker at 5: the read ends at 6.
    assert.deepEqual(sp.acquire('m1', [batch(0, 4)], 100, 0, { startOffset: 0, endOffset: 6 }), [
      { firstOffset: 0, lastOffset: 4, deliveryCount: 1 },
    ]);
    assert.equal(sp.endOffset, 6);
    assert.equal(sp.nextFetchOffset(), 6);
    assert.equal(sp.acknowledge('m1', [ack(0, 4, ACCEPT)]), 'ok');
    assert.equal(sp.startOffset, 6);
  });

  test('a read stopped by maxRecords archives nothing past what it took', () => {
    const sp = new SharePartition(0, config());
    sp.acquire('m1', [batch(0, 4), batch(5, 9)], 3, 0, { startOffset: 0, endOffset: 11 });
    assert.equal(sp.endOffset, 5);
    assert.equal(sp.nextFetchOffset(), 5);
  });

  test('available offsets gone from the log (compacted away) are archived when a read passes them', () => {
    const sp = new SharePartition(0, config());
    sp.acquire('m1', [batch(0, 9)], 100, 0);
    assert.equal(sp.acknowledge('m1', [ack(0, 1, ACCEPT), ack(2, 9, RELEASE)]), 'ok');
    // The log now holds only 5-6 and 9 of 2-9.
    assert.deepEqual(sp.acquire('m2', [batch(5, 6), batch(9, 9)], 100, 0, { startOffset: 2, endOffset: 10 }), [
      { firstOffset: 5, lastOffset: 6, deliveryCount: 2 },
      { firstOffset: 9, lastOffset: 9, deliveryCount: 2 },
    ]);
    assert.equal(sp.startOffset, 5);
    assert.deepEqual(
      sp.inFlightRanges().map((r) => [r.firstOffset, r.lastOffset, r.state]),
      [
        [5, 6, ACQUIRED],
        [7, 8, ARCHIVED],
        [9, 9, ACQUIRED],
      ],
    );
  });

  test('a GAP may not name an offset nobody holds', () => {
    const sp = new SharePartition(0, config());
    sp.acquire('m1', [batch(0, 3)], 100, 0);
    assert.equal(sp.acknowledge('m1', [ack(2, 3, RELEASE)]), 'ok');
    assert.equal(sp.acknowledge('m2', [ack(2, 2, GAP)]), 'INVALID_RECORD_STATE');
    assert.equal(sp.acknowledge('m1', [ack(0, 0, GAP), ack(1, 1, ACCEPT)]), 'ok');
    assert.equal(sp.startOffset, 2);
  });
});
