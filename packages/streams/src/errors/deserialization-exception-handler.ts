import type { TaskId } from '../processor/task-id.js';

/** Where the record that failed to deserialize came from (Java's `ErrorHandlerContext`). */
export interface ErrorHandlerContext {
  readonly taskId: TaskId;
  readonly topic: string;
  readonly partition: number;
  readonly offset: bigint;
}

/** The raw record that failed (Java's `ConsumerRecord<byte[], byte[]>`). */
export interface RawRecord {
  readonly key: Uint8Array | null;
  readonly value: Uint8Array | null;
  readonly timestamp: number;
}

export const DeserializationHandlerResponse = { CONTINUE: 'CONTINUE', FAIL: 'FAIL' } as const;
export type DeserializationHandlerResponse =
  (typeof DeserializationHandlerResponse)[keyof typeof DeserializationHandlerResponse];

/**
 * Kafka Streams' `DeserializationExceptionHandler` (`default.deserialization.exception.handler`):
 * decides, for an input record whose key or value does not deserialize, whether the application
 * skips it (CONTINUE, counted in `dropped-records-total`) or stops in ERROR (FAIL).
 */
export interface DeserializationExceptionHandler {
  handle(context: ErrorHandlerContext, record: RawRecord, exception: Error): DeserializationHandlerResponse;
}

function describe(context: ErrorHandlerContext): string {
  return `taskId: ${context.taskId}, topic: ${context.topic}, partition: ${context.partition}, offset: ${context.offset}`;
}

/** Logs the failure and skips the record. */
export class LogAndContinueExceptionHandler implements DeserializationExceptionHandler {
  handle(context: ErrorHandlerContext, _record: RawRecord, exception: Error): DeserializationHandlerResponse {
    console.warn(`Exception caught during Deserialization, ${describe(context)}: ${exception.message}`);
    return DeserializationHandlerResponse.CONTINUE;
  }
}

/** The default: logs the failure and stops the application. */
export class LogAndFailExceptionHandler implements DeserializationExceptionHandler {
  handle(context: ErrorHandlerContext, _record: RawRecord, exception: Error): DeserializationHandlerResponse {
    console.error(`Exception caught during Deserialization, ${describe(context)}: ${exception.message}`);
    return DeserializationHandlerResponse.FAIL;
  }
}

/** The message of the StreamsException that stops the application, with the offending record's place. */
export function deserializationFailureMessage(context: ErrorHandlerContext): string {
  return (
    'Deserialization exception handler is set to fail upon a deserialization error. ' +
    'If you would rather have the streaming pipeline continue after a deserialization error, ' +
    `please set the default.deserialization.exception.handler appropriately. (${describe(context)})`
  );
}

export type DeserializationExceptionHandlerSetting = DeserializationExceptionHandler | string;

/** Resolves a setting; undefined for an unknown class name. */
export function deserializationExceptionHandlerOf(
  setting: DeserializationExceptionHandlerSetting,
): DeserializationExceptionHandler | undefined {
  if (typeof setting === 'object') return setting;
  const simple = setting.replace(/^org\.apache\.kafka\.streams\.errors\./, '');
  if (simple === 'LogAndContinueExceptionHandler') return new LogAndContinueExceptionHandler();
  if (simple === 'LogAndFailExceptionHandler') return new LogAndFailExceptionHandler();
  return undefined;
}
