/**
 * ListTransactions (key 66), versions 0-1 (KIP-664): the transactional ids this broker
 * coordinates, filtered by state names and producer ids; v1 adds a minimum duration (KIP-994).
 * Unknown state names are echoed in `unknownStateFilters`.
 */
import { ApiKey, type ListTransactionsRequest, type ListTransactionsResponseInput } from '@samsa/protocol';
import { transactionStateByName } from '../coordinator/transaction/transaction-state.js';
import { defineHandler } from './handler.js';

export const listTransactionsHandler = defineHandler<ListTransactionsRequest, ListTransactionsResponseInput>({
  apiKey: ApiKey.ListTransactions,
  minVersion: 0,
  maxVersion: 1,
  handle(request, ctx) {
    const unknownStateFilters = request.stateFilters.filter((s) => transactionStateByName(s) === undefined);
    const { errorCode, transactions } = ctx.services.transactionCoordinator.list({
      states: request.stateFilters,
      producerIds: request.producerIdFilters.map(Number),
      minDurationMs: ctx.apiVersion >= 1 ? Number(request.durationFilter) : -1,
    });
    return {
      throttleTimeMs: 0,
      errorCode,
      unknownStateFilters,
      transactionStates: transactions.map((t) => ({
        transactionalId: t.transactionalId,
        producerId: BigInt(t.producerId),
        transactionState: t.state,
      })),
    };
  },
});
