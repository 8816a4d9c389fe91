import { type ConfigKey, type ConfigValue, convertToString } from '../config/config-def.js';
import type { Props } from '../connector/connector.js';
import { createConverter } from '../converters/converters.js';
import { createHeaderConverter } from '../converters/header-converters.js';
import { validateTransformations } from '../transforms/transformation-chain.js';
import { configKeyInfo } from './config-infos.js';
import { badRequest } from './connect-errors.js';
import { connectorConfigDef, validateSinkTopics } from './connector-config.js';
import type { ConfigInfos } from './herder.js';
import type { ConnectorPlugin, Plugins } from './plugins.js';

/**
 * Kafka's `validateConnectorConfig`: every key of ConnectorConfig, of the transformations and of
 * the connector, with their errors. Shared by both herders (PUT/POST and `/validate`).
 */
export function validateConnectorConfig(plugins: Plugins, config: Props, pluginName?: string): ConfigInfos {
  const className = config['connector.class'];
  if (className === undefined || className.trim() === '') {
    throw badRequest(`Connector config ${javaMap(config)} contains no connector type`);
  }
  let plugin: ConnectorPlugin;
  try {
    plugin = plugins.require(className);
  } catch (error) {
    throw badRequest((error as Error).message);
  }
  if (pluginName !== undefined && plugins.find(pluginName) !== plugin) {
    throw badRequest(`Included connector type ${className} does not match request type ${pluginName}`);
  }
  const common = connectorConfigDef(plugin.type);
  const commonValues = common.validate(config);
  for (const key of ['key.converter', 'value.converter'] as const) {
    const value = config[key];
    if (value === undefined) continue;
    try {
      createConverter(key, value, config, key === 'key.converter');
    } catch (error) {
      commonValues.get(key)?.errors.push((error as Error).message);
    }
  }
  if (config['header.converter'] !== undefined) {
    try {
      createHeaderConverter(config['header.converter'], config);
    } catch (error) {
      commonValues.get('header.converter')?.errors.push((error as Error).message);
    }
  }
  if (plugin.type === 'sink') validateSinkTopics(commonValues, config);
  const transforms = validateTransformations(config);
  commonValues.get('transforms')?.errors.push(...transforms.listErrors.transforms);
  commonValues.get('predicates')?.errors.push(...transforms.listErrors.predicates);
  const connector = new plugin.ctor();
  const own = connector.config();
  let ownValues: Map<string, ConfigValue>;
  try {
    ownValues = connector.validate(config);
  } catch (error) {
    ownValues = new Map();
    commonValues.get('connector.class')?.errors.push((error as Error).message);
  }
  const groups: string[] = [];
  const configs: ConfigInfos['configs'] = [];
  let errorCount = 0;
  const add = (key: ConfigKey, value: ConfigValue | undefined) => {
    if (key.group !== undefined && !groups.includes(key.group)) groups.push(key.group);
    const errors = value?.errors ?? [];
    errorCount += errors.length;
    configs.push({
      definition: configKeyInfo(key),
      value: {
        name: key.name,
        value: value === undefined ? null : valueString(value.value, key),
        recommended_values: (value?.recommendedValues ?? []).map(String),
        errors: [...errors],
        visible: value?.visible ?? true,
      },
    });
  };
  for (const key of common.keys()) add(key, commonValues.get(key.name));
  for (const key of transforms.keys) add(key, transforms.values.get(key.name));
  for (const key of own.keys()) if (common.key(key.name) === undefined) add(key, ownValues.get(key.name));
  return { name: plugin.className, error_count: errorCount, groups, configs };
}

/** Throws Kafka's 400 listing every error when the config is invalid (POST/PUT). */
export function ensureValidConnectorConfig(plugins: Plugins, config: Props): ConnectorPlugin {
  const result = validateConnectorConfig(plugins, config);
  if (result.error_count > 0) throw invalidConnectorConfig(result.configs.flatMap((c) => c.value.errors));
  return plugins.require(config['connector.class']!);
}

/** Kafka's 400 for a config with errors, listing them. */
export function invalidConnectorConfig(messages: readonly string[]): Error {
  return badRequest(
    `Connector configuration is invalid and contains the following ${messages.length} error(s):\n${messages.join('\n')}\nYou can also find the above list of errors at the endpoint \`/connector-plugins/{connectorType}/config/validate\``,
  );
}

function valueString(value: unknown, key: ConfigKey): string | null {
  if (value === null || value === undefined) return null;
  if (typeof value === 'string') return key.type === 'PASSWORD' ? '[hidden]' : value;
  return convertToString(value, key.type);
}

/** Java's `Map.toString`: `{a=1, b=2}`, for Kafka's messages that quote a config. */
export function javaMap(config: Props): string {
  return `{${Object.entries(config)
    .map(([k, v]) => `${k}=${v}`)
    .join(', ')}}`;
}
