import { ErrorCode, KafkaError, ListTransactionsApi, UnsupportedVersionError } from '@samsa/protocol';
import { sleep } from '../connection/connection-pool.js';
import type { Cluster } from '../metadata/cluster.js';
import { type ListTransactionsOptions, parseTransactionState, type TransactionListing } from './transaction-types.js';

/**
 * ListTransactions on every broker, merged (Java's `Admin.listTransactions`): each broker answers
 * for the transactional ids its transaction coordinator holds, so the listing says which broker
 * that is. Brokers are asked together and their listings come back in broker id order.
 *
 * A coordinator still loading its state (COORDINATOR_LOAD_IN_PROGRESS) is asked again after
 * `retry.backoff.ms` until `timeoutMs`; any other error fails the whole call, as one failed broker
 * fails Java's `all()`.
 */
export async function listTransactions(
  cluster: Cluster,
  options: ListTransactionsOptions,
  timeoutMs: number,
): Promise<TransactionListing[]> {
  const deadline = Date.now() + timeoutMs;
  await cluster.fetchMetadata([]);
  const brokerIds = [...cluster.brokers.keys()].sort((a, b) => a - b);
  const listings = await Promise.all(brokerIds.map((id) => listOnBroker(cluster, id, options, deadline)));
  return listings.flat();
}

async function listOnBroker(
  cluster: Cluster,
  brokerId: number,
  options: ListTransactionsOptions,
  deadline: number,
): Promise<TransactionListing[]> {
  const durationFilter = BigInt(options.durationFilterMs ?? -1);
  for (;;) {
    const connection = await cluster.connectionTo(brokerId);
    const { response } = await connection.requestVersioned(ListTransactionsApi, (version) => {
      if (version < 1 && durationFilter >= 0n) {
        // Java's ListTransactionsRequest.Builder refuses rather than list more than was asked for.
        throw new UnsupportedVersionError(
          'Duration filter can be set only when using API version 1 or higher. If client is connected to an ' +
            'older broker, do not specify duration filter or set duration filter to -1.',
        );
      }
      return {
        stateFilters: [...(options.stateFilters ?? [])],
        producerIdFilters: [...(options.producerIdFilters ?? [])],
        ...(version >= 1 ? { durationFilter } : {}),
      };
    });
    if (response.errorCode === ErrorCode.NONE) {
      return response.transactionStates.map((t) => ({
        transactionalId: t.transactionalId,
        producerId: t.producerId,
        state: parseTransactionState(t.transactionState),
        coordinatorId: brokerId,
      }));
    }
    if (response.errorCode === ErrorCode.COORDINATOR_NOT_AVAILABLE) {
      throw new KafkaError(
        response.errorCode,
        `ListTransactions request sent to broker ${brokerId} failed because the coordinator is shutting down`,
      );
    }
    if (response.errorCode !== ErrorCode.COORDINATOR_LOAD_IN_PROGRESS) {
      throw new KafkaError(
        response.errorCode,
        `ListTransactions request sent to broker ${brokerId} failed with an unexpected exception`,
      );
    }
    const waitMs = Math.min(cluster.config.retryBackoffMs, deadline - Date.now());
    if (waitMs <= 0) {
      throw new KafkaError(
        ErrorCode.REQUEST_TIMED_OUT,
        `Timed out waiting for the transaction coordinator on broker ${brokerId} to load its state`,
      );
    }
    await sleep(waitMs);
  }
}
