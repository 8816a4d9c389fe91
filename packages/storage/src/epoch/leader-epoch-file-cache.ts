import { type EpochEntry, LeaderEpochCheckpointFile } from '../checkpoint/checkpoint-file.js';
import { type Logger, noopLogger } from '../util/logger.js';

export const UNDEFINED_EPOCH = -1;
export const UNDEFINED_EPOCH_OFFSET = -1;

export interface EpochAndOffset {
  readonly epoch: number;
  readonly endOffset: number;
}

/**
 * Which leader epoch started at which offset (Kafka's `LeaderEpochFileCache`), the data behind
 * OffsetForLeaderEpoch and follower truncation. Persisted in `leader-epoch-checkpoint`.
 *
 * Invariant: entries are sorted by epoch and their start offsets strictly increase with it.
 * Assigning an entry that breaks this removes the entries it conflicts with (those with epoch ≥
 * the new epoch or start offset ≥ the new start offset), as Kafka does.
 *
 * Persistence model: the in-memory entries are authoritative and change synchronously (assign is
 * called from the append path). Each change schedules a rewrite of the checkpoint file (temp file,
 * fsync, rename) off the event loop; rewrites are coalesced and serialised. `flush()` resolves once
 * the file reflects every change made before the call. After a crash the file may lag; the log
 * loader truncates the cache to the recovered log end offset, and recovery re-assigns epochs from
 * the batches it rescans, so a lagging file is harmless.
 */
export class LeaderEpochFileCache {
  private epochs: EpochEntry[];
  private checkpoint: LeaderEpochCheckpointFile | undefined;
  private dirty = false;
  private persisting: Promise<void> | undefined;

  constructor(
    checkpointPath: string | undefined,
    private readonly logEndOffset: () => number = () => UNDEFINED_EPOCH_OFFSET,
    private readonly logger: Logger = noopLogger,
  ) {
    this.checkpoint = checkpointPath === undefined ? undefined : new LeaderEpochCheckpointFile(checkpointPath);
    let loaded: EpochEntry[] = [];
    try {
      loaded = this.checkpoint?.read() ?? [];
    } catch (err) {
      this.logger.warn(`ignoring unreadable leader epoch checkpoint: ${(err as Error).message}`);
    }
    this.epochs = [];
    for (const e of loaded) this.assignEntry(e);
  }

  /** The partition directory was renamed: later writes go to the checkpoint at its new path. */
  updateCheckpointPath(path: string): void {
    if (this.checkpoint !== undefined) this.checkpoint = new LeaderEpochCheckpointFile(path);
  }

  /** Records that `epoch` started at `startOffset`. A no-op if it is already the latest epoch and starts no later. */
  assign(epoch: number, startOffset: number): void {
    if (epoch < 0 || startOffset < 0) throw new RangeError(`invalid leader epoch entry (${epoch}, ${startOffset})`);
    if (this.assignEntry({ epoch, startOffset })) {
      this.logger.debug(`appended leader epoch ${epoch} starting at ${startOffset}`);
      this.scheduleWrite();
    }
  }

  private assignEntry(entry: EpochEntry): boolean {
    const latest = this.epochs[this.epochs.length - 1];
    if (latest !== undefined && entry.epoch === latest.epoch && entry.startOffset >= latest.startOffset) return false;
    this.epochs = this.epochs.filter((e) => e.epoch < entry.epoch && e.startOffset < entry.startOffset);
    this.epochs.push(entry);
    return true;
  }

  get latestEpoch(): number | undefined {
    return this.epochs[this.epochs.length - 1]?.epoch;
  }

  latestEntry(): EpochEntry | undefined {
    return this.epochs[this.epochs.length - 1];
  }

  earliestEntry(): EpochEntry | undefined {
    return this.epochs[0];
  }

  entries(): readonly EpochEntry[] {
    return this.epochs;
  }

  /** The epoch in force at `offset`: the entry with the greatest start offset ≤ offset. */
  epochForOffset(offset: number): number | undefined {
    let result: number | undefined;
    for (const e of this.epochs) {
      if (e.startOffset <= offset) result = e.epoch;
      else break;
    }
    return result;
  }

  /**
   * OffsetForLeaderEpoch: the largest epoch ≤ requestedEpoch this replica knows, and the start
   * offset of the first epoch after requestedEpoch (or the log end offset if requestedEpoch is
   * the latest). (-1, -1) if requestedEpoch is undefined or newer than anything known.
   */
  endOffsetFor(requestedEpoch: number, logEndOffset: number = this.logEndOffset()): EpochAndOffset {
    if (requestedEpoch === UNDEFINED_EPOCH) return { epoch: UNDEFINED_EPOCH, endOffset: UNDEFINED_EPOCH_OFFSET };
    if (this.latestEpoch === requestedEpoch) return { epoch: requestedEpoch, endOffset: logEndOffset };
    const higher = this.epochs.find((e) => e.epoch > requestedEpoch);
    if (higher === undefined) return { epoch: UNDEFINED_EPOCH, endOffset: UNDEFINED_EPOCH_OFFSET };
    let floor: EpochEntry | undefined;
    for (const e of this.epochs) if (e.epoch <= requestedEpoch) floor = e;
    return { epoch: floor === undefined ? requestedEpoch : floor.epoch, endOffset: higher.startOffset };
  }

  /** Removes entries starting at or after `endOffset` (log truncation). */
  truncateFromEnd(endOffset: number): void {
    const latest = this.latestEntry();
    if (endOffset < 0 || latest === undefined || latest.startOffset < endOffset) return;
    this.epochs = this.epochs.filter((e) => e.startOffset < endOffset);
    this.scheduleWrite();
  }

  /**
   * Log start offset moved to `startOffset`: drops entries wholly before it and moves the start of
   * the epoch in force at `startOffset` up to it.
   */
  truncateFromStart(startOffset: number): void {
    let lastRemoved: EpochEntry | undefined;
    const kept: EpochEntry[] = [];
    for (const e of this.epochs) {
      if (e.startOffset <= startOffset) lastRemoved = e;
      else kept.push(e);
    }
    if (lastRemoved === undefined) return;
    if (lastRemoved.startOffset === startOffset && kept.length === this.epochs.length - 1) return;
    this.epochs = [{ epoch: lastRemoved.epoch, startOffset }, ...kept];
    this.scheduleWrite();
  }

  clear(): void {
    if (this.epochs.length === 0) return;
    this.epochs = [];
    this.scheduleWrite();
  }

  private scheduleWrite(): void {
    if (this.checkpoint === undefined) return;
    this.dirty = true;
    if (this.persisting === undefined) this.persisting = this.persistLoop();
  }

  private async persistLoop(): Promise<void> {
    try {
      while (this.dirty) {
        this.dirty = false;
        await this.checkpoint?.write(this.epochs);
      }
    } catch (err) {
      this.logger.error(`failed to write leader epoch checkpoint: ${(err as Error).message}`);
      this.dirty = true;
    } finally {
      this.persisting = undefined;
    }
  }

  /** Resolves once the checkpoint file holds every change made before the call. */
  async flush(): Promise<void> {
    while (this.persisting !== undefined || this.dirty) {
      if (this.persisting === undefined) this.persisting = this.persistLoop();
      await this.persisting;
      if (this.dirty && this.persisting === undefined) {
        throw new Error('leader epoch checkpoint write failed');
      }
    }
  }
}
