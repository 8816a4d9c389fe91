/** The broker settings of the transaction coordinator, with Kafka's names in comments. */
export interface TransactionCoordinatorConfig {
  /** transaction.state.log.num.partitions */
  readonly transactionStateLogNumPartitions: number;
  /** transaction.max.timeout.ms: the largest transaction.timeout.ms a producer may ask for. */
  readonly transactionMaxTimeoutMs: number;
  /** transactional.id.expiration.ms: an id idle this long (no transaction open) is removed. */
  readonly transactionalIdExpirationMs: number;
  /** transaction.abort.timed.out.transaction.cleanup.interval.ms */
  readonly abortTimedOutTransactionCleanupIntervalMs: number;
  /** transaction.remove.expired.transaction.cleanup.interval.ms */
  readonly removeExpiredTransactionalIdsIntervalMs: number;
}

export const DEFAULT_TRANSACTION_COORDINATOR_CONFIG: TransactionCoordinatorConfig = {
  transactionStateLogNumPartitions: 50,
  transactionMaxTimeoutMs: 900_000,
  transactionalIdExpirationMs: 604_800_000,
  abortTimedOutTransactionCleanupIntervalMs: 10_000,
  removeExpiredTransactionalIdsIntervalMs: 3_600_000,
};
