import { ErrorCode } from '@samsa/protocol';

/**
 * KIP-588: PRODUCER_FENCED is only sent to clients that know it (InitProducerId v4+,
 * AddPartitionsToTxn/AddOffsetsToTxn/EndTxn v2+); older ones get INVALID_PRODUCER_EPOCH, which
 * they treat as fatal in the same way.
 */
export function producerFencedFor(errorCode: number, apiVersion: number, firstVersionWithFenced: number): number {
  return errorCode === ErrorCode.PRODUCER_FENCED && apiVersion < firstVersionWithFenced
    ? ErrorCode.INVALID_PRODUCER_EPOCH
    : errorCode;
}

/**
 * KIP-890: TRANSACTION_ABORTABLE is only sent to clients that know it (Produce v11+,
 * TxnOffsetCommit v4+, AddPartitionsToTxn v5+); older ones get INVALID_TXN_STATE, which they
 * also answer by aborting (Kafka's AddPartitionsToTxnManager `defaultError`).
 */
export function transactionAbortableFor(
  errorCode: number,
  apiVersion: number,
  firstVersionWithAbortable: number,
): number {
  return errorCode === ErrorCode.TRANSACTION_ABORTABLE && apiVersion < firstVersionWithAbortable
    ? ErrorCode.INVALID_TXN_STATE
    : errorCode;
}
