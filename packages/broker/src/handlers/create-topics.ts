/**
 * CreateTopics (key 19), versions 0-7.
 * v1: validateOnly, error messages. v2: throttle time. v4: numPartitions/replicationFactor -1
 * mean the broker defaults (KIP-464). v5: flexible; results carry the created topic's partition
 * count, replication factor and configs. v7: topic IDs.
 * A topic named twice in one request fails as INVALID_REQUEST, as in Kafka.
 *
 * ACLs (KafkaApis.handleCreateTopicsRequest): CREATE on the cluster allows every topic, else each
 * topic needs CREATE on itself (TOPIC_AUTHORIZATION_FAILED). The created topic's configs, partition
 * count, replication factor and id (v5+) are returned only with DESCRIBE_CONFIGS on the topic;
 * without it the result has topicConfigErrorCode TOPIC_AUTHORIZATION_FAILED instead.
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
import { AclOperationCode, ResourceType } from '../security/authorizer.js';
import { ALL_AUTHORIZED, authorizeCluster, filterAuthorized } from './authorization.js';
import { defineHandler } from './handler.js';

export const createTopicsHandler = defineHandler<CreateTopicsRequest, CreateTopicsResponseInput>({
  apiKey: ApiKey.CreateTopics,
  minVersion: 0,
  maxVersion: 7,
  async handle(request, ctx) {
    const { services } = ctx;
    const counts = new Map<string, number>();
    for (const t of request.topics) counts.set(t.name, (counts.get(t.name) ?? 0) + 1);
    const creatable = authorizeCluster(ctx, AclOperationCode.CREATE)
      ? ALL_AUTHORIZED
      : filterAuthorized(ctx, AclOperationCode.CREATE, ResourceType.TOPIC, counts.keys());
    const configsVisible = filterAuthorized(ctx, AclOperationCode.DESCRIBE_CONFIGS, ResourceType.TOPIC, counts.keys());
    const results: CreateTopicsResponseCreatableTopicResultInput[] = [];
    for (const t of request.topics) {
      // Kafka reports the missing DESCRIBE_CONFIGS on topics that are not even attempted, too.
      const configErrors = configsVisible.has(t.name)
        ? {}
        : { topicConfigErrorCode: ErrorCode.TOPIC_AUTHORIZATION_FAILED };
      if ((counts.get(t.name) ?? 0) > 1) {
        results.push({
          name: t.name,
          errorCode: ErrorCode.INVALID_REQUEST,
          errorMessage: `Create topics request from client contains a duplicate topic: ${t.name}`,
          ...configErrors,
        });
        continue;
      }
      if (!creatable.has(t.name)) {
        results.push({
          name: t.name,
          errorCode: ErrorCode.TOPIC_AUTHORIZATION_FAILED,
          errorMessage: 'Authorization failed.',
          ...configErrors,
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
        if (!configsVisible.has(t.name)) {
          results.push({ name: t.name, errorCode: ErrorCode.NONE, errorMessage: null, ...configErrors });
          continue;
        }
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
