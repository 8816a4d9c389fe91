import { ErrorCode } from '@samsa/protocol';

/**
 * What a client is told when the records of a coordinator operation could not be appended to
 * `__consumer_offsets`. Kafka maps the log's errors to errors the group protocol's clients know
 * how to react to (GroupMetadataManager.appendGroupMetadataErrorToResponseError and the offset
 * commit mapping):
 * - the partition is gone or under-replicated → COORDINATOR_NOT_AVAILABLE (retry, same coordinator);
 * - this broker no longer leads it, or its disk failed → NOT_COORDINATOR (find the coordinator again);
 * - the batch is too large → UNKNOWN_SERVER_ERROR (nothing the client can fix);
 * - a failed transaction verification (NETWORK_EXCEPTION) → COORDINATOR_LOAD_IN_PROGRESS (retry).
 * Anything that is not a `KafkaError` is an UNKNOWN_SERVER_ERROR.
 */
export function appendErrorToResponseError(error: unknown): number {
  switch (errorCodeOf(error)) {
    case ErrorCode.UNKNOWN_TOPIC_OR_PARTITION:
    case ErrorCode.NOT_ENOUGH_REPLICAS:
    case ErrorCode.NOT_ENOUGH_REPLICAS_AFTER_APPEND:
    case ErrorCode.REQUEST_TIMED_OUT:
      return ErrorCode.COORDINATOR_NOT_AVAILABLE;
    case ErrorCode.NOT_LEADER_OR_FOLLOWER:
    case ErrorCode.KAFKA_STORAGE_ERROR:
      return ErrorCode.NOT_COORDINATOR;
    case ErrorCode.MESSAGE_TOO_LARGE:
    case ErrorCode.RECORD_LIST_TOO_LARGE:
    case ErrorCode.INVALID_FETCH_SIZE:
      return ErrorCode.UNKNOWN_SERVER_ERROR;
    case ErrorCode.NETWORK_EXCEPTION:
      return ErrorCode.COORDINATOR_LOAD_IN_PROGRESS;
    default:
      return errorCodeOf(error);
  }
}

/** The Kafka error code an error carries (by shape, so that copies of `KafkaError` from other module instances count). */
export function errorCodeOf(error: unknown): number {
  if (typeof error === 'object' && error !== null && 'errorCode' in error && typeof error.errorCode === 'number') {
    return error.errorCode;
  }
  return ErrorCode.UNKNOWN_SERVER_ERROR;
}
