import { ProtocolDecodeError } from '../errors/kafka-error.js';

/**
 * Splits a byte stream into Kafka frames (4-byte big-endian size, then that many bytes).
 *
 * Sans-io: feed it the chunks a socket delivers, get whole frames back. A declared size that is
 * negative or above `maxFrameBytes` (the broker's `socket.request.max.bytes`) throws before any
 * allocation, so the caller can close the connection; nothing is buffered for it.
 *
 * Frames that arrive inside one chunk are returned as views of that chunk (no copy); only a
 * frame spanning chunks is assembled into a new buffer.
 */
export class FrameDecoder {
  private pending: Buffer[] = [];
  private pendingBytes = 0;
  /** Size of the frame being assembled, or -1 while its size prefix is incomplete. */
  private frameSize = -1;

  constructor(private readonly maxFrameBytes: number) {}

  /** Bytes received but not yet returned as a frame. */
  get bufferedBytes(): number {
    return this.pendingBytes;
  }

  push(chunk: Buffer): Buffer[] {
    const frames: Buffer[] = [];
    let data = chunk;
    if (this.pendingBytes > 0) {
      this.pending.push(chunk);
      this.pendingBytes += chunk.length;
      if (this.frameSize < 0) {
        if (this.pendingBytes < 4) return frames;
        const head = this.pending.length === 1 ? (this.pending[0] as Buffer) : Buffer.concat(this.pending);
        this.pending = [head];
        this.frameSize = this.checkSize(head.readInt32BE(0));
      }
      if (this.pendingBytes < 4 + this.frameSize) return frames;
      data = Buffer.concat(this.pending, this.pendingBytes);
      this.pending = [];
      this.pendingBytes = 0;
      this.frameSize = -1;
    }
    let pos = 0;
    while (data.length - pos >= 4) {
      const size = this.checkSize(data.readInt32BE(pos));
      if (data.length - pos - 4 < size) {
        this.frameSize = size;
        break;
      }
      frames.push(data.subarray(pos + 4, pos + 4 + size));
      pos += 4 + size;
    }
    if (pos < data.length) {
      const rest = data.subarray(pos);
      this.pending = [rest];
      this.pendingBytes = rest.length;
    }
    return frames;
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
