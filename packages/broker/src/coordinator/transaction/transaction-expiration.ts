import type { TransactionCoordinatorConfig } from './transaction-coordinator-config.js';
import type { TransactionMetadata } from './transaction-metadata.js';
import { isComplete, TransactionState } from './transaction-state.js';
import type { TxnPartitionRuntime } from './txn-partition-runtime.js';

/**
 * The coordinator's two periodic tasks, as Kafka's: aborting transactions that outlived their
 * timeout (`transaction.abort.timed.out.transaction.cleanup.interval.ms`) and removing ids idle
 * past `transactional.id.expiration.ms` (`transaction.remove.expired.transaction.cleanup.interval.ms`).
 * Unref'd: they never keep the process alive. Returns the timers, for `clearInterval` on close.
 */
export function startExpirationTimers(
  config: TransactionCoordinatorConfig,
  abortTimedOutTransactions: () => void,
  removeExpiredTransactionalIds: () => void,
): NodeJS.Timeout[] {
  const abort = setInterval(abortTimedOutTransactions, config.abortTimedOutTransactionCleanupIntervalMs);
  const expire = setInterval(removeExpiredTransactionalIds, config.removeExpiredTransactionalIdsIntervalMs);
  abort.unref();
  expire.unref();
  return [abort, expire];
}

/** The ongoing transactions of the loaded partitions that began more than their timeout ago. */
export function timedOutTransactions(runtimes: Iterable<TxnPartitionRuntime>, nowMs: number): TransactionMetadata[] {
  const timedOut: TransactionMetadata[] = [];
  for (const runtime of runtimes) {
    if (runtime.status !== 'active') continue;
    for (const m of runtime.transactions.values()) {
      if (m.state === TransactionState.Ongoing && m.txnStartTimestampMs + m.txnTimeoutMs < nowMs) timedOut.push(m);
    }
  }
  return timedOut;
}

/** The ids of the loaded partitions without a transaction since more than `expirationMs`. */
export function expiredTransactionalIds(
  runtimes: Iterable<TxnPartitionRuntime>,
  expirationMs: number,
  nowMs: number,
): { runtime: TxnPartitionRuntime; metadata: TransactionMetadata }[] {
  const expired: { runtime: TxnPartitionRuntime; metadata: TransactionMetadata }[] = [];
  for (const runtime of runtimes) {
    if (runtime.status !== 'active') continue;
    for (const metadata of runtime.transactions.values()) {
      if (isComplete(metadata.state) && metadata.txnLastUpdateTimestampMs + expirationMs <= nowMs) {
        expired.push({ runtime, metadata });
      }
    }
  }
  return expired;
}
