import type { Producer, ProducerRecord } from '@samsa/client';
import type { SourceRecord } from '../connector/connect-record.js';
import type { Props, SourceTask } from '../connector/connector.js';
import type { Converter } from '../converters/converter.js';
import type { HeaderConverter } from '../converters/header-converter.js';
import type { OffsetStore } from '../storage/offset-store.js';
import type { TransformationChain } from '../transforms/transformation-chain.js';
import { TransformationError } from '../transforms/transformation-chain.js';
import { NO_TASK_METRICS, type TaskMetrics } from './connect-metrics.js';
import type { ErrorReporter, Stage } from './error-handling.js';
import type { SourceTransactionSettings } from './exactly-once-source.js';
import { fromConnectHeaders, type KafkaHeader } from './header-conversion.js';
import { getLogger } from './loggers.js';
import { Gate, State, traceOf, type WorkerTask } from './worker-task.js';

const log = getLogger('org.apache.kafka.connect.runtime.WorkerSourceTask');

export interface WorkerSourceTaskOptions {
  readonly connector: string;
  readonly id: number;
  readonly taskClass: new () => SourceTask;
  readonly config: Props;
  readonly keyConverter: Converter;
  readonly valueConverter: Converter;
  readonly producer: Producer<Buffer, Buffer>;
  readonly offsets: OffsetStore;
  readonly onTopic: (topic: string) => void;
  /** The connector's `transforms`, applied before conversion. */
  readonly transformations: TransformationChain<SourceRecord>;
  /** `errors.*`: what happens to a record failing a transformation or conversion. */
  readonly errors: ErrorReporter;
  readonly keyConverterClass: string;
  readonly valueConverterClass: string;
  /**
   * Exactly-once support (KIP-618): `producer` is this task's own transactional producer (closed
   * with the task), and offsets go to the offset topic inside each transaction instead of `offsets`.
   */
  readonly transaction?: SourceTransactionSettings;
  /** The connector's `header.converter`; SimpleHeaderConverter when omitted. */
  readonly headerConverter?: HeaderConverter;
  /** Kafka Connect's task metrics; none when omitted. */
  readonly metrics?: TaskMetrics;
}

/**
 * Runs one SourceTask: poll → convert → produce → wait for acks → store each record's source
 * offset. An offset is stored only once Kafka acknowledged its record and every record before
 * it, so offsets written to the file or topic (every `offset.flush.interval.ms` and on stop) never run
 * ahead of the topic: a restart re-sends at most what was not acknowledged (at-least-once).
 */
export class WorkerSourceTask implements WorkerTask {
  state: State = State.UNASSIGNED;
  trace: string | undefined;
  private task: SourceTask | undefined;
  private loop: Promise<void> | undefined;
  private paused = false;
  private stopping = false;
  private readonly gate = new Gate();
  /** Under exactly-once support: when the open transaction began (undefined: none open). */
  private transactionStartMs: number | undefined;

  private readonly metrics: TaskMetrics;

  constructor(private readonly options: WorkerSourceTaskOptions) {
    this.metrics = options.metrics ?? NO_TASK_METRICS;
  }

  get id(): number {
    return this.options.id;
  }

  async start(paused: boolean): Promise<void> {
    const { connector, offsets, transaction, producer } = this.options;
    try {
      if (transaction !== undefined) {
        // Fences any older producer of this task and aborts its open transaction; only then is
        // the offset topic read, so the offsets seen are exactly those of committed records.
        await producer.initTransactions();
        await offsets.refresh?.();
      }
      const task = new this.options.taskClass();
      task.initialize({
        configs: this.options.config,
        offsetStorageReader: { offset: (p) => offsets.get(connector, p) },
      });
      this.task = task;
      await task.start(this.options.config);
    } catch (error) {
      this.fail(error);
      this.metrics.started(false);
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
    try {
      await this.task?.stop();
    } catch (error) {
      log.error(`connect: task ${this.options.connector}-${this.id} failed to stop:`, error);
    }
    await this.loop;
    if (this.options.transaction !== undefined) {
      try {
        if (this.state !== State.FAILED) await this.commitTransaction();
      } catch (error) {
        log.error(`connect: task ${this.options.connector}-${this.id} could not commit its last transaction:`, error);
      }
      await this.options.producer.close().catch(() => {});
    }
    try {
      await this.task?.commit();
    } catch {
      // commit() is a notification; a task failing it has nothing left to lose
    }
    this.options.transformations.close();
    await this.options.errors.close();
    this.metrics.close();
    if (this.state !== State.FAILED) this.state = State.UNASSIGNED;
  }

  private async run(): Promise<void> {
    try {
      while (!this.stopping) {
        if (this.paused) {
          await this.gate.wait();
          continue;
        }
        // A poll throwing RetriableException is called again (after a backoff), as Kafka's worker does.
        const task = this.task!;
        const polled = await this.options.errors.untilDone(
          'SourceTask.poll',
          () => task.poll(),
          () => this.stopping,
        );
        if (polled === undefined) continue;
        const records = polled.value;
        if (records !== null && records.length > 0) {
          this.metrics.sourceRecordsPolled(records.length);
          await this.send(records);
        }
        if (this.transactionDue()) await this.commitTransaction();
      }
    } catch (error) {
      if (!this.stopping) this.fail(error);
    }
  }

  private async send(records: readonly SourceRecord[]): Promise<void> {
    const { keyConverter, valueConverter, producer, offsets, connector, transformations, errors } = this.options;
    const out: ProducerRecord<Buffer, Buffer>[] = [];
    /** The record sent for each polled one, null when a transformation dropped it or an error was tolerated. */
    const sent: (SourceRecord | null)[] = [];
    for (const polled of records) {
      let stage: Stage = 'TRANSFORMATION';
      let className = '';
      const transformAndConvert = (): { r: SourceRecord; record: ProducerRecord<Buffer, Buffer> } | null => {
        stage = 'TRANSFORMATION';
        className = '';
        const r = transformations.size === 0 ? polled : transformations.apply(polled);
        if (r === null) return null;
        stage = 'KEY_CONVERTER';
        className = this.options.keyConverterClass;
        const key = keyConverter.fromConnectData(r.topic, r.keySchema ?? null, r.key ?? null);
        stage = 'VALUE_CONVERTER';
        className = this.options.valueConverterClass;
        const record: {
          topic: string;
          key: Buffer | null;
          value: Buffer | null;
          partition?: number;
          timestamp?: number;
          headers?: KafkaHeader[];
        } = { topic: r.topic, key, value: valueConverter.fromConnectData(r.topic, r.valueSchema ?? null, r.value) };
        if (r.kafkaPartition !== null && r.kafkaPartition !== undefined) record.partition = r.kafkaPartition;
        if (r.timestamp !== null && r.timestamp !== undefined) record.timestamp = r.timestamp;
        const headers = fromConnectHeaders(this.options.headerConverter, r.topic, r.headers);
        if (headers !== undefined) record.headers = headers;
        return { r, record };
      };
      let outcome: { r: SourceRecord; record: ProducerRecord<Buffer, Buffer> } | null;
      try {
        outcome = transformAndConvert();
      } catch (first) {
        // A RetriableException is retried for errors.retry.timeout before tolerance decides.
        const retried = await errors.retry(first, transformAndConvert, () => this.stopping);
        // Stopped while retrying: nothing of this batch is sent nor its offsets stored, so it is polled again.
        if (this.stopping) return;
        if ('error' in retried) {
          if (retried.error instanceof TransformationError) className = retried.error.className;
          // Throws when not tolerated: the task fails with Kafka's "Tolerance exceeded in error handler".
          await errors.report({ stage, className, error: retried.error, source: polled });
          sent.push(null);
          continue;
        }
        outcome = retried.value;
      }
      if (outcome === null) {
        sent.push(null);
        continue;
      }
      out.push(outcome.record);
      sent.push(outcome.r);
    }
    const { transaction } = this.options;
    if (transaction !== undefined) {
      if (this.transactionStartMs === undefined) {
        producer.beginTransaction();
        this.transactionStartMs = Date.now();
      }
    }
    // Under exactly-once support the batch's offsets ride in the same transaction, after its records.
    const offsetOut = transaction === undefined ? [] : offsetRecords(connector, transaction.offsetTopic, records);
    const all = out.length + offsetOut.length === 0 ? [] : await producer.sendBatch([...out, ...offsetOut]);
    const metadata = all.slice(0, out.length);
    this.metrics.sourceRecordsWritten(out.length);
    let acked = 0;
    for (let i = 0; i < records.length; i++) {
      const polled = records[i]!;
      const record = sent[i] ?? null;
      // A dropped or skipped record's offset is stored too (in order), as Kafka does.
      if (transaction === undefined && polled.sourcePartition !== null && polled.sourceOffset !== null) {
        offsets.set(connector, polled.sourcePartition, polled.sourceOffset);
      }
      if (record === null) {
        await this.task!.commitRecord(polled, null);
        continue;
      }
      this.options.onTopic(record.topic);
      await this.task!.commitRecord(polled, metadata[acked++] ?? null);
    }
  }

  /** Whether the open transaction ends now: after every poll, or once `interval` passed. */
  private transactionDue(): boolean {
    const { transaction } = this.options;
    if (transaction === undefined || this.transactionStartMs === undefined) return false;
    return transaction.boundary === 'poll' || Date.now() - this.transactionStartMs >= transaction.intervalMs;
  }

  private async commitTransaction(): Promise<void> {
    if (this.transactionStartMs === undefined) return;
    this.transactionStartMs = undefined;
    await this.options.producer.commitTransaction();
  }

  private fail(error: unknown): void {
    this.state = State.FAILED;
    this.trace = traceOf(error);
    log.error(`connect: task ${this.options.connector}-${this.id} failed:`, error);
  }
}

/**
 * The offset topic's records for a batch: the last offset of each source partition, keyed and
 * encoded as KafkaOffsetBackingStore writes them (so the worker's offset store reads them back).
 */
function offsetRecords(
  connector: string,
  topic: string,
  records: readonly SourceRecord[],
): ProducerRecord<Buffer, Buffer>[] {
  const last = new Map<string, unknown>();
  for (const r of records) {
    if (r.sourcePartition === null || r.sourceOffset === null) continue;
    const key = JSON.stringify([connector, r.sourcePartition]);
    last.delete(key);
    last.set(key, r.sourceOffset);
  }
  return [...last].map(([key, offset]) => ({
    topic,
    key: Buffer.from(key, 'utf8'),
    value: Buffer.from(JSON.stringify(offset), 'utf8'),
  }));
}
