import type { Deserializer, RecordHeader } from '@samsa/client';
import { DeserializationException } from './deserialization-exception.js';

/** What Spring's `FailedDeserializationInfo` gives a fallback function. */
export interface FailedDeserializationInfo {
  readonly topic: string;
  readonly headers: readonly RecordHeader[];
  readonly data: Buffer;
  readonly isForKey: boolean;
  /** What the delegate threw. */
  readonly exception: Error;
}

export interface ErrorHandlingDeserializerOptions<T> {
  readonly isKey?: boolean;
  /**
   * Spring's `spring.deserializer.value.function`: a value to deliver instead of failing. When it
   * is given the record is delivered with its result; when it throws, that failure is reported.
   */
  readonly failedDeserializationFunction?: (info: FailedDeserializationInfo) => T;
}

/**
 * Spring's `ErrorHandlingDeserializer`: runs the delegate and turns any failure into a
 * `DeserializationException` holding the raw bytes ("failed to deserialize", Spring's message),
 * so the listener container can hand that one record to the error handler (and a dead-letter
 * topic) and go on with the next.
 *
 * Spring's version returns null and puts the serialized exception in a
 * `springDeserializerExceptionValue` header, because a Kafka consumer fails the whole poll when a
 * deserializer throws. Here the headers are read-only, so the failure is thrown: the container
 * runs this deserializer per record itself (the consumer's own deserializers pass bytes through),
 * where a throw concerns one record only. Given to a client `Consumer` directly, a throw stops
 * `poll` at that record, as Java's `RecordDeserializationException` does.
 */
export function errorHandlingDeserializer<T>(
  delegate: Deserializer<T>,
  options: ErrorHandlingDeserializerOptions<T> = {},
): Deserializer<T> {
  const isKey = options.isKey ?? false;
  const fallback = options.failedDeserializationFunction;
  return (data, topic, headers) => {
    try {
      return delegate(data, topic, headers);
    } catch (error) {
      if (fallback === undefined) {
        throw new DeserializationException('failed to deserialize', data, isKey, error, { topic, headers });
      }
      const exception = error instanceof Error ? error : new Error(String(error));
      return fallback({ topic, headers, data, isForKey: isKey, exception });
    }
  };
}
