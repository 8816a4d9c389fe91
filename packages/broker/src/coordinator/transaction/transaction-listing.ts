import { ErrorCode } from '@samsa/protocol';
import type { TransactionMetadata } from './transaction-metadata.js';
import { TransactionState, transactionStateName } from './transaction-state.js';
import type { TxnPartitionRuntime } from './txn-partition-runtime.js';

export interface ListTransactionsFilter {
  readonly states: readonly string[];
  readonly producerIds: readonly number[];
  /** Only transactions running at least this long; -1 for all. */
  readonly minDurationMs: number;
}

export interface ListedTransaction {
  readonly transactionalId: string;
  readonly producerId: number;
  readonly state: string;
}

/**
 * DescribeTransactions for one id, from the partition that holds it (`undefined`: this broker
 * does not coordinate it).
 */
export function describeTransaction(
  runtime: TxnPartitionRuntime | undefined,
  transactionalId: string,
): { errorCode: number; metadata?: TransactionMetadata } {
  if (runtime === undefined) return { errorCode: ErrorCode.NOT_COORDINATOR };
  if (runtime.status === 'loading') return { errorCode: ErrorCode.COORDINATOR_LOAD_IN_PROGRESS };
  const metadata = runtime.transactions.get(transactionalId);
  if (metadata === undefined || metadata.state === TransactionState.Dead) {
    return { errorCode: ErrorCode.TRANSACTIONAL_ID_NOT_FOUND };
  }
  return { errorCode: ErrorCode.NONE, metadata };
}

/**
 * ListTransactions over the partitions this broker coordinates; refused while any of them is
 * still loading, as Kafka's coordinator does (the answer would miss its ids).
 */
export function listTransactions(
  runtimes: readonly TxnPartitionRuntime[],
  filter: ListTransactionsFilter,
  nowMs: number,
): { errorCode: number; transactions: ListedTransaction[] } {
  if (runtimes.some((r) => r.status === 'loading')) {
    return { errorCode: ErrorCode.COORDINATOR_LOAD_IN_PROGRESS, transactions: [] };
  }
  const states = new Set(filter.states);
  const producerIds = new Set(filter.producerIds);
  const transactions: ListedTransaction[] = [];
  for (const runtime of runtimes) {
    for (const m of runtime.transactions.values()) {
      const state = transactionStateName(m.state);
      if (m.state === TransactionState.Dead) continue;
      if (states.size > 0 && !states.has(state)) continue;
      if (producerIds.size > 0 && !producerIds.has(m.producerId)) continue;
      if (
        filter.minDurationMs >= 0 &&
        (m.txnStartTimestampMs < 0 || nowMs - m.txnStartTimestampMs < filter.minDurationMs)
      ) {
        continue;
      }
      transactions.push({ transactionalId: m.transactionalId, producerId: m.producerId, state });
    }
  }
  return { errorCode: ErrorCode.NONE, transactions };
}
