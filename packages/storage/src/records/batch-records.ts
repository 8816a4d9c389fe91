import { BatchHeader, compressionOf, decompress, type RecordBatchHeader } from '@samsa/protocol';
import { iterateRecords, type RecordView } from './record-reader.js';

/**
 * The uncompressed records section of the batch at `pos` (decompressed with @samsa/protocol's
 * codecs when needed). Storage never does this on the append or fetch path; only ListOffsets by
 * timestamp, null-key checks on compacted topics and the cleaner need records.
 */
export function recordsSection(h: RecordBatchHeader, buf: Buffer, pos: number): Buffer {
  const section = buf.subarray(pos + BatchHeader.SIZE, pos + h.sizeInBytes);
  const codec = compressionOf(h.attributes);
  return codec === 0 ? section : decompress(codec, section);
}

/** The records of the batch at `pos`, as views into its (decompressed) records section. */
export function batchRecordsWithSection(
  h: RecordBatchHeader,
  buf: Buffer,
  pos: number,
): { section: Buffer; records: RecordView[] } {
  const section = recordsSection(h, buf, pos);
  return { section, records: [...iterateRecords(section, 0, section.length, h.recordsCount)] };
}

export function batchRecords(h: RecordBatchHeader, buf: Buffer, pos: number): RecordView[] {
  return batchRecordsWithSection(h, buf, pos).records;
}
