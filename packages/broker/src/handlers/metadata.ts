/**
 * Metadata (key 3), versions 0-12.
 * v0: an empty topic list means all topics. v1: null means all (empty means none); controller id,
 * rack, isInternal. v2: cluster id. v3: throttle time. v4: allowAutoTopicCreation. v5: offline
 * replicas. v7: leader epoch. v8: authorized operations. v9: flexible. v10: topic IDs. v11: no
 * cluster authorized operations. v12: topics may be named by ID.
 *
 * Auto-creation (auto.create.topics.enable, and allowAutoTopicCreation from v4) creates the
 * topic synchronously, so the first response already carries its partitions.
 *
 * ACLs (KafkaApis.handleTopicMetadataRequest): listing all topics leaves out those the principal
 * may not DESCRIBE; a topic named (or, v12, identified) without DESCRIBE answers
 * TOPIC_AUTHORIZATION_FAILED with no topic id (by id: no name), whether or not it exists.
 * Auto-creation needs CREATE on the cluster or on the topic, else TOPIC_AUTHORIZATION_FAILED.
 * Authorized operations (v8+, KIP-430) come from the authorizer: the topic's for every topic
 * described, the cluster's (v8-10) only with DESCRIBE on the cluster (0 otherwise).
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
import { AclOperationCode, ResourceType } from '../security/authorizer.js';
import { ALL_AUTHORIZED, type AuthorizedNames, authorizeCluster, filterAuthorized } from './authorization.js';
import {
  AUTHORIZED_OPERATIONS_OMITTED,
  authorizedClusterOperations,
  authorizedOperations,
} from './authorized-operations.js';
import { defineHandler, type RequestContext } from './handler.js';

/** Metadata v11 dropped the cluster's authorized operations (DescribeCluster has them). */
const LAST_VERSION_WITH_CLUSTER_OPERATIONS = 10;

export const metadataHandler = defineHandler<MetadataRequest, MetadataResponseInput>({
  apiKey: ApiKey.Metadata,
  minVersion: 0,
  maxVersion: 12,
  async handle(request, ctx) {
    const { services, apiVersion } = ctx;
    const all = request.topics === null || (apiVersion === 0 && request.topics.length === 0);
    // Entries described (or answered as unknown or not creatable) here get their authorized
    // operations below; refusals for lack of DESCRIBE and unknown topic ids do not, as in Kafka.
    const described: MetadataResponseTopicInput[] = [];
    const topics: MetadataResponseTopicInput[] = [];
    const add = (topic: MetadataResponseTopicInput, withOperations: boolean) => {
      topics.push(topic);
      if (withOperations) described.push(topic);
    };
    if (all) {
      const image = services.metadata.image;
      // Topics the principal may not describe are left out, without a word.
      const describable =
        services.authorizer === undefined
          ? ALL_AUTHORIZED
          : filterAuthorized(ctx, AclOperationCode.DESCRIBE, ResourceType.TOPIC, image.topics.keys());
      for (const topic of image.topics.values()) {
        if (describable.has(topic.name)) add(describeTopic(topic, services), true);
      }
    } else {
      const named = request.topics ?? [];
      const autoCreate =
        services.config.bool('auto.create.topics.enable') && (apiVersion < 4 || request.allowAutoTopicCreation);
      const image = services.metadata.image;
      const describable = filterAuthorized(
        ctx,
        AclOperationCode.DESCRIBE,
        ResourceType.TOPIC,
        named.flatMap((t) => (t.name !== null ? [t.name] : (image.topicById(t.topicId)?.name ?? []))),
      );
      const creatable = autoCreate ? creatableTopics(ctx, named, describable) : ALL_AUTHORIZED;
      for (const requested of named) {
        const image = services.metadata.image;
        if (requested.name === null) {
          const topic = image.topicById(requested.topicId);
          if (topic === undefined) {
            add({ errorCode: ErrorCode.UNKNOWN_TOPIC_ID, name: null, topicId: requested.topicId }, false);
          } else if (!describable.has(topic.name)) {
            // Topic ids are not secret, names are: the id is echoed, the name is not.
            add(
              {
                errorCode: ErrorCode.TOPIC_AUTHORIZATION_FAILED,
                name: null,
                topicId: requested.topicId,
                isInternal: false,
              },
              false,
            );
          } else {
            add(describeTopic(topic, services), true);
          }
          continue;
        }
        // Not even whether it exists, for a topic the principal may not describe.
        if (!describable.has(requested.name)) {
          add(
            {
              errorCode: ErrorCode.TOPIC_AUTHORIZATION_FAILED,
              name: requested.name,
              topicId: ZERO_UUID,
              isInternal: false,
            },
            false,
          );
          continue;
        }
        let topic = image.topic(requested.name);
        if (topic === undefined && autoCreate) {
          if (!creatable.has(requested.name)) {
            add(
              {
                errorCode: ErrorCode.TOPIC_AUTHORIZATION_FAILED,
                name: requested.name,
                topicId: ZERO_UUID,
                isInternal: isInternalTopic(requested.name),
              },
              false,
            );
            continue;
          }
          try {
            topic = await services.autoCreateTopic(requested.name);
          } catch (err) {
            let code = err instanceof KafkaError ? err.errorCode : ErrorCode.UNKNOWN_SERVER_ERROR;
            // Another broker created it and this one has not heard yet: it exists, its leader
            // is not known here (Kafka answers the same).
            if (code === ErrorCode.TOPIC_ALREADY_EXISTS) code = ErrorCode.LEADER_NOT_AVAILABLE;
            add({ errorCode: code, name: requested.name, topicId: ZERO_UUID, isInternal: false }, true);
            continue;
          }
        }
        add(
          topic === undefined
            ? { errorCode: ErrorCode.UNKNOWN_TOPIC_OR_PARTITION, name: requested.name, topicId: ZERO_UUID }
            : describeTopic(topic, services),
          true,
        );
      }
    }
    if (apiVersion >= 8 && request.includeTopicAuthorizedOperations) {
      for (const topic of described) {
        topic.topicAuthorizedOperations = authorizedOperations(ctx, ResourceType.TOPIC, topic.name ?? '');
      }
    }
    let clusterAuthorizedOperations = AUTHORIZED_OPERATIONS_OMITTED;
    if (request.includeClusterAuthorizedOperations && apiVersion <= LAST_VERSION_WITH_CLUSTER_OPERATIONS) {
      clusterAuthorizedOperations = authorizeCluster(ctx, AclOperationCode.DESCRIBE)
        ? authorizedClusterOperations(ctx)
        : 0;
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
      clusterAuthorizedOperations,
    };
  },
  // Kafka answers a failed Metadata request with the error on every topic it named.
  errorResponse: (request, errorCode) => ({
    topics: (request.topics ?? []).map((t) => ({ errorCode, name: t.name, topicId: t.topicId })),
  }),
});

/**
 * The missing topics auto-creation may create: all with CREATE on the cluster, else those with
 * CREATE on the topic itself (only topics the principal may describe are considered).
 */
function creatableTopics(
  ctx: RequestContext,
  requested: readonly { readonly name: string | null }[],
  describable: AuthorizedNames,
): AuthorizedNames {
  if (ctx.services.authorizer === undefined) return ALL_AUTHORIZED;
  const image = ctx.services.metadata.image;
  const missing = requested.flatMap((t) =>
    t.name !== null && describable.has(t.name) && image.topic(t.name) === undefined ? [t.name] : [],
  );
  if (missing.length === 0 || authorizeCluster(ctx, AclOperationCode.CREATE)) return ALL_AUTHORIZED;
  return filterAuthorized(ctx, AclOperationCode.CREATE, ResourceType.TOPIC, missing);
}

function describeTopic(topic: TopicRegistration, services: BrokerServices): MetadataResponseTopicInput {
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
    topicAuthorizedOperations: AUTHORIZED_OPERATIONS_OMITTED,
  };
}
