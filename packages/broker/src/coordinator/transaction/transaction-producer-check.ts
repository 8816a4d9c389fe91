import { ErrorCode } from '@samsa/protocol';
import { MAX_PRODUCER_EPOCH, type TransactionMetadata } from './transaction-metadata.js';
import { isPreparing, TransactionState } from './transaction-state.js';
import { supportsEpochBump } from './transaction-version.js';

/*
 * Whether a request's producer id and epoch may act on a transactional id: the checks of Kafka's
 * TransactionCoordinator, apart from the state machine because transaction version 2 (an epoch
 * bump at every EndTxn) makes them depend on the state.
 */

/** The producer id and epoch of a request against the id's metadata (undefined when valid). */
export function checkProducer(
  current: TransactionMetadata | undefined,
  producerId: number,
  producerEpoch: number,
): number | undefined {
  // EndTxn answered a TV_2 producer with the producer id its transaction moves to once complete:
  // until then, that producer waits like one at the bumped epoch does.
  if (current !== undefined && isPreparing(current.state) && current.nextProducerId === producerId) {
    return producerEpoch === 0 ? ErrorCode.CONCURRENT_TRANSACTIONS : ErrorCode.PRODUCER_FENCED;
  }
  if (current === undefined || current.producerId !== producerId) return ErrorCode.INVALID_PRODUCER_ID_MAPPING;
  if (current.producerEpoch !== producerEpoch) return ErrorCode.PRODUCER_FENCED;
  return undefined;
}

/**
 * EndTxn's producer id and epoch against the id's metadata (Kafka's endTransaction checks).
 * After a TV_2 end the coordinator holds the bumped epoch, so the epoch before the bump is a retry
 * whose answer was lost: accepted in Prepare* (answered CONCURRENT_TRANSACTIONS) and Complete*
 * (answered with the outcome). After an exhausted epoch the retry presents the previous producer
 * id at its last bumpable epoch. Complete* also accepts the current epoch, to answer that there is
 * no transaction to end (Kafka fences it).
 */
export function checkEndTxnProducer(
  current: TransactionMetadata | undefined,
  producerId: number,
  producerEpoch: number,
): number | undefined {
  if (current === undefined) return ErrorCode.INVALID_PRODUCER_ID_MAPPING;
  if (!supportsEpochBump(current.clientTransactionVersion) || current.nextProducerId === producerId) {
    return checkProducer(current, producerId, producerEpoch);
  }
  const sameEpoch = current.producerId === producerId && current.producerEpoch === producerEpoch;
  const retryOnEpochBump = current.producerId === producerId && current.producerEpoch === producerEpoch + 1;
  const retryOnOverflow =
    current.previousProducerId === producerId &&
    producerEpoch === MAX_PRODUCER_EPOCH - 1 &&
    current.producerEpoch === 0;
  if (current.producerId !== producerId && !retryOnOverflow) return ErrorCode.INVALID_PRODUCER_ID_MAPPING;
  switch (current.state) {
    case TransactionState.PrepareCommit:
    case TransactionState.PrepareAbort:
      return retryOnEpochBump ? undefined : ErrorCode.PRODUCER_FENCED;
    case TransactionState.CompleteCommit:
    case TransactionState.CompleteAbort:
      return sameEpoch || retryOnEpochBump || retryOnOverflow ? undefined : ErrorCode.PRODUCER_FENCED;
    default:
      return sameEpoch ? undefined : ErrorCode.PRODUCER_FENCED;
  }
}
