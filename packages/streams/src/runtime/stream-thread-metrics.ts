import type { StreamsMetric } from './streams-metric.js';

/**
 * A rate as Java's metrics compute it (`Rate` over a `SampledStat`): events in the last two
 * samples of `metrics.sample.window.ms` (30 s), divided by the time they cover — at least one full
 * window, so a burst right after start is not reported as a huge rate.
 */
export class SampledRate {
  private current = { startMs: 0, count: 0 };
  private previous = { startMs: 0, count: 0 };

  constructor(
    private readonly windowMs = 30_000,
    private readonly now: () => number = Date.now,
  ) {
    this.current.startMs = this.now();
    this.previous.startMs = this.current.startMs;
  }

  record(n = 1): void {
    this.roll();
    this.current.count += n;
  }

  /** Events per second. */
  perSecond(): number {
    this.roll();
    const elapsedMs = Math.max(this.now() - this.previous.startMs, this.windowMs);
    return ((this.previous.count + this.current.count) * 1000) / elapsedMs;
  }

  private roll(): void {
    const now = this.now();
    if (now - this.current.startMs < this.windowMs) return;
    this.previous = now - this.current.startMs < 2 * this.windowMs ? this.current : { startMs: now, count: 0 };
    this.current = { startMs: now, count: 0 };
  }
}

/** Avg and max of a measurement (Java's `Avg` and `Max` stats, over the whole run). */
export class AvgMax {
  private sum = 0;
  private count = 0;
  private maxValue = Number.NaN;

  record(value: number): void {
    this.sum += value;
    this.count++;
    if (!(value <= this.maxValue)) this.maxValue = value;
  }

  /** NaN until something is recorded, as Java reports an empty Avg/Max. */
  avg(): number {
    return this.count === 0 ? Number.NaN : this.sum / this.count;
  }

  max(): number {
    return this.maxValue;
  }
}

/** A counter with Java's `-total` (cumulative) and `-rate` (per second) pair. */
export class Meter {
  total = 0;
  readonly rate: SampledRate;
  constructor(now: () => number) {
    this.rate = new SampledRate(30_000, now);
  }
  record(n = 1): void {
    this.total += n;
    this.rate.record(n);
  }
}

/**
 * The stream thread's metrics of Java's `stream-thread-metrics` group, and the per-task
 * `process-*` / `record-lateness-*` of `stream-task-metrics`. Latencies are milliseconds,
 * rates per second, as Java's.
 */
export class StreamThreadMetrics {
  readonly process: Meter;
  readonly poll: Meter;
  readonly commit: Meter;
  readonly punctuate: Meter;
  readonly taskCreated: Meter;
  readonly commitLatency = new AvgMax();
  readonly pollLatency = new AvgMax();
  private readonly tasks = new Map<string, { process: Meter; lateness: AvgMax }>();
  private closedTotal = 0;

  constructor(private readonly now: () => number = Date.now) {
    this.process = new Meter(now);
    this.poll = new Meter(now);
    this.commit = new Meter(now);
    this.punctuate = new Meter(now);
    this.taskCreated = new Meter(now);
  }

  /** One input record processed by `taskId`, `latenessMs` behind the task's stream time. */
  recordProcess(taskId: string, latenessMs: number): void {
    this.process.record();
    const task = this.ofTask(taskId);
    task.process.record();
    task.lateness.record(Math.max(0, latenessMs));
  }

  /**
   * A task's `process` meter and lateness stat, for a caller that records a run of records at
   * once (the thread's `process` meter is then its to update too).
   */
  ofTask(taskId: string): { readonly process: Meter; readonly lateness: AvgMax } {
    let task = this.tasks.get(taskId);
    if (task === undefined) {
      task = { process: new Meter(this.now), lateness: new AvgMax() };
      this.tasks.set(taskId, task);
    }
    return task;
  }

  /** The thread-level metrics; `liveTasks` gives task-closed-total (created minus still open). */
  threadMetrics(threadId: string, liveTasks: number): StreamsMetric[] {
    this.closedTotal = Math.max(this.closedTotal, this.taskCreated.total - liveTasks);
    const tags = { 'thread-id': threadId };
    const m = (name: string, value: () => number): StreamsMetric => ({
      name,
      group: 'stream-thread-metrics',
      tags,
      metricValue: value,
    });
    return [
      m('process-total', () => this.process.total),
      m('process-rate', () => this.process.rate.perSecond()),
      m('poll-total', () => this.poll.total),
      m('poll-rate', () => this.poll.rate.perSecond()),
      m('poll-latency-avg', () => this.pollLatency.avg()),
      m('poll-latency-max', () => this.pollLatency.max()),
      m('commit-total', () => this.commit.total),
      m('commit-rate', () => this.commit.rate.perSecond()),
      m('commit-latency-avg', () => this.commitLatency.avg()),
      m('commit-latency-max', () => this.commitLatency.max()),
      m('punctuate-total', () => this.punctuate.total),
      m('punctuate-rate', () => this.punctuate.rate.perSecond()),
      m('task-created-total', () => this.taskCreated.total),
      m('task-created-rate', () => this.taskCreated.rate.perSecond()),
      m('task-closed-total', () => this.closedTotal),
    ];
  }

  /** `process-total`, `process-rate`, `record-lateness-avg`, `record-lateness-max` of one task. */
  taskMetrics(threadId: string, taskId: string): StreamsMetric[] {
    const task = this.tasks.get(taskId);
    const tags = { 'thread-id': threadId, 'task-id': taskId };
    const m = (name: string, value: () => number): StreamsMetric => ({
      name,
      group: 'stream-task-metrics',
      tags,
      metricValue: value,
    });
    return [
      m('process-total', () => task?.process.total ?? 0),
      m('process-rate', () => task?.process.rate.perSecond() ?? 0),
      m('record-lateness-avg', () => task?.lateness.avg() ?? Number.NaN),
      m('record-lateness-max', () => task?.lateness.max() ?? Number.NaN),
    ];
  }
}
