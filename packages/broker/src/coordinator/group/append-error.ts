import { ErrorCode } from '@samsa/protocol';
import { coordinatorAppendError } from '../coordinator-append-error.js';

/**
 * What a client is told when the records of a group operation could not be appended to
 * `__consumer_offsets`: the coordinators' shared mapping (`coordinatorAppendError`), plus the
 * offset commit's own cases — a batch of an invalid size is an UNKNOWN_SERVER_ERROR, and a failed
 * transaction verification (NETWORK_EXCEPTION) becomes COORDINATOR_LOAD_IN_PROGRESS (retry).
 * Anything that is not a `KafkaError` is an UNKNOWN_SERVER_ERROR.
 */
export function appendErrorToResponseError(error: unknown): number {
  const code = errorCodeOf(error);
  switch (code) {
    case ErrorCode.INVALID_FETCH_SIZE:
      return ErrorCode.UNKNOWN_SERVER_ERROR;
    case ErrorCode.NETWORK_EXCEPTION:
      return ErrorCode.COORDINATOR_LOAD_IN_PROGRESS;
    default:
      return coordinatorAppendError(code);
  }
}

/** The Kafka error code an error carries (by shape, so that copies of `KafkaError` from other module instances count). */
export function errorCodeOf(error: unknown): number {
  if (typeof error === 'object' && error !== null && 'errorCode' in error && typeof error.errorCode === 'number') {
    return error.errorCode;
  }
  return ErrorCode.UNKNOWN_SERVER_ERROR;
}
