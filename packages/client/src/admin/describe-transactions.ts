import {
  CoordinatorType,
  DescribeTransactionsApi,
  type DescribeTransactionsResponseTransactionState,
  ErrorCode,
  KafkaError,
} from '@samsa/protocol';
import { compareTopicPartitions } from '../common/topic-partition.js';
import { sleep } from '../connection/connection-pool.js';
import type { Cluster } from '../metadata/cluster.js';
import { type CoordinatorInfo, findCoordinator } from '../metadata/find-coordinator.js';
import {
  parseTransactionState,
  type TransactionDescription,
  type TransactionDescriptionResult,
} from './transaction-types.js';

/** What became of one id in one round: described, failed for good, or to be asked again. */
type Outcome = TransactionDescription | KafkaError | 'retry';

/**
 * DescribeTransactions (Java's `Admin.describeTransactions`): each transactional id is asked of
 * its transaction coordinator (FindCoordinator, key type 1), the ids of one coordinator in one
 * request. Results come back in the order asked, one per distinct id.
 *
 * As Java's DescribeTransactionsHandler: a coordinator that moved or is unavailable
 * (NOT_COORDINATOR, COORDINATOR_NOT_AVAILABLE, a lost connection) means finding it again, one
 * still loading (COORDINATOR_LOAD_IN_PROGRESS) asking again, both after `retry.backoff.ms` and
 * until `timeoutMs`; every other error is that id's result, with Java's message.
 */
export async function describeTransactions(
  cluster: Cluster,
  transactionalIds: readonly string[],
  timeoutMs: number,
): Promise<TransactionDescriptionResult[]> {
  const deadline = Date.now() + timeoutMs;
  const ids = [...new Set(transactionalIds)];
  const outcomes = new Map<string, TransactionDescription | KafkaError>();
  let pending = ids;
  while (pending.length > 0) {
    const byCoordinator = new Map<number, { coordinator: CoordinatorInfo; ids: string[] }>();
    for (const id of pending) {
      try {
        const coordinator = await findCoordinator(
          cluster,
          CoordinatorType.TRANSACTION,
          id,
          Math.max(0, deadline - Date.now()),
        );
        const batch = byCoordinator.get(coordinator.nodeId) ?? { coordinator, ids: [] };
        batch.ids.push(id);
        byCoordinator.set(coordinator.nodeId, batch);
      } catch (error) {
        if (!(error instanceof KafkaError)) throw error;
        outcomes.set(id, error);
      }
    }
    const retry: string[] = [];
    await Promise.all(
      [...byCoordinator.values()].map(async ({ coordinator, ids: batch }) => {
        for (const [id, outcome] of await describeOn(cluster, coordinator, batch)) {
          if (outcome === 'retry') retry.push(id);
          else outcomes.set(id, outcome);
        }
      }),
    );
    pending = retry;
    if (pending.length === 0) break;
    const waitMs = Math.min(cluster.config.retryBackoffMs, deadline - Date.now());
    if (waitMs <= 0) {
      for (const id of pending) {
        outcomes.set(
          id,
          new KafkaError(
            ErrorCode.REQUEST_TIMED_OUT,
            `Timed out after ${timeoutMs} ms describing transactional id '${id}': its coordinator was not available`,
          ),
        );
      }
      break;
    }
    await sleep(waitMs);
  }
  return ids.map((transactionalId) => {
    const outcome = outcomes.get(transactionalId) as TransactionDescription | KafkaError;
    return outcome instanceof KafkaError
      ? { transactionalId, description: null, error: outcome }
      : { transactionalId, description: outcome, error: null };
  });
}

/** One DescribeTransactions request to one coordinator, for `ids`. */
async function describeOn(
  cluster: Cluster,
  coordinator: CoordinatorInfo,
  ids: readonly string[],
): Promise<Map<string, Outcome>> {
  const outcomes = new Map<string, Outcome>();
  let states: readonly DescribeTransactionsResponseTransactionState[];
  try {
    const connection = await cluster.pool.get(coordinator.host, coordinator.port, coordinator.nodeId);
    states = (await connection.request(DescribeTransactionsApi, { transactionalIds: [...ids] })).transactionStates;
  } catch (error) {
    if (!(error instanceof KafkaError)) throw error;
    // A lost connection may mean the coordinator moved; anything else (UNSUPPORTED_VERSION) is final.
    for (const id of ids) outcomes.set(id, error.retriable ? 'retry' : error);
    return outcomes;
  }
  for (const state of states) {
    if (ids.includes(state.transactionalId)) outcomes.set(state.transactionalId, outcomeOf(state, coordinator.nodeId));
  }
  // An id the response left out is asked again, as Java leaves its future pending.
  for (const id of ids) if (!outcomes.has(id)) outcomes.set(id, 'retry');
  return outcomes;
}

function outcomeOf(state: DescribeTransactionsResponseTransactionState, coordinatorId: number): Outcome {
  const id = state.transactionalId;
  switch (state.errorCode) {
    case ErrorCode.NONE:
      return {
        transactionalId: id,
        coordinatorId,
        state: parseTransactionState(state.transactionState),
        producerId: state.producerId,
        producerEpoch: state.producerEpoch,
        transactionTimeoutMs: state.transactionTimeoutMs,
        transactionStartTimeMs: state.transactionStartTimeMs < 0n ? null : state.transactionStartTimeMs,
        topicPartitions: state.topics
          .flatMap((t) => t.partitions.map((partition) => ({ topic: t.topic, partition })))
          .sort(compareTopicPartitions),
      };
    case ErrorCode.TRANSACTIONAL_ID_AUTHORIZATION_FAILED:
      return new KafkaError(
        state.errorCode,
        `DescribeTransactions request for transactionalId \`${id}\` failed due to authorization failure`,
      );
    case ErrorCode.TRANSACTIONAL_ID_NOT_FOUND:
      return new KafkaError(
        state.errorCode,
        `DescribeTransactions request for transactionalId \`${id}\` failed because the ID could not be found`,
      );
    case ErrorCode.COORDINATOR_LOAD_IN_PROGRESS:
    case ErrorCode.NOT_COORDINATOR:
    case ErrorCode.COORDINATOR_NOT_AVAILABLE:
      return 'retry';
    default:
      return new KafkaError(
        state.errorCode,
        `DescribeTransactions request for transactionalId \`${id}\` failed due to unexpected error`,
      );
  }
}
