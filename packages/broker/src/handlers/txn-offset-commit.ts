/**
 * TxnOffsetCommit (key 28), versions 0-4: a transactional producer commits its consumer's
 * positions as part of its transaction (KIP-98). The group coordinator writes them as the
 * producer's transactional batch; they stay invisible to OffsetFetch until the transaction's
 * COMMIT marker (an ABORT drops them).
 * v0: transactional id, group, producer id and epoch, offsets with metadata. v1: same as v0
 * (throttled responses are sent before throttling). v2: committed leader epoch (KIP-320). v3:
 * flexible; the consumer's generation, member id and group instance id (KIP-447), checked as
 * OffsetCommit checks them when given. v4: same as v3 (a v4 client also understands
 * TRANSACTION_ABORTABLE, KIP-890, which only server-side transaction verification returns).
 *
 * As in Kafka, partitions of topics the cluster does not have are refused here
 * (UNKNOWN_TOPIC_OR_PARTITION) and never reach the coordinator, and before v2
 * COORDINATOR_LOAD_IN_PROGRESS is answered as COORDINATOR_NOT_AVAILABLE: producers before 2.0 did
 * not retry it (KAFKA-7296). Not done here: verifying with the transaction coordinator that the
 * group was added to the transaction (KIP-890's transaction verification).
 */
import {
  ApiKey,
  ErrorCode,
  type OffsetCommitResponseTopicInput,
  type TxnOffsetCommitRequest,
  type TxnOffsetCommitResponseInput,
} from '@samsa/protocol';
import type { TxnOffsetCommitTopicArgs } from '../coordinator/group/offset-metadata-manager.js';
import { defineHandler } from './handler.js';

const key = (topic: string, partition: number): string => `${topic}\u0000${partition}`;

export const txnOffsetCommitHandler = defineHandler<TxnOffsetCommitRequest, TxnOffsetCommitResponseInput>({
  apiKey: ApiKey.TxnOffsetCommit,
  minVersion: 0,
  maxVersion: 4,
  async handle(request, ctx) {
    const image = ctx.services.metadata.image;
    const known: TxnOffsetCommitTopicArgs[] = [];
    for (const topic of request.topics) {
      const partitions = topic.partitions.filter((p) => image.partition(topic.name, p.partitionIndex) !== undefined);
      if (partitions.length > 0) known.push({ name: topic.name, partitions });
    }
    const errors = new Map<string, number>();
    if (known.length > 0) {
      const producerId = Number(request.producerId);
      // A transactional batch needs a real producer; Kafka's verification would not know this one.
      const committed: OffsetCommitResponseTopicInput[] =
        Number.isSafeInteger(producerId) && producerId >= 0 && request.producerEpoch >= 0
          ? await ctx.services.groupCoordinator.commitTransactionalOffsets({
              groupId: request.groupId,
              producerId,
              producerEpoch: request.producerEpoch,
              generationId: request.generationId,
              memberId: request.memberId,
              groupInstanceId: request.groupInstanceId,
              topics: known,
            })
          : known.map((t) => ({
              name: t.name,
              partitions: t.partitions.map((p) => ({
                partitionIndex: p.partitionIndex,
                errorCode: ErrorCode.INVALID_PRODUCER_ID_MAPPING,
              })),
            }));
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
          errorCode: errors.get(key(t.name, p.partitionIndex)) ?? ErrorCode.UNKNOWN_TOPIC_OR_PARTITION,
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
