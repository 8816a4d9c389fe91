import { Admin, type ConsumerRecord, Producer } from '@samsa/client';
import type { SourceRecord } from '../connector/connect-record.js';
import type { Props } from '../connector/connector.js';
import { TransformationError } from '../transforms/transformation-chain.js';
import { NO_TASK_METRICS, type TaskMetrics } from './connect-metrics.js';
import { getLogger } from './loggers.js';

const log = getLogger('org.apache.kafka.connect.runtime.errors.RetryWithToleranceOperator');

/** Kafka's errors.Stage: where a record failed. */
export type Stage = 'KEY_CONVERTER' | 'VALUE_CONVERTER' | 'HEADER_CONVERTER' | 'TRANSFORMATION';

export interface ErrorHandlingConfig {
  readonly tolerance: 'none' | 'all';
  readonly logEnable: boolean;
  readonly logIncludeMessages: boolean;
  /** Sink connectors only; '' = no dead letter queue. */
  readonly dlqTopic: string;
  readonly dlqReplicationFactor: number;
  readonly dlqContextHeaders: boolean;
  /** `errors.retry.timeout`: how long a RetriableException is retried; 0 = never, -1 = forever. */
  readonly retryTimeoutMs: number;
  /** `errors.retry.delay.max.ms`: the cap of the backoff between retries. */
  readonly retryDelayMaxMs: number;
}

/** The `errors.*` keys of a (validated) connector config. */
export function errorHandlingConfig(props: Props): ErrorHandlingConfig {
  const bool = (key: string) => (props[key] ?? '').trim().toLowerCase() === 'true';
  return {
    tolerance: (props['errors.tolerance'] ?? 'none').trim() === 'all' ? 'all' : 'none',
    logEnable: bool('errors.log.enable'),
    logIncludeMessages: bool('errors.log.include.messages'),
    dlqTopic: (props['errors.deadletterqueue.topic.name'] ?? '').trim(),
    dlqReplicationFactor: Number((props['errors.deadletterqueue.topic.replication.factor'] ?? '3').trim()),
    dlqContextHeaders: bool('errors.deadletterqueue.context.headers.enable'),
    retryTimeoutMs: Number((props['errors.retry.timeout'] ?? '0').trim()),
    retryDelayMaxMs: Number((props['errors.retry.delay.max.ms'] ?? '60000').trim()),
  };
}

/**
 * Kafka's `org.apache.kafka.connect.errors.RetriableException`: thrown by a converter, a
 * transformation or a task (`put`, `poll`) when the same call may succeed later (a database
 * briefly unreachable…). The worker retries instead of failing: see ErrorReporter.retry.
 */
export class RetriableException extends Error {
  override readonly name = 'RetriableException';
}

/**
 * A RetriableException, or one thrown by code that has its own copy of the class (a plugin
 * bundling @samsa/connect), recognised by name as Java recognises the class.
 */
export function isRetriable(error: unknown): boolean {
  const cause = rootCause(error);
  return cause instanceof RetriableException || (cause instanceof Error && cause.name === 'RetriableException');
}

/** Kafka's RetryWithToleranceOperator: the first retry waits 300 ms, each next one twice as long. */
const RETRIES_DELAY_MIN_MS = 300;
/** A backoff is slept in slices this long, so that stopping the task is not delayed by a long wait. */
const STOP_CHECK_MS = 100;

/**
 * Kafka's backoff before retry `attempt` (1-based): 300 ms × 2^(attempt-1), a random delay below
 * `delayMaxMs` once that is exceeded (jitter, so that tasks do not retry in step), and never past
 * `deadline`. Resolves early when `stopping()` turns true.
 */
export async function backoff(attempt: number, delayMaxMs: number, deadline: number, stopping: () => boolean) {
  let delay = RETRIES_DELAY_MIN_MS * 2 ** (attempt - 1);
  if (delay > delayMaxMs) delay = Math.floor(Math.random() * delayMaxMs);
  const until = Math.min(Date.now() + delay, deadline);
  while (!stopping() && Date.now() < until) {
    await new Promise((resolve) => setTimeout(resolve, Math.min(STOP_CHECK_MS, until - Date.now())));
  }
}

/** Kafka's "Tolerance exceeded in error handler" ConnectException; its stack ends with the cause's. */
export class ToleranceExceededException extends Error {
  override readonly name = 'org.apache.kafka.connect.errors.ConnectException';
  constructor(override readonly cause: unknown) {
    super('Tolerance exceeded in error handler');
    this.stack = `${this.name}: ${this.message}\nCaused by: ${javaStack(cause)}`;
  }
}

function rootCause(error: unknown): unknown {
  return error instanceof TransformationError ? error.cause : error;
}

/** The Java class name Kafka would report for an error (`org.apache.kafka.connect.errors.DataException`…). */
function exceptionClass(error: unknown): string {
  if (!(error instanceof Error)) return 'java.lang.RuntimeException';
  if (error.name === 'DataException') return 'org.apache.kafka.connect.errors.DataException';
  if (error.name === 'RetriableException') return 'org.apache.kafka.connect.errors.RetriableException';
  if (error.name === 'ConfigException') return 'org.apache.kafka.common.config.ConfigException';
  if (error.name.includes('.')) return error.name;
  return error.name;
}

function javaStack(error: unknown): string {
  const cause = rootCause(error);
  if (!(cause instanceof Error)) return String(cause);
  const stack = cause.stack ?? `${cause.name}: ${cause.message}`;
  return stack.startsWith(`${cause.name}:`) ? `${exceptionClass(cause)}${stack.slice(cause.name.length)}` : stack;
}

export interface FailedRecord {
  readonly stage: Stage;
  /** The converter's or transformation's class. */
  readonly className: string;
  readonly error: unknown;
  /** The consumed record (sink tasks). */
  readonly consumed?: ConsumerRecord<Buffer, Buffer>;
  /** The polled record (source tasks). */
  readonly source?: SourceRecord;
}

/** Kafka's DeadLetterQueueReporter: the original bytes (and headers) of a failed sink record. */
export class DeadLetterQueue {
  private producer: Producer<Buffer, Buffer> | undefined;

  constructor(
    private readonly topic: string,
    private readonly replicationFactor: number,
    private readonly clientProps: Readonly<Record<string, string>>,
    private readonly producerProps: Readonly<Record<string, string>>,
  ) {}

  /** Creates the topic (one partition) if it does not exist, as Kafka does when the task starts. */
  async start(): Promise<void> {
    const admin = new Admin({ ...this.clientProps });
    try {
      const topics = await admin.listTopics();
      if (!topics.includes(this.topic)) {
        try {
          await admin.createTopics([{ name: this.topic, numPartitions: 1, replicationFactor: this.replicationFactor }]);
        } catch (error) {
          // Another task may have created it meanwhile.
          if (!(await admin.listTopics()).includes(this.topic)) throw error;
        }
      }
    } finally {
      await admin.close().catch(() => {});
    }
    this.producer = new Producer<Buffer, Buffer>({
      ...this.producerProps,
      ...this.clientProps,
      keySerializer: 'buffer',
      valueSerializer: 'buffer',
    });
  }

  async send(record: ConsumerRecord<Buffer, Buffer>, extraHeaders: readonly { key: string; value: string }[]) {
    if (this.producer === undefined) throw new Error('dead letter queue not started');
    await this.producer.sendBatch([
      {
        topic: this.topic,
        key: record.key,
        value: record.value,
        headers: [...record.headers.map((h) => ({ key: h.key, value: h.value })), ...extraHeaders],
      },
    ]);
  }

  async close(): Promise<void> {
    await this.producer?.close().catch(() => {});
    this.producer = undefined;
  }
}

/**
 * Kafka's RetryWithToleranceOperator with its LogReporter and DeadLetterQueueReporter. A
 * RetriableException from a converter or transformation is first retried (`retry`) for
 * `errors.retry.timeout`; a failure that remains is logged (`errors.log.enable`) and sent to the
 * dead letter queue (sink records), then either tolerated (`errors.tolerance=all`: the record is
 * skipped) or thrown as "Tolerance exceeded in error handler", which fails the task.
 */
export class ErrorReporter {
  constructor(
    private readonly connector: string,
    private readonly taskId: number,
    readonly config: ErrorHandlingConfig,
    readonly dlq: DeadLetterQueue | undefined,
    /** task-error-metrics: every failed attempt, every record in error, skipped, sent to the DLQ. */
    private readonly metrics: TaskMetrics = NO_TASK_METRICS,
  ) {}

  /**
   * Kafka's execAndRetry, for an operation that already failed once with `first`: while it throws
   * a RetriableException and `errors.retry.timeout` has not passed since that first attempt,
   * back off and call it again. Returns its value, or the error to report (not retriable, out of
   * time, or the task is stopping). Unlike Kafka's code, where a retriable error outliving the
   * timeout is skipped even with `errors.tolerance=none`, the caller hands that error to `report`,
   * so tolerance decides, as Kafka's documentation of these keys says.
   */
  async retry<T>(
    first: unknown,
    operation: () => T | Promise<T>,
    stopping: () => boolean,
  ): Promise<{ readonly value: T } | { readonly error: unknown }> {
    const { retryTimeoutMs, retryDelayMaxMs } = this.config;
    const start = Date.now();
    const deadline = retryTimeoutMs < 0 ? Number.POSITIVE_INFINITY : start + retryTimeoutMs;
    let error = first;
    for (let attempt = 1; ; attempt++) {
      this.metrics.recordFailure();
      if (!isRetriable(error) || Date.now() >= deadline) return { error };
      await backoff(attempt, retryDelayMaxMs, deadline, stopping);
      if (stopping()) return { error };
      try {
        return { value: await operation() };
      } catch (next) {
        error = next;
      }
    }
  }

  /**
   * A task's own call (`put`, `poll`) until it does not throw a RetriableException, as Kafka's
   * worker redelivers a batch whose `put` threw one and polls again after a failed `poll`: with no
   * deadline (errors.retry.timeout is for converters and transformations), backing off as `retry`
   * does. Another exception is thrown (it fails the task). Returns undefined if the task is
   * stopping before the call succeeded.
   */
  async untilDone<T>(
    what: string,
    operation: () => T | Promise<T>,
    stopping: () => boolean,
  ): Promise<{ readonly value: T } | undefined> {
    for (let attempt = 1; ; attempt++) {
      try {
        return { value: await operation() };
      } catch (error) {
        if (!isRetriable(error)) throw error;
        log.error(`connect: task ${this.connector}-${this.taskId}: RetriableException from ${what}:`, error);
        await backoff(attempt, this.config.retryDelayMaxMs, Number.POSITIVE_INFINITY, stopping);
        if (stopping()) return undefined;
      }
    }
  }

  async report(failed: FailedRecord): Promise<void> {
    const cause = rootCause(failed.error);
    if (this.config.logEnable) log.error(this.logMessage(failed), cause);
    this.metrics.recordError();
    if (this.dlq !== undefined && failed.consumed !== undefined) {
      try {
        await this.dlq.send(failed.consumed, this.config.dlqContextHeaders ? this.contextHeaders(failed) : []);
      } catch (error) {
        this.metrics.deadLetterQueueProduced(false);
        throw error;
      }
      this.metrics.deadLetterQueueProduced(true);
    }
    if (this.config.tolerance !== 'all') throw new ToleranceExceededException(failed.error);
    this.metrics.recordSkipped();
  }

  private logMessage(failed: FailedRecord): string {
    let message = `Error encountered in task ${this.connector}-${this.taskId}. Executing stage '${failed.stage}' with class '${failed.className}'`;
    if (this.config.logIncludeMessages) {
      if (failed.consumed !== undefined) {
        const r = failed.consumed;
        message += `, where consumed record is {topic='${r.topic}', partition=${r.partition}, offset=${r.offset}, timestamp=${r.timestamp}, timestampType=${r.timestampType}}`;
      } else if (failed.source !== undefined) {
        const r = failed.source;
        message += `, where source record is = SourceRecord{sourcePartition=${JSON.stringify(r.sourcePartition)}, sourceOffset=${JSON.stringify(r.sourceOffset)}} ConnectRecord{topic='${r.topic}', kafkaPartition=${r.kafkaPartition ?? null}, key=${String(r.key ?? null)}, value=${String(r.value)}, timestamp=${r.timestamp ?? null}}`;
      }
    }
    return `${message}.`;
  }

  /** Kafka's `__connect.errors.*` headers. */
  private contextHeaders(failed: FailedRecord): { key: string; value: string }[] {
    const cause = rootCause(failed.error);
    const headers: { key: string; value: string }[] = [];
    const add = (key: string, value: string) => headers.push({ key: `__connect.errors.${key}`, value });
    if (failed.consumed !== undefined) {
      add('topic', failed.consumed.topic);
      add('partition', String(failed.consumed.partition));
      add('offset', String(failed.consumed.offset));
    }
    add('connector.name', this.connector);
    add('task.id', String(this.taskId));
    add('stage', failed.stage);
    add('class.name', failed.className);
    add('exception.class.name', exceptionClass(cause));
    add('exception.message', cause instanceof Error ? cause.message : String(cause));
    add('exception.stacktrace', javaStack(cause));
    return headers;
  }

  async close(): Promise<void> {
    await this.dlq?.close();
  }
}
