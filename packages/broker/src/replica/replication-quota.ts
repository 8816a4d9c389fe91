import { LONG_MAX } from '../config/config-def.js';
import { SampledRate } from '../quota/sampled-rate.js';

/** The two sides of a replication throttle, with their config keys (Kafka's ReplicationQuotaManager). */
export const ThrottleSide = {
  leader: { rate: 'leader.replication.throttled.rate', replicas: 'leader.replication.throttled.replicas' },
  follower: { rate: 'follower.replication.throttled.rate', replicas: 'follower.replication.throttled.replicas' },
} as const;

export interface ReplicationQuotaOptions {
  readonly brokerId: number;
  /** `leader.replication.throttled.rate` or `follower.replication.throttled.rate`, read at each check (dynamic). */
  readonly boundBytesPerSec: () => number;
  /** A topic's `*.replication.throttled.replicas` override, as written (undefined when not set). */
  readonly throttledReplicas: (topic: string) => string | undefined;
  /** replication.quota.window.num */
  readonly numSamples: number;
  /** replication.quota.window.size.seconds, in ms */
  readonly sampleWindowMs: number;
}

/**
 * A replication throttle (KIP-73), on one side of replication. Throttled partitions are those whose
 * topic lists `partition:thisBroker` (or `*`) in its `*.replication.throttled.replicas` config;
 * their bytes are measured over a window of samples, and while the rate exceeds the broker's
 * `*.replication.throttled.rate` a replica that is not in sync gets no data for them — the leader
 * answers it with none, the follower leaves them out of its fetch. In-sync replicas are never
 * held back, so a throttle slows a reassignment, never acks=all produce.
 */
export class ReplicationQuota {
  private readonly rate: SampledRate;
  /** Parsed throttle lists by topic, with the text they were parsed from. */
  private readonly parsed = new Map<string, { text: string; partitions: ReadonlySet<number> | 'all' }>();

  constructor(private readonly options: ReplicationQuotaOptions) {
    this.rate = new SampledRate(options.numSamples, options.sampleWindowMs);
  }

  /** The bound now, in bytes per second (LONG_MAX: none). */
  get boundBytesPerSec(): number {
    return this.options.boundBytesPerSec();
  }

  /** Whether a throttle could apply at all: a rate is configured. */
  get enabled(): boolean {
    return this.options.boundBytesPerSec() < LONG_MAX;
  }

  isThrottled(topic: string, partition: number): boolean {
    const text = this.options.throttledReplicas(topic);
    if (text === undefined || text.trim() === '') return false;
    let entry = this.parsed.get(topic);
    if (entry === undefined || entry.text !== text) {
      entry = { text, partitions: parseThrottledPartitions(text, this.options.brokerId) };
      this.parsed.set(topic, entry);
    }
    return entry.partitions === 'all' || entry.partitions.has(partition);
  }

  /** Whether the measured rate of throttled bytes is over the bound. */
  isQuotaExceeded(nowMs = Date.now()): boolean {
    const bound = this.options.boundBytesPerSec();
    return bound < LONG_MAX && this.rateBytesPerSec(nowMs) > bound;
  }

  record(bytes: number, nowMs = Date.now()): void {
    if (bytes > 0) this.rate.record(bytes, nowMs);
  }

  /** Bytes per second over the window of samples (Kafka's Rate: see SampledRate). */
  rateBytesPerSec(nowMs = Date.now()): number {
    return this.rate.rate(nowMs);
  }
}

/** `*` (every partition) or `partition:broker,...`, keeping the partitions listed with `brokerId`. */
export function parseThrottledPartitions(text: string, brokerId: number): ReadonlySet<number> | 'all' {
  const trimmed = text.trim();
  if (trimmed === '*') return 'all';
  const partitions = new Set<number>();
  for (const entry of trimmed.split(',')) {
    const [partition, broker] = entry.trim().split(':');
    if (Number(broker) === brokerId) partitions.add(Number(partition));
  }
  return partitions;
}
