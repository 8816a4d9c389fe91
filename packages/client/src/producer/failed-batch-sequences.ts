import { ErrorCode } from '@samsa/protocol';
import type { ProducerBatch } from './producer-batch.js';
import type { PartitionQueue } from './record-accumulator.js';

/**
 * Produce errors with which the broker refuses a whole batch before appending any of it: its
 * sequence numbers were never used, so the partition's log has no gap where it was.
 */
export const NOT_APPENDED_ERRORS: ReadonlySet<number> = new Set([
  ErrorCode.MESSAGE_TOO_LARGE,
  ErrorCode.RECORD_LIST_TOO_LARGE,
  ErrorCode.INVALID_RECORD,
  ErrorCode.CORRUPT_MESSAGE,
  ErrorCode.INVALID_TIMESTAMP,
]);

/**
 * Gives back the sequence numbers of a batch the broker refused without appending it (Java's
 * TxnPartitionEntry.adjustSequencesDueToFailedBatch): every batch of the partition numbered after
 * it, in flight or queued, is renumbered `recordCount` lower, and so is the next sequence. An
 * in-flight batch still carrying its old number is answered OUT_OF_ORDER_SEQUENCE_NUMBER and is
 * sent again with the new one; without this the broker would wait for the refused numbers forever.
 *
 * Returns false when the sequences cannot be lowered (the partition's numbering moved to another
 * producer id or epoch, or a number would wrap below 0): the caller bumps the epoch instead.
 */
export function releaseSequences(q: PartitionQueue, failed: ProducerBatch): boolean {
  const { producerId, producerEpoch, baseSequence, recordCount } = failed;
  if (baseSequence < 0) return true;
  // Numbering already restarted (an epoch bump): nothing behind the batch uses its numbers.
  if (q.sequenceProducerId !== producerId || q.sequenceEpoch !== producerEpoch) return true;
  const behind = [...q.inFlightBatches, ...q.batches].filter(
    (b) =>
      b.baseSequence >= 0 &&
      b.producerId === producerId &&
      b.producerEpoch === producerEpoch &&
      b.baseSequence > baseSequence,
  );
  if (q.nextSequence < recordCount || behind.some((b) => b.baseSequence - recordCount < baseSequence)) return false;
  for (const b of behind) b.stamp(producerId, producerEpoch, b.baseSequence - recordCount);
  q.nextSequence -= recordCount;
  return true;
}
