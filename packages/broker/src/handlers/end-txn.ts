/**
 * EndTxn (key 26), versions 0-4: commits or aborts the producer's transaction. Answered once the
 * coordinator has written its decision (PrepareCommit/PrepareAbort); the markers follow.
 * v1: same as v0. v2: PRODUCER_FENCED may be returned (KIP-588). v3: flexible. v4: may answer
 * TRANSACTION_ABORTABLE (KIP-890). v5 (transaction version 2: an epoch bump at every end) is not
 * served: clients use it only when the cluster advertises the transaction.version feature.
 */
import { ApiKey, type EndTxnRequest, type EndTxnResponseInput } from '@samsa/protocol';
import { defineHandler } from './handler.js';
import { producerFencedFor } from './txn-error-versions.js';

export const endTxnHandler = defineHandler<EndTxnRequest, EndTxnResponseInput>({
  apiKey: ApiKey.EndTxn,
  minVersion: 0,
  maxVersion: 4,
  async handle(request, ctx) {
    const errorCode = await ctx.services.transactionCoordinator.endTransaction(
      request.transactionalId,
      Number(request.producerId),
      request.producerEpoch,
      request.committed,
    );
    return { throttleTimeMs: 0, errorCode: producerFencedFor(errorCode, ctx.apiVersion, 2) };
  },
});
