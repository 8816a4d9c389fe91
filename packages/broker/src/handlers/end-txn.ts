/**
 * EndTxn (key 26), versions 0-5: commits or aborts the producer's transaction. Answered once the
 * coordinator has written its decision (PrepareCommit/PrepareAbort); the markers follow.
 * v1: same as v0. v2: PRODUCER_FENCED may be returned (KIP-588). v3: flexible. v4: may answer
 * TRANSACTION_ABORTABLE (KIP-890). v5: transaction version 2 (KIP-890 part 2): every end bumps the
 * epoch, and the response carries the producer id and epoch for the next transaction. Java clients
 * send v5 only when the cluster advertises `transaction.version` ≥ 2, which Samsa does not;
 * Samsa's client sends it whenever it is offered.
 *
 * ACLs (KafkaApis.handleEndTxnRequest): WRITE on the transactional id, else
 * TRANSACTIONAL_ID_AUTHORIZATION_FAILED.
 */
import { ApiKey, type EndTxnRequest, type EndTxnResponseInput, ErrorCode } from '@samsa/protocol';
import { transactionVersionForEndTxn } from '../coordinator/transaction/transaction-version.js';
import { AclOperationCode, ResourceType } from '../security/authorizer.js';
import { authorize } from './authorization.js';
import { defineHandler } from './handler.js';
import { producerFencedFor } from './txn-error-versions.js';

export const endTxnHandler = defineHandler<EndTxnRequest, EndTxnResponseInput>({
  apiKey: ApiKey.EndTxn,
  minVersion: 0,
  maxVersion: 5,
  async handle(request, ctx) {
    if (!authorize(ctx, AclOperationCode.WRITE, ResourceType.TRANSACTIONAL_ID, request.transactionalId)) {
      return { throttleTimeMs: 0, errorCode: ErrorCode.TRANSACTIONAL_ID_AUTHORIZATION_FAILED };
    }
    const result = await ctx.services.transactionCoordinator.endTransaction(
      request.transactionalId,
      Number(request.producerId),
      request.producerEpoch,
      request.committed,
      transactionVersionForEndTxn(ctx.apiVersion),
    );
    return {
      throttleTimeMs: 0,
      errorCode: producerFencedFor(result.errorCode, ctx.apiVersion, 2),
      producerId: BigInt(result.producerId),
      producerEpoch: result.producerEpoch,
    };
  },
});
