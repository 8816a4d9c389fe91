import zookeeper, { type Client, type Event, type Stat } from 'node-zookeeper-client';
import type { Logger } from '../logger.js';

/** The facts of a znode's `Stat` Kafka's code uses. */
export interface ZkStat {
  /** Bumped by every setData: the fence of conditional updates (Kafka's zkVersion). */
  readonly version: number;
  /** The zxid that created the znode; a broker registration's czxid is its broker epoch (KIP-380). */
  readonly czxid: bigint;
  /** Session id of an ephemeral znode's owner, 0 for persistent ones. */
  readonly ephemeralOwner: bigint;
  readonly numChildren: number;
  /** Creation time, milliseconds since the epoch. */
  readonly ctimeMs: number;
}

/** One operation of a `multi` (ZooKeeper's atomic transaction). */
export type ZkOp =
  | { readonly op: 'create'; readonly path: string; readonly data?: Buffer | null; readonly ephemeral?: boolean }
  | { readonly op: 'setData'; readonly path: string; readonly data: Buffer; readonly version?: number }
  | { readonly op: 'delete'; readonly path: string; readonly version?: number }
  | { readonly op: 'check'; readonly path: string; readonly version: number };

/** ZooKeeper's error codes, as `ZkError.code`. */
export const ZkCode = {
  CONNECTION_LOSS: -4,
  OPERATION_TIMEOUT: -7,
  NO_NODE: -101,
  BAD_VERSION: -103,
  NODE_EXISTS: -110,
  NOT_EMPTY: -111,
  SESSION_EXPIRED: -112,
} as const;

/** A failed ZooKeeper operation, with ZooKeeper's code and the path it was about. */
export class ZkError extends Error {
  constructor(
    readonly code: number,
    readonly path: string,
    message: string,
    /** For a failed `multi`: the index of the operation that failed. */
    readonly failedOp?: number,
  ) {
    super(message);
    this.name = 'ZkError';
  }
}

export function isZkError(err: unknown, code: number): boolean {
  return err instanceof ZkError && err.code === code;
}

/** Thrown when no session could be established in time (Kafka's ZooKeeperClientTimeoutException). */
export class ZkConnectionTimeoutError extends Error {
  constructor(connectString: string, timeoutMs: number) {
    super(
      `Timed out waiting for connection to ZooKeeper at ${connectString} after ${timeoutMs} ms while in state: CONNECTING`,
    );
    this.name = 'ZkConnectionTimeoutError';
  }
}

export interface KafkaZkClientOptions {
  /** `host:port[,host:port…][/chroot]` (zookeeper.connect). */
  readonly connect: string;
  /** zookeeper.session.timeout.ms */
  readonly sessionTimeoutMs: number;
  /** zookeeper.connection.timeout.ms: how long a (re)connect may take before it fails. */
  readonly connectionTimeoutMs: number;
  readonly logger: Logger;
}

type ChildHandler = () => void;
interface DataHandler {
  onCreate?(): void;
  onDelete?(): void;
  onChange?(): void;
}

/**
 * Samsa's ZooKeeper session, as Kafka's `KafkaZkClient`/`ZooKeeperClient` pair: promise-returning
 * operations, `multi` transactions, persistent change handlers by path, and session management.
 *
 * Watches: ZooKeeper watches fire once. A component registers a handler for a path (children or
 * data), then reads the path with `watch: true`; the one-shot watch set by that read calls the
 * path's handler, which reads again (re-arming the watch) — Kafka's model, which never misses a
 * change because the read after the event sees everything before it.
 *
 * Sessions: when ZooKeeper expires the session (the broker was away longer than
 * zookeeper.session.timeout.ms), its ephemeral znodes are gone. The client then opens a new
 * session, retrying until it succeeds, and calls the `onNewSession` listeners, which re-create
 * what they own (the broker registration) and re-read what they watch, retried until they succeed; `onSessionExpired`
 * listeners run first (the controller resigns). Operations during the gap fail with
 * SESSION_EXPIRED or CONNECTION_LOSS; reads are retried once the session is back.
 */
export class KafkaZkClient {
  private client: Client;
  private closed = false;
  private readonly childHandlers = new Map<string, ChildHandler>();
  private readonly dataHandlers = new Map<string, DataHandler>();
  private readonly expiredListeners = new Set<(expiredSessionId: bigint) => void>();
  private readonly newSessionListeners = new Set<() => void | Promise<void>>();
  private connected: Promise<void>;

  private constructor(
    private readonly options: KafkaZkClientOptions,
    client: Client,
  ) {
    this.client = client;
    this.connected = Promise.resolve();
    this.watchSession(client);
  }

  /**
   * Opens a session, creating the connect string's chroot first if it does not exist (as Kafka
   * does). Fails with ZkConnectionTimeoutError after `connectionTimeoutMs`.
   */
  static async connect(options: KafkaZkClientOptions): Promise<KafkaZkClient> {
    const { hosts, chroot } = splitConnectString(options.connect);
    if (chroot !== '') {
      const root = await openSession(hosts, options);
      try {
        await new Promise<void>((resolve, reject) =>
          root.mkdirp(chroot, (err) => (err ? reject(toZkError(err, chroot)) : resolve())),
        );
      } finally {
        root.close();
      }
    }
    const client = await openSession(options.connect, options);
    options.logger.info(
      `Connected to ZooKeeper at ${options.connect} (session 0x${client.getSessionId().toString('hex')})`,
    );
    return new KafkaZkClient(options, client);
  }

  /** The current session's id, for logs and ephemeral-owner checks. */
  get sessionId(): bigint {
    return this.client.getSessionId().readBigUInt64BE(0);
  }

  /** `listener` learns which session expired: work begun in it may already have finished in the next. */
  onSessionExpired(listener: (expiredSessionId: bigint) => void): () => void {
    this.expiredListeners.add(listener);
    return () => this.expiredListeners.delete(listener);
  }

  onNewSession(listener: () => void | Promise<void>): () => void {
    this.newSessionListeners.add(listener);
    return () => this.newSessionListeners.delete(listener);
  }

  private watchSession(client: Client): void {
    client.on('disconnected', () => {
      if (!this.closed && client === this.client) this.options.logger.warn('Disconnected from ZooKeeper; reconnecting');
    });
    client.on('expired', () => {
      if (this.closed || client !== this.client) return;
      this.options.logger.warn('ZooKeeper session expired; opening a new session');
      const expiredSessionId = client.getSessionId().readBigUInt64BE(0);
      for (const listener of this.expiredListeners) listener(expiredSessionId);
      // Operations wait for the new session; the listeners run once it is up (they use it).
      const renewed = this.renewSession(client);
      this.connected = renewed;
      void renewed.then(() => this.notifyNewSession());
    });
  }

  private async renewSession(expired: Client): Promise<void> {
    expired.close();
    for (;;) {
      if (this.closed) return;
      try {
        this.client = await openSession(this.options.connect, this.options);
        this.watchSession(this.client);
        break;
      } catch (err) {
        this.options.logger.warn({ err }, 'could not open a new ZooKeeper session; retrying');
        await sleep(1000);
      }
    }
    this.options.logger.info(`New ZooKeeper session 0x${this.client.getSessionId().toString('hex')}`);
  }

  /**
   * Runs each new-session listener until it succeeds: a listener that fails (the fresh connection
   * dropped again while ZooKeeper recovers) would otherwise leave this broker unregistered for
   * good. Listeners are idempotent; retrying stops when the session is replaced or the client closes.
   */
  private async notifyNewSession(): Promise<void> {
    const session = this.client;
    for (const listener of this.newSessionListeners) {
      for (;;) {
        if (this.closed || session !== this.client) return;
        try {
          await listener();
          break;
        } catch (err) {
          this.options.logger.error({ err }, 'ZooKeeper new-session handler failed; retrying in 1 s');
          await sleep(1000);
        }
      }
    }
  }

  registerChildChangeHandler(path: string, handler: ChildHandler): void {
    this.childHandlers.set(path, handler);
  }

  registerDataChangeHandler(path: string, handler: DataHandler): void {
    this.dataHandlers.set(path, handler);
  }

  unregisterChildChangeHandler(path: string): void {
    this.childHandlers.delete(path);
  }

  unregisterDataChangeHandler(path: string): void {
    this.dataHandlers.delete(path);
  }

  /** The one-shot watch behind `watch: true` reads: dispatches to the path's current handler. */
  private readonly watcher = (event: Event): void => {
    const path = event.getPath();
    if (event.getType() === zookeeper.Event.NODE_CHILDREN_CHANGED) {
      this.childHandlers.get(path)?.();
      return;
    }
    const handler = this.dataHandlers.get(path);
    if (handler === undefined) return;
    switch (event.getType()) {
      case zookeeper.Event.NODE_CREATED:
        handler.onCreate?.();
        break;
      case zookeeper.Event.NODE_DELETED:
        handler.onDelete?.();
        break;
      case zookeeper.Event.NODE_DATA_CHANGED:
        handler.onChange?.();
        break;
    }
  };

  /** Runs a read, waiting for the session and retrying after a connection loss. */
  private async read<T>(
    path: string,
    op: (client: Client, done: (err: unknown, value?: T) => void) => void,
  ): Promise<T> {
    for (let attempt = 0; ; attempt++) {
      await this.connected;
      try {
        return await new Promise<T>((resolve, reject) =>
          op(this.client, (err, value) => (err ? reject(toZkError(err, path)) : resolve(value as T))),
        );
      } catch (err) {
        const retriable =
          isZkError(err, ZkCode.CONNECTION_LOSS) ||
          isZkError(err, ZkCode.SESSION_EXPIRED) ||
          isZkError(err, ZkCode.OPERATION_TIMEOUT);
        if (!retriable || this.closed || attempt >= 30) throw err;
        await sleep(200);
      }
    }
  }

  private async write<T>(
    path: string,
    op: (client: Client, done: (err: unknown, value?: T) => void) => void,
  ): Promise<T> {
    await this.connected;
    return new Promise<T>((resolve, reject) =>
      op(this.client, (err, value) => (err ? reject(toZkError(err, path)) : resolve(value as T))),
    );
  }

  /** The znode's data and stat, or undefined if it does not exist. */
  async getData(path: string, options: { watch?: boolean } = {}): Promise<{ data: Buffer; stat: ZkStat } | undefined> {
    try {
      return await this.read(path, (client, done) => {
        const callback = (err: unknown, data: Buffer, stat: Stat) =>
          done(err, err ? undefined : { data: data ?? Buffer.alloc(0), stat: toStat(stat) });
        if (options.watch === true) client.getData(path, this.watcher, callback);
        else client.getData(path, callback);
      });
    } catch (err) {
      if (isZkError(err, ZkCode.NO_NODE)) {
        // Watch for the znode's creation, as Kafka's getDataAndStat with a registered handler does.
        if (options.watch === true) await this.exists(path, { watch: true });
        return undefined;
      }
      throw err;
    }
  }

  /** The znode's stat, or undefined; with `watch`, its creation, deletion or change is watched. */
  async exists(path: string, options: { watch?: boolean } = {}): Promise<ZkStat | undefined> {
    return this.read(path, (client, done) => {
      const callback = (err: unknown, stat: Stat) => done(err, stat ? toStat(stat) : undefined);
      if (options.watch === true) client.exists(path, this.watcher, callback);
      else client.exists(path, callback);
    });
  }

  /** Children names (sorted), or undefined if the znode does not exist. */
  async getChildren(path: string, options: { watch?: boolean } = {}): Promise<string[] | undefined> {
    try {
      return await this.read(path, (client, done) => {
        const callback = (err: unknown, children: string[]) => done(err, [...(children ?? [])].sort());
        if (options.watch === true) client.getChildren(path, this.watcher, callback);
        else client.getChildren(path, callback);
      });
    } catch (err) {
      if (isZkError(err, ZkCode.NO_NODE)) return undefined;
      throw err;
    }
  }

  /** Creates a znode; returns its path (with the sequence number for sequential modes). */
  create(
    path: string,
    data: Buffer | null,
    mode: 'persistent' | 'ephemeral' | 'persistent-sequential',
  ): Promise<string> {
    const createMode =
      mode === 'ephemeral'
        ? zookeeper.CreateMode.EPHEMERAL
        : mode === 'persistent-sequential'
          ? zookeeper.CreateMode.PERSISTENT_SEQUENTIAL
          : zookeeper.CreateMode.PERSISTENT;
    return this.write(path, (client, done) => {
      if (data === null) client.create(path, createMode, (err, created) => done(err, created));
      else client.create(path, data, createMode, (err, created) => done(err, created));
    });
  }

  /** Creates `path` and any missing parents (persistent, empty); an existing path is fine. */
  async createRecursive(path: string, data: Buffer | null = null): Promise<void> {
    try {
      await this.create(path, data, 'persistent');
    } catch (err) {
      if (isZkError(err, ZkCode.NODE_EXISTS)) return;
      if (!isZkError(err, ZkCode.NO_NODE)) throw err;
      await this.createRecursive(parentOf(path));
      await this.createRecursive(path, data);
    }
  }

  /** Sets data, conditionally on `version` (-1: any); returns the new stat. */
  setData(path: string, data: Buffer, version = -1): Promise<ZkStat> {
    return this.write(path, (client, done) =>
      client.setData(path, data, version, (err, stat) => done(err, stat ? toStat(stat) : undefined)),
    );
  }

  delete(path: string, version = -1): Promise<void> {
    return this.write(path, (client, done) => client.remove(path, version, (err) => done(err)));
  }

  /** Deletes a znode and everything under it; a missing znode is fine. */
  async deleteRecursive(path: string): Promise<void> {
    const children = await this.getChildren(path);
    if (children === undefined) return;
    for (const child of children) await this.deleteRecursive(`${path}/${child}`);
    try {
      await this.delete(path);
    } catch (err) {
      if (!isZkError(err, ZkCode.NO_NODE)) throw err;
    }
  }

  /**
   * Runs the operations atomically: all or none. A failure rejects with the ZkError of the first
   * failing operation (BAD_VERSION for a failed `check`, which is how a deposed controller finds out).
   */
  async multi(ops: readonly ZkOp[]): Promise<void> {
    await this.connected;
    return new Promise<void>((resolve, reject) => {
      const client = this.client;
      const t = client.transaction();
      for (const op of ops) {
        switch (op.op) {
          case 'create':
            t.create(
              op.path,
              op.data ?? Buffer.alloc(0),
              op.ephemeral === true ? zookeeper.CreateMode.EPHEMERAL : zookeeper.CreateMode.PERSISTENT,
            );
            break;
          case 'setData':
            t.setData(op.path, op.data, op.version ?? -1);
            break;
          case 'delete':
            t.remove(op.path, op.version ?? -1);
            break;
          case 'check':
            t.check(op.path, op.version);
            break;
        }
      }
      t.commit((err, results: { err?: number }[] | undefined) => {
        if (!err) {
          resolve();
          return;
        }
        const failedOp = (results ?? []).findIndex((r) => r.err !== undefined && r.err !== 0);
        const op = ops[failedOp];
        if (err instanceof zookeeper.Exception && op !== undefined) {
          reject(new ZkError(err.getCode(), op.path, `${err.getName()} for ${op.op} ${op.path}`, failedOp));
        } else reject(toZkError(err, ops[0]?.path ?? '/'));
      });
    });
  }

  close(): void {
    if (this.closed) return;
    this.closed = true;
    this.childHandlers.clear();
    this.dataHandlers.clear();
    this.client.close();
  }
}

/** `host:port,host:port/chroot` → the hosts part and the chroot ('' if none). */
export function splitConnectString(connect: string): { hosts: string; chroot: string } {
  const slash = connect.indexOf('/');
  if (slash < 0) return { hosts: connect, chroot: '' };
  const chroot = connect.slice(slash).replace(/\/+$/, '');
  return { hosts: connect.slice(0, slash), chroot: chroot === '/' ? '' : chroot };
}

function openSession(connect: string, options: KafkaZkClientOptions): Promise<Client> {
  const client = zookeeper.createClient(connect, {
    sessionTimeout: options.sessionTimeoutMs,
    spinDelay: 200,
    retries: 0,
  });
  return new Promise<Client>((resolve, reject) => {
    const timer = setTimeout(() => {
      client.close();
      reject(new ZkConnectionTimeoutError(connect, options.connectionTimeoutMs));
    }, options.connectionTimeoutMs);
    client.once('connected', () => {
      clearTimeout(timer);
      resolve(client);
    });
    client.connect();
  });
}

function toZkError(err: unknown, path: string): unknown {
  if (err instanceof zookeeper.Exception) {
    return new ZkError(err.getCode(), path, `${err.getName()} for ${path}`);
  }
  return err;
}

function toStat(stat: Stat): ZkStat {
  return {
    version: stat.version,
    czxid: stat.czxid.readBigInt64BE(0),
    ephemeralOwner: stat.ephemeralOwner.readBigUInt64BE(0),
    numChildren: stat.numChildren,
    ctimeMs: Number(stat.ctime.readBigInt64BE(0)),
  };
}

function parentOf(path: string): string {
  const i = path.lastIndexOf('/');
  return i <= 0 ? '/' : path.slice(0, i);
}

const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));
