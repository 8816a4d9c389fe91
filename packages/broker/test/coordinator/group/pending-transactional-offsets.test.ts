/** PendingTransactionalOffsets: by producer, tombstones across producers, taking, copying. */
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import type { OffsetAndMetadata } from '../../../src/coordinator/group/offset-and-metadata.js';
import { PendingTransactionalOffsets } from '../../../src/coordinator/group/pending-transactional-offsets.js';

const offset = (committedOffset: bigint, recordOrder: number): OffsetAndMetadata => ({
  committedOffset,
  leaderEpoch: -1,
  metadata: '',
  commitTimestampMs: 0,
  expireTimestampMs: undefined,
  recordOrder,
});

describe('PendingTransactionalOffsets', () => {
  test('offsets by producer; a later commit of a partition in the same transaction replaces the earlier', () => {
    const pending = new PendingTransactionalOffsets();
    assert.ok(pending.isEmpty());
    pending.add(1, 't', 0, offset(5n, 1));
    pending.add(1, 't', 0, offset(6n, 2));
    pending.add(2, 't', 1, offset(7n, 3));
    assert.ok(pending.has('t', 0) && pending.has('t', 1) && !pending.has('t', 2) && !pending.has('u', 0));
    assert.deepEqual(pending.partitions(), [
      ['t', 0],
      ['t', 1],
    ]);
    assert.equal(pending.take(1)?.get('t')?.get(0)?.committedOffset, 6n);
    assert.equal(pending.hasProducer(1), false);
    assert.equal(pending.take(1), undefined);
    assert.ok(!pending.has('t', 0) && pending.has('t', 1));
  });

  test("a tombstone removes every producer's offset for the partition, and producers left with nothing", () => {
    const pending = new PendingTransactionalOffsets();
    pending.add(1, 't', 0, offset(5n, 1));
    pending.add(2, 't', 0, offset(6n, 2));
    pending.add(2, 't', 1, offset(7n, 3));
    const copy = pending.clone();
    pending.remove('t', 0);
    assert.equal(pending.hasProducer(1), false);
    assert.deepEqual(
      [...pending.entries()].map(([producerId, topic, partition]) => [producerId, topic, partition]),
      [[2, 't', 1]],
    );
    assert.equal([...copy.entries()].length, 3, 'the copy shares nothing');
  });
});
