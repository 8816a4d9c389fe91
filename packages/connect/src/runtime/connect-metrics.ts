import { Counter, Gauge, Registry } from 'prom-client';
import type { State } from './worker-task.js';

/**
 * Kafka Connect's metrics (the `kafka.connect` MBeans) in Prometheus' text format, named as the
 * Prometheus JMX exporter's usual Kafka Connect rules name them: `kafka_connect_<type>_<attribute>`
 * with dashes turned into underscores and the MBean's `connector`/`task` keys as labels, e.g.
 * `kafka_connect_source_task_metrics_source_record_poll_total{connector="x",task="0"}`.
 *
 * One registry per worker; tasks record through a TaskMetrics bound to their labels, and their
 * series are removed when they stop (as Kafka removes a task's MBeans). Rates are Kafka's
 * windowed rates: events per second over the last RATE_WINDOW_MS.
 */
export class ConnectMetrics {
  readonly registry = new Registry();
  private readonly rates = new Map<string, WindowedRate>();
  private readonly counters = new Map<string, Counter<'connector' | 'task'>>();
  private readonly gauges = new Map<string, Gauge<'connector' | 'task'>>();
  private readonly workerCounters: Record<(typeof WORKER_COUNTERS)[number], Counter>;
  /** Each running task's state, by `{connector, task}` labels' JSON. */
  private readonly states = new Map<string, () => State>();

  constructor(worker: { connectorCount: () => number; taskCount: () => number }) {
    const registry = this.registry;
    new Gauge({
      name: 'kafka_connect_connect_worker_metrics_connector_count',
      help: 'The number of connectors run in this worker.',
      registers: [registry],
      collect() {
        this.set(worker.connectorCount());
      },
    });
    new Gauge({
      name: 'kafka_connect_connect_worker_metrics_task_count',
      help: 'The number of tasks run in this worker.',
      registers: [registry],
      collect() {
        this.set(worker.taskCount());
      },
    });
    this.workerCounters = Object.fromEntries(
      WORKER_COUNTERS.map((name) => [
        name,
        new Counter({
          name: `kafka_connect_connect_worker_metrics_${name.replaceAll('-', '_')}`,
          help: `Kafka Connect's connect-worker-metrics ${name}.`,
          registers: [registry],
        }),
      ]),
    ) as Record<(typeof WORKER_COUNTERS)[number], Counter>;
    for (const [group, names] of Object.entries(TASK_COUNTERS)) {
      for (const name of names) this.counters.set(name, this.labelled(Counter, group, name));
    }
    for (const [group, names] of Object.entries(TASK_GAUGES)) {
      for (const name of names) this.gauges.set(name, this.labelled(Gauge, group, name));
    }
    const states = this.states;
    // The JMX exporter turns a string attribute into a label on a series of value 1.
    new Gauge({
      name: metricName('connector-task-metrics', 'status'),
      help: "Kafka Connect's connector-task-metrics status (the task's state as a label).",
      labelNames: ['connector', 'task', 'status'],
      registers: [registry],
      collect() {
        this.reset();
        for (const [key, state] of states) {
          const [connector, task] = JSON.parse(key) as [string, string];
          this.set({ connector, task, status: state().toLowerCase() }, 1);
        }
      },
    });
    const rates = this.rates;
    for (const [group, name] of RATE_GAUGES) {
      new Gauge({
        name: metricName(group, name),
        help: `Kafka Connect's ${group} ${name}.`,
        labelNames: ['connector', 'task'],
        registers: [registry],
        collect() {
          this.reset();
          const now = Date.now();
          for (const [key, rate] of rates) {
            const [metric, connector, task] = JSON.parse(key) as [string, string, string];
            if (metric === name) this.set({ connector, task }, rate.perSecond(now));
          }
        },
      });
    }
  }

  private labelled<T extends Counter<'connector' | 'task'> | Gauge<'connector' | 'task'>>(
    kind: new (config: {
      name: string;
      help: string;
      labelNames: readonly ('connector' | 'task')[];
      registers: Registry[];
    }) => T,
    group: string,
    name: string,
  ): T {
    return new kind({
      name: metricName(group, name),
      help: `Kafka Connect's ${group} ${name}.`,
      labelNames: ['connector', 'task'],
      registers: [this.registry],
    });
  }

  /** A connector's start was tried, and how it went (connector-startup-*). */
  connectorStartup(succeeded: boolean): void {
    this.workerCounters['connector-startup-attempts-total'].inc();
    this.workerCounters[succeeded ? 'connector-startup-success-total' : 'connector-startup-failure-total'].inc();
  }

  taskStartup(succeeded: boolean): void {
    this.workerCounters['task-startup-attempts-total'].inc();
    this.workerCounters[succeeded ? 'task-startup-success-total' : 'task-startup-failure-total'].inc();
  }

  /** The metrics of one task, labelled `{connector, task}`. */
  task(connector: string, id: number, type: 'source' | 'sink', state: () => State): TaskMetrics {
    const labels = { connector, task: String(id) };
    const counter = (name: string) => this.counters.get(name)!;
    const gauge = (name: string) => this.gauges.get(name)!;
    // Series start at 0 so a scrape shows them before the first record, but only the task's own
    // kind: a sink task has no source-task-metrics MBean in Kafka, nor series here.
    const other = type === 'source' ? 'sink-' : 'source-';
    for (const name of this.counters.keys()) if (!name.startsWith(other)) counter(name).inc(labels, 0);
    const rate = (name: string) => {
      const key = JSON.stringify([name, connector, labels.task]);
      let r = this.rates.get(key);
      if (r === undefined) {
        r = new WindowedRate();
        this.rates.set(key, r);
      }
      return r;
    };
    let batchSizeMax = 0;
    let batches = 0;
    let batchRecords = 0;
    let commits = 0;
    let commitFailures = 0;
    let commitMsTotal = 0;
    let commitMsMax = 0;
    const stateKey = JSON.stringify([connector, labels.task]);
    this.states.set(stateKey, state);
    const recordBatch = (size: number) => {
      batches++;
      batchRecords += size;
      batchSizeMax = Math.max(batchSizeMax, size);
      gauge('batch-size-max').set(labels, batchSizeMax);
      gauge('batch-size-avg').set(labels, batchRecords / batches);
    };
    return {
      started: (succeeded) => this.taskStartup(succeeded),
      sourceRecordsPolled: (n) => {
        counter('source-record-poll-total').inc(labels, n);
        rate('source-record-poll-rate').record(n);
        recordBatch(n);
      },
      sourceRecordsWritten: (n) => {
        counter('source-record-write-total').inc(labels, n);
        rate('source-record-write-rate').record(n);
      },
      sinkRecordsRead: (n) => {
        counter('sink-record-read-total').inc(labels, n);
        rate('sink-record-read-rate').record(n);
        recordBatch(n);
      },
      sinkRecordsSent: (n) => {
        counter('sink-record-send-total').inc(labels, n);
        rate('sink-record-send-rate').record(n);
      },
      partitionCount: (n) => gauge('partition-count').set(labels, n),
      offsetCommit: (ms, succeeded) => {
        commits++;
        if (!succeeded) commitFailures++;
        commitMsTotal += ms;
        commitMsMax = Math.max(commitMsMax, ms);
        gauge('offset-commit-avg-time-ms').set(labels, commitMsTotal / commits);
        gauge('offset-commit-max-time-ms').set(labels, commitMsMax);
        gauge('offset-commit-success-percentage').set(labels, (commits - commitFailures) / commits);
        gauge('offset-commit-failure-percentage').set(labels, commitFailures / commits);
      },
      recordFailure: () => counter('total-record-failures').inc(labels),
      recordError: () => counter('total-record-errors').inc(labels),
      recordSkipped: () => counter('total-records-skipped').inc(labels),
      deadLetterQueueProduced: (succeeded) =>
        counter(succeeded ? 'deadletterqueue-produce-requests' : 'deadletterqueue-produce-failures').inc(labels),
      close: () => {
        // A task that stopped late (past task.shutdown.graceful.timeout.ms) must not remove the
        // series of the instance that replaced it: the state getter says which one owns them.
        if (this.states.get(stateKey) !== state) return;
        for (const c of this.counters.values()) c.remove(labels);
        for (const g of this.gauges.values()) g.remove(labels);
        for (const key of [...this.rates.keys()]) {
          const [, c, t] = JSON.parse(key) as [string, string, string];
          if (c === connector && t === labels.task) this.rates.delete(key);
        }
        this.states.delete(stateKey);
      },
    };
  }

  /** The text `/metrics` answers with. */
  scrape(): Promise<string> {
    return this.registry.metrics();
  }
}

/** What a worker task records; every method is cheap enough for the per-batch path. */
export interface TaskMetrics {
  /** The task's `start` returned (task-startup-*). */
  started(succeeded: boolean): void;
  sourceRecordsPolled(count: number): void;
  sourceRecordsWritten(count: number): void;
  sinkRecordsRead(count: number): void;
  sinkRecordsSent(count: number): void;
  partitionCount(count: number): void;
  offsetCommit(elapsedMs: number, succeeded: boolean): void;
  /** An attempt at a record's stage failed (retries included): total-record-failures. */
  recordFailure(): void;
  /** A record ended in error after its retries: total-record-errors. */
  recordError(): void;
  recordSkipped(): void;
  deadLetterQueueProduced(succeeded: boolean): void;
  close(): void;
}

/** For tasks run without a registry (unit tests). */
export const NO_TASK_METRICS: TaskMetrics = {
  started() {},
  sourceRecordsPolled() {},
  sourceRecordsWritten() {},
  sinkRecordsRead() {},
  sinkRecordsSent() {},
  partitionCount() {},
  offsetCommit() {},
  recordFailure() {},
  recordError() {},
  recordSkipped() {},
  deadLetterQueueProduced() {},
  close() {},
};

const WORKER_COUNTERS = [
  'connector-startup-attempts-total',
  'connector-startup-success-total',
  'connector-startup-failure-total',
  'task-startup-attempts-total',
  'task-startup-success-total',
  'task-startup-failure-total',
] as const;

const TASK_COUNTERS: Record<string, readonly string[]> = {
  'source-task-metrics': ['source-record-poll-total', 'source-record-write-total'],
  'sink-task-metrics': ['sink-record-read-total', 'sink-record-send-total'],
  'task-error-metrics': [
    'total-record-errors',
    'total-record-failures',
    'total-records-skipped',
    'deadletterqueue-produce-requests',
    'deadletterqueue-produce-failures',
  ],
};

const TASK_GAUGES: Record<string, readonly string[]> = {
  'connector-task-metrics': [
    'batch-size-avg',
    'batch-size-max',
    'offset-commit-avg-time-ms',
    'offset-commit-max-time-ms',
    'offset-commit-success-percentage',
    'offset-commit-failure-percentage',
  ],
  'sink-task-metrics': ['partition-count'],
};

const RATE_GAUGES: readonly (readonly [string, string])[] = [
  ['source-task-metrics', 'source-record-poll-rate'],
  ['source-task-metrics', 'source-record-write-rate'],
  ['sink-task-metrics', 'sink-record-read-rate'],
  ['sink-task-metrics', 'sink-record-send-rate'],
];

function metricName(group: string, name: string): string {
  return `kafka_connect_${group.replaceAll('-', '_')}_${name.replaceAll('-', '_')}`;
}

/** Kafka's default metrics window: samples of 30 s (`metrics.sample.window.ms`), two of them. */
const RATE_WINDOW_MS = 60_000;
const BUCKET_MS = 1_000;

/** Events per second over the last RATE_WINDOW_MS (or since the first event, if more recent). */
class WindowedRate {
  private readonly buckets = new Map<number, number>();
  private readonly startMs = Date.now();

  record(count: number, now = Date.now()): void {
    const bucket = Math.floor(now / BUCKET_MS);
    this.buckets.set(bucket, (this.buckets.get(bucket) ?? 0) + count);
    const oldest = Math.floor((now - RATE_WINDOW_MS) / BUCKET_MS);
    for (const b of this.buckets.keys()) if (b <= oldest) this.buckets.delete(b);
  }

  perSecond(now: number): number {
    const oldest = Math.floor((now - RATE_WINDOW_MS) / BUCKET_MS);
    let total = 0;
    for (const [b, count] of this.buckets) if (b > oldest) total += count;
    const elapsedMs = Math.max(BUCKET_MS, Math.min(RATE_WINDOW_MS, now - this.startMs));
    return total / (elapsedMs / 1000);
  }
}
