import * as fs from 'node:fs';
import { crc32c } from '@samsa/protocol';
import { defaultFdatasync, type FsyncFn } from '../util/file-ops.js';
import { readInt64, writeInt64 } from '../util/int64.js';
import { offsetFromFileName, PRODUCER_SNAPSHOT_FILE_SUFFIX, producerSnapshotFile } from '../util/log-file-utils.js';
import { type Logger, noopLogger } from '../util/logger.js';
import type { Time } from '../util/time.js';
import { type AppendOrigin, type CompletedTxn, ProducerAppendInfo, type TxnMetadata } from './producer-append-info.js';
import { type BatchMetadata, ProducerStateEntry } from './producer-state-entry.js';

export const DEFAULT_PRODUCER_ID_EXPIRATION_MS = 86_400_000;

/** What DescribeProducers reports for one producer. */
export interface ProducerStateInfo {
  readonly producerId: number;
  readonly producerEpoch: number;
  readonly lastSequence: number;
  readonly lastTimestamp: number;
  readonly coordinatorEpoch: number;
  /** First offset of the producer's ongoing transaction, -1 if none. */
  readonly currentTxnStartOffset: number;
}

export class CorruptSnapshotError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'CorruptSnapshotError';
  }
}

const SNAPSHOT_VERSION = 1;
const CRC_OFFSET = 2;
const ENTRIES_OFFSET = 6;
const ENTRY_SIZE = 8 + 2 + 4 + 8 + 4 + 8 + 4 + 8;

/**
 * Encodes Kafka's producer snapshot (`ProducerStateManager.writeSnapshot`, schema version 1):
 *   int16  version = 1
 *   uint32 crc          CRC-32C of everything after this field
 *   int32  entry count, then per producer:
 *     int64 producerId · int16 epoch · int32 lastSequence · int64 lastOffset · int32 offsetDelta ·
 *     int64 timestamp · int32 coordinatorEpoch · int64 currentTxnFirstOffset (-1 if none)
 * Only the last batch of each producer is stored, so after a restart duplicate detection covers
 * one batch per producer (as in Kafka).
 */
export function encodeSnapshot(entries: Iterable<ProducerStateEntry>): Buffer {
  const list = [...entries];
  const buf = Buffer.alloc(ENTRIES_OFFSET + 4 + list.length * ENTRY_SIZE);
  buf.writeInt16BE(SNAPSHOT_VERSION, 0);
  buf.writeInt32BE(list.length, ENTRIES_OFFSET);
  let pos = ENTRIES_OFFSET + 4;
  for (const e of list) {
    writeInt64(buf, e.producerId, pos);
    buf.writeInt16BE(e.producerEpoch, pos + 8);
    buf.writeInt32BE(e.lastSeq, pos + 10);
    writeInt64(buf, e.lastDataOffset, pos + 14);
    buf.writeInt32BE(e.lastOffsetDelta, pos + 22);
    writeInt64(buf, e.lastTimestamp, pos + 26);
    buf.writeInt32BE(e.coordinatorEpoch, pos + 34);
    writeInt64(buf, e.currentTxnFirstOffset, pos + 38);
    pos += ENTRY_SIZE;
  }
  buf.writeUInt32BE(crc32c(buf, ENTRIES_OFFSET), CRC_OFFSET);
  return buf;
}

export function decodeSnapshot(buf: Buffer): ProducerStateEntry[] {
  if (buf.length < ENTRIES_OFFSET + 4) throw new CorruptSnapshotError(`snapshot has only ${buf.length} bytes`);
  const version = buf.readInt16BE(0);
  if (version !== SNAPSHOT_VERSION) throw new CorruptSnapshotError(`snapshot has unknown version ${version}`);
  const stored = buf.readUInt32BE(CRC_OFFSET);
  const computed = crc32c(buf, ENTRIES_OFFSET);
  if (stored !== computed)
    throw new CorruptSnapshotError(`snapshot CRC mismatch: stored ${stored}, computed ${computed}`);
  const count = buf.readInt32BE(ENTRIES_OFFSET);
  if (count < 0 || buf.length !== ENTRIES_OFFSET + 4 + count * ENTRY_SIZE) {
    throw new CorruptSnapshotError(`snapshot size ${buf.length} does not match ${count} entries`);
  }
  const entries: ProducerStateEntry[] = [];
  let pos = ENTRIES_OFFSET + 4;
  for (let i = 0; i < count; i++) {
    const producerId = readInt64(buf, pos);
    const epoch = buf.readInt16BE(pos + 8);
    const lastSeq = buf.readInt32BE(pos + 10);
    const lastOffset = readInt64(buf, pos + 14);
    const offsetDelta = buf.readInt32BE(pos + 22);
    const timestamp = readInt64(buf, pos + 26);
    const coordinatorEpoch = buf.readInt32BE(pos + 34);
    const currentTxnFirstOffset = readInt64(buf, pos + 38);
    const batches: BatchMetadata[] = lastOffset >= 0 ? [{ lastSeq, lastOffset, offsetDelta, timestamp }] : [];
    entries.push(
      new ProducerStateEntry(
        producerId,
        epoch,
        coordinatorEpoch,
        timestamp,
        currentTxnFirstOffset >= 0 ? currentTxnFirstOffset : -1,
        batches,
      ),
    );
    pos += ENTRY_SIZE;
  }
  return entries;
}

export interface ProducerStateManagerOptions {
  readonly dir: string;
  readonly time: Time;
  readonly producerIdExpirationMs?: number;
  readonly logger?: Logger;
  readonly fsync?: FsyncFn;
}

/**
 * Per-partition idempotent/transactional producer state (Kafka's `ProducerStateManager`): the
 * last batches of every producer, ongoing transactions (for the LSO) and completed transactions
 * whose marker is not yet below the high watermark.
 *
 * `lastMapOffset` is the log offset up to which the state reflects the log. Snapshots
 * (`<offset>.snapshot`, see encodeSnapshot) capture the state at an offset: one is taken at each
 * segment roll (named by the new segment's base offset) and at clean shutdown (named by the log
 * end offset). Loading = latest valid snapshot ≤ target, then replay of the log after it.
 *
 * Snapshot writes: the file content is written synchronously (a few KB; no fsync) so that the
 * file exists the moment the roll happens; its fsync runs off the event loop and `flush()` awaits
 * every pending one.
 *
 * Not reentrant; called by its Log on the event loop only.
 */
export class ProducerStateManager {
  readonly producers = new Map<number, ProducerStateEntry>();
  /** Ongoing transactions by first offset (insertion is always in offset order). */
  private readonly ongoingTxns = new Map<number, TxnMetadata>();
  /** Completed transactions whose marker is at or above the high watermark. */
  private readonly unreplicatedTxns = new Map<number, TxnMetadata>();
  /** Offsets of snapshot files on disk, ascending. */
  private snapshots: number[] = [];
  private lastMapOffset = 0;
  private lastSnapOffset = 0;
  private pendingSyncs = new Set<Promise<void>>();
  private _dir: string;
  private readonly time: Time;
  readonly producerIdExpirationMs: number;
  private readonly logger: Logger;
  private readonly fsync: FsyncFn;

  constructor(opts: ProducerStateManagerOptions) {
    this._dir = opts.dir;
    this.time = opts.time;
    this.producerIdExpirationMs = opts.producerIdExpirationMs ?? DEFAULT_PRODUCER_ID_EXPIRATION_MS;
    this.logger = opts.logger ?? noopLogger;
    this.fsync = opts.fsync ?? defaultFdatasync;
    this.snapshots = listSnapshotOffsets(this.dir);
  }

  /** The partition directory holding the snapshots. */
  get dir(): string {
    return this._dir;
  }

  /** The partition directory was renamed (the files moved with it). */
  updateParentDir(dir: string): void {
    this._dir = dir;
  }

  /**
   * A future replica replacing the current one (AlterReplicaLogDirs) has the state of every
   * producer whose batches it copied, but not of those whose batches were all below the offset
   * the copy started at (retention had deleted them): they are taken from the current replica's
   * state, with their ongoing transaction if any, as a snapshot would restore them.
   */
  adoptMissingProducers(source: ProducerStateManager): void {
    for (const [producerId, entry] of source.producers) {
      if (this.producers.has(producerId)) continue;
      const [copy] = decodeSnapshot(encodeSnapshot([entry]));
      if (copy !== undefined) this.loadProducerEntry(copy);
    }
  }

  get mapEndOffset(): number {
    return this.lastMapOffset;
  }

  updateMapEndOffset(offset: number): void {
    this.lastMapOffset = offset;
  }

  latestSnapshotOffset(): number | undefined {
    return this.snapshots[this.snapshots.length - 1];
  }

  oldestSnapshotOffset(): number | undefined {
    return this.snapshots[0];
  }

  snapshotOffsets(): readonly number[] {
    return this.snapshots;
  }

  isEmpty(): boolean {
    return this.producers.size === 0 && this.unreplicatedTxns.size === 0;
  }

  lastEntry(producerId: number): ProducerStateEntry | undefined {
    return this.producers.get(producerId);
  }

  activeProducers(): ProducerStateInfo[] {
    return [...this.producers.values()].map((e) => ({
      producerId: e.producerId,
      producerEpoch: e.producerEpoch,
      lastSequence: e.lastSeq,
      lastTimestamp: e.lastTimestamp,
      coordinatorEpoch: e.coordinatorEpoch,
      currentTxnStartOffset: e.currentTxnFirstOffset,
    }));
  }

  prepareUpdate(producerId: number, origin: AppendOrigin): ProducerAppendInfo {
    const current = this.producers.get(producerId) ?? ProducerStateEntry.empty(producerId);
    return new ProducerAppendInfo(producerId, current, origin, (msg) => this.logger.warn(msg));
  }

  /** Applies a validated ProducerAppendInfo. */
  update(info: ProducerAppendInfo): void {
    const current = this.producers.get(info.producerId);
    if (current !== undefined) current.update(info.updatedEntry);
    else this.producers.set(info.producerId, info.updatedEntry);
    for (const txn of info.startedTransactions) this.ongoingTxns.set(txn.firstOffset, txn);
  }

  /**
   * The LSO to record in the transaction index for `txn`: the first offset of the earliest other
   * ongoing transaction, else the marker offset + 1.
   */
  lastStableOffset(txn: CompletedTxn): number {
    for (const t of this.ongoingTxns.values()) {
      if (t.producerId !== txn.producerId) return t.firstOffset;
    }
    return txn.lastOffset + 1;
  }

  completeTxn(txn: CompletedTxn): void {
    const meta = this.ongoingTxns.get(txn.firstOffset);
    if (meta === undefined)
      throw new Error(`attempted to complete transaction at ${txn.firstOffset} which was not started`);
    this.ongoingTxns.delete(txn.firstOffset);
    meta.lastOffset = txn.lastOffset;
    this.unreplicatedTxns.set(txn.firstOffset, meta);
  }

  /** Earliest offset that is undecided, or decided but with its marker not yet below the HW. */
  firstUnstableOffset(): number | undefined {
    let first: number | undefined;
    for (const k of this.ongoingTxns.keys()) if (first === undefined || k < first) first = k;
    for (const k of this.unreplicatedTxns.keys()) if (first === undefined || k < first) first = k;
    return first;
  }

  firstUndecidedOffset(): number | undefined {
    let first: number | undefined;
    for (const k of this.ongoingTxns.keys()) if (first === undefined || k < first) first = k;
    return first;
  }

  onHighWatermarkUpdated(highWatermark: number): void {
    this.removeUnreplicatedTransactions(highWatermark);
  }

  onLogStartOffsetIncremented(logStartOffset: number): void {
    this.removeUnreplicatedTransactions(logStartOffset);
    if (this.lastMapOffset < logStartOffset) this.lastMapOffset = logStartOffset;
    this.lastSnapOffset = this.latestSnapshotOffset() ?? logStartOffset;
  }

  private removeUnreplicatedTransactions(offset: number): void {
    for (const [k, t] of this.unreplicatedTxns)
      if (t.lastOffset >= 0 && t.lastOffset < offset) this.unreplicatedTxns.delete(k);
  }

  private isProducerExpired(nowMs: number, entry: ProducerStateEntry): boolean {
    return entry.currentTxnFirstOffset < 0 && nowMs - entry.lastTimestamp >= this.producerIdExpirationMs;
  }

  /** Forgets producers idle for longer than producerIdExpirationMs (never one with an ongoing transaction). */
  removeExpiredProducers(nowMs: number = this.time.milliseconds()): number {
    let removed = 0;
    for (const [id, entry] of this.producers) {
      if (this.isProducerExpired(nowMs, entry)) {
        this.producers.delete(id);
        removed++;
      }
    }
    return removed;
  }

  private loadProducerEntry(entry: ProducerStateEntry): void {
    this.producers.set(entry.producerId, entry);
    if (entry.currentTxnFirstOffset >= 0) {
      this.ongoingTxns.set(entry.currentTxnFirstOffset, {
        producerId: entry.producerId,
        firstOffset: entry.currentTxnFirstOffset,
        lastOffset: -1,
      });
    }
  }

  private loadFromSnapshot(logStartOffset: number, nowMs: number): void {
    for (;;) {
      const latest = this.latestSnapshotOffset();
      if (latest === undefined) {
        this.lastSnapOffset = logStartOffset;
        this.lastMapOffset = logStartOffset;
        return;
      }
      try {
        const entries = decodeSnapshot(fs.readFileSync(producerSnapshotFile(this.dir, latest)));
        for (const e of entries) if (!this.isProducerExpired(nowMs, e)) this.loadProducerEntry(e);
        this.lastSnapOffset = latest;
        this.lastMapOffset = latest;
        return;
      } catch (err) {
        this.logger.warn(`failed to load producer snapshot at offset ${latest}: ${(err as Error).message}`);
        this.removeAndDeleteSnapshot(latest);
      }
    }
  }

  /**
   * Drops snapshots outside (logStartOffset, logEndOffset] and, unless the state already ends at
   * logEndOffset, reloads it from the latest remaining snapshot. The caller then replays the log
   * from `mapEndOffset` to logEndOffset.
   */
  truncateAndReload(logStartOffset: number, logEndOffset: number, nowMs: number = this.time.milliseconds()): void {
    for (const offset of this.snapshots.slice()) {
      if (offset > logEndOffset || offset <= logStartOffset) this.removeAndDeleteSnapshot(offset);
    }
    if (logEndOffset !== this.lastMapOffset) {
      this.producers.clear();
      this.ongoingTxns.clear();
      this.unreplicatedTxns.clear();
      this.loadFromSnapshot(logStartOffset, nowMs);
    } else {
      this.onLogStartOffsetIncremented(logStartOffset);
    }
  }

  /** Forgets everything and deletes all snapshots; the state now starts at `offset`. */
  truncateFullyAndStartAt(offset: number): void {
    this.producers.clear();
    this.ongoingTxns.clear();
    this.unreplicatedTxns.clear();
    for (const s of this.snapshots.slice()) this.removeAndDeleteSnapshot(s);
    this.lastSnapOffset = 0;
    this.lastMapOffset = offset;
  }

  /** Writes a snapshot at mapEndOffset unless one exists there already (fsync runs in the background). */
  takeSnapshot(): void {
    if (this.lastMapOffset <= this.lastSnapOffset) return;
    const offset = this.lastMapOffset;
    const path = producerSnapshotFile(this.dir, offset);
    const data = encodeSnapshot(this.producers.values());
    const fd = fs.openSync(path, 'w');
    try {
      fs.writeSync(fd, data, 0, data.length, 0);
    } catch (err) {
      fs.closeSync(fd);
      throw err;
    }
    const sync = this.fsync(fd)
      .catch((err: Error) => this.logger.error(`failed to fsync producer snapshot ${path}: ${err.message}`))
      .finally(() => {
        fs.close(fd, () => {});
        this.pendingSyncs.delete(sync);
      });
    this.pendingSyncs.add(sync);
    if (!this.snapshots.includes(offset)) {
      this.snapshots.push(offset);
      this.snapshots.sort((a, b) => a - b);
    }
    this.lastSnapOffset = offset;
    this.logger.debug(`wrote producer snapshot at offset ${offset} with ${this.producers.size} producer ids`);
  }

  /** Resolves once every snapshot written so far is durable. */
  async flush(): Promise<void> {
    await Promise.all([...this.pendingSyncs]);
  }

  deleteSnapshotsBefore(offset: number): void {
    for (const s of this.snapshots.slice()) if (s < offset) this.removeAndDeleteSnapshot(s);
  }

  /**
   * Deletes snapshots that match no segment, except the latest one if it is above every segment
   * (the one written at clean shutdown). Kafka's `removeStraySnapshots`.
   */
  removeStraySnapshots(segmentBaseOffsets: readonly number[]): void {
    const bases = new Set(segmentBaseOffsets);
    const maxBase = segmentBaseOffsets.length === 0 ? undefined : Math.max(...segmentBaseOffsets);
    let latestStray: number | undefined;
    for (const s of this.snapshots.slice()) {
      if (bases.has(s)) continue;
      if (latestStray !== undefined) this.removeAndDeleteSnapshot(latestStray);
      latestStray = s;
    }
    if (latestStray !== undefined && maxBase !== undefined && latestStray < maxBase) {
      this.removeAndDeleteSnapshot(latestStray);
    }
  }

  private removeAndDeleteSnapshot(offset: number): void {
    this.snapshots = this.snapshots.filter((s) => s !== offset);
    try {
      fs.unlinkSync(producerSnapshotFile(this.dir, offset));
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'ENOENT') throw err;
    }
  }

  /** Re-reads the snapshot list (after the directory was renamed or files removed externally). */
  reloadSnapshotList(): void {
    this.snapshots = listSnapshotOffsets(this.dir);
  }
}

export function listSnapshotOffsets(dir: string): number[] {
  let names: string[];
  try {
    names = fs.readdirSync(dir);
  } catch {
    return [];
  }
  return names
    .filter((n) => n.endsWith(PRODUCER_SNAPSHOT_FILE_SUFFIX) && /^\d{20}\.snapshot$/.test(n))
    .map(offsetFromFileName)
    .sort((a, b) => a - b);
}
