import type { Consumer, ConsumerRecord, TopicPartition } from '@samsa/client';
import type { SinkOffsets, SinkRecord } from '../connector/connect-record.js';
import type { Props, SinkTask } from '../connector/connector.js';
import type { Converter } from '../converters/converter.js';
import type { HeaderConverter } from '../converters/header-converter.js';
import type { TransformationChain } from '../transforms/transformation-chain.js';
import { TransformationError } from '../transforms/transformation-chain.js';
import { NO_TASK_METRICS, type TaskMetrics } from './connect-metrics.js';
import type { ErrorReporter, Stage } from './error-handling.js';
import { toConnectHeaders } from './header-conversion.js';
import { getLogger } from './loggers.js';
import { Gate, State, traceOf, type WorkerTask } from './worker-task.js';

const log = getLogger('org.apache.kafka.connect.runtime.WorkerSinkTask');

export interface WorkerSinkTaskOptions {
  readonly connector: string;
  readonly id: number;
  readonly taskClass: new () => SinkTask;
  readonly config: Props;
  readonly keyConverter: Converter;
  readonly valueConverter: Converter;
  /** A consumer of the group `connect-<connector>` with auto-commit off; this task subscribes and closes it. */
  readonly consumer: Consumer<Buffer, Buffer>;
  readonly topics: readonly string[] | RegExp;
  readonly offsetFlushIntervalMs: number;
  readonly onTopic: (topic: string) => void;
  /** The connector's `transforms`, applied after conversion. */
  readonly transformations: TransformationChain<SinkRecord>;
  /** `errors.*`: what happens to a record failing conversion or a transformation. */
  readonly errors: ErrorReporter;
  readonly keyConverterClass: string;
  readonly valueConverterClass: string;
  /** The connector's `header.converter`; SimpleHeaderConverter when omitted. */
  readonly headerConverter?: HeaderConverter;
  /** Kafka Connect's task metrics; none when omitted. */
  readonly metrics?: TaskMetrics;
}

const POLL_TIMEOUT_MS = 500;

function tpKey(topic: string, partition: number): string {
  return `${topic}-${partition}`;
}

/**
 * Runs one SinkTask: poll the group's consumer → convert → `put`; every
 * `offset.flush.interval.ms`, on revocation and on stop: `preCommit` (which flushes) → commit
 * the offsets it returns. Offsets are committed only after the task flushed the records below
 * them, so a restart re-delivers at most what was not flushed (at-least-once; none after a clean
 * stop).
 */
export class WorkerSinkTask implements WorkerTask {
  state: State = State.UNASSIGNED;
  trace: string | undefined;
  private task: SinkTask | undefined;
  private loop: Promise<void> | undefined;
  private paused = false;
  private stopping = false;
  private commitRequested = false;
  private readonly gate = new Gate();
  /** Next offset to consume per partition, for records already `put`. */
  private readonly current: SinkOffsets = new Map();
  private readonly taskPaused = new Map<string, TopicPartition>();
  private lastCommitted = new Map<string, bigint>();

  private readonly metrics: TaskMetrics;

  constructor(private readonly options: WorkerSinkTaskOptions) {
    this.metrics = options.metrics ?? NO_TASK_METRICS;
  }

  get id(): number {
    return this.options.id;
  }

  async start(paused: boolean): Promise<void> {
    try {
      const task = new this.options.taskClass();
      task.initialize({
        configs: this.options.config,
        pause: (...partitions) => {
          for (const p of partitions) this.taskPaused.set(tpKey(p.topic, p.partition), p);
          this.options.consumer.pause(partitions);
        },
        resume: (...partitions) => {
          for (const p of partitions) this.taskPaused.delete(tpKey(p.topic, p.partition));
          if (!this.paused) this.options.consumer.resume(partitions);
        },
        requestCommit: () => {
          this.commitRequested = true;
        },
      });
      this.task = task;
      await this.options.errors.dlq?.start();
      await task.start(this.options.config);
      this.options.consumer.subscribe(this.options.topics, {
        onPartitionsAssigned: async (partitions) => {
          await this.task?.open(partitions);
          if (this.paused) this.options.consumer.pause(partitions);
          this.metrics.partitionCount(this.options.consumer.assignment().length);
        },
        onPartitionsRevoked: async (partitions) => {
          await this.commit(partitions).catch((error) => log.error('connect: commit on revocation failed:', error));
          for (const p of partitions) this.current.delete(tpKey(p.topic, p.partition));
          await this.task?.close(partitions);
          this.metrics.partitionCount(
            this.options.consumer
              .assignment()
              .filter((p) => !partitions.some((r) => r.topic === p.topic && r.partition === p.partition)).length,
          );
        },
      });
    } catch (error) {
      this.fail(error);
      this.metrics.started(false);
      await this.options.consumer.close().catch(() => {});
      await this.options.errors.close();
      return;
    }
    this.metrics.started(true);
    this.paused = paused;
    this.state = paused ? State.PAUSED : State.RUNNING;
    this.loop = this.run();
  }

  pause(): void {
    this.paused = true;
    if (this.state === State.RUNNING) this.state = State.PAUSED;
  }

  resume(): void {
    this.paused = false;
    if (this.state === State.PAUSED) this.state = State.RUNNING;
    this.gate.open();
  }

  async stop(): Promise<void> {
    this.stopping = true;
    this.gate.open();
    await this.loop;
    if (this.state !== State.FAILED) {
      await this.commit().catch((error) =>
        log.error(`connect: final commit of ${this.options.connector}-${this.id} failed:`, error),
      );
    }
    try {
      await this.task?.stop();
    } catch (error) {
      log.error(`connect: task ${this.options.connector}-${this.id} failed to stop:`, error);
    }
    await this.options.consumer.close().catch(() => {});
    this.options.transformations.close();
    await this.options.errors.close();
    this.metrics.close();
    if (this.state !== State.FAILED) this.state = State.UNASSIGNED;
  }

  private async run(): Promise<void> {
    const { consumer } = this.options;
    let nextCommitMs = Date.now() + this.options.offsetFlushIntervalMs;
    try {
      while (!this.stopping) {
        // Paused: keep polling (membership, heartbeats) with every partition paused, as Kafka does.
        if (this.paused) consumer.pause(consumer.assignment());
        else {
          const resumable = consumer.paused().filter((p) => !this.taskPaused.has(tpKey(p.topic, p.partition)));
          if (resumable.length > 0) consumer.resume(resumable);
        }
        const records = await consumer.poll({ timeoutMs: POLL_TIMEOUT_MS });
        if (records.length > 0) {
          this.metrics.sinkRecordsRead(records.length);
          await this.deliver(records);
        }
        if (this.commitRequested || Date.now() >= nextCommitMs) {
          this.commitRequested = false;
          nextCommitMs = Date.now() + this.options.offsetFlushIntervalMs;
          await this.commit();
        }
      }
    } catch (error) {
      this.fail(error);
    }
  }

  private async deliver(records: readonly ConsumerRecord<Buffer, Buffer>[]): Promise<void> {
    const { keyConverter, valueConverter, keyConverterClass, valueConverterClass, transformations, errors } =
      this.options;
    const sinkRecords: SinkRecord[] = [];
    for (const r of records) {
      let stage: Stage = 'KEY_CONVERTER';
      let className = keyConverterClass;
      const convertAndTransform = (): SinkRecord | null => {
        stage = 'KEY_CONVERTER';
        className = keyConverterClass;
        const key = keyConverter.toConnectData(r.topic, r.key);
        stage = 'VALUE_CONVERTER';
        className = valueConverterClass;
        const value = valueConverter.toConnectData(r.topic, r.value);
        const record: SinkRecord = {
          topic: r.topic,
          kafkaPartition: r.partition,
          kafkaOffset: r.offset,
          keySchema: key.schema,
          key: key.value,
          valueSchema: value.schema,
          value: value.value,
          timestamp: r.timestamp,
          timestampType: r.timestampType,
          headers: toConnectHeaders(this.options.headerConverter, r.topic, r.headers),
        };
        stage = 'TRANSFORMATION';
        return transformations.size === 0 ? record : transformations.apply(record);
      };
      let transformed: SinkRecord | null;
      try {
        transformed = convertAndTransform();
      } catch (first) {
        // A RetriableException is retried for errors.retry.timeout before tolerance decides.
        const retried = await errors.retry(first, convertAndTransform, () => this.stopping);
        // Stopped while retrying: nothing of this batch is put or committed, so it comes again.
        if (this.stopping) return;
        if ('error' in retried) {
          if (retried.error instanceof TransformationError) className = retried.error.className;
          // Throws when not tolerated: the task fails with Kafka's "Tolerance exceeded in error handler".
          await errors.report({ stage, className, error: retried.error, consumed: r });
          continue;
        }
        transformed = retried.value;
      }
      if (transformed !== null) sinkRecords.push(transformed);
    }
    // A put throwing RetriableException is retried with the same batch; offsets move on only once it succeeded.
    const task = this.task!;
    if (
      (await errors.untilDone(
        'SinkTask.put',
        () => task.put(sinkRecords),
        () => this.stopping,
      )) === undefined
    )
      return;
    this.metrics.sinkRecordsSent(sinkRecords.length);
    for (const r of records) {
      this.current.set(tpKey(r.topic, r.partition), { topic: r.topic, partition: r.partition, offset: r.offset + 1n });
      this.options.onTopic(r.topic);
    }
  }

  /** preCommit (flush) then commit what it returns, for `only` partitions or all. */
  private async commit(only?: readonly TopicPartition[]): Promise<void> {
    if (this.task === undefined) return;
    const wanted: SinkOffsets = new Map();
    for (const [key, value] of this.current) {
      if (only === undefined || only.some((p) => tpKey(p.topic, p.partition) === key)) wanted.set(key, value);
    }
    const offsets = await this.task.preCommit(wanted);
    const changed = [...offsets.entries()].filter(([key, o]) => this.lastCommitted.get(key) !== o.offset);
    if (changed.length === 0) return;
    const startMs = performance.now();
    try {
      await this.options.consumer.commitSync(
        changed.map(([, o]) => ({ topic: o.topic, partition: o.partition, offset: o.offset })),
      );
    } catch (error) {
      this.metrics.offsetCommit(performance.now() - startMs, false);
      throw error;
    }
    this.metrics.offsetCommit(performance.now() - startMs, true);
    const next = new Map(this.lastCommitted);
    for (const [key, o] of changed) next.set(key, o.offset);
    this.lastCommitted = next;
  }

  private fail(error: unknown): void {
    this.state = State.FAILED;
    this.trace = traceOf(error);
    log.error(`connect: task ${this.options.connector}-${this.id} failed:`, error);
  }
}
