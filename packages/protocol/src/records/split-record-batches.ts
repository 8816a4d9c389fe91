import { ErrorCode } from '../errors/error-codes.js';
import { KafkaError } from '../errors/kafka-error.js';
import { BatchHeader, CURRENT_MAGIC, type RecordBatchHeader, validateBatch } from './record-batch-header.js';

/** One complete batch inside a records blob. */
export interface RecordBatchSpan {
  /** Byte position of the batch in the blob. */
  readonly position: number;
  readonly header: RecordBatchHeader;
  /** The batch's bytes (a view into the blob). */
  readonly bytes: Buffer;
}

export interface SplitRecordBatches {
  readonly batches: RecordBatchSpan[];
  /**
   * Bytes of a trailing batch cut short, 0 if none. A Fetch response may end in the middle of a
   * batch (the broker fills up to the partition's max bytes); clients drop the tail and fetch
   * again from the next offset. When `batches` is empty and this is not, the first batch is
   * larger than the fetch size.
   */
  readonly partialBytes: number;
}

/**
 * The batches of the `records` field of a Produce request or Fetch response, one at a time, the
 * way Kafka's ByteBufferLogInputStream walks them: each complete batch is validated (magic,
 * length, CRC unless `verifyCrc` is false) before it is yielded; an incomplete last batch ends the
 * walk, and the generator returns its byte count (0 if none). A length that cannot be a batch, or
 * another message format, throws.
 */
export function* iterateRecordBatches(
  records: Buffer,
  options: { readonly verifyCrc?: boolean } = {},
): Generator<RecordBatchSpan, number, undefined> {
  let pos = 0;
  while (pos < records.length) {
    const available = records.length - pos;
    if (available < BatchHeader.LOG_OVERHEAD) return available;
    if (available > BatchHeader.MAGIC) {
      const magic = records.readInt8(pos + BatchHeader.MAGIC);
      if (magic < CURRENT_MAGIC) {
        throw new KafkaError(
          ErrorCode.UNSUPPORTED_FOR_MESSAGE_FORMAT,
          `message format v${magic} at ${pos} is not supported`,
        );
      }
      if (magic > CURRENT_MAGIC)
        throw new KafkaError(ErrorCode.CORRUPT_MESSAGE, `record batch at ${pos} has magic ${magic}`);
    }
    const batchLength = records.readInt32BE(pos + BatchHeader.BATCH_LENGTH);
    if (batchLength < BatchHeader.SIZE - BatchHeader.LOG_OVERHEAD) {
      throw new KafkaError(ErrorCode.CORRUPT_MESSAGE, `record batch at ${pos} has length ${batchLength}`);
    }
    const size = batchLength + BatchHeader.LOG_OVERHEAD;
    if (available < size) return available;
    const header = validateBatch(records, pos, pos + size, options);
    yield { position: pos, header, bytes: records.subarray(pos, pos + size) };
    pos += size;
  }
  return 0;
}

/** All complete batches of a records blob, and the size of a trailing partial batch. */
export function splitRecordBatches(
  records: Buffer,
  options: { readonly verifyCrc?: boolean } = {},
): SplitRecordBatches {
  const batches: RecordBatchSpan[] = [];
  const walk = iterateRecordBatches(records, options);
  for (;;) {
    const step = walk.next();
    if (step.done === true) return { batches, partialBytes: step.value };
    batches.push(step.value);
  }
}
