import { type ConfigKey, convertToString } from '../config/config-def.js';

/** Kafka's ConfigKeyInfo: a key's definition as `/validate` and `/connector-plugins/{p}/config` show it. */
export interface ConfigKeyInfo {
  name: string;
  type: string;
  required: boolean;
  default_value: string | null;
  importance: string;
  documentation: string;
  group: string | null;
  width: string;
  display_name: string;
  dependents: string[];
  order: number;
}

export function configKeyInfo(key: ConfigKey): ConfigKeyInfo {
  return {
    name: key.name,
    type: key.type,
    required: typeof key.defaultValue === 'symbol',
    default_value: convertToString(key.defaultValue, key.type),
    importance: key.importance,
    documentation: key.documentation,
    group: key.group ?? null,
    width: key.width,
    display_name: key.displayName,
    dependents: [...key.dependents],
    order: key.orderInGroup,
  };
}
