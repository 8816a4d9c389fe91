import type { Record } from '../processor/record.js';
import type { ErrorHandlerContext } from './deserialization-exception-handler.js';

/** Where a processor failed (KIP-1033's `ErrorHandlerContext`): the input record's place and the node. */
export interface ProcessingErrorContext extends ErrorHandlerContext {
  readonly processorNodeId: string;
  readonly timestamp: number;
}

export const ProcessingHandlerResponse = { CONTINUE: 'CONTINUE', FAIL: 'FAIL' } as const;
export type ProcessingHandlerResponse = (typeof ProcessingHandlerResponse)[keyof typeof ProcessingHandlerResponse];

/**
 * Kafka Streams' `ProcessingExceptionHandler` (KIP-1033, `processing.exception.handler`): decides,
 * when a processor's `process` throws, whether the record is dropped there (CONTINUE: logged and
 * counted in `dropped-records-total`; the other branches it already reached keep their output) or
 * the stream thread dies of the error (FAIL, the default — the uncaught exception handler decides
 * what happens next).
 */
export interface ProcessingExceptionHandler {
  handle(
    context: ProcessingErrorContext,
    record: Record<unknown, unknown>,
    exception: Error,
  ): ProcessingHandlerResponse;
}

function describe(context: ProcessingErrorContext): string {
  return (
    `taskId: ${context.taskId}, processor: ${context.processorNodeId}, topic: ${context.topic}, ` +
    `partition: ${context.partition}, offset: ${context.offset}`
  );
}

/** The default: logs the failure and fails. */
export class LogAndFailProcessingExceptionHandler implements ProcessingExceptionHandler {
  handle(
    context: ProcessingErrorContext,
    _record: Record<unknown, unknown>,
    exception: Error,
  ): ProcessingHandlerResponse {
    console.error(`Exception caught during message processing, ${describe(context)}: ${exception.message}`);
    return ProcessingHandlerResponse.FAIL;
  }
}

/** Logs the failure and drops the record. */
export class LogAndContinueProcessingExceptionHandler implements ProcessingExceptionHandler {
  handle(
    context: ProcessingErrorContext,
    _record: Record<unknown, unknown>,
    exception: Error,
  ): ProcessingHandlerResponse {
    console.warn(`Exception caught during message processing, ${describe(context)}: ${exception.message}`);
    return ProcessingHandlerResponse.CONTINUE;
  }
}

export type ProcessingExceptionHandlerSetting = ProcessingExceptionHandler | string;

/** Resolves a setting (an object, or Java's class name, simple or qualified); undefined if unknown. */
export function processingExceptionHandlerOf(
  setting: ProcessingExceptionHandlerSetting,
): ProcessingExceptionHandler | undefined {
  if (typeof setting === 'object') return setting;
  const simple = setting.replace(/^org\.apache\.kafka\.streams\.errors\./, '');
  if (simple === 'LogAndFailProcessingExceptionHandler') return new LogAndFailProcessingExceptionHandler();
  if (simple === 'LogAndContinueProcessingExceptionHandler') return new LogAndContinueProcessingExceptionHandler();
  return undefined;
}
