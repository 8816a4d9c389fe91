/**
 * TxnOffsetCommit (key 28), versions 0-4: a transactional producer commits its consumer's
 * positions as part of its transaction (KIP-98). The group coordinator writes them as the
 * producer's transactional batch; they stay invisible to OffsetFetch until the transaction's
 * COMMIT marker (an ABORT drops them).
 * v0: transactional id, group, producer id and epoch, offsets with metadata. v1: same as v0
 * (throttled responses are sent before throttling). v2: committed leader epoch (KIP-320). v3:
 * flexible; the consumer's generation, member id and group instance id (KIP-447), checked as
 * OffsetCommit checks them when given. v4: same as v3, but a commit whose group partition is not
 * in the producer's transaction is answered TRANSACTION_ABORTABLE (KIP-890) where v0-3 get
 * INVALID_TXN_STATE.
 *
 * As in Kafka, partitions of topics the cluster does not have are refused here
 * (UNKNOWN_TOPIC_OR_PARTITION) and never reach the coordinator, and before v2
 * COORDINATOR_LOAD_IN_PROGRESS is answered as COORDINATOR_NOT_AVAILABLE: producers before 2.0 did
 * not retry it (KAFKA-7296). Before the first transactional commit of a producer's transaction,
 * the transaction coordinator is asked whether the group was added to it (KIP-890 part 1).
 *
 * ACLs (KafkaApis.handleTxnOffsetCommitRequest): WRITE on the transactional id, else every
 * partition answers TRANSACTIONAL_ID_AUTHORIZATION_FAILED; READ on the group, else
 * GROUP_AUTHORIZATION_FAILED; then READ on each topic, else its partitions answer
 * TOPIC_AUTHORIZATION_FAILED (before existence is checked).
 */
import {
  ApiKey,
  ErrorCode,
  KafkaError,
  type OffsetCommitResponseTopicInput,
  type TxnOffsetCommitRequest,
  type TxnOffsetCommitResponseInput,
} from '@samsa/protocol';
import { appendErrorToResponseError } from '../coordinator/group/append-error.js';
import type { TxnOffsetCommitTopicArgs } from '../coordinator/group/offset-metadata-manager.js';
import { GROUP_METADATA_TOPIC_NAME } from '../metadata/cluster-image.js';
import { AclOperationCode, ResourceType } from '../security/authorizer.js';
import { authorize, filterAuthorized, requireGroup } from './authorization.js';
import { defineHandler, type RequestContext } from './handler.js';
import { needsTxnVerification } from './txn-verification.js';

/** TxnOffsetCommit v4: a failed transaction verification may be answered TRANSACTION_ABORTABLE. */
const FIRST_VERSION_WITH_TRANSACTION_ABORTABLE = 4;

const key = (topic: string, partition: number): string => `${topic}\u0000${partition}`;

export const txnOffsetCommitHandler = defineHandler<TxnOffsetCommitRequest, TxnOffsetCommitResponseInput>({
  apiKey: ApiKey.TxnOffsetCommit,
  minVersion: 0,
  maxVersion: 4,
  async handle(request, ctx) {
    if (!authorize(ctx, AclOperationCode.WRITE, ResourceType.TRANSACTIONAL_ID, request.transactionalId)) {
      throw new KafkaError(ErrorCode.TRANSACTIONAL_ID_AUTHORIZATION_FAILED, 'Transactional Id authorization failed.');
    }
    requireGroup(ctx, AclOperationCode.READ, request.groupId);
    const readable = filterAuthorized(
      ctx,
      AclOperationCode.READ,
      ResourceType.TOPIC,
      request.topics.map((t) => t.name),
    );
    const image = ctx.services.metadata.image;
    const known: TxnOffsetCommitTopicArgs[] = [];
    for (const topic of request.topics) {
      if (!readable.has(topic.name)) continue;
      const partitions = topic.partitions.filter((p) => image.partition(topic.name, p.partitionIndex) !== undefined);
      if (partitions.length > 0) known.push({ name: topic.name, partitions });
    }
    const errors = new Map<string, number>();
    if (known.length > 0) {
      const producerId = Number(request.producerId);
      // A transactional batch needs a real producer; Kafka's verification would not know this one.
      const validProducer = Number.isSafeInteger(producerId) && producerId >= 0 && request.producerEpoch >= 0;
      let committed: OffsetCommitResponseTopicInput[];
      if (!validProducer) {
        committed = refuseAll(known, ErrorCode.INVALID_PRODUCER_ID_MAPPING);
      } else {
        const verification = await verifyOffsetsPartition(request, producerId, ctx);
        committed =
          verification !== ErrorCode.NONE
            ? refuseAll(known, verification)
            : await ctx.services.groupCoordinator.commitTransactionalOffsets({
                groupId: request.groupId,
                producerId,
                producerEpoch: request.producerEpoch,
                generationId: request.generationId,
                memberId: request.memberId,
                groupInstanceId: request.groupInstanceId,
                topics: known,
              });
      }
      for (const t of committed) {
        for (const p of t.partitions ?? []) {
          let errorCode = p.errorCode ?? ErrorCode.NONE;
          if (ctx.apiVersion < 2 && errorCode === ErrorCode.COORDINATOR_LOAD_IN_PROGRESS) {
            errorCode = ErrorCode.COORDINATOR_NOT_AVAILABLE;
          }
          errors.set(key(t.name ?? '', p.partitionIndex ?? 0), errorCode);
        }
      }
    }
    return {
      topics: request.topics.map((t) => ({
        name: t.name,
        partitions: t.partitions.map((p) => ({
          partitionIndex: p.partitionIndex,
          errorCode: !readable.has(t.name)
            ? ErrorCode.TOPIC_AUTHORIZATION_FAILED
            : (errors.get(key(t.name, p.partitionIndex)) ?? ErrorCode.UNKNOWN_TOPIC_OR_PARTITION),
        })),
      })),
    };
  },
  errorResponse: (request, errorCode) => ({
    topics: request.topics.map((t) => ({
      name: t.name,
      partitions: t.partitions.map((p) => ({ partitionIndex: p.partitionIndex, errorCode })),
    })),
  }),
});

/**
 * KIP-890 verification of the group's `__consumer_offsets` partition, which AddOffsetsToTxn put
 * into the transaction: without it, a TxnOffsetCommit retried after its transaction ended would
 * open a transaction on that partition nobody ends. Asked only when the commit would start the
 * producer's transaction there, as for Produce. The answer is mapped as Kafka's
 * GroupMetadataManager maps append errors of offset commits, so that older clients retry.
 */
async function verifyOffsetsPartition(
  request: TxnOffsetCommitRequest,
  producerId: number,
  ctx: RequestContext,
): Promise<number> {
  const partition = ctx.services.groupCoordinator.partitionFor(request.groupId);
  if (!needsTxnVerification(ctx, GROUP_METADATA_TOPIC_NAME, partition, producerId, request.producerEpoch)) {
    return ErrorCode.NONE;
  }
  const [code] = await ctx.services.txnVerifier.verify(
    request.transactionalId,
    producerId,
    request.producerEpoch,
    [{ topic: GROUP_METADATA_TOPIC_NAME, partition }],
    ctx.apiVersion >= FIRST_VERSION_WITH_TRANSACTION_ABORTABLE,
  );
  return appendErrorToResponseError({ errorCode: code ?? ErrorCode.UNKNOWN_SERVER_ERROR });
}

function refuseAll(topics: readonly TxnOffsetCommitTopicArgs[], errorCode: number): OffsetCommitResponseTopicInput[] {
  return topics.map((t) => ({
    name: t.name,
    partitions: t.partitions.map((p) => ({ partitionIndex: p.partitionIndex, errorCode })),
  }));
}
