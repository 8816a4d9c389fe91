/**
 * Where a config value comes from: DescribeConfigs' `configSource` (v1+) and synonyms' `source`.
 * Names are the admin API's (`ConfigEntry.ConfigSource`, what `kafka-configs.sh` prints); the wire
 * enum (`DescribeConfigsResponse.ConfigSource`) calls code 1 `TOPIC_CONFIG`, every other name is
 * the same.
 */
export const ConfigSource = {
  UNKNOWN: 0,
  DYNAMIC_TOPIC_CONFIG: 1,
  DYNAMIC_BROKER_CONFIG: 2,
  DYNAMIC_DEFAULT_BROKER_CONFIG: 3,
  STATIC_BROKER_CONFIG: 4,
  DEFAULT_CONFIG: 5,
  DYNAMIC_BROKER_LOGGER_CONFIG: 6,
  CLIENT_METRICS_CONFIG: 7,
  GROUP_CONFIG: 8,
} as const;
export type ConfigSource = (typeof ConfigSource)[keyof typeof ConfigSource];
export type ConfigSourceName = keyof typeof ConfigSource;

const SOURCE_NAMES = Object.keys(ConfigSource) as ConfigSourceName[];

/** The name of a config source code; `UNKNOWN` for codes newer than this table. */
export function configSourceName(code: number): ConfigSourceName {
  return SOURCE_NAMES.find((name) => ConfigSource[name] === code) ?? 'UNKNOWN';
}
