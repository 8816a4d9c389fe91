import { BatchHeader, compressionOf, type RecordBatchHeader } from '@samsa/protocol';
import { iterateRecords, type RecordView } from './record-reader.js';

/**
 * Decompresses the records section of a batch: (codec, compressed bytes) → uncompressed bytes.
 * Storage never decompresses on the append or fetch path; it needs records only for ListOffsets
 * by timestamp, null-key checks on compacted topics and the cleaner. The broker registers
 * @samsa/protocol's codecs here; without one, compressed batches are treated conservatively (see
 * each caller).
 */
export type RecordsDecompressor = (compression: number, data: Buffer) => Buffer;

let decompressor: RecordsDecompressor | undefined;

export function setRecordsDecompressor(fn: RecordsDecompressor | undefined): void {
  decompressor = fn;
}

/**
 * The uncompressed records section of the batch at `pos`, or undefined if it is compressed and
 * no decompressor is registered.
 */
export function recordsSection(h: RecordBatchHeader, buf: Buffer, pos: number): Buffer | undefined {
  const section = buf.subarray(pos + BatchHeader.SIZE, pos + h.sizeInBytes);
  const codec = compressionOf(h.attributes);
  if (codec === 0) return section;
  if (decompressor === undefined) return undefined;
  return decompressor(codec, section);
}

/** Records of the batch at `pos`, or undefined when they cannot be read (compressed, no codec). */
export function batchRecords(h: RecordBatchHeader, buf: Buffer, pos: number): RecordView[] | undefined {
  const section = recordsSection(h, buf, pos);
  if (section === undefined) return undefined;
  return [...iterateRecords(section, 0, section.length, h.recordsCount)];
}

/** Like batchRecords, also returning the buffer the views index into. */
export function batchRecordsWithSection(
  h: RecordBatchHeader,
  buf: Buffer,
  pos: number,
): { section: Buffer; records: RecordView[] } | undefined {
  const section = recordsSection(h, buf, pos);
  if (section === undefined) return undefined;
  return { section, records: [...iterateRecords(section, 0, section.length, h.recordsCount)] };
}
