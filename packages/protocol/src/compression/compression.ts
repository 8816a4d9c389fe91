import { CompressionType } from '../records/record-batch-header.js';
import { corruptCompressedData } from './compression-errors.js';
import { GZIP_DEFAULT_LEVEL, gzipCompress, gzipDecompress } from './gzip.js';
import { lz4Compress, lz4Decompress } from './lz4.js';
import { type SnappyFraming, snappyCompress, snappyDecompress } from './snappy.js';
import { ZSTD_DEFAULT_LEVEL, zstdCompress, zstdDecompress } from './zstd.js';

/**
 * Kafka's four record-batch codecs behind one switch. Synchronous on purpose: clients compress
 * batches they are about to send and coordinators read their own small batches; the broker does
 * not decompress on its produce path.
 */

/** Default for `maxOutputBytes`: a batch that inflates beyond 64 MiB is treated as corrupt. */
export const DEFAULT_MAX_DECOMPRESSED_BYTES = 64 * 1024 * 1024;

export interface CompressOptions {
  /** gzip: 1-9, zstd: 1-22; Kafka's defaults (6 and 3) when omitted. lz4 and snappy have no level here. */
  readonly level?: number;
  /** snappy only: `xerial` (what Java clients write, the default) or `raw` (librdkafka, KafkaJS). */
  readonly snappyFraming?: SnappyFraming;
}

export function compress(codec: CompressionType, input: Buffer, options: CompressOptions = {}): Buffer {
  switch (codec) {
    case CompressionType.NONE:
      return input;
    case CompressionType.GZIP:
      return gzipCompress(input, options.level ?? GZIP_DEFAULT_LEVEL);
    case CompressionType.SNAPPY:
      return snappyCompress(input, options.snappyFraming ?? 'xerial');
    case CompressionType.LZ4:
      return lz4Compress(input);
    case CompressionType.ZSTD:
      return zstdCompress(input, options.level ?? ZSTD_DEFAULT_LEVEL);
    default:
      throw new RangeError(`unknown compression codec ${String(codec)}`);
  }
}

/**
 * Inflates `input`, failing with a CORRUPT_MESSAGE `KafkaError` if it is malformed or would
 * produce more than `maxOutputBytes` — without allocating much beyond that limit, whatever the
 * input declares. Snappy input may use either framing.
 */
export function decompress(
  codec: CompressionType,
  input: Buffer,
  maxOutputBytes: number = DEFAULT_MAX_DECOMPRESSED_BYTES,
): Buffer {
  switch (codec) {
    case CompressionType.NONE:
      return input;
    case CompressionType.GZIP:
      return gzipDecompress(input, maxOutputBytes);
    case CompressionType.SNAPPY:
      return snappyDecompress(input, maxOutputBytes);
    case CompressionType.LZ4:
      return lz4Decompress(input, maxOutputBytes);
    case CompressionType.ZSTD:
      return zstdDecompress(input, maxOutputBytes);
    default:
      throw corruptCompressedData(`codec ${String(codec)}`, 'unknown compression codec');
  }
}

/** Kafka's name for a codec, as in `compression.type`. */
export function compressionName(codec: CompressionType): string {
  return ['none', 'gzip', 'snappy', 'lz4', 'zstd'][codec] ?? `unknown(${codec})`;
}
