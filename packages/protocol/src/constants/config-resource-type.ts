/**
 * Kafka's `ConfigResource.Type`: the `resourceType` of DescribeConfigs, AlterConfigs and
 * IncrementalAlterConfigs. Bit-like values, as Kafka assigned them (GROUP is KIP-848's).
 */
export const ConfigResourceType = {
  UNKNOWN: 0,
  TOPIC: 2,
  BROKER: 4,
  BROKER_LOGGER: 8,
  CLIENT_METRICS: 16,
  GROUP: 32,
} as const;
export type ConfigResourceType = (typeof ConfigResourceType)[keyof typeof ConfigResourceType];
export type ConfigResourceTypeName = keyof typeof ConfigResourceType;
