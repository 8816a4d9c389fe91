import type { RecordHeader } from '@samsa/client';

/**
 * A key or value that its deserializer could not read (Spring's `DeserializationException`). It
 * carries the raw bytes so that an error handler can log them or a dead-letter recoverer can
 * publish them unchanged, which is why a poison record need not stop the consumer.
 */
export class DeserializationException extends Error {
  override readonly name = 'DeserializationException';
  /** The bytes as they came from the broker. */
  readonly data: Buffer;
  readonly isKey: boolean;
  readonly topic: string | undefined;
  readonly headers: readonly RecordHeader[];

  constructor(
    message: string,
    data: Buffer,
    isKey: boolean,
    cause: unknown,
    context: { readonly topic?: string; readonly headers?: readonly RecordHeader[] } = {},
  ) {
    super(message, { cause });
    this.data = data;
    this.isKey = isKey;
    this.topic = context.topic;
    this.headers = context.headers ?? [];
  }
}

/**
 * Whether `e` is a DeserializationException. By name as well as by class: two copies of this
 * package in one process (a hoisting accident) must still recognise each other's failures.
 */
export function isDeserializationException(e: unknown): e is DeserializationException {
  if (e instanceof DeserializationException) return true;
  return (
    e instanceof Error &&
    e.name === 'DeserializationException' &&
    Buffer.isBuffer((e as { data?: unknown }).data) &&
    typeof (e as { isKey?: unknown }).isKey === 'boolean'
  );
}
