/**
 * CreateTopics (key 19), versions 0-7.
 * v1: validateOnly, error messages. v2: throttle time. v4: numPartitions/replicationFactor -1
 * mean the broker defaults (KIP-464). v5: flexible; results carry the created topic's partition
 * count, replication factor and configs. v7: topic IDs.
 * A topic named twice in one request fails as INVALID_REQUEST, as in Kafka.
 */
import {
  ApiKey,
  type CreateTopicsRequest,
  type CreateTopicsResponseCreatableTopicResultInput,
  type CreateTopicsResponseInput,
  ErrorCode,
  KafkaError,
  ZERO_UUID,
} from '@samsa/protocol';
import { defineHandler } from './handler.js';

export const createTopicsHandler = defineHandler<CreateTopicsRequest, CreateTopicsResponseInput>({
  apiKey: ApiKey.CreateTopics,
  minVersion: 0,
  maxVersion: 7,
  async handle(request, ctx) {
    const { services } = ctx;
    const counts = new Map<string, number>();
    for (const t of request.topics) counts.set(t.name, (counts.get(t.name) ?? 0) + 1);
    const results: CreateTopicsResponseCreatableTopicResultInput[] = [];
    for (const t of request.topics) {
      if ((counts.get(t.name) ?? 0) > 1) {
        results.push({
          name: t.name,
          errorCode: ErrorCode.INVALID_REQUEST,
          errorMessage: `Create topics request from client contains a duplicate topic: ${t.name}`,
        });
        continue;
      }
      const configs: Record<string, string> = {};
      for (const c of t.configs) if (c.value !== null) configs[c.name] = c.value;
      try {
        const created = await services.controller.createTopic(
          {
            name: t.name,
            numPartitions: t.numPartitions,
            replicationFactor: t.replicationFactor,
            assignments: t.assignments.map((a) => ({ partitionIndex: a.partitionIndex, brokerIds: a.brokerIds })),
            configs,
          },
          request.validateOnly,
        );
        const described = services.topicConfigs.describe(created.configs, null);
        results.push({
          name: t.name,
          topicId: request.validateOnly ? ZERO_UUID : created.topicId,
          errorCode: ErrorCode.NONE,
          errorMessage: null,
          numPartitions: created.partitions.length,
          replicationFactor: created.partitions[0]?.replicas.length ?? -1,
          configs: described.map((c) => ({
            name: c.name,
            value: c.value,
            readOnly: c.readOnly,
            configSource: c.source,
            isSensitive: c.sensitive,
          })),
        });
      } catch (err) {
        if (!(err instanceof KafkaError)) throw err;
        results.push({ name: t.name, errorCode: err.errorCode, errorMessage: err.message });
      }
    }
    return { throttleTimeMs: 0, topics: results };
  },
  errorResponse: (request, errorCode) => ({
    topics: request.topics.map((t) => ({ name: t.name, errorCode })),
  }),
});
