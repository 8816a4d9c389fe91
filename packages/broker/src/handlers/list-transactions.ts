/**
 * ListTransactions (key 66), versions 0-1 (KIP-664): the transactional ids this broker
 * coordinates, filtered by state names and producer ids; v1 adds a minimum duration (KIP-994).
 * Unknown state names are echoed in `unknownStateFilters`.
 *
 * ACLs (KafkaApis.handleListTransactionsRequest): only the transactional ids the principal may
 * DESCRIBE are listed.
 */
import { ApiKey, type ListTransactionsRequest, type ListTransactionsResponseInput } from '@samsa/protocol';
import { transactionStateByName } from '../coordinator/transaction/transaction-state.js';
import { AclOperationCode, ResourceType } from '../security/authorizer.js';
import { filterAuthorized } from './authorization.js';
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
    const describable = filterAuthorized(
      ctx,
      AclOperationCode.DESCRIBE,
      ResourceType.TRANSACTIONAL_ID,
      transactions.map((t) => t.transactionalId),
    );
    return {
      throttleTimeMs: 0,
      errorCode,
      unknownStateFilters,
      transactionStates: transactions
        .filter((t) => describable.has(t.transactionalId))
        .map((t) => ({
          transactionalId: t.transactionalId,
          producerId: BigInt(t.producerId),
          transactionState: t.state,
        })),
    };
  },
});
