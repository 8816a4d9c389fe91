/** Kafka's RecordBatch.NO_SEQUENCE / NO_PRODUCER_EPOCH. */
export const NO_SEQUENCE = -1;
export const NO_PRODUCER_EPOCH = -1;
const INT32_MAX = 0x7fffffff;

/** Sequence numbers wrap from Int32.MAX to 0 (`DefaultRecordBatch.incrementSequence`). */
export function incrementSequence(sequence: number, increment: number): number {
  if (sequence > INT32_MAX - increment) return increment - (INT32_MAX - sequence) - 1;
  return sequence + increment;
}

export function decrementSequence(sequence: number, decrement: number): number {
  if (sequence < decrement) return INT32_MAX - (decrement - sequence) + 1;
  return sequence - decrement;
}

/** One of the last appended batches of a producer (Kafka's `BatchMetadata`). */
export interface BatchMetadata {
  readonly lastSeq: number;
  readonly lastOffset: number;
  /** lastOffset - firstOffset (equal to lastSeq - firstSeq, modulo wrap). */
  readonly offsetDelta: number;
  readonly timestamp: number;
}

export function firstSeqOf(b: BatchMetadata): number {
  return decrementSequence(b.lastSeq, b.offsetDelta);
}

export function firstOffsetOf(b: BatchMetadata): number {
  return b.lastOffset - b.offsetDelta;
}

/**
 * What a partition remembers about one producer (Kafka's `ProducerStateEntry`): its epoch, the
 * metadata of its last NUM_BATCHES_TO_RETAIN batches (oldest first, to detect retried
 * duplicates), the coordinator epoch of its last transaction marker and the first offset of its
 * ongoing transaction (-1 if none).
 */
export class ProducerStateEntry {
  static readonly NUM_BATCHES_TO_RETAIN = 5;

  constructor(
    readonly producerId: number,
    public producerEpoch: number,
    public coordinatorEpoch: number,
    public lastTimestamp: number,
    public currentTxnFirstOffset: number,
    public batchMetadata: BatchMetadata[] = [],
  ) {}

  static empty(producerId: number): ProducerStateEntry {
    return new ProducerStateEntry(producerId, NO_PRODUCER_EPOCH, -1, -1, -1);
  }

  clone(): ProducerStateEntry {
    return new ProducerStateEntry(
      this.producerId,
      this.producerEpoch,
      this.coordinatorEpoch,
      this.lastTimestamp,
      this.currentTxnFirstOffset,
      this.batchMetadata.slice(),
    );
  }

  isEmpty(): boolean {
    return this.batchMetadata.length === 0;
  }

  get firstSeq(): number {
    const first = this.batchMetadata[0];
    return first === undefined ? NO_SEQUENCE : firstSeqOf(first);
  }

  get lastSeq(): number {
    return this.batchMetadata[this.batchMetadata.length - 1]?.lastSeq ?? NO_SEQUENCE;
  }

  get lastDataOffset(): number {
    return this.batchMetadata[this.batchMetadata.length - 1]?.lastOffset ?? -1;
  }

  get lastOffsetDelta(): number {
    return this.batchMetadata[this.batchMetadata.length - 1]?.offsetDelta ?? 0;
  }

  /** A new epoch forgets the previous epoch's batches. */
  maybeUpdateProducerEpoch(epoch: number): boolean {
    if (this.producerEpoch === epoch) return false;
    this.batchMetadata = [];
    this.producerEpoch = epoch;
    return true;
  }

  addBatch(epoch: number, lastSeq: number, lastOffset: number, offsetDelta: number, timestamp: number): void {
    this.maybeUpdateProducerEpoch(epoch);
    if (this.batchMetadata.length === ProducerStateEntry.NUM_BATCHES_TO_RETAIN) this.batchMetadata.shift();
    this.batchMetadata.push({ lastSeq, lastOffset, offsetDelta, timestamp });
    this.lastTimestamp = timestamp;
  }

  /** Replaces this entry's state with `next` (which was derived from a clone of it). */
  update(next: ProducerStateEntry): void {
    this.producerEpoch = next.producerEpoch;
    this.batchMetadata = next.batchMetadata;
    this.coordinatorEpoch = next.coordinatorEpoch;
    this.currentTxnFirstOffset = next.currentTxnFirstOffset;
    this.lastTimestamp = next.lastTimestamp;
  }

  /** The retained batch with exactly this epoch and sequence range, if any (a retried batch). */
  findDuplicateBatch(epoch: number, firstSeq: number, lastSeq: number): BatchMetadata | undefined {
    if (epoch !== this.producerEpoch) return undefined;
    return this.batchMetadata.find((b) => b.lastSeq === lastSeq && firstSeqOf(b) === firstSeq);
  }
}
