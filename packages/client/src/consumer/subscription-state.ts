import { type TopicPartition, tpKey } from '../common/topic-partition.js';

/** Consumption state of one assigned partition. */
export class PartitionState {
  /** Next offset to fetch and deliver; null until initialized (committed offset or reset). */
  position: bigint | null = null;
  /** Leader epoch of the last record delivered (or of the committed offset), -1 if unknown. */
  positionEpoch = -1;
  /** The next offset to commit: what the application has processed (set on delivery or completion). */
  committable: bigint | null = null;
  committableEpoch = -1;
  /** What was last committed, so auto-commit skips unchanged partitions. */
  lastCommitted: bigint | null = null;
  paused = false;
  /** A reset to apply (seekToBeginning/End or auto.offset.reset). */
  pendingReset: 'earliest' | 'latest' | null = null;
  /** KIP-320: the position must be checked against the leader's log before fetching. */
  awaitingValidation = false;
  /** The leader epoch from metadata when the position was last validated. */
  validatedLeaderEpoch = -1;
  /** After a failed validation (leader unreachable or moving), not retried before this time. */
  nextValidationMs = 0;
  highWatermark = -1n;
  lastStableOffset = -1n;
  logStartOffset = -1n;

  constructor(
    readonly topic: string,
    readonly partition: number,
  ) {}

  get fetchable(): boolean {
    return !this.paused && this.position !== null && this.pendingReset === null && !this.awaitingValidation;
  }

  seek(offset: bigint, epoch = -1): void {
    this.position = offset;
    this.positionEpoch = epoch;
    this.pendingReset = null;
    this.awaitingValidation = false;
  }
}

export type SubscriptionMode = 'none' | 'topics' | 'pattern' | 'assigned';

/**
 * What the consumer is subscribed to and the state of each assigned partition (Kafka's
 * SubscriptionState). Group subscriptions (`topics`, `pattern`) get partitions from the group;
 * `assign` sets them directly.
 */
export class SubscriptionState {
  mode: SubscriptionMode = 'none';
  topics = new Set<string>();
  pattern: RegExp | null = null;
  private readonly assigned = new Map<string, PartitionState>();

  get assignedPartitions(): TopicPartition[] {
    return [...this.assigned.values()].map((s) => ({ topic: s.topic, partition: s.partition }));
  }

  states(): IterableIterator<PartitionState> {
    return this.assigned.values();
  }

  state(topic: string, partition: number): PartitionState | undefined {
    return this.assigned.get(tpKey(topic, partition));
  }

  isAssigned(topic: string, partition: number): boolean {
    return this.assigned.has(tpKey(topic, partition));
  }

  /** Replaces the assignment, keeping the state of partitions that stay. */
  setAssignment(partitions: readonly TopicPartition[]): void {
    const keep = new Set(partitions.map((tp) => tpKey(tp.topic, tp.partition)));
    for (const key of [...this.assigned.keys()]) if (!keep.has(key)) this.assigned.delete(key);
    for (const tp of partitions) {
      const key = tpKey(tp.topic, tp.partition);
      if (!this.assigned.has(key)) this.assigned.set(key, new PartitionState(tp.topic, tp.partition));
    }
  }

  addPartitions(partitions: readonly TopicPartition[]): void {
    for (const tp of partitions) {
      const key = tpKey(tp.topic, tp.partition);
      if (!this.assigned.has(key)) this.assigned.set(key, new PartitionState(tp.topic, tp.partition));
    }
  }

  removePartitions(partitions: readonly TopicPartition[]): void {
    for (const tp of partitions) this.assigned.delete(tpKey(tp.topic, tp.partition));
  }

  /** Whether a topic belongs to the subscription (named, or matching the pattern). */
  matches(topic: string): boolean {
    if (this.mode === 'topics') return this.topics.has(topic);
    if (this.mode === 'pattern') return this.pattern?.test(topic) === true;
    return false;
  }
}
