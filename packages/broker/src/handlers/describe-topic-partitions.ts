/**
 * DescribeTopicPartitions (key 75), version 0 (KIP-966): topic descriptions paged by partition —
 * what Kafka 3.8+ admin clients use instead of Metadata to describe topics. Topics are named, or
 * all topics when the list is empty; at most ResponsePartitionLimit partitions per response, the
 * rest behind NextCursor. Samsa has no eligible leader replicas (ELR): those fields are null.
 *
 * ACLs (DescribeTopicPartitionsRequestHandler): DESCRIBE on each topic. Listing all topics leaves
 * out the others; a topic named without it answers TOPIC_AUTHORIZATION_FAILED (no id, whether or
 * not it exists) and takes no room in the page. Every topic described carries the principal's
 * authorized operations on it.
 */
import {
  ApiKey,
  type DescribeTopicPartitionsRequest,
  type DescribeTopicPartitionsResponseInput,
  type DescribeTopicPartitionsResponseTopicInput,
  ErrorCode,
  ZERO_UUID,
} from '@samsa/protocol';
import { isInternalTopic, offlineReplicasOf } from '../metadata/cluster-image.js';
import { AclOperationCode, ResourceType } from '../security/authorizer.js';
import { filterAuthorized } from './authorization.js';
import { authorizedOperations } from './authorized-operations.js';
import { defineHandler } from './handler.js';

export const describeTopicPartitionsHandler = defineHandler<
  DescribeTopicPartitionsRequest,
  DescribeTopicPartitionsResponseInput
>({
  apiKey: ApiKey.DescribeTopicPartitions,
  minVersion: 0,
  maxVersion: 0,
  handle(request, ctx) {
    const image = ctx.services.metadata.image;
    const all = request.topics.length === 0;
    const names = all ? [...image.topics.keys()].sort() : [...new Set(request.topics.map((t) => t.name))].sort();
    const cursor = request.cursor;
    const describable = filterAuthorized(
      ctx,
      AclOperationCode.DESCRIBE,
      ResourceType.TOPIC,
      cursor === null ? names : names.filter((name) => name >= cursor.topicName),
    );
    let budget = Math.max(1, request.responsePartitionLimit);
    const topics: DescribeTopicPartitionsResponseTopicInput[] = [];
    let nextCursor: { topicName: string; partitionIndex: number } | null = null;
    for (const name of names) {
      if (cursor !== null && name < cursor.topicName) continue;
      if (!describable.has(name)) {
        if (!all) {
          topics.push({
            errorCode: ErrorCode.TOPIC_AUTHORIZATION_FAILED,
            name,
            topicId: ZERO_UUID,
            isInternal: false,
            partitions: [],
          });
        }
        continue;
      }
      const topic = image.topic(name);
      if (topic === undefined) {
        topics.push({
          errorCode: ErrorCode.UNKNOWN_TOPIC_OR_PARTITION,
          name,
          topicId: ZERO_UUID,
          partitions: [],
          topicAuthorizedOperations: authorizedOperations(ctx, ResourceType.TOPIC, name),
        });
        continue;
      }
      const first = cursor !== null && name === cursor.topicName ? cursor.partitionIndex : 0;
      const partitions = topic.partitions.filter((p) => p.partition >= first);
      const page = partitions.slice(0, budget);
      budget -= page.length;
      topics.push({
        errorCode: ErrorCode.NONE,
        name,
        topicId: topic.topicId,
        isInternal: isInternalTopic(name),
        partitions: page.map((p) => {
          const leaderAlive = p.leader >= 0 && image.brokers.has(p.leader);
          return {
            errorCode: leaderAlive ? ErrorCode.NONE : ErrorCode.LEADER_NOT_AVAILABLE,
            partitionIndex: p.partition,
            leaderId: leaderAlive ? p.leader : -1,
            leaderEpoch: p.leaderEpoch,
            replicaNodes: [...p.replicas],
            isrNodes: [...p.isr],
            eligibleLeaderReplicas: null,
            lastKnownElr: null,
            offlineReplicas: offlineReplicasOf(p, image.brokers),
          };
        }),
        topicAuthorizedOperations: authorizedOperations(ctx, ResourceType.TOPIC, name),
      });
      if (page.length < partitions.length) {
        nextCursor = { topicName: name, partitionIndex: (page.at(-1)?.partition ?? first - 1) + 1 };
        break;
      }
      if (budget === 0) {
        // The next page starts at a topic the principal may see (any named one: the client knows it).
        const next = names.slice(names.indexOf(name) + 1).find((n) => !all || describable.has(n));
        if (next !== undefined) nextCursor = { topicName: next, partitionIndex: 0 };
        break;
      }
    }
    return { throttleTimeMs: 0, topics, nextCursor };
  },
  errorResponse: (request, errorCode) => ({
    topics: request.topics.map((t) => ({ errorCode, name: t.name, topicId: ZERO_UUID, partitions: [] })),
    nextCursor: null,
  }),
});
