import { compressSync, uncompressSync } from 'snappy';
import { corruptCompressedData, decompressedSizeExceeded } from './compression-errors.js';

/**
 * Raw (block-format) snappy, as librdkafka, KafkaJS and most non-Java clients write it.
 *
 * A raw snappy block starts with its uncompressed length as a little-endian base-128 varint, and
 * the decoder must produce exactly that many bytes. Checking the declared length against the
 * limit before decoding therefore bounds the allocation.
 */
export function rawSnappyCompress(input: Buffer): Buffer {
  return compressSync(input);
}

/** The uncompressed length a raw snappy block declares; throws CORRUPT_MESSAGE if unreadable. */
export function rawSnappyUncompressedLength(block: Buffer, codec = 'snappy'): number {
  let value = 0;
  for (let i = 0; i < 5; i++) {
    if (i >= block.length) throw corruptCompressedData(codec, 'truncated length preamble');
    const byte = block[i] as number;
    value += (byte & 0x7f) * 2 ** (7 * i);
    if (byte < 0x80) {
      if (value > 0xffffffff) break;
      return value;
    }
  }
  throw corruptCompressedData(codec, 'length preamble is not a 32-bit varint');
}

export function rawSnappyDecompress(block: Buffer, maxOutputBytes: number, codec = 'snappy'): Buffer {
  const declared = rawSnappyUncompressedLength(block, codec);
  if (declared > maxOutputBytes) throw decompressedSizeExceeded(codec, declared, maxOutputBytes);
  let output: Buffer;
  try {
    output = uncompressSync(block, { asBuffer: true }) as Buffer;
  } catch (error) {
    throw corruptCompressedData(codec, (error as Error).message, error);
  }
  if (output.length !== declared) {
    throw corruptCompressedData(codec, `declared ${declared} bytes but decoded ${output.length}`);
  }
  return output;
}
