import { gunzipSync, gzipSync } from 'node:zlib';
import { corruptCompressedData, decompressedSizeExceeded } from './compression-errors.js';

/** Kafka's default `compression.gzip.level` (java.util.zip.Deflater.DEFAULT_COMPRESSION). */
export const GZIP_DEFAULT_LEVEL = 6;

export function gzipCompress(input: Buffer, level = GZIP_DEFAULT_LEVEL): Buffer {
  return gzipSync(input, { level });
}

/**
 * gzip has no trustworthy size field (ISIZE is the size modulo 2^32 of the last member only), so
 * the limit is enforced while inflating: zlib stops as soon as the output passes
 * `maxOutputLength`, having allocated at most one chunk beyond it. Concatenated members are read
 * in full, as Java's GZIPInputStream does.
 */
export function gzipDecompress(input: Buffer, maxOutputBytes: number): Buffer {
  let output: Buffer;
  try {
    // A truncated stream is an error (zlib's default Z_FINISH), not a short result.
    output = gunzipSync(input, { maxOutputLength: Math.max(1, maxOutputBytes) });
  } catch (error) {
    if ((error as { code?: string }).code === 'ERR_BUFFER_TOO_LARGE') {
      throw decompressedSizeExceeded('gzip', `> ${maxOutputBytes}`, maxOutputBytes);
    }
    throw corruptCompressedData('gzip', (error as Error).message, error);
  }
  if (output.length > maxOutputBytes) throw decompressedSizeExceeded('gzip', output.length, maxOutputBytes);
  return output;
}
