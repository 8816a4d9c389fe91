/**
 * AddPartitionsToTxn (key 24), versions 0-5: adds partitions to the producer's transaction before
 * it writes to them.
 * v1: same as v0. v2: PRODUCER_FENCED may be returned (KIP-588). v3: flexible. v4: batched, one
 * entry per transaction, and `verifyOnly` for partition leaders checking that a transactional
 * batch belongs to an ongoing transaction (KIP-890 part 1; brokers only). v5: a verified partition
 * not in the transaction is answered TRANSACTION_ABORTABLE; v4 gets INVALID_TXN_STATE there
 * (Kafka answers v4 TRANSACTION_ABORTABLE too: a broker that asks with v4 cannot know it).
 *
 * As in Kafka, a request naming a partition that does not exist adds nothing: those partitions
 * get UNKNOWN_TOPIC_OR_PARTITION and the others OPERATION_NOT_ATTEMPTED.
 */
import {
  type AddPartitionsToTxnRequest,
  type AddPartitionsToTxnRequestAddPartitionsToTxnTopic,
  type AddPartitionsToTxnResponseAddPartitionsToTxnTopicResultInput,
  type AddPartitionsToTxnResponseInput,
  ApiKey,
  ErrorCode,
} from '@samsa/protocol';
import type { TxnTopicPartition } from '../coordinator/transaction/transaction-metadata.js';
import { defineHandler, type RequestContext } from './handler.js';
import { producerFencedFor, transactionAbortableFor } from './txn-error-versions.js';

interface TransactionArgs {
  readonly transactionalId: string;
  readonly producerId: bigint;
  readonly producerEpoch: number;
  readonly verifyOnly: boolean;
  readonly topics: readonly AddPartitionsToTxnRequestAddPartitionsToTxnTopic[];
}

export const addPartitionsToTxnHandler = defineHandler<AddPartitionsToTxnRequest, AddPartitionsToTxnResponseInput>({
  apiKey: ApiKey.AddPartitionsToTxn,
  minVersion: 0,
  maxVersion: 5,
  async handle(request, ctx) {
    if (ctx.apiVersion <= 3) {
      const results = await addPartitions(ctx, {
        transactionalId: request.v3AndBelowTransactionalId,
        producerId: request.v3AndBelowProducerId,
        producerEpoch: request.v3AndBelowProducerEpoch,
        verifyOnly: false,
        topics: request.v3AndBelowTopics,
      });
      return { throttleTimeMs: 0, resultsByTopicV3AndBelow: results };
    }
    const resultsByTransaction = [];
    for (const txn of request.transactions) {
      resultsByTransaction.push({ transactionalId: txn.transactionalId, topicResults: await addPartitions(ctx, txn) });
    }
    return { throttleTimeMs: 0, errorCode: ErrorCode.NONE, resultsByTransaction };
  },
  errorResponse(request, errorCode) {
    const error = (topics: readonly AddPartitionsToTxnRequestAddPartitionsToTxnTopic[]) =>
      topics.map((t) => ({
        name: t.name,
        resultsByPartition: t.partitions.map((partitionIndex) => ({ partitionIndex, partitionErrorCode: errorCode })),
      }));
    return {
      throttleTimeMs: 0,
      errorCode,
      resultsByTopicV3AndBelow: error(request.v3AndBelowTopics),
      resultsByTransaction: request.transactions.map((t) => ({
        transactionalId: t.transactionalId,
        topicResults: error(t.topics),
      })),
    };
  },
});

async function addPartitions(
  ctx: RequestContext,
  txn: TransactionArgs,
): Promise<AddPartitionsToTxnResponseAddPartitionsToTxnTopicResultInput[]> {
  const { metadata, transactionCoordinator } = ctx.services;
  const partitions: TxnTopicPartition[] = [];
  const unknown = new Set<string>();
  for (const t of txn.topics) {
    for (const partition of t.partitions) {
      partitions.push({ topic: t.name, partition });
      if (metadata.image.partition(t.name, partition) === undefined) unknown.add(`${t.name}:${partition}`);
    }
  }
  const producerId = Number(txn.producerId);
  const codeFor = new Map<string, number>();
  if (txn.verifyOnly) {
    for (const tp of partitions) {
      const code = transactionCoordinator.verifyPartition(txn.transactionalId, producerId, txn.producerEpoch, tp);
      codeFor.set(`${tp.topic}:${tp.partition}`, transactionAbortableFor(code, ctx.apiVersion, 5));
    }
  } else {
    const errorCode =
      unknown.size > 0
        ? ErrorCode.OPERATION_NOT_ATTEMPTED
        : await transactionCoordinator.addPartitions(txn.transactionalId, producerId, txn.producerEpoch, partitions);
    const code = producerFencedFor(errorCode, ctx.apiVersion, 2);
    for (const tp of partitions) {
      const key = `${tp.topic}:${tp.partition}`;
      codeFor.set(key, unknown.has(key) ? ErrorCode.UNKNOWN_TOPIC_OR_PARTITION : code);
    }
  }
  return txn.topics.map((t) => ({
    name: t.name,
    resultsByPartition: t.partitions.map((partitionIndex) => ({
      partitionIndex,
      partitionErrorCode: codeFor.get(`${t.name}:${partitionIndex}`) ?? ErrorCode.NONE,
    })),
  }));
}
