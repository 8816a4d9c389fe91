// zstd-napi's low-level binding (contexts, streaming decompression, frame inspection), imported
// by its internal path: the package's public API hides what the size limits below need. Its
// version is pinned exactly in package.json because an internal path has no semver promise; no
// other file imports zstd-napi. Once Node >= 22.15 is the minimum, node:zlib's zstd (streaming,
// with ZSTD_d_windowLogMax and a maxOutputLength) can replace it and the native dependency goes.
import zstd from 'zstd-napi/binding.js';
import { KafkaError } from '../errors/kafka-error.js';
import { corruptCompressedData, decompressedSizeExceeded } from './compression-errors.js';

/** Kafka's default `compression.zstd.level` (ZSTD_CLEVEL_DEFAULT). */
export const ZSTD_DEFAULT_LEVEL = 3;

/**
 * Largest window we let a frame demand, as a power of two. A streaming decoder allocates the
 * window the frame header asks for (up to 2^27 by default) before producing a byte, so the limit
 * on output alone does not bound memory. Producers at Kafka's levels (1-22, default 3) use
 * windows of 2^21-2^27 for large inputs; 2^23 covers every level up to 19, and levels above that
 * are accepted when the caller's output limit is itself that large.
 */
const MIN_WINDOW_LOG_MAX = 23;
const MAX_WINDOW_LOG_MAX = 27;

// One context each, reused: these functions are synchronous, so calls never interleave.
let compressor: InstanceType<typeof zstd.CCtx> | undefined;
let decompressor: InstanceType<typeof zstd.DCtx> | undefined;
const STREAM_OUT_BYTES = zstd.dStreamOutSize();

export interface ZstdFrameOptions {
  /**
   * Whether the frame header declares the content size (zstd's default). Tests turn it off to
   * build frames like a streaming compressor's, whose size is unknown until decoded.
   */
  readonly contentSize?: boolean;
}

export function zstdCompress(input: Buffer, level = ZSTD_DEFAULT_LEVEL, options: ZstdFrameOptions = {}): Buffer {
  compressor ??= new zstd.CCtx();
  compressor.reset(zstd.ResetDirective.sessionAndParameters);
  compressor.setParameter(zstd.CParameter.compressionLevel, level);
  if (options.contentSize === false) compressor.setParameter(zstd.CParameter.contentSizeFlag, 0);
  const output = Buffer.allocUnsafe(zstd.compressBound(input.length));
  const written = compressor.compress2(output, input);
  return output.subarray(0, written);
}

/**
 * Decodes every frame of `input` with a streaming context, handing it output buffers no larger
 * than what is left of the limit (plus one byte, to notice an overflow), so memory stays within
 * `maxOutputBytes` + one stream buffer + the window. A frame that declares its content size is
 * checked against the limit before decoding starts.
 */
export function zstdDecompress(input: Buffer, maxOutputBytes: number): Buffer {
  const codec = 'zstd';
  checkDeclaredSizes(input, maxOutputBytes);
  decompressor ??= new zstd.DCtx();
  const dctx = decompressor;
  dctx.reset(zstd.ResetDirective.sessionAndParameters);
  const windowLogMax = Math.min(
    MAX_WINDOW_LOG_MAX,
    Math.max(MIN_WINDOW_LOG_MAX, Math.ceil(Math.log2(Math.max(1, maxOutputBytes)))),
  );
  dctx.setParameter(zstd.DParameter.windowLogMax, windowLogMax);
  const chunks: Buffer[] = [];
  let total = 0;
  let src = input;
  try {
    for (;;) {
      const dst = Buffer.allocUnsafe(Math.min(STREAM_OUT_BYTES, maxOutputBytes - total + 1));
      const [remaining, produced, consumed] = dctx.decompressStream(dst, src);
      total += produced;
      if (total > maxOutputBytes) throw decompressedSizeExceeded(codec, `> ${maxOutputBytes}`, maxOutputBytes);
      if (produced > 0) chunks.push(dst.subarray(0, produced));
      src = src.subarray(consumed);
      if (src.length === 0) {
        if (remaining === 0) break; // last frame complete and flushed
        if (produced < dst.length) throw corruptCompressedData(codec, 'truncated frame');
      } else if (produced === 0 && consumed === 0) {
        throw corruptCompressedData(codec, 'decoder made no progress');
      }
    }
  } catch (error) {
    dctx.reset(zstd.ResetDirective.sessionOnly);
    if (error instanceof KafkaError) throw error;
    throw corruptCompressedData(codec, (error as Error).message, error);
  }
  return chunks.length === 1 ? (chunks[0] as Buffer) : Buffer.concat(chunks, total);
}

/** Rejects early when the frames' declared content sizes already pass the limit. */
function checkDeclaredSizes(input: Buffer, maxOutputBytes: number): void {
  let declared = 0;
  let frame = input;
  try {
    while (frame.length > 0) {
      const size = zstd.getFrameContentSize(frame);
      if (size === null) return; // unknown: the streaming loop enforces the limit
      declared += size;
      if (declared > maxOutputBytes) break;
      frame = frame.subarray(zstd.findFrameCompressedSize(frame));
    }
  } catch (error) {
    throw corruptCompressedData('zstd', (error as Error).message, error);
  }
  if (declared > maxOutputBytes) throw decompressedSizeExceeded('zstd', declared, maxOutputBytes);
}
