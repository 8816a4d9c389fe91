import { ProtocolDecodeError } from '../errors/kafka-error.js';

/** Allocates the buffer a frame spanning several chunks is assembled in (e.g. from a pool). */
export type FrameAllocator = (size: number) => Buffer;

const defaultAllocate: FrameAllocator = (size) => Buffer.allocUnsafe(size);

/**
 * Splits a byte stream into Kafka frames (4-byte big-endian size, then that many bytes).
 *
 * Sans-io: feed it the chunks a socket delivers, get whole frames back. A declared size that is
 * negative or above `maxFrameBytes` (the broker's `socket.request.max.bytes`) throws before any
 * allocation, so the caller can close the connection; nothing is buffered for it.
 *
 * Frames that arrive inside one chunk are returned as views of that chunk (no copy). A frame
 * spanning chunks is copied, chunk by chunk as they arrive, into one buffer of exactly its size
 * from `allocate` — a broker passes a pool, so that large produce requests do not allocate (and
 * make the garbage collector free) a fresh buffer each. Each assembled frame has a buffer of its
 * own: no other frame shares it, so the caller may recycle it once done with the frame.
 */
export class FrameDecoder {
  /** Size prefix bytes of the next frame, while fewer than 4 have arrived. */
  private readonly head = Buffer.alloc(4);
  private headBytes = 0;
  /** The frame being assembled, and how much of it has arrived. */
  private frame: Buffer | undefined;
  private filled = 0;

  constructor(
    private maxFrameBytes: number,
    private readonly allocate: FrameAllocator = defaultAllocate,
  ) {}

  /**
   * Changes the largest frame accepted from the next size prefix on: a broker accepts only
   * `sasl.server.max.receive.size` before authentication, `socket.request.max.bytes` after.
   */
  setMaxFrameBytes(maxFrameBytes: number): void {
    this.maxFrameBytes = maxFrameBytes;
  }

  /** Bytes received but not yet returned as a frame. */
  get bufferedBytes(): number {
    return this.headBytes + (this.frame === undefined ? 0 : 4 + this.filled);
  }

  /**
   * The part of the frame being assembled that has not arrived yet, or undefined between frames.
   * A reader that controls where the socket reads (Node's `onread` with a buffer function) may
   * receive straight into it, then report the bytes with `filledDirectly` — a large frame then
   * lands in its buffer without passing through a chunk.
   */
  get pendingTail(): Buffer | undefined {
    return this.frame?.subarray(this.filled);
  }

  /** `bytes` were written straight into `pendingTail`: the frame, when that completed it. */
  filledDirectly(bytes: number): Buffer | undefined {
    const frame = this.frame;
    if (frame === undefined || bytes < 0 || this.filled + bytes > frame.length) {
      throw new RangeError(`${bytes} bytes do not fit the frame being assembled`);
    }
    this.filled += bytes;
    if (this.filled < frame.length) return undefined;
    this.frame = undefined;
    this.filled = 0;
    return frame;
  }

  push(chunk: Buffer): Buffer[] {
    const frames: Buffer[] = [];
    let pos = 0;
    // Finish what an earlier chunk started: the size prefix, then the frame's bytes.
    if (this.headBytes > 0) {
      const n = Math.min(4 - this.headBytes, chunk.length);
      chunk.copy(this.head, this.headBytes, 0, n);
      this.headBytes += n;
      pos = n;
      if (this.headBytes < 4) return frames;
      this.headBytes = 0;
      this.startFrame(this.checkSize(this.head.readInt32BE(0)));
    }
    if (this.frame !== undefined) {
      const frame = this.frame;
      const n = Math.min(frame.length - this.filled, chunk.length - pos);
      chunk.copy(frame, this.filled, pos, pos + n);
      this.filled += n;
      pos += n;
      if (this.filled < frame.length) return frames;
      frames.push(frame);
      this.frame = undefined;
      this.filled = 0;
    }
    // Whole frames inside this chunk are views of it.
    while (chunk.length - pos >= 4) {
      const size = this.checkSize(chunk.readInt32BE(pos));
      if (chunk.length - pos - 4 < size) break;
      frames.push(chunk.subarray(pos + 4, pos + 4 + size));
      pos += 4 + size;
    }
    // A partial frame at the end: its size prefix, or its size is known and assembly starts.
    const rest = chunk.length - pos;
    if (rest > 0 && rest < 4) {
      chunk.copy(this.head, 0, pos);
      this.headBytes = rest;
    } else if (rest >= 4) {
      const frame = this.startFrame(chunk.readInt32BE(pos));
      chunk.copy(frame, 0, pos + 4);
      this.filled = rest - 4;
    }
    return frames;
  }

  private startFrame(size: number): Buffer {
    const frame = this.allocate(size);
    this.frame = frame;
    this.filled = 0;
    return frame;
  }

  private checkSize(size: number): number {
    if (size < 0 || size > this.maxFrameBytes) {
      throw new ProtocolDecodeError(
        `frame size ${size} is outside 0..${this.maxFrameBytes} (socket.request.max.bytes)`,
      );
    }
    return size;
  }
}
