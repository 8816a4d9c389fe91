import { BatchHeader, compressionOf, isControl, isTransactional, type RecordBatchHeader } from '@samsa/protocol';
import type { CompletedTxn } from '../producer/producer-append-info.js';
import { incrementSequence } from '../producer/producer-state-entry.js';
import type { ProducerStateManager } from '../producer/producer-state-manager.js';
import { type EndTxnMarker, parseControlRecord, readRecord } from '../records/record-reader.js';

/** The last sequence of a batch: baseSequence + lastOffsetDelta, wrapping at Int32.MAX. */
export function lastSequenceOf(h: RecordBatchHeader): number {
  return h.baseSequence < 0 ? -1 : incrementSequence(h.baseSequence, h.lastOffsetDelta);
}

/**
 * The transaction marker of a control batch (its first record), undefined for an empty control
 * batch (one whose transaction was entirely cleaned away). Control batches are never compressed.
 */
export function readEndTxnMarker(h: RecordBatchHeader, buf: Buffer, pos: number): EndTxnMarker | undefined {
  if (h.recordsCount === 0) return undefined;
  if (compressionOf(h.attributes) !== 0) throw new Error('compressed control batch');
  const start = pos + BatchHeader.SIZE;
  const record = readRecord(buf, start, pos + h.sizeInBytes);
  return parseControlRecord(buf, record);
}

/**
 * Replays one batch already in the log into producer state, as replication and recovery do
 * (no sequence validation). Returns the transaction a marker completed; the caller records an
 * aborted one in the transaction index and then calls `completeTxn`.
 */
export function loadBatchIntoProducerState(
  psm: ProducerStateManager,
  h: RecordBatchHeader,
  buf: Buffer,
  pos: number,
): CompletedTxn | undefined {
  const info = psm.prepareUpdate(h.producerId, 'replication');
  let completed: CompletedTxn | undefined;
  if (isControl(h.attributes)) {
    const marker = readEndTxnMarker(h, buf, pos);
    if (marker === undefined) return undefined;
    completed = info.appendEndTxnMarker(marker, h.producerEpoch, h.baseOffset, h.maxTimestamp);
  } else {
    info.appendDataBatch(
      h.producerEpoch,
      h.baseSequence,
      lastSequenceOf(h),
      h.maxTimestamp,
      h.baseOffset,
      h.baseOffset + h.lastOffsetDelta,
      isTransactional(h.attributes),
    );
  }
  psm.update(info);
  return completed;
}
