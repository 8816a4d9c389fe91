import { type Admin, OffsetSpec } from '@samsa/client';
import { type BrokerTrafficCounters, bytesOutPerSec, scrapeBrokers } from './broker-metrics.js';
import { reachableLogDirs } from './log-dir-sizes.js';

export interface ThroughputPoint {
  readonly timeMs: number;
  /** Records appended per second over the interval ending at timeMs (sum of end-offset deltas). */
  readonly messagesInPerSec: number;
  /** Growth of all log dirs per second (every replica, so replication counts; never negative). */
  readonly bytesInPerSec: number;
  /** Bytes sent to consumers per second, from the brokers' metrics; null without a metrics port. */
  readonly bytesOutPerSec: number | null;
}

interface Sample {
  readonly timeMs: number;
  readonly endOffsets: ReadonlyMap<string, bigint>;
  readonly logDirBytes: bigint;
  /** Each broker's traffic counters, when the brokers' metrics are read. */
  readonly brokerCounters: ReadonlyMap<number, BrokerTrafficCounters> | undefined;
}

const KEEP = 120;

/**
 * Measures a cluster's throughput from outside, through the admin API only: every `intervalMs` it
 * sums the end offsets of every partition (ListOffsets latest) and the size of every log dir
 * (DescribeLogDirs), and rates are the deltas between samples. Bytes out cannot be measured this
 * way (no Kafka API reports fetched bytes): given the brokers' metrics port, each sample also reads
 * their BrokerTopicMetrics (broker-metrics.ts). Samples run one after another, never overlapping; the
 * timer is unref'd, and stop() ends it.
 */
export class ThroughputSampler {
  private readonly samples: Sample[] = [];
  private timer: NodeJS.Timeout | undefined;
  private stopped = false;

  constructor(
    private readonly admin: Admin,
    readonly intervalMs: number,
    /** The brokers' Prometheus port (metrics.listener), if bytes out is to be measured. */
    readonly metricsPort?: number,
  ) {}

  start(): void {
    if (this.timer !== undefined || this.stopped) return;
    const tick = async () => {
      await this.sample().catch(() => undefined);
      if (!this.stopped) this.timer = setTimeout(tick, this.intervalMs).unref();
    };
    this.timer = setTimeout(tick, 0).unref();
  }

  stop(): void {
    this.stopped = true;
    clearTimeout(this.timer);
  }

  private async sample(): Promise<void> {
    const timeMs = Date.now();
    const names = await this.admin.listTopics({ listInternal: true });
    const topics = names.length === 0 ? [] : await this.admin.describeTopics(names);
    const queries = topics.flatMap((t) =>
      t.partitions.map((p) => ({ topic: t.name, partition: p.partition, timestamp: OffsetSpec.LATEST })),
    );
    const metricsPort = this.metricsPort;
    const [offsets, logDirs, brokerCounters] = await Promise.all([
      queries.length === 0 ? [] : this.admin.listOffsets(queries),
      reachableLogDirs(this.admin).then((r) => r.dirs),
      metricsPort === undefined
        ? undefined
        : this.admin.describeCluster().then((c) => scrapeBrokers(c.brokers, metricsPort)),
    ]);
    const endOffsets = new Map<string, bigint>();
    for (const o of offsets) endOffsets.set(o.topic, (endOffsets.get(o.topic) ?? 0n) + o.offset);
    const logDirBytes = logDirs.reduce((sum, d) => sum + d.partitions.reduce((s, p) => s + p.size, 0n), 0n);
    this.samples.push({ timeMs, endOffsets, logDirBytes, brokerCounters });
    if (this.samples.length > KEEP) this.samples.shift();
  }

  /** One point per pair of consecutive samples, oldest first. */
  series(): ThroughputPoint[] {
    const out: ThroughputPoint[] = [];
    for (let i = 1; i < this.samples.length; i++) {
      const [a, b] = [this.samples[i - 1] as Sample, this.samples[i] as Sample];
      const seconds = (b.timeMs - a.timeMs) / 1000;
      let messages = 0n;
      for (const [topic, end] of b.endOffsets) {
        const before = a.endOffsets.get(topic);
        if (before !== undefined && end > before) messages += end - before;
      }
      const bytes = b.logDirBytes > a.logDirBytes ? b.logDirBytes - a.logDirBytes : 0n;
      out.push({
        timeMs: b.timeMs,
        messagesInPerSec: Number(messages) / seconds,
        bytesInPerSec: Number(bytes) / seconds,
        bytesOutPerSec:
          a.brokerCounters === undefined || b.brokerCounters === undefined
            ? null
            : bytesOutPerSec(a.brokerCounters, b.brokerCounters, seconds),
      });
    }
    return out;
  }

  /** Messages in per second of each topic over the last interval (empty before two samples). */
  topicRates(): Map<string, number> {
    const [a, b] = this.samples.slice(-2);
    const out = new Map<string, number>();
    if (a === undefined || b === undefined) return out;
    const seconds = (b.timeMs - a.timeMs) / 1000;
    for (const [topic, end] of b.endOffsets) {
      const before = a.endOffsets.get(topic);
      if (before !== undefined) out.set(topic, end > before ? Number(end - before) / seconds : 0);
    }
    return out;
  }
}
