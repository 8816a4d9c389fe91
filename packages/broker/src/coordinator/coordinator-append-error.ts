import { ErrorCode } from '@samsa/protocol';

/**
 * What a coordinator's client is told when its records could not be appended to the
 * coordinator's internal topic (`__consumer_offsets`, `__transaction_state`). Kafka maps the
 * log's errors to errors the coordinator protocols' clients know how to react to
 * (GroupMetadataManager and TransactionStateManager alike):
 * - the partition is gone or under-replicated → COORDINATOR_NOT_AVAILABLE (retry, same coordinator);
 * - this broker no longer leads it, or its disk failed → NOT_COORDINATOR (find the coordinator again);
 * - the batch is too large → UNKNOWN_SERVER_ERROR (nothing the client can fix);
 * anything else as it is.
 */
export function coordinatorAppendError(code: number): number {
  switch (code) {
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
      return ErrorCode.UNKNOWN_SERVER_ERROR;
    default:
      return code;
  }
}
