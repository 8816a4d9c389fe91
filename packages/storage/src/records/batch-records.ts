import { type DecodedRecord, type RecordBatchHeader, RecordBatchIterator } from '@samsa/protocol';

/**
 * The records of the batch at `pos` in `buf` (already validated: no CRC check), decoded with
 * @samsa/protocol's iterator, which decompresses the records section when needed. Storage never
 * does this on the fetch path; only ListOffsets by timestamp, the null-key check of compacted
 * topics, transaction markers and the cleaner read records.
 */
export function batchRecords(h: RecordBatchHeader, buf: Buffer, pos: number): RecordBatchIterator {
  return new RecordBatchIterator(buf, pos, { verifyCrc: false, end: pos + h.sizeInBytes });
}

/** The first record of a batch, undefined if it has none. */
export function firstRecord(h: RecordBatchHeader, buf: Buffer, pos: number): DecodedRecord | undefined {
  if (h.recordsCount === 0) return undefined;
  return batchRecords(h, buf, pos).next().value;
}
