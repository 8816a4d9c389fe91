import { ConfigResourceType, ConfigSource, ConfigType, ErrorCode, errorByCode, KafkaError } from '@samsa/protocol';
import type { BrokerServices } from '../broker-services.js';
import { BROKER_CONFIG_BY_NAME } from '../config/broker-config.js';
import { BROKER_CONFIG_KEYS } from '../config/broker-config-defs.js';
import { formatConfigValue } from '../config/config-def.js';
import type { DescribedConfig } from '../config/topic-config.js';
import { type AclOperationCode, ResourceType } from '../security/authorizer.js';
import { authorizeCluster, filterAuthorized } from './authorization.js';
import type { RequestContext } from './handler.js';

/** DescribeConfigs' configType (v3+) for one of our config types ('int', 'list', …). */
export function configTypeCode(type: string): number {
  return ConfigType[type.toUpperCase() as keyof typeof ConfigType] ?? ConfigType.UNKNOWN;
}

/** Every resource a config request named, failed with `errorCode` (the handlers' errorResponse). */
export function configResourceErrors(
  resources: readonly { readonly resourceType: number; readonly resourceName: string }[],
  errorCode: number,
): { resourceType: number; resourceName: string; errorCode: number; errorMessage: string }[] {
  return resources.map((r) => ({
    resourceType: r.resourceType,
    resourceName: r.resourceName,
    errorCode,
    errorMessage: errorByCode(errorCode).message,
  }));
}

/**
 * Resolves a BROKER resource name: the local broker id, or "" for the cluster-wide dynamic
 * defaults. Other ids belong to other brokers (none on a single node).
 */
export function brokerScope(services: BrokerServices, resourceName: string): 'broker' | 'default' {
  if (resourceName === '') return 'default';
  const id = Number(resourceName);
  if (!Number.isInteger(id) || String(id) !== resourceName.trim()) {
    throw new KafkaError(ErrorCode.INVALID_REQUEST, `Broker id must be an integer, but it is: ${resourceName}`);
  }
  if (id !== services.brokerId) {
    throw new KafkaError(
      ErrorCode.INVALID_REQUEST,
      `Unexpected broker id, expected ${services.brokerId} but received ${id}`,
    );
  }
  return 'broker';
}

/** DescribeConfigs for a BROKER resource: every broker config with its source and synonyms. */
export function describeBrokerConfigs(
  services: BrokerServices,
  scope: 'broker' | 'default',
  names: readonly string[] | null,
): DescribedConfig[] {
  const config = services.config;
  if (scope === 'default') {
    return [...config.dynamicEntries('default').entries()]
      .filter(([name]) => names === null || names.includes(name))
      .map(([name, value]) => {
        const key = BROKER_CONFIG_BY_NAME.get(name);
        return {
          name,
          value: formatConfigValue(value),
          source: ConfigSource.DYNAMIC_DEFAULT_BROKER_CONFIG,
          isDefault: false,
          readOnly: false,
          sensitive: key?.sensitive === true,
          type: key?.type ?? 'string',
          doc: key?.doc ?? null,
          synonyms: [{ name, value: formatConfigValue(value), source: ConfigSource.DYNAMIC_DEFAULT_BROKER_CONFIG }],
        };
      });
  }
  const keys = names === null ? BROKER_CONFIG_KEYS : names.flatMap((n) => BROKER_CONFIG_BY_NAME.get(n) ?? []);
  return keys.map((key) => {
    const layers = config.layersOf(key.name);
    const sensitive = key.sensitive === true || key.type === 'password';
    return {
      name: key.name,
      value: sensitive ? null : formatConfigValue(config.get(key.name)),
      source: config.sourceOf(key.name),
      isDefault: config.sourceOf(key.name) === ConfigSource.DEFAULT_CONFIG,
      readOnly: key.dynamic === undefined,
      sensitive,
      type: key.type,
      doc: key.doc ?? null,
      synonyms: layers.map((l) => ({
        name: key.name,
        value: sensitive ? null : formatConfigValue(l.value),
        source: l.source,
      })),
    };
  });
}

/**
 * The config resource types whose ACL is on the cluster resource, per request kind: BROKER,
 * BROKER_LOGGER and CLIENT_METRICS for DescribeConfigs and IncrementalAlterConfigs; the legacy
 * AlterConfigs refuses BROKER_LOGGER before authorizing, so it is not among them there.
 */
export const CLUSTER_CONFIG_RESOURCES: readonly number[] = [
  ConfigResourceType.BROKER,
  ConfigResourceType.BROKER_LOGGER,
  ConfigResourceType.CLIENT_METRICS,
];
export const LEGACY_ALTER_CLUSTER_CONFIG_RESOURCES: readonly number[] = [
  ConfigResourceType.BROKER,
  ConfigResourceType.CLIENT_METRICS,
];

/**
 * Kafka's config-request authorization (ConfigHelper, processIncrementalAlterConfigsRequest):
 * `operation` (DESCRIBE_CONFIGS or ALTER_CONFIGS) on the topic for TOPIC resources, on the group
 * for GROUP resources, on the cluster for `clusterTypes`. Returns each resource's refusal —
 * TOPIC_, GROUP_ or CLUSTER_AUTHORIZATION_FAILED — or NONE (also for types it does not authorize, which the
 * handler's validation refuses). Topics are authorized in one call, the cluster at most once.
 */
export function configAuthorization(
  ctx: RequestContext,
  operation: typeof AclOperationCode.DESCRIBE_CONFIGS | typeof AclOperationCode.ALTER_CONFIGS,
  resources: readonly { readonly resourceType: number; readonly resourceName: string }[],
  clusterTypes: readonly number[],
): (resource: { readonly resourceType: number; readonly resourceName: string }) => number {
  if (ctx.services.authorizer === undefined) return () => ErrorCode.NONE;
  const topics = filterAuthorized(
    ctx,
    operation,
    ResourceType.TOPIC,
    resources.flatMap((r) => (r.resourceType === ConfigResourceType.TOPIC ? [r.resourceName] : [])),
  );
  const groups = filterAuthorized(
    ctx,
    operation,
    ResourceType.GROUP,
    resources.flatMap((r) => (r.resourceType === ConfigResourceType.GROUP ? [r.resourceName] : [])),
  );
  let cluster: boolean | undefined;
  return (resource) => {
    if (resource.resourceType === ConfigResourceType.TOPIC) {
      return topics.has(resource.resourceName) ? ErrorCode.NONE : ErrorCode.TOPIC_AUTHORIZATION_FAILED;
    }
    if (resource.resourceType === ConfigResourceType.GROUP) {
      return groups.has(resource.resourceName) ? ErrorCode.NONE : ErrorCode.GROUP_AUTHORIZATION_FAILED;
    }
    if (!clusterTypes.includes(resource.resourceType)) return ErrorCode.NONE;
    cluster ??= authorizeCluster(ctx, operation);
    return cluster ? ErrorCode.NONE : ErrorCode.CLUSTER_AUTHORIZATION_FAILED;
  };
}
