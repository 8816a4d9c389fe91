import type { TransactionResult } from '../coordinator-log.js';
import type { TxnTopicPartition } from './transaction-metadata.js';

export type { TransactionResult };

/** The markers that end one transaction, for all of its partitions. */
export interface TxnMarkerRequest {
  readonly transactionalId: string;
  readonly producerId: number;
  readonly producerEpoch: number;
  readonly result: TransactionResult;
  /** The coordinator's epoch (its `__transaction_state` partition's leader epoch): leaders refuse older ones. */
  readonly coordinatorEpoch: number;
  readonly partitions: readonly TxnTopicPartition[];
}

/**
 * How the transaction coordinator gets markers written (Kafka's TransactionMarkerChannelManager):
 * to each partition's leader, this broker included. The coordinator knows nothing of leaders,
 * connections or retries.
 */
export interface TxnMarkerWriter {
  /**
   * Resolves once every partition has the marker, or no longer exists. Retries partitions whose
   * leader is unknown, moving or failing, for as long as `stillWanted()` holds; when it stops
   * holding (this broker no longer coordinates the transaction) it gives up and resolves false.
   */
  write(request: TxnMarkerRequest, stillWanted: () => boolean): Promise<boolean>;

  close(): void;
}
