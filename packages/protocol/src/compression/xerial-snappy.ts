import { corruptCompressedData, decompressedSizeExceeded } from './compression-errors.js';
import { rawSnappyCompress, rawSnappyDecompress, rawSnappyUncompressedLength } from './raw-snappy.js';

/**
 * snappy-java's stream framing ("xerial"), which Java producers and brokers write for Kafka's
 * snappy codec:
 *
 *   magic                8 bytes   82 53 4e 41 50 50 59 00  ("\x82SNAPPY\0")
 *   version              int32     1
 *   compatibleVersion    int32     1
 *   blocks, until the end:
 *     length             int32     bytes of the raw snappy block that follows
 *     block              raw snappy (its own varint preamble, then the compressed data)
 *
 * All integers big-endian. Nothing else is in the stream: no block count, no checksum.
 */
export const XERIAL_MAGIC: Buffer = Buffer.from([0x82, 0x53, 0x4e, 0x41, 0x50, 0x50, 0x59, 0x00]);
export const XERIAL_HEADER_BYTES = 16;
const XERIAL_VERSION = 1;
const XERIAL_COMPATIBLE_VERSION = 1;
/** snappy-java's default block size (SnappyOutputStream.DEFAULT_BLOCK_SIZE), as Java clients write. */
export const XERIAL_BLOCK_BYTES = 32 * 1024;

export function isXerialSnappy(input: Buffer): boolean {
  return input.length >= XERIAL_MAGIC.length && input.compare(XERIAL_MAGIC, 0, 8, 0, 8) === 0;
}

export function xerialSnappyCompress(input: Buffer, blockBytes = XERIAL_BLOCK_BYTES): Buffer {
  const parts: Buffer[] = [];
  const header = Buffer.alloc(XERIAL_HEADER_BYTES);
  XERIAL_MAGIC.copy(header, 0);
  header.writeInt32BE(XERIAL_VERSION, 8);
  header.writeInt32BE(XERIAL_COMPATIBLE_VERSION, 12);
  parts.push(header);
  for (let pos = 0; pos < input.length; pos += blockBytes) {
    const block = rawSnappyCompress(input.subarray(pos, Math.min(input.length, pos + blockBytes)));
    const length = Buffer.allocUnsafe(4);
    length.writeInt32BE(block.length, 0);
    parts.push(length, block);
  }
  return Buffer.concat(parts);
}

/**
 * Two passes: first walk the block lengths and sum the sizes the blocks declare (rejecting a
 * stream whose total passes the limit before decoding anything), then decode each block.
 */
export function xerialSnappyDecompress(input: Buffer, maxOutputBytes: number): Buffer {
  const codec = 'snappy (xerial)';
  if (!isXerialSnappy(input) || input.length < XERIAL_HEADER_BYTES) {
    throw corruptCompressedData(codec, 'missing xerial header');
  }
  const blocks: Buffer[] = [];
  let total = 0;
  let pos = XERIAL_HEADER_BYTES;
  while (pos < input.length) {
    if (input.length - pos < 4) throw corruptCompressedData(codec, `truncated block length at ${pos}`);
    const length = input.readInt32BE(pos);
    pos += 4;
    if (length < 0 || length > input.length - pos) {
      throw corruptCompressedData(
        codec,
        `block length ${length} at ${pos - 4} exceeds the ${input.length - pos} bytes left`,
      );
    }
    const block = input.subarray(pos, pos + length);
    pos += length;
    if (length === 0) continue;
    total += rawSnappyUncompressedLength(block, codec);
    if (total > maxOutputBytes) throw decompressedSizeExceeded(codec, `>= ${total}`, maxOutputBytes);
    blocks.push(block);
  }
  const output = Buffer.allocUnsafe(total);
  let at = 0;
  for (const block of blocks) {
    const decoded = rawSnappyDecompress(block, total - at, codec);
    decoded.copy(output, at);
    at += decoded.length;
  }
  return output;
}
