/**
 * The KIP-932 share-partition state machine: which offsets of one topic-partition a share group
 * has handed out, to whom, how often, and which are done.
 *
 * Offsets below `startOffset` (the share-partition start offset, SPSO) are done. Offsets in
 * [startOffset, endOffset) are in flight, each AVAILABLE, ACQUIRED (by one member, until a lock
 * deadline), ACKNOWLEDGED or ARCHIVED, with a delivery count. Offsets at or past `endOffset` have
 * never been handed out. `startOffset` always sits on an offset that is not done (or equals
 * `endOffset`), so the in-flight window never begins with finished work.
 *
 * The window is bounded by `maxInFlightRecords` (Kafka's group.share.partition.max.record.locks),
 * so the per-offset state lives in flat typed arrays indexed by `offset - startOffset`, shifted
 * down when `startOffset` advances. Pure and synchronous: the owner does the log reads, the
 * persistence and the timers.
 */

export const RecordState = { AVAILABLE: 1, ACQUIRED: 2, ACKNOWLEDGED: 4, ARCHIVED: 8 } as const;
export type RecordState = (typeof RecordState)[keyof typeof RecordState];

export const AcknowledgeType = { GAP: 0, ACCEPT: 1, RELEASE: 2, REJECT: 3 } as const;
export type AcknowledgeType = (typeof AcknowledgeType)[keyof typeof AcknowledgeType];

export interface SharePartitionConfig {
  /** group.share.record.lock.duration.ms */
  recordLockDurationMs: number;
  /** group.share.delivery.count.limit */
  deliveryCountLimit: number;
  /** group.share.partition.max.record.locks */
  maxInFlightRecords: number;
}

export interface AcquiredRange {
  firstOffset: number;
  lastOffset: number;
  deliveryCount: number;
}

/** A record batch read from the log; offsets inclusive. */
export interface FetchedBatch {
  baseOffset: number;
  lastOffset: number;
}

/** One entry of a ShareFetch/ShareAcknowledge acknowledgement: one type for the range, or one per offset. */
export interface AcknowledgementBatch {
  firstOffset: number;
  lastOffset: number;
  acknowledgeTypes: number[];
}

/** The offsets a log read covered: from where it started to the end of its last whole batch. */
export interface LogRead {
  startOffset: number;
  endOffset: number;
}

export interface InFlightRange {
  firstOffset: number;
  lastOffset: number;
  state: number;
  deliveryCount: number;
}

export type AcknowledgeResult = 'ok' | 'INVALID_RECORD_STATE' | 'INVALID_REQUEST';

const KNOWN_STATES: ReadonlySet<number> = new Set(Object.values(RecordState));

function isDone(state: number): boolean {
  return state === RecordState.ACKNOWLEDGED || state === RecordState.ARCHIVED;
}

export class SharePartition {
  private start: number;
  private end: number;
  // Per in-flight offset, indexed by `offset - start`; assigned by allocate().
  private state!: Uint8Array;
  private deliveryCount!: Uint16Array;
  private lockDeadlineMs!: Float64Array;
  private owner!: Array<string | undefined>;
  // Kept by setState so canAcquire() and acquiredCount() need no scan.
  private acquired = 0;
  private available = 0;

  constructor(
    startOffset: number,
    private readonly config: SharePartitionConfig,
  ) {
    this.start = startOffset;
    this.end = startOffset;
    this.allocate(Math.max(1, config.maxInFlightRecords));
  }

  /**
   * Rebuild from persisted `inFlightRanges()` output. An acquisition does not survive a restart:
   * ACQUIRED entries are released by the usual rule (AVAILABLE, or ARCHIVED once their delivery
   * count reached the limit, so a record is never delivered more than the limit). Offsets the
   * ranges leave out are AVAILABLE with delivery count 0: never delivered.
   */
  static restore(startOffset: number, ranges: readonly InFlightRange[], config: SharePartitionConfig): SharePartition {
    const partition = new SharePartition(startOffset, config);
    let endOffset = startOffset;
    for (const range of ranges) endOffset = Math.max(endOffset, range.lastOffset + 1);
    // Only a window persisted under a larger bound needs more room than the configured one.
    if (endOffset - startOffset > partition.state.length) partition.allocate(endOffset - startOffset);
    partition.track(endOffset - startOffset);
    for (const range of ranges) {
      if (!KNOWN_STATES.has(range.state)) throw new RangeError(`Unknown share record state ${range.state}`);
      for (let offset = Math.max(range.firstOffset, startOffset); offset <= range.lastOffset; offset++) {
        const i = offset - startOffset;
        partition.deliveryCount[i] = range.deliveryCount;
        partition.setState(i, range.state === RecordState.ACQUIRED ? partition.releasedState(i) : range.state);
      }
    }
    partition.advancePastDonePrefix();
    return partition;
  }

  get startOffset(): number {
    return this.start;
  }

  get endOffset(): number {
    return this.end;
  }

  nextFetchOffset(): number {
    if (this.available > 0) {
      const i = this.state.subarray(0, this.end - this.start).indexOf(RecordState.AVAILABLE);
      if (i >= 0) return this.start + i;
    }
    return this.end;
  }

  canAcquire(): boolean {
    return this.available > 0 || this.end - this.start < this.config.maxInFlightRecords;
  }

  /**
   * Take the AVAILABLE and new offsets of `batches` for `memberId`. Kafka hands out whole batches,
   * so `maxRecords` is checked only between batches. New offsets stop at the in-flight bound even
   * mid-batch: the bound is what keeps this structure's memory fixed, and a client only keeps the
   * records inside its acquired ranges.
   */
  acquire(
    memberId: string,
    batches: readonly FetchedBatch[],
    maxRecords: number,
    nowMs: number,
    read?: LogRead,
  ): AcquiredRange[] {
    if (read !== undefined) this.archiveMissing(batches, read);
    const ranges: AcquiredRange[] = [];
    const deadlineMs = nowMs + this.config.recordLockDurationMs;
    let taken = 0;
    // Offsets below `cursor` were already looked at; guards against overlapping input batches.
    let cursor = this.start;
    let full = false;
    for (const batch of batches) {
      if (taken >= maxRecords || full) break;
      for (let offset = Math.max(batch.baseOffset, cursor, this.start); offset <= batch.lastOffset; offset++) {
        if (offset >= this.end) {
          // Offsets the log skipped (compaction, aborted transactions) are archived, not handed out.
          if (offset > this.end && !this.archiveGapUpTo(offset)) {
            full = true;
            break;
          }
          if (this.end - this.start >= this.config.maxInFlightRecords) {
            full = true;
            break;
          }
          this.track(1);
        }
        const i = offset - this.start;
        if (this.state[i] !== RecordState.AVAILABLE) continue;
        const count = this.deliveryCount[i]! + 1;
        this.deliveryCount[i] = count;
        this.lockDeadlineMs[i] = deadlineMs;
        this.owner[i] = memberId;
        this.setState(i, RecordState.ACQUIRED);
        taken++;
        const last = ranges[ranges.length - 1];
        if (last?.lastOffset === offset - 1 && last.deliveryCount === count) last.lastOffset = offset;
        else ranges.push({ firstOffset: offset, lastOffset: offset, deliveryCount: count });
      }
      cursor = Math.max(cursor, batch.lastOffset + 1);
    }
    // The read went on past its last data batch (transaction markers, aborted batches): those
    // offsets hold nothing to deliver. Left untracked, every fetch would read them again.
    if (read !== undefined && !full && taken < maxRecords && read.endOffset > this.end) {
      this.archiveGapUpTo(read.endOffset);
    }
    this.advancePastDonePrefix();
    return ranges;
  }

  /**
   * AVAILABLE offsets the read covered that no data batch holds are gone from the log (compacted
   * away, or markers and aborted batches): archive them, or the window would never move past them.
   */
  private archiveMissing(batches: readonly FetchedBatch[], read: LogRead): void {
    const from = Math.max(read.startOffset, this.start);
    const to = Math.min(read.endOffset, this.end);
    let b = 0;
    for (let offset = from; offset < to; offset++) {
      while (b < batches.length && (batches[b] as FetchedBatch).lastOffset < offset) b++;
      const covered = b < batches.length && (batches[b] as FetchedBatch).baseOffset <= offset;
      const i = offset - this.start;
      if (!covered && this.state[i] === RecordState.AVAILABLE) this.finish(i, RecordState.ARCHIVED);
    }
  }

  /**
   * Apply `memberId`'s acknowledgements, batch by batch: a batch is applied whole or not at all.
   * Returns the first error met, in batch order; the valid batches are applied regardless.
   */
  acknowledge(memberId: string, batches: readonly AcknowledgementBatch[]): AcknowledgeResult {
    let result: AcknowledgeResult = 'ok';
    for (const batch of batches) {
      const error = this.validateAcknowledgement(memberId, batch);
      if (error !== undefined) {
        if (result === 'ok') result = error;
        continue;
      }
      const types = batch.acknowledgeTypes;
      for (let offset = batch.firstOffset; offset <= batch.lastOffset; offset++) {
        const i = offset - this.start;
        const type = types.length === 1 ? types[0] : types[offset - batch.firstOffset];
        // A GAP may name an offset already done; it stays as it is.
        if (isDone(this.state[i]!)) continue;
        if (type === AcknowledgeType.ACCEPT) this.finish(i, RecordState.ACKNOWLEDGED);
        else if (type === AcknowledgeType.RELEASE) this.finish(i, this.releasedState(i));
        else this.finish(i, RecordState.ARCHIVED);
      }
    }
    this.advancePastDonePrefix();
    return result;
  }

  releaseMember(memberId: string): number {
    return this.releaseWhere((i) => this.owner[i] === memberId);
  }

  expireLocks(nowMs: number): number {
    return this.releaseWhere((i) => this.lockDeadlineMs[i]! <= nowMs);
  }

  nextLockDeadlineMs(): number | undefined {
    let earliestMs = Number.POSITIVE_INFINITY;
    for (let i = 0; i < this.end - this.start && this.acquired > 0; i++) {
      if (this.state[i] === RecordState.ACQUIRED) earliestMs = Math.min(earliestMs, this.lockDeadlineMs[i]!);
    }
    return this.acquired > 0 ? earliestMs : undefined;
  }

  /** The log start offset moved up: what lies below it is gone from the log, so it is done here too. */
  advanceStartOffset(offset: number): void {
    if (offset <= this.start) return;
    if (offset >= this.end) {
      this.resetTo(offset);
      return;
    }
    this.dropPrefix(offset - this.start);
    this.advancePastDonePrefix();
  }

  resetTo(offset: number): void {
    this.dropPrefix(this.end - this.start);
    this.start = offset;
    this.end = offset;
  }

  inFlightRanges(): InFlightRange[] {
    const ranges: InFlightRange[] = [];
    for (let i = 0; i < this.end - this.start; i++) {
      const state = this.state[i]!;
      const count = this.deliveryCount[i]!;
      const last = ranges[ranges.length - 1];
      if (last?.state === state && last.deliveryCount === count) last.lastOffset++;
      else ranges.push({ firstOffset: this.start + i, lastOffset: this.start + i, state, deliveryCount: count });
    }
    return ranges;
  }

  acquiredCount(): number {
    return this.acquired;
  }

  private validateAcknowledgement(memberId: string, batch: AcknowledgementBatch): AcknowledgeResult | undefined {
    const { firstOffset, lastOffset, acknowledgeTypes: types } = batch;
    const length = lastOffset - firstOffset + 1;
    if (!Number.isInteger(firstOffset) || !Number.isInteger(lastOffset) || length < 1) return 'INVALID_REQUEST';
    // As Kafka: offsets the share partition does not track (done, or never delivered) are not in a state to acknowledge.
    if (firstOffset < this.start || lastOffset >= this.end) return 'INVALID_RECORD_STATE';
    if (types.length !== 1 && types.length !== length) return 'INVALID_REQUEST';
    if (types.some((type) => type < AcknowledgeType.GAP || type > AcknowledgeType.REJECT || !Number.isInteger(type))) {
      return 'INVALID_REQUEST';
    }
    for (let offset = firstOffset; offset <= lastOffset; offset++) {
      const i = offset - this.start;
      const heldByMember = this.state[i] === RecordState.ACQUIRED && this.owner[i] === memberId;
      const type = types.length === 1 ? types[0] : types[offset - firstOffset];
      if (type === AcknowledgeType.GAP) {
        // A gap names an offset of this member's delivery that held no record, or one already done;
        // never one nobody holds, which would archive a record before anyone saw it.
        if (!heldByMember && !isDone(this.state[i]!)) return 'INVALID_RECORD_STATE';
      } else if (!heldByMember) {
        return 'INVALID_RECORD_STATE';
      }
    }
    return undefined;
  }

  private releaseWhere(matches: (i: number) => boolean): number {
    let released = 0;
    for (let i = 0; i < this.end - this.start && this.acquired > 0; i++) {
      if (this.state[i] !== RecordState.ACQUIRED || !matches(i)) continue;
      this.finish(i, this.releasedState(i));
      released++;
    }
    if (released > 0) this.advancePastDonePrefix();
    return released;
  }

  /** Where a record no longer held goes: back to AVAILABLE, unless it has used up its deliveries. */
  private releasedState(i: number): RecordState {
    return this.deliveryCount[i]! >= this.config.deliveryCountLimit ? RecordState.ARCHIVED : RecordState.AVAILABLE;
  }

  /** Leave ACQUIRED (or AVAILABLE, for a GAP) for `state`, dropping the lock. */
  private finish(i: number, state: RecordState): void {
    this.owner[i] = undefined;
    this.lockDeadlineMs[i] = 0;
    this.setState(i, state);
  }

  private setState(i: number, state: number): void {
    const previous = this.state[i];
    if (previous === RecordState.ACQUIRED) this.acquired--;
    else if (previous === RecordState.AVAILABLE) this.available--;
    if (state === RecordState.ACQUIRED) this.acquired++;
    else if (state === RecordState.AVAILABLE) this.available++;
    this.state[i] = state;
  }

  /**
   * Archive the new offsets [endOffset, offset): the log has no records there. Returns false when
   * the in-flight bound stops it short of `offset`; what fitted stays archived, so the next read
   * starts further on.
   */
  private archiveGapUpTo(offset: number): boolean {
    if (this.start === this.end) {
      // Nothing in flight: an archived prefix would be passed over at once, so jump instead.
      this.start = offset;
      this.end = offset;
      return true;
    }
    const room = this.config.maxInFlightRecords - (this.end - this.start);
    const count = Math.min(offset - this.end, Math.max(0, room));
    const first = this.end - this.start;
    this.track(count);
    for (let i = first; i < first + count; i++) this.setState(i, RecordState.ARCHIVED);
    return this.end === offset;
  }

  /** Extend the window by `count` new offsets: AVAILABLE, never delivered. */
  private track(count: number): void {
    const size = this.end - this.start;
    for (let i = size; i < size + count; i++) {
      this.deliveryCount[i] = 0;
      this.lockDeadlineMs[i] = 0;
      this.owner[i] = undefined;
      this.state[i] = 0;
      this.setState(i, RecordState.AVAILABLE);
    }
    this.end += count;
  }

  /** Fresh, empty arrays: called only while the window is empty. */
  private allocate(capacity: number): void {
    this.state = new Uint8Array(capacity);
    this.deliveryCount = new Uint16Array(capacity);
    this.lockDeadlineMs = new Float64Array(capacity);
    this.owner = new Array(capacity).fill(undefined);
  }

  private advancePastDonePrefix(): void {
    const size = this.end - this.start;
    let done = 0;
    while (done < size && isDone(this.state[done]!)) done++;
    if (done > 0) this.dropPrefix(done);
  }

  /** Forget the first `count` in-flight offsets, whatever their state, and move startOffset past them. */
  private dropPrefix(count: number): void {
    const size = this.end - this.start;
    for (let i = 0; i < count; i++) this.setState(i, 0);
    this.state.copyWithin(0, count, size);
    this.deliveryCount.copyWithin(0, count, size);
    this.lockDeadlineMs.copyWithin(0, count, size);
    this.owner.copyWithin(0, count, size);
    this.state.fill(0, size - count, size);
    this.owner.fill(undefined, size - count, size);
    this.start += count;
  }
}
