import type { TransactionMetadata } from './transaction-metadata.js';

/** A `__transaction_state` partition this broker coordinates: the ids loaded from it. */
export interface TxnPartitionRuntime {
  readonly partition: number;
  /** The leader epoch of the `__transaction_state` partition when loaded: markers carry it. */
  readonly coordinatorEpoch: number;
  status: 'loading' | 'active';
  readonly transactions: Map<string, TransactionMetadata>;
}
