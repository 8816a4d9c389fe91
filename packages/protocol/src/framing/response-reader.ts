import { FrameDecoder } from './frame-decoder.js';

/** What one read into the read buffer can deliver at most. */
const READ_BUFFER_BYTES = 256 * 1024;
/** A frame's missing part at least this large is read straight into the frame; a smaller one is not worth a read of its own. */
const DIRECT_READ_MIN_BYTES = 64 * 1024;

/**
 * One read buffer for every reader of the process. A read lands in it and is consumed before
 * its callback returns (frames copied out, a partial frame copied into its own buffer), and
 * reads run one at a time on the event loop, so readers can share it: a client with many
 * connections holds 256 KiB, not 256 KiB per connection.
 */
let sharedReadBuffer: Buffer | undefined;

function readBuffer(): Buffer {
  sharedReadBuffer ??= Buffer.allocUnsafeSlow(READ_BUFFER_BYTES);
  return sharedReadBuffer;
}

/**
 * Turns the reads of a client socket (replica fetches of a broker's inter-broker client, a
 * consumer's fetches) into response frames, with Node's `onread` deciding where each read lands
 * instead of a fresh buffer per read. Between frames and for small ones, reads go into one read
 * buffer, shared by the process's readers; frames lying whole inside it are copied out (the next
 * read overwrites it). Once a large frame's size is known, its buffer (from `allocate`: a broker's
 * pool, or fresh) is allocated and the rest of it is read straight into it: a megabyte of
 * fetched batches is copied once, by the kernel, not read into chunks and copied again.
 */
export class ResponseReader {
  private readonly decoder: FrameDecoder;
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
    return tail !== undefined && tail.length >= DIRECT_READ_MIN_BYTES ? tail : readBuffer();
  }

  private received(bytes: number, buf: Uint8Array): void {
    let frames: Buffer[];
    try {
      const shared = readBuffer();
      if (buf !== shared) {
        const frame = this.decoder.filledDirectly(bytes);
        frames = frame === undefined ? [] : [frame];
      } else {
        frames = this.decoder.push(shared.subarray(0, bytes));
      }
    } catch (err) {
      this.onError(err as Error);
      return;
    }
    // Copied out before any frame is handed over: a receiver may start the next read.
    const own = frames.map((frame) => (frame.buffer === readBuffer().buffer ? this.copyOut(frame) : frame));
    for (const frame of own) this.onFrame(frame);
  }

  private copyOut(view: Buffer): Buffer {
    const own = this.allocate(view.length);
    view.copy(own);
    return own;
  }
}
