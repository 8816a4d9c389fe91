import { ConfigResourceType, ErrorCode, errorByCode, KafkaError } from '@samsa/protocol';
import type { BrokerServices } from '../broker-services.js';
import { validateGroupConfigs } from '../config/group-config.js';
import { AclOperationCode } from '../security/authorizer.js';
import { brokerScope, configAuthorization } from './config-resources.js';
import type { RequestContext } from './handler.js';

/** How one config request changes each kind of resource; a refusal throws KafkaError. */
export interface ConfigAlteration<Resource> {
  /** Topic configs, given the topic's name. */
  topic(resource: Resource, name: string): Promise<void>;
  /** Dynamic broker configs: `brokerId` null is the cluster-wide default (resource name ""). */
  broker(resource: Resource, brokerId: number | null): Promise<void>;
  /** Group configs, given the group id. */
  group(resource: Resource, groupId: string): Promise<void>;
}

export interface ConfigResourceResult {
  readonly resourceType: number;
  readonly resourceName: string;
  readonly errorCode: number;
  readonly errorMessage: string | null;
}

/**
 * The part AlterConfigs and IncrementalAlterConfigs share: each resource in request order, routed
 * by type (TOPIC, BROKER, GROUP; anything else INVALID_REQUEST), its refusal answered on the resource
 * alone while the others go ahead, as Kafka's ConfigAdminManager does.
 *
 * ACLs first: ALTER_CONFIGS on the topic (TOPIC_AUTHORIZATION_FAILED) or on the cluster for
 * `clusterTypes` (CLUSTER_AUTHORIZATION_FAILED), before anything about the resource is validated.
 */
export async function alterConfigResources<
  Resource extends { readonly resourceType: number; readonly resourceName: string },
>(
  ctx: RequestContext,
  resources: readonly Resource[],
  clusterTypes: readonly number[],
  alteration: ConfigAlteration<Resource>,
): Promise<ConfigResourceResult[]> {
  const { services } = ctx;
  const refusal = configAuthorization(ctx, AclOperationCode.ALTER_CONFIGS, resources, clusterTypes);
  const results: ConfigResourceResult[] = [];
  for (const resource of resources) {
    const base = { resourceType: resource.resourceType, resourceName: resource.resourceName };
    const denied = refusal(resource);
    if (denied !== ErrorCode.NONE) {
      results.push({ ...base, errorCode: denied, errorMessage: errorByCode(denied).message });
      continue;
    }
    try {
      if (resource.resourceType === ConfigResourceType.TOPIC) {
        await alteration.topic(resource, resource.resourceName);
      } else if (resource.resourceType === ConfigResourceType.BROKER) {
        const scope = brokerScope(services, resource.resourceName);
        await alteration.broker(resource, scope === 'broker' ? services.brokerId : null);
      } else if (resource.resourceType === ConfigResourceType.GROUP) {
        if (resource.resourceName === '')
          throw new KafkaError(ErrorCode.INVALID_REQUEST, 'Group name must not be empty');
        await alteration.group(resource, resource.resourceName);
      } else {
        throw new KafkaError(ErrorCode.INVALID_REQUEST, `Unsupported resource type ${resource.resourceType}`);
      }
      results.push({ ...base, errorCode: ErrorCode.NONE, errorMessage: null });
    } catch (err) {
      if (!(err instanceof KafkaError)) throw err;
      results.push({ ...base, errorCode: err.errorCode, errorMessage: err.message });
    }
  }
  return results;
}

/** Replaces a group's config overrides, once they pass Kafka's checks (INVALID_CONFIG naming the key). */
export async function alterGroupConfigs(
  services: BrokerServices,
  groupId: string,
  overrides: Readonly<Record<string, string>>,
  validateOnly: boolean,
): Promise<void> {
  validateGroupConfigs(overrides, services.config);
  if (!validateOnly) await services.groupConfigs.alter(groupId, overrides);
}
