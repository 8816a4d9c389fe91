import { ConfigResourceType, ErrorCode, KafkaError } from '@samsa/protocol';
import type { BrokerServices } from '../broker-services.js';
import { brokerScope } from './config-resources.js';

/** How one config request changes each kind of resource; a refusal throws KafkaError. */
export interface ConfigAlteration<Resource> {
  /** Topic configs, given the topic's name. */
  topic(resource: Resource, name: string): Promise<void>;
  /** Dynamic broker configs: `brokerId` null is the cluster-wide default (resource name ""). */
  broker(resource: Resource, brokerId: number | null): Promise<void>;
}

export interface ConfigResourceResult {
  readonly resourceType: number;
  readonly resourceName: string;
  readonly errorCode: number;
  readonly errorMessage: string | null;
}

/**
 * The part AlterConfigs and IncrementalAlterConfigs share: each resource in request order, routed
 * by type (TOPIC, BROKER; anything else INVALID_REQUEST), its refusal answered on the resource
 * alone while the others go ahead, as Kafka's ConfigAdminManager does.
 */
export async function alterConfigResources<
  Resource extends { readonly resourceType: number; readonly resourceName: string },
>(
  services: BrokerServices,
  resources: readonly Resource[],
  alteration: ConfigAlteration<Resource>,
): Promise<ConfigResourceResult[]> {
  const results: ConfigResourceResult[] = [];
  for (const resource of resources) {
    const base = { resourceType: resource.resourceType, resourceName: resource.resourceName };
    try {
      if (resource.resourceType === ConfigResourceType.TOPIC) {
        await alteration.topic(resource, resource.resourceName);
      } else if (resource.resourceType === ConfigResourceType.BROKER) {
        const scope = brokerScope(services, resource.resourceName);
        await alteration.broker(resource, scope === 'broker' ? services.brokerId : null);
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
