import { FrameDecoder } from './frame-decoder.js';

/** What one read into the read buffer can deliver at most. */
const READ_BUFFER_BYTES = 256 * 1024;
/** A frame's missing part at least this large is read straight into the frame; a smaller one is not worth a read of its own. */
const DIRECT_READ_MIN_BYTES = 64 * 1024;

/**
 * Turns the reads of a client socket (replica fetches of a broker's inter-broker client, a
 * consumer's fetches) into response frames, with Node's `onread` deciding where each read lands
 * instead of a fresh buffer per read. Between frames and for small ones, reads go into one read
 * buffer of the connection's; frames lying whole inside it are copied out (the next read
 * overwrites it). Once a large frame's size is known, its buffer (from `allocate`: a broker's
 * pool, or fresh) is allocated and the rest of it is read straight into it: a megabyte of
 * fetched batches is copied once, by the kernel, not read into chunks and copied again.
 */
export class ResponseReader {
  private readonly decoder: FrameDecoder;
  private readonly readBuffer = Buffer.allocUnsafeSlow(READ_BUFFER_BYTES);
  /** Receives each complete frame, in order; a frame belongs to the receiver. */
  onFrame: (frame: Buffer) => void = () => {};
  /** Receives a framing error (a size out of bounds); the connection must be dropped. */
  onError: (err: Error) => void = () => {};

  constructor(
    maxFrameBytes: number,
    private readonly allocate: (size: number) => Buffer,
  ) {
    this.decoder = new FrameDecoder(maxFrameBytes, allocate);
  }

  /** The `onread` option for `net.connect` (and `tls.connect`, where the decrypted bytes land). */
  get onread(): { buffer: () => Uint8Array; callback: (bytes: number, buf: Uint8Array) => boolean } {
    return {
      buffer: () => this.nextBuffer(),
      callback: (bytes, buf) => {
        this.received(bytes, buf);
        return true;
      },
    };
  }

  private nextBuffer(): Uint8Array {
    const tail = this.decoder.pendingTail;
    return tail !== undefined && tail.length >= DIRECT_READ_MIN_BYTES ? tail : this.readBuffer;
  }

  private received(bytes: number, buf: Uint8Array): void {
    let frames: Buffer[];
    try {
      if (buf !== this.readBuffer) {
        const frame = this.decoder.filledDirectly(bytes);
        frames = frame === undefined ? [] : [frame];
      } else {
        frames = this.decoder.push(this.readBuffer.subarray(0, bytes));
      }
    } catch (err) {
      this.onError(err as Error);
      return;
    }
    for (const frame of frames) this.onFrame(frame.buffer === this.readBuffer.buffer ? this.copyOut(frame) : frame);
  }

  private copyOut(view: Buffer): Buffer {
    const own = this.allocate(view.length);
    view.copy(own);
    return own;
  }
}
