import {
  ControlRecordType,
  decodeControlRecordKey,
  decodeEndTransactionMarker,
  type EndTransactionMarker,
  isControl,
  isTransactional,
  type RecordBatchHeader,
} from '@samsa/protocol';
import type { CompletedTxn } from '../producer/producer-append-info.js';
import { incrementSequence } from '../producer/producer-state-entry.js';
import type { ProducerStateManager } from '../producer/producer-state-manager.js';
import { firstRecord } from '../records/batch-records.js';

/** The last sequence of a batch: baseSequence + lastOffsetDelta, wrapping at Int32.MAX. */
export function lastSequenceOf(h: RecordBatchHeader): number {
  return h.baseSequence < 0 ? -1 : incrementSequence(h.baseSequence, h.lastOffsetDelta);
}

/**
 * The transaction marker of a control batch (its first record), undefined for an empty control
 * batch (one whose transaction was entirely cleaned away) or a control record that is not a
 * transaction marker.
 */
export function readEndTxnMarker(h: RecordBatchHeader, buf: Buffer, pos: number): EndTransactionMarker | undefined {
  const record = firstRecord(h, buf, pos);
  if (record === undefined) return undefined;
  const { type } = decodeControlRecordKey(record.key);
  if (type !== ControlRecordType.ABORT && type !== ControlRecordType.COMMIT) return undefined;
  return decodeEndTransactionMarker(record);
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
