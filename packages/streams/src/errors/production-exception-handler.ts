import type { TaskId } from '../processor/task-id.js';

/**
 * Where a failed send came from (Java's `ErrorHandlerContext` of KIP-1033): the task, and the
 * input record being processed when the record was produced — absent for sends made from a
 * punctuator or a commit-time cache flush, as Java's context then has no source record.
 */
export interface ProductionErrorContext {
  readonly taskId: TaskId;
  readonly topic: string | null;
  readonly partition: number;
  readonly offset: bigint;
}

/** The record that failed, serialized (Java's `ProducerRecord<byte[], byte[]>`). */
export interface ProducedRecord {
  readonly topic: string;
  readonly partition: number | undefined;
  readonly key: Uint8Array | null;
  readonly value: Uint8Array | null;
  readonly timestamp: number;
}

export const ProductionExceptionHandlerResponse = { CONTINUE: 'CONTINUE', FAIL: 'FAIL' } as const;
export type ProductionExceptionHandlerResponse =
  (typeof ProductionExceptionHandlerResponse)[keyof typeof ProductionExceptionHandlerResponse];

/**
 * Kafka Streams' `ProductionExceptionHandler` (`default.production.exception.handler`): decides,
 * for an output, repartition or changelog record the producer could not deliver (a record too
 * large, a topic rejecting it), whether the application skips it (CONTINUE: logged and counted in
 * `dropped-records-total`) or stops (FAIL: the next commit throws, the uncaught exception handler
 * decides what happens). Errors that no record-level choice can fix — authorization, a fenced
 * producer, an unknown server error — never reach the handler, as in Java.
 */
export interface ProductionExceptionHandler {
  handle(context: ProductionErrorContext, record: ProducedRecord, exception: Error): ProductionExceptionHandlerResponse;
}

/** Java's default: every send error fails the application. */
export class DefaultProductionExceptionHandler implements ProductionExceptionHandler {
  handle(): ProductionExceptionHandlerResponse {
    return ProductionExceptionHandlerResponse.FAIL;
  }
}

/**
 * Errors Java's RecordCollectorImpl treats as fatal whatever the handler says (its
 * `isFatalException` plus the producer-fencing family): they concern the client or the cluster,
 * not the one record.
 */
const FATAL = new Set([
  'TOPIC_AUTHORIZATION_FAILED',
  'CLUSTER_AUTHORIZATION_FAILED',
  'TRANSACTIONAL_ID_AUTHORIZATION_FAILED',
  'SASL_AUTHENTICATION_FAILED',
  'SECURITY_DISABLED',
  'INVALID_TOPIC_EXCEPTION',
  'UNKNOWN_SERVER_ERROR',
  'OUT_OF_ORDER_SEQUENCE_NUMBER',
  'INVALID_PRODUCER_EPOCH',
  'PRODUCER_FENCED',
  'INVALID_PRODUCER_ID_MAPPING',
  'UNKNOWN_PRODUCER_ID',
]);

/** Whether a send error is one the production exception handler may decide about. */
export function isHandledSendError(error: Error): boolean {
  const name = (error as { errorName?: unknown }).errorName;
  return !(typeof name === 'string' && FATAL.has(name));
}

export type ProductionExceptionHandlerSetting = ProductionExceptionHandler | string;

/** Resolves a setting (an object, or Java's class name, simple or qualified); undefined if unknown. */
export function productionExceptionHandlerOf(
  setting: ProductionExceptionHandlerSetting,
): ProductionExceptionHandler | undefined {
  if (typeof setting === 'object') return setting;
  const simple = setting.replace(/^org\.apache\.kafka\.streams\.errors\./, '');
  if (simple === 'DefaultProductionExceptionHandler') return new DefaultProductionExceptionHandler();
  return undefined;
}

/** The message of the StreamsException that stops the application (Java's RecordCollectorImpl text). */
export function productionFailureMessage(
  context: ProductionErrorContext,
  record: ProducedRecord,
  error: Error,
): string {
  const source =
    context.topic === null
      ? ''
      : `, source topic: ${context.topic}, partition: ${context.partition}, offset: ${context.offset}`;
  return (
    `Error encountered sending record to topic ${record.topic} for task ${context.taskId} due to:\n` +
    `${error.name}: ${error.message}\n` +
    'Exception handler choose to FAIL the processing, no more records would be sent.' +
    ` (taskId: ${context.taskId}${source})`
  );
}
