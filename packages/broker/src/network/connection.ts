import type { Socket } from 'node:net';
import { FrameDecoder, KafkaError } from '@samsa/protocol';
import type { Logger } from '../logger.js';
import type { BufferPool } from '../memory/buffer-pool.js';
import type { KafkaPrincipal } from '../security/kafka-principal.js';
import { createSaslAuthenticator, type SaslListenerSettings } from '../security/listener-security.js';
import type { SaslServerAuthenticator } from '../security/sasl/sasl-server-authenticator.js';

/** The result of one request frame, in two parts (see FrameHandler). */
export interface RequestHandling {
  /**
   * Settles when the request's ordered work is done — for a pipelined request, its appends — and
   * its frame is no longer read. The connection starts the next pipelined request after it.
   */
  readonly ordered: Promise<void>;
  /** The response frame (buffers to write), `undefined` for none (acks=0), or `'close'`. */
  readonly response: Promise<Buffer[] | undefined | 'close'>;
}

/** What the connection asks of the dispatcher for each request frame. */
export interface FrameHandler {
  /** Whether requests of this API key may overlap on one connection. */
  isPipelined(apiKey: number): boolean;
  /**
   * Handles one request. Takes ownership of `frame`, a buffer from the connection's pool: the
   * handler returns it to the pool (or not) and the connection never touches it again.
   */
  handle(frame: Buffer, connection: ConnectionInfo): RequestHandling;
}

export interface ConnectionInfo {
  readonly id: string;
  readonly clientHost: string;
  readonly listenerName: string;
  readonly securityProtocol: string;
  /** Who the connection is: set by TLS client authentication or SASL, else User:ANONYMOUS. */
  principal: KafkaPrincipal;
  /** SASL listeners: the connection's authentication state. */
  readonly sasl?: SaslServerAuthenticator;
  /** Closes the connection once the current response is written (a refused authentication). */
  readonly closeAfterResponse: () => void;
  /** Reads nothing more from the client for `ms` (a client quota's throttle, KIP-219). */
  readonly mute: (ms: number) => void;
}

/** What a listener's security adds to a connection. */
export interface ConnectionSecurity {
  /** The principal known from the TLS handshake (SSL listeners), else ANONYMOUS. */
  readonly principal: KafkaPrincipal;
  readonly sasl?: SaslListenerSettings;
}

interface Slot {
  result: Buffer[] | undefined | 'close' | null;
}

/**
 * One client connection: splits the byte stream into frames, runs requests, and writes the
 * responses strictly in request order (Kafka's contract: a client matches responses by order as
 * well as correlation ID).
 *
 * Concurrency: Kafka processes one request per connection at a time. Samsa does too, except that
 * consecutive pipelined requests (Produce) overlap: each starts once the previous one's ordered
 * phase (its appends) has settled, so the log order is the request order, and then waits for
 * durability in parallel, which lets one producer's in-flight requests share an fsync (group
 * commit). A non-pipelined request waits for everything before it.
 *
 * Backpressure: reading pauses while too many requests are in flight or while the socket's
 * write buffer is full, so a client that does not read its responses cannot make the broker
 * buffer without bound.
 */
export class Connection {
  private readonly decoder: FrameDecoder;
  private readonly slots: Slot[] = [];
  /** The request chain: resolves when all non-pipelined work queued so far has completed. */
  private barrier: Promise<unknown> = Promise.resolve();
  /** Settles when the last pipelined request's ordered phase has: the next one starts after it. */
  private lastOrdered: Promise<unknown> = Promise.resolve();
  private pendingPipelined: Promise<unknown>[] = [];
  private closed = false;
  private paused = false;
  private closeRequested = false;
  private mutedUntilMs = 0;
  private muteTimer: NodeJS.Timeout | undefined;
  private authenticationTimer: NodeJS.Timeout | undefined;
  readonly info: ConnectionInfo;

  static readonly MAX_IN_FLIGHT = 64;

  constructor(
    private readonly socket: Socket,
    listener: { readonly listenerName: string; readonly securityProtocol: string },
    id: string,
    maxFrameBytes: number,
    private readonly handler: FrameHandler,
    private readonly bufferPool: BufferPool,
    private readonly logger: Logger,
    private readonly onClose: (connection: Connection) => void,
    security: ConnectionSecurity,
  ) {
    const saslSettings = security.sasl;
    // Before authentication a SASL connection may only send small frames (Kafka's
    // sasl.server.max.receive.size), so a stranger cannot make the broker allocate 100 MiB.
    this.decoder = new FrameDecoder(saslSettings?.maxReceiveBytes ?? maxFrameBytes, (size) => bufferPool.acquire(size));
    const info: ConnectionInfo = {
      id,
      clientHost: socket.remoteAddress ?? 'unknown',
      listenerName: listener.listenerName,
      securityProtocol: listener.securityProtocol,
      principal: security.principal,
      closeAfterResponse: () => {
        this.closeRequested = true;
      },
      mute: (ms) => this.mute(ms),
      ...(saslSettings === undefined
        ? {}
        : {
            sasl: createSaslAuthenticator(saslSettings, (principal) => {
              info.principal = principal;
              this.decoder.setMaxFrameBytes(maxFrameBytes);
              if (this.authenticationTimer !== undefined) clearTimeout(this.authenticationTimer);
              clearTimeout(this.muteTimer);
              this.authenticationTimer = undefined;
            }),
          }),
    };
    this.info = info;
    if (saslSettings !== undefined) {
      this.authenticationTimer = setTimeout(() => {
        this.logger.info(
          { connection: id, client: info.clientHost },
          `closing connection: not authenticated within ${saslSettings.authenticationTimeoutMs} ms`,
        );
        this.close();
      }, saslSettings.authenticationTimeoutMs);
      this.authenticationTimer.unref();
    }
    socket.setNoDelay(true);
    socket.on('data', (chunk: Buffer) => this.onData(chunk));
    socket.on('drain', () => this.maybeResume());
    socket.on('error', (err) => this.logger.debug({ err, connection: id }, 'connection error'));
    socket.on('close', () => {
      this.closed = true;
      if (this.authenticationTimer !== undefined) clearTimeout(this.authenticationTimer);
      this.onClose(this);
    });
  }

  private onData(chunk: Buffer): void {
    let frames: Buffer[];
    try {
      frames = this.decoder.push(chunk);
    } catch (err) {
      // Oversized or negative frame sizes (including a TLS ClientHello on a plaintext port)
      // close the connection before anything is allocated, as Kafka's InvalidReceiveException.
      this.logger.warn(
        { connection: this.info.id, client: this.info.clientHost, reason: (err as Error).message },
        'closing connection: invalid frame',
      );
      this.close();
      return;
    }
    for (const frame of frames) this.enqueue(frame);
  }

  private enqueue(frame: Buffer): void {
    if (this.closed) return;
    const slot: Slot = { result: null };
    this.slots.push(slot);
    // Nothing is pipelined before SASL authentication: a frame may be a raw token, not a request.
    const pipelined =
      this.info.sasl?.authenticated !== false && frame.length >= 2 && this.handler.isPipelined(frame.readInt16BE(0));
    let releaseNext: () => void = noop;
    const run = (): Promise<void> => {
      if (this.closed) {
        releaseNext();
        return Promise.resolve();
      }
      let handling: RequestHandling;
      try {
        handling = this.handler.handle(frame, this.info);
      } catch (err) {
        handling = { ordered: Promise.resolve(), response: Promise.reject(err) };
      }
      handling.ordered.then(releaseNext, releaseNext);
      return handling.response.then(
        (result) => this.complete(slot, result),
        (err: unknown) => {
          this.logger.error({ err, connection: this.info.id }, 'request failed; closing connection');
          this.complete(slot, 'close');
        },
      );
    };
    if (pipelined) {
      // Starts after everything non-pipelined before it and after the previous pipelined request's
      // ordered phase; its own ordered phase gates the next pipelined request.
      const gate = Promise.all([this.barrier, this.lastOrdered]);
      this.lastOrdered = new Promise<void>((resolve) => {
        releaseNext = resolve;
      });
      this.pendingPipelined.push(gate.then(run));
      // A producer-only connection never reaches a barrier; keep the list short.
      if (this.pendingPipelined.length > Connection.MAX_IN_FLIGHT)
        this.pendingPipelined = [Promise.all(this.pendingPipelined)];
    } else {
      const waitFor = [this.barrier, ...this.pendingPipelined];
      this.pendingPipelined = [];
      this.barrier = Promise.all(waitFor).then(run);
    }
    if (this.slots.length >= Connection.MAX_IN_FLIGHT) this.pause();
  }

  private complete(slot: Slot, result: Buffer[] | undefined | 'close'): void {
    slot.result = result;
    // Flush every finished response at the head of the queue, in order.
    let wrote = false;
    while (this.slots.length > 0) {
      const head = this.slots[0] as Slot;
      if (head.result === null) break;
      this.slots.shift();
      if (head.result === 'close') {
        this.close();
        return;
      }
      if (head.result !== undefined && !this.closed) {
        if (!wrote) this.socket.cork();
        wrote = true;
        this.writeResponse(head.result);
      }
      if (this.closeRequested) {
        if (wrote) this.socket.uncork();
        this.close();
        return;
      }
    }
    if (wrote) this.socket.uncork();
    this.maybeResume();
  }

  /**
   * Writes one response. Chunks from the buffer pool (fetched records) go back to the pool
   * once the socket has handed every byte of the response to the kernel (the callback of its
   * last write); after a failed write they are left to the garbage collector.
   */
  private writeResponse(chunks: Buffer[]): void {
    let pooled: Buffer[] | undefined;
    for (const chunk of chunks) if (this.bufferPool.owns(chunk)) (pooled ??= []).push(chunk);
    const last = chunks.length - 1;
    for (let i = 0; i < last; i++) this.socket.write(chunks[i] as Buffer);
    if (last < 0) return;
    if (pooled === undefined) {
      this.socket.write(chunks[last] as Buffer);
      return;
    }
    const toRelease = pooled;
    this.socket.write(chunks[last] as Buffer, (err) => {
      if (err === undefined || err === null) for (const b of toRelease) this.bufferPool.release(b);
    });
  }

  private mute(ms: number): void {
    const until = Date.now() + ms;
    if (until <= this.mutedUntilMs) return;
    this.mutedUntilMs = until;
    this.pause();
    clearTimeout(this.muteTimer);
    this.muteTimer = setTimeout(() => {
      this.mutedUntilMs = 0;
      this.maybeResume();
    }, ms);
    this.muteTimer.unref();
  }

  private pause(): void {
    if (!this.paused) {
      this.paused = true;
      this.socket.pause();
    }
  }

  private maybeResume(): void {
    if (
      this.paused &&
      this.mutedUntilMs === 0 &&
      this.slots.length < Connection.MAX_IN_FLIGHT / 2 &&
      !this.socket.writableNeedDrain
    ) {
      this.paused = false;
      this.socket.resume();
    } else if (!this.paused && this.socket.writableNeedDrain) {
      this.pause();
    }
  }

  close(): void {
    if (this.closed) return;
    this.closed = true;
    this.socket.end();
    this.socket.destroySoon();
  }

  get isClosed(): boolean {
    return this.closed;
  }
}

export function isKafkaError(err: unknown): err is KafkaError {
  return err instanceof KafkaError;
}

function noop(): void {}
