/**
 * Metadata (key 3), versions 0-12.
 * v0: an empty topic list means all topics. v1: null means all (empty means none); controller id,
 * rack, isInternal. v2: cluster id. v3: throttle time. v4: allowAutoTopicCreation. v5: offline
 * replicas. v7: leader epoch. v8: authorized operations. v9: flexible. v10: topic IDs. v11: no
 * cluster authorized operations. v12: topics may be named by ID.
 *
 * Auto-creation (auto.create.topics.enable, and allowAutoTopicCreation from v4) creates the
 * topic synchronously, so the first response already carries its partitions.
 */
import {
  ApiKey,
  ErrorCode,
  KafkaError,
  type MetadataRequest,
  type MetadataResponseInput,
  type MetadataResponseTopicInput,
  ZERO_UUID,
} from '@samsa/protocol';
import type { BrokerServices } from '../broker-services.js';
import { isInternalTopic, offlineReplicasOf, type TopicRegistration } from '../metadata/cluster-image.js';
import {
  ALL_CLUSTER_OPERATIONS,
  ALL_TOPIC_OPERATIONS,
  AUTHORIZED_OPERATIONS_OMITTED,
} from './authorized-operations.js';
import { defineHandler } from './handler.js';

export const metadataHandler = defineHandler<MetadataRequest, MetadataResponseInput>({
  apiKey: ApiKey.Metadata,
  minVersion: 0,
  maxVersion: 12,
  async handle(request, ctx) {
    const { services, apiVersion } = ctx;
    const all = request.topics === null || (apiVersion === 0 && request.topics.length === 0);
    const topics: MetadataResponseTopicInput[] = [];
    if (all) {
      for (const topic of services.metadata.image.topics.values()) topics.push(describeTopic(topic, services, request));
    } else {
      const autoCreate =
        services.config.bool('auto.create.topics.enable') && (apiVersion < 4 || request.allowAutoTopicCreation);
      for (const requested of request.topics ?? []) {
        const image = services.metadata.image;
        if (requested.name === null) {
          const topic = image.topicById(requested.topicId);
          topics.push(
            topic === undefined
              ? { errorCode: ErrorCode.UNKNOWN_TOPIC_ID, name: null, topicId: requested.topicId }
              : describeTopic(topic, services, request),
          );
          continue;
        }
        let topic = image.topic(requested.name);
        if (topic === undefined && autoCreate) {
          try {
            topic = await services.autoCreateTopic(requested.name);
          } catch (err) {
            let code = err instanceof KafkaError ? err.errorCode : ErrorCode.UNKNOWN_SERVER_ERROR;
            // Another broker created it and this one has not heard yet: it exists, its leader
            // is not known here (Kafka answers the same).
            if (code === ErrorCode.TOPIC_ALREADY_EXISTS) code = ErrorCode.LEADER_NOT_AVAILABLE;
            topics.push({ errorCode: code, name: requested.name, topicId: ZERO_UUID, isInternal: false });
            continue;
          }
        }
        topics.push(
          topic === undefined
            ? { errorCode: ErrorCode.UNKNOWN_TOPIC_OR_PARTITION, name: requested.name, topicId: ZERO_UUID }
            : describeTopic(topic, services, request),
        );
      }
    }
    const image = services.metadata.image;
    const brokers = [...image.brokers.values()].flatMap((b) => {
      const endpoint = b.endpoints.find((e) => e.listenerName === ctx.listenerName);
      return endpoint === undefined
        ? []
        : [{ nodeId: b.brokerId, host: endpoint.host, port: endpoint.port, rack: b.rack }];
    });
    return {
      throttleTimeMs: 0,
      brokers,
      clusterId: image.clusterId,
      controllerId: image.controllerId,
      topics,
      clusterAuthorizedOperations: request.includeClusterAuthorizedOperations
        ? ALL_CLUSTER_OPERATIONS
        : AUTHORIZED_OPERATIONS_OMITTED,
    };
  },
  // Kafka answers a failed Metadata request with the error on every topic it named.
  errorResponse: (request, errorCode) => ({
    topics: (request.topics ?? []).map((t) => ({ errorCode, name: t.name, topicId: t.topicId })),
  }),
});

function describeTopic(
  topic: TopicRegistration,
  services: BrokerServices,
  request: MetadataRequest,
): MetadataResponseTopicInput {
  const brokers = services.metadata.image.brokers;
  return {
    errorCode: ErrorCode.NONE,
    name: topic.name,
    topicId: topic.topicId,
    isInternal: isInternalTopic(topic.name),
    partitions: topic.partitions.map((p) => {
      const offline = offlineReplicasOf(p, brokers);
      const leaderAlive = p.leader >= 0 && brokers.has(p.leader);
      return {
        errorCode: leaderAlive ? ErrorCode.NONE : ErrorCode.LEADER_NOT_AVAILABLE,
        partitionIndex: p.partition,
        leaderId: leaderAlive ? p.leader : -1,
        leaderEpoch: p.leaderEpoch,
        replicaNodes: [...p.replicas],
        isrNodes: [...p.isr],
        offlineReplicas: offline,
      };
    }),
    topicAuthorizedOperations: request.includeTopicAuthorizedOperations
      ? ALL_TOPIC_OPERATIONS
      : AUTHORIZED_OPERATIONS_OMITTED,
  };
}
