/** DescribeConfigs' `configType` (v3+): the type of a config value, as Kafka's `ConfigDef.Type`. */
export const ConfigType = {
  UNKNOWN: 0,
  BOOLEAN: 1,
  STRING: 2,
  INT: 3,
  SHORT: 4,
  LONG: 5,
  DOUBLE: 6,
  LIST: 7,
  CLASS: 8,
  PASSWORD: 9,
} as const;
export type ConfigType = (typeof ConfigType)[keyof typeof ConfigType];
