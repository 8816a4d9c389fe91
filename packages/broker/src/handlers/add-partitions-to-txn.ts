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
 *
 * ACLs (KafkaApis.handleAddPartitionsToTxnRequest): v4+ come from brokers and need CLUSTER_ACTION
 * (else the top-level CLUSTER_AUTHORIZATION_FAILED). v0-3 come from producers: WRITE on the
 * transactional id, else every partition answers TRANSACTIONAL_ID_AUTHORIZATION_FAILED; then WRITE
 * on each topic, else TOPIC_AUTHORIZATION_FAILED, which adds nothing either (the others answer
 * OPERATION_NOT_ATTEMPTED). Internal topics are never added by a producer: as in Kafka, they
 * answer TOPIC_AUTHORIZATION_FAILED, authorizer or not.
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
import { isInternalTopic } from '../metadata/cluster-image.js';
import { AclOperationCode, ResourceType } from '../security/authorizer.js';
import { ALL_AUTHORIZED, authorize, filterAuthorized, requireClusterOperation } from './authorization.js';
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
      if (!authorize(ctx, AclOperationCode.WRITE, ResourceType.TRANSACTIONAL_ID, request.v3AndBelowTransactionalId)) {
        return {
          throttleTimeMs: 0,
          resultsByTopicV3AndBelow: topicErrors(
            request.v3AndBelowTopics,
            ErrorCode.TRANSACTIONAL_ID_AUTHORIZATION_FAILED,
          ),
        };
      }
      const results = await addPartitions(ctx, {
        transactionalId: request.v3AndBelowTransactionalId,
        producerId: request.v3AndBelowProducerId,
        producerEpoch: request.v3AndBelowProducerEpoch,
        verifyOnly: false,
        topics: request.v3AndBelowTopics,
      });
      return { throttleTimeMs: 0, resultsByTopicV3AndBelow: results };
    }
    requireClusterOperation(ctx, AclOperationCode.CLUSTER_ACTION);
    const resultsByTransaction = [];
    for (const txn of request.transactions) {
      resultsByTransaction.push({ transactionalId: txn.transactionalId, topicResults: await addPartitions(ctx, txn) });
    }
    return { throttleTimeMs: 0, errorCode: ErrorCode.NONE, resultsByTransaction };
  },
  errorResponse(request, errorCode) {
    return {
      throttleTimeMs: 0,
      errorCode,
      resultsByTopicV3AndBelow: topicErrors(request.v3AndBelowTopics, errorCode),
      resultsByTransaction: request.transactions.map((t) => ({
        transactionalId: t.transactionalId,
        topicResults: topicErrors(t.topics, errorCode),
      })),
    };
  },
});

function topicErrors(
  topics: readonly AddPartitionsToTxnRequestAddPartitionsToTxnTopic[],
  errorCode: number,
): AddPartitionsToTxnResponseAddPartitionsToTxnTopicResultInput[] {
  return topics.map((t) => ({
    name: t.name,
    resultsByPartition: t.partitions.map((partitionIndex) => ({ partitionIndex, partitionErrorCode: errorCode })),
  }));
}

async function addPartitions(
  ctx: RequestContext,
  txn: TransactionArgs,
): Promise<AddPartitionsToTxnResponseAddPartitionsToTxnTopicResultInput[]> {
  const { metadata, transactionCoordinator } = ctx.services;
  // Producers (v0-3) need WRITE on each topic and may not add internal topics; brokers (v4+, already
  // authorized for CLUSTER_ACTION) may.
  const fromProducer = ctx.apiVersion <= 3;
  const writable = fromProducer
    ? filterAuthorized(
        ctx,
        AclOperationCode.WRITE,
        ResourceType.TOPIC,
        txn.topics.flatMap((t) => (isInternalTopic(t.name) ? [] : [t.name])),
      )
    : ALL_AUTHORIZED;
  const partitions: TxnTopicPartition[] = [];
  const unknown = new Set<string>();
  const denied = new Set<string>();
  for (const t of txn.topics) {
    const allowed = writable.has(t.name) && !(fromProducer && isInternalTopic(t.name));
    for (const partition of t.partitions) {
      partitions.push({ topic: t.name, partition });
      if (!allowed) denied.add(`${t.name}:${partition}`);
      else if (metadata.image.partition(t.name, partition) === undefined) unknown.add(`${t.name}:${partition}`);
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
      unknown.size > 0 || denied.size > 0
        ? ErrorCode.OPERATION_NOT_ATTEMPTED
        : await transactionCoordinator.addPartitions(txn.transactionalId, producerId, txn.producerEpoch, partitions);
    const code = producerFencedFor(errorCode, ctx.apiVersion, 2);
    for (const tp of partitions) {
      const key = `${tp.topic}:${tp.partition}`;
      codeFor.set(
        key,
        denied.has(key)
          ? ErrorCode.TOPIC_AUTHORIZATION_FAILED
          : unknown.has(key)
            ? ErrorCode.UNKNOWN_TOPIC_OR_PARTITION
            : code,
      );
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
