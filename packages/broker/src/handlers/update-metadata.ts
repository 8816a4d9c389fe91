/**
 * UpdateMetadata (key 6), versions 7-8: the controller sends every broker the live brokers and
 * partition states, which its metadata cache serves to clients. Inter-broker only (ZooKeeper mode).
 * v7: topic ids. v8: flexible type field (KRaft migration; always 0 here).
 *
 * ACLs (KafkaApis): CLUSTER_ACTION on the cluster (brokers and the controller have it), else
 * CLUSTER_AUTHORIZATION_FAILED.
 */
import { ApiKey, ErrorCode, type UpdateMetadataRequest, type UpdateMetadataResponseInput } from '@samsa/protocol';
import { applyUpdateMetadata } from '../metadata/apply-update-metadata.js';
import { AclOperationCode } from '../security/authorizer.js';
import { requireClusterOperation } from './authorization.js';
import { defineHandler } from './handler.js';

export const updateMetadataHandler = defineHandler<UpdateMetadataRequest, UpdateMetadataResponseInput>({
  apiKey: ApiKey.UpdateMetadata,
  minVersion: 7,
  maxVersion: 8,
  async handle(request, ctx) {
    requireClusterOperation(ctx, AclOperationCode.CLUSTER_ACTION);
    const { services } = ctx;
    const zk = services.zk;
    if (zk === undefined) return { errorCode: ErrorCode.STALE_CONTROLLER_EPOCH };
    if (request.brokerEpoch !== -1n && request.brokerEpoch < zk.brokerEpoch()) {
      return { errorCode: ErrorCode.STALE_BROKER_EPOCH };
    }
    if (request.controllerEpoch < services.replicaManager.controllerEpoch) {
      services.logger.warn(
        `Ignoring UpdateMetadata from a controller with epoch ${request.controllerEpoch}; the latest known is ${services.replicaManager.controllerEpoch}`,
      );
      return { errorCode: ErrorCode.STALE_CONTROLLER_EPOCH };
    }
    services.replicaManager.controllerEpoch = request.controllerEpoch;
    await zk.topicConfigs.load(request.topicStates.map((t) => t.topicName));
    const previous = services.metadata.image;
    const image = applyUpdateMetadata(previous, request, (topic) => zk.topicConfigs.overrides(topic));
    for (const name of previous.topics.keys()) if (image.topic(name) === undefined) zk.topicConfigs.forget(name);
    services.metadata.publish(image);
    return { errorCode: ErrorCode.NONE };
  },
});
