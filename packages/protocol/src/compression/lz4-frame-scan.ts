import { corruptCompressedData, decompressedSizeExceeded } from './compression-errors.js';

/**
 * Walks the structure of LZ4 frames (the format Kafka's lz4 codec uses since message format v1,
 * https://github.com/lz4/lz4/blob/dev/doc/lz4_Frame_format.md) without decompressing:
 *
 *   magic        4 bytes LE  0x184D2204 (0x184D2A50-5F: skippable frame, then a 4-byte LE size)
 *   FLG          1 byte      version 01 (bits 7-6), block independence (5), block checksum (4),
 *                            content size (3), content checksum (2), reserved (1), dictionary ID (0)
 *   BD           1 byte      block maximum size (bits 6-4: 4 = 64 KiB … 7 = 4 MiB)
 *   content size 8 bytes LE  if FLG bit 3
 *   dict ID      4 bytes LE  if FLG bit 0
 *   HC           1 byte      header checksum
 *   blocks       4-byte LE size (high bit: stored uncompressed), data, 4-byte checksum if FLG bit 4;
 *                a size of 0 ends the frame, followed by a 4-byte content checksum if FLG bit 2
 *
 * The native decoder allocates as it goes and would happily inflate a bomb; this scan gives an
 * upper bound of the output from the block sizes alone (each block inflates to at most its
 * maximum size), and when that bound is above the caller's limit it counts the exact output by
 * walking the LZ4 sequences — token, literal length, literals, offset, match length — which
 * costs one pass over the compressed bytes and allocates nothing. It also finds truncated frames
 * and concatenated frames, which the native decoder silently cuts short.
 */
export interface Lz4FrameSpan {
  readonly start: number;
  readonly end: number;
  /** Most bytes the frame can inflate to: exact when `exact`, otherwise a bound from block sizes. */
  readonly maxOutputBytes: number;
  readonly exact: boolean;
}

const CODEC = 'lz4';
const FRAME_MAGIC = 0x184d2204;
const SKIPPABLE_MAGIC = 0x184d2a50;
const SKIPPABLE_MASK = 0xfffffff0;
const LEGACY_MAGIC = 0x184c2102;
const BLOCK_MAX_BYTES: Readonly<Record<number, number>> = {
  4: 64 * 1024,
  5: 256 * 1024,
  6: 1024 * 1024,
  7: 4 * 1024 * 1024,
};

interface FrameLayout {
  readonly start: number;
  readonly end: number;
  readonly blockMaxBytes: number;
  /** [dataStart, dataEnd, uncompressed] per block. */
  readonly blocks: readonly (readonly [number, number, boolean])[];
  readonly bound: number;
}

function layoutFrame(input: Buffer, start: number, maxOutputBytes: number): FrameLayout {
  let pos = start + 4;
  if (input.length - pos < 3) throw corruptCompressedData(CODEC, 'truncated frame descriptor');
  const flg = input[pos] as number;
  const bd = input[pos + 1] as number;
  pos += 2;
  if (flg >>> 6 !== 1) throw corruptCompressedData(CODEC, `frame version ${flg >>> 6} is not 1`);
  if ((flg & 0x02) !== 0 || (bd & 0x8f) !== 0) throw corruptCompressedData(CODEC, 'reserved descriptor bits are set');
  if ((flg & 0x01) !== 0) throw corruptCompressedData(CODEC, 'frames that need a dictionary are not supported');
  const blockMaxBytes = BLOCK_MAX_BYTES[(bd >>> 4) & 0x07];
  if (blockMaxBytes === undefined)
    throw corruptCompressedData(CODEC, `invalid block maximum size code ${(bd >>> 4) & 7}`);
  const blockChecksum = (flg & 0x10) !== 0;
  const contentChecksum = (flg & 0x04) !== 0;
  if ((flg & 0x08) !== 0) {
    if (input.length - pos < 9) throw corruptCompressedData(CODEC, 'truncated content size');
    const declared = input.readUInt32LE(pos) + input.readUInt32LE(pos + 4) * 0x100000000;
    if (declared > maxOutputBytes) throw decompressedSizeExceeded(CODEC, declared, maxOutputBytes);
    pos += 8;
  }
  pos += 1; // header checksum, verified by the native decoder
  const blocks: [number, number, boolean][] = [];
  let bound = 0;
  for (;;) {
    if (input.length - pos < 4) throw corruptCompressedData(CODEC, 'truncated frame: no end mark');
    const word = input.readUInt32LE(pos);
    pos += 4;
    if (word === 0) break;
    const uncompressed = word >= 0x80000000;
    const size = word & 0x7fffffff;
    if (size > blockMaxBytes)
      throw corruptCompressedData(CODEC, `block of ${size} bytes exceeds the frame's ${blockMaxBytes}`);
    if (size > input.length - pos) throw corruptCompressedData(CODEC, `truncated block: ${size} bytes declared`);
    blocks.push([pos, pos + size, uncompressed]);
    bound += uncompressed ? size : blockMaxBytes;
    pos += size + (blockChecksum ? 4 : 0);
  }
  if (contentChecksum) pos += 4;
  if (pos > input.length) throw corruptCompressedData(CODEC, 'truncated frame checksum');
  return { start, end: pos, blockMaxBytes, blocks, bound };
}

/** Exact output size of one compressed LZ4 block, from its sequences. */
export function lz4BlockOutputBytes(input: Buffer, start: number, end: number, blockMaxBytes: number): number {
  let pos = start;
  let out = 0;
  for (;;) {
    if (pos >= end) throw corruptCompressedData(CODEC, 'block ends inside a sequence');
    const token = input[pos++] as number;
    let literals = token >>> 4;
    if (literals === 15) {
      let byte: number;
      do {
        if (pos >= end) throw corruptCompressedData(CODEC, 'block ends inside a literal length');
        byte = input[pos++] as number;
        literals += byte;
      } while (byte === 255);
    }
    if (literals > end - pos) throw corruptCompressedData(CODEC, 'literals run past the block');
    pos += literals;
    out += literals;
    if (pos === end) break; // the last sequence has literals only
    if (end - pos < 2) throw corruptCompressedData(CODEC, 'block ends inside a match offset');
    const offset = (input[pos] as number) | ((input[pos + 1] as number) << 8);
    pos += 2;
    if (offset === 0) throw corruptCompressedData(CODEC, 'match offset 0');
    let match = token & 0x0f;
    if (match === 15) {
      let byte: number;
      do {
        if (pos >= end) throw corruptCompressedData(CODEC, 'block ends inside a match length');
        byte = input[pos++] as number;
        match += byte;
      } while (byte === 255);
    }
    out += match + 4;
    if (out > blockMaxBytes) throw corruptCompressedData(CODEC, `block inflates beyond ${blockMaxBytes} bytes`);
  }
  if (out > blockMaxBytes) throw corruptCompressedData(CODEC, `block inflates beyond ${blockMaxBytes} bytes`);
  return out;
}

/**
 * The data frames of `input` (skippable frames are dropped), each with its output bound.
 * Throws CORRUPT_MESSAGE if the structure is broken or the output would exceed `maxOutputBytes`.
 */
export function scanLz4Frames(input: Buffer, maxOutputBytes: number): Lz4FrameSpan[] {
  const layouts: FrameLayout[] = [];
  let pos = 0;
  let bound = 0;
  while (pos < input.length) {
    if (input.length - pos < 4) throw corruptCompressedData(CODEC, `${input.length - pos} trailing bytes`);
    const magic = input.readUInt32LE(pos);
    if ((magic & SKIPPABLE_MASK) >>> 0 === SKIPPABLE_MAGIC) {
      if (input.length - pos < 8) throw corruptCompressedData(CODEC, 'truncated skippable frame');
      const size = input.readUInt32LE(pos + 4);
      if (size > input.length - pos - 8) throw corruptCompressedData(CODEC, 'truncated skippable frame');
      pos += 8 + size;
      continue;
    }
    if (magic === LEGACY_MAGIC) throw corruptCompressedData(CODEC, 'the legacy LZ4 format is not supported');
    if (magic !== FRAME_MAGIC) throw corruptCompressedData(CODEC, `bad frame magic 0x${magic.toString(16)}`);
    const layout = layoutFrame(input, pos, maxOutputBytes);
    layouts.push(layout);
    bound += layout.bound;
    pos = layout.end;
  }
  if (layouts.length === 0) throw corruptCompressedData(CODEC, 'no LZ4 frame');
  if (bound <= maxOutputBytes) {
    return layouts.map((l) => ({ start: l.start, end: l.end, maxOutputBytes: l.bound, exact: false }));
  }
  // The block sizes allow more than the limit: count exactly, stopping as soon as it is passed.
  let total = 0;
  return layouts.map((l) => {
    let frameBytes = 0;
    for (const [start, end, uncompressed] of l.blocks) {
      frameBytes += uncompressed ? end - start : lz4BlockOutputBytes(input, start, end, l.blockMaxBytes);
      if (total + frameBytes > maxOutputBytes) {
        throw decompressedSizeExceeded(CODEC, `>= ${total + frameBytes}`, maxOutputBytes);
      }
    }
    total += frameBytes;
    return { start: l.start, end: l.end, maxOutputBytes: frameBytes, exact: true };
  });
}
