/**
 * DescribeTransactions (key 65), version 0 (KIP-664): the state of transactional ids this broker
 * coordinates; NOT_COORDINATOR for the others, TRANSACTIONAL_ID_NOT_FOUND for unknown ones.
 *
 * ACLs (KafkaApis.handleDescribeTransactionsRequest): DESCRIBE on each transactional id, else it
 * answers TRANSACTIONAL_ID_AUTHORIZATION_FAILED; a transaction's topics the principal may not
 * DESCRIBE are left out of it.
 */
import {
  ApiKey,
  type DescribeTransactionsRequest,
  type DescribeTransactionsResponseInput,
  ErrorCode,
} from '@samsa/protocol';
import { transactionStateName } from '../coordinator/transaction/transaction-state.js';
import { AclOperationCode, ResourceType } from '../security/authorizer.js';
import { filterAuthorized } from './authorization.js';
import { defineHandler } from './handler.js';

export const describeTransactionsHandler = defineHandler<
  DescribeTransactionsRequest,
  DescribeTransactionsResponseInput
>({
  apiKey: ApiKey.DescribeTransactions,
  minVersion: 0,
  maxVersion: 0,
  handle(request, ctx) {
    const coordinator = ctx.services.transactionCoordinator;
    const describable = filterAuthorized(
      ctx,
      AclOperationCode.DESCRIBE,
      ResourceType.TRANSACTIONAL_ID,
      request.transactionalIds,
    );
    const states = request.transactionalIds.map((transactionalId) =>
      describable.has(transactionalId)
        ? { transactionalId, ...coordinator.describe(transactionalId) }
        : { transactionalId, errorCode: ErrorCode.TRANSACTIONAL_ID_AUTHORIZATION_FAILED, metadata: undefined },
    );
    const visibleTopics = filterAuthorized(
      ctx,
      AclOperationCode.DESCRIBE,
      ResourceType.TOPIC,
      states.flatMap((s) => s.metadata?.partitions.map((tp) => tp.topic) ?? []),
    );
    return {
      throttleTimeMs: 0,
      transactionStates: states.map(({ transactionalId, errorCode, metadata }) => {
        if (errorCode !== ErrorCode.NONE || metadata === undefined) return failed(transactionalId, errorCode);
        const topics = new Map<string, number[]>();
        for (const tp of metadata.partitions) {
          if (visibleTopics.has(tp.topic)) topics.set(tp.topic, [...(topics.get(tp.topic) ?? []), tp.partition]);
        }
        return {
          errorCode,
          transactionalId,
          transactionState: transactionStateName(metadata.state),
          transactionTimeoutMs: metadata.txnTimeoutMs,
          transactionStartTimeMs: BigInt(metadata.txnStartTimestampMs),
          producerId: BigInt(metadata.producerId),
          producerEpoch: metadata.producerEpoch,
          topics: [...topics].map(([topic, partitions]) => ({ topic, partitions })),
        };
      }),
    };
  },
  errorResponse: (request, errorCode) => ({
    throttleTimeMs: 0,
    transactionStates: request.transactionalIds.map((id) => failed(id, errorCode)),
  }),
});

function failed(transactionalId: string, errorCode: number) {
  return {
    errorCode,
    transactionalId,
    transactionState: '',
    transactionStartTimeMs: -1n,
    producerId: -1n,
    producerEpoch: -1,
    topics: [],
  };
}
