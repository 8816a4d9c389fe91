/**
 * DescribeTransactions (key 65), version 0 (KIP-664): the state of transactional ids this broker
 * coordinates; NOT_COORDINATOR for the others, TRANSACTIONAL_ID_NOT_FOUND for unknown ones.
 */
import {
  ApiKey,
  type DescribeTransactionsRequest,
  type DescribeTransactionsResponseInput,
  ErrorCode,
} from '@samsa/protocol';
import { transactionStateName } from '../coordinator/transaction/transaction-state.js';
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
    return {
      throttleTimeMs: 0,
      transactionStates: request.transactionalIds.map((transactionalId) => {
        const { errorCode, metadata } = coordinator.describe(transactionalId);
        if (errorCode !== ErrorCode.NONE || metadata === undefined) return failed(transactionalId, errorCode);
        const topics = new Map<string, number[]>();
        for (const tp of metadata.partitions) topics.set(tp.topic, [...(topics.get(tp.topic) ?? []), tp.partition]);
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
