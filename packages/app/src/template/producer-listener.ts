import type { ProducerRecord, RecordMetadata } from '@samsa/client';

/**
 * Told of the outcome of every record a `KafkaTemplate` sends (Spring's `ProducerListener`). Both
 * methods are optional, as Spring's are default no-ops. Called after the broker answered (or the
 * record failed before reaching it), before the send's promise settles; an exception thrown here
 * is swallowed, so that a faulty listener cannot turn a delivered record into a failed send.
 */
export interface ProducerListener<K = unknown, V = unknown> {
  onSuccess?(record: ProducerRecord<K, V>, metadata: RecordMetadata): void;
  /**
   * `metadata` is what Kafka knew of the failed record; this client gives none, so it is `null`
   * (Spring's Java producer fills it in only for some failures).
   */
  onError?(record: ProducerRecord<K, V>, metadata: RecordMetadata | null, error: Error): void;
}

export interface LoggingProducerListenerOptions {
  /** Whether the message shows the key and value (Spring's `includeContents`, default true). */
  readonly includeContents?: boolean;
  /** Longest key or value text shown before it is cut with `...` (Spring's default: 100). */
  readonly maxContentLogged?: number;
  /** Where the line goes; `console.error` by default (Spring logs at ERROR). */
  readonly log?: (message: string, error: Error) => void;
}

/**
 * Spring's default listener: logs failures only (a success is the common case and is not worth
 * a line), with the key and value cut to `maxContentLogged` characters so that one large payload
 * cannot flood the log. Message text as Spring's, so log searches written for Spring keep working.
 */
export class LoggingProducerListener<K = unknown, V = unknown> implements ProducerListener<K, V> {
  includeContents: boolean;
  maxContentLogged: number;
  private readonly log: (message: string, error: Error) => void;

  constructor(options: LoggingProducerListenerOptions = {}) {
    this.includeContents = options.includeContents ?? true;
    this.maxContentLogged = options.maxContentLogged ?? 100;
    this.log = options.log ?? ((message, error) => console.error(message, error));
  }

  onError(record: ProducerRecord<K, V>, metadata: RecordMetadata | null, error: Error): void {
    let message = 'Exception thrown when sending a message';
    if (this.includeContents) {
      message += ` with key='${this.display(record.key)}' and payload='${this.display(record.value)}'`;
    }
    message += ` to topic ${record.topic}`;
    if (record.partition !== undefined) message += ` and partition ${metadata?.partition ?? record.partition}`;
    this.log(`${message}:`, error);
  }

  /** Bytes are shown by length only (Spring's `byte[n]`): their text is rarely readable. */
  private display(content: unknown): string {
    if (content instanceof Uint8Array) return `byte[${content.length}]`;
    const text = textOf(content);
    return text.length <= this.maxContentLogged ? text : `${text.slice(0, this.maxContentLogged)}...`;
  }
}

/** Java's `ObjectUtils.nullSafeToString` for JS values: JSON for plain objects, which have no useful `toString`. */
function textOf(content: unknown): string {
  if (content === null || content === undefined) return 'null';
  if (typeof content === 'string') return content;
  if (typeof content === 'object' && content.toString === Object.prototype.toString) {
    try {
      return JSON.stringify(content, (_key, value: unknown) => (typeof value === 'bigint' ? value.toString() : value));
    } catch {
      // Circular: fall through to String().
    }
  }
  return String(content);
}
