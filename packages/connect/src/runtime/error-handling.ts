import { Admin, type ConsumerRecord, Producer } from '@samsa/client';
import type { SourceRecord } from '../connector/connect-record.js';
import type { Props } from '../connector/connector.js';
import { TransformationError } from '../transforms/transformation-chain.js';

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
  };
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
 * Kafka's RetryWithToleranceOperator with its LogReporter and DeadLetterQueueReporter: every
 * failure is logged (`errors.log.enable`) and sent to the dead letter queue (sink records), then
 * either tolerated (`errors.tolerance=all`: the record is skipped) or thrown as
 * "Tolerance exceeded in error handler", which fails the task.
 */
export class ErrorReporter {
  constructor(
    private readonly connector: string,
    private readonly taskId: number,
    readonly config: ErrorHandlingConfig,
    readonly dlq: DeadLetterQueue | undefined,
  ) {}

  async report(failed: FailedRecord): Promise<void> {
    const cause = rootCause(failed.error);
    if (this.config.logEnable) console.error(this.logMessage(failed), cause);
    if (this.dlq !== undefined && failed.consumed !== undefined) {
      await this.dlq.send(failed.consumed, this.config.dlqContextHeaders ? this.contextHeaders(failed) : []);
    }
    if (this.config.tolerance !== 'all') throw new ToleranceExceededException(failed.error);
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
