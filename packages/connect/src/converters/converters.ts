import { ConfigException } from '../config/config-def.js';
import { ByteArrayConverter } from './byte-array-converter.js';
import type { Converter } from './converter.js';
import { JsonConverter } from './json-converter.js';
import { StringConverter } from './string-converter.js';

/** The converters a worker knows, by Kafka's class names (and simple names, as Kafka's plugin aliases). */
const CONVERTERS = new Map<string, new () => Converter>([
  [JsonConverter.CLASS, JsonConverter],
  [StringConverter.CLASS, StringConverter],
  [ByteArrayConverter.CLASS, ByteArrayConverter],
  ['JsonConverter', JsonConverter],
  ['StringConverter', StringConverter],
  ['ByteArrayConverter', ByteArrayConverter],
]);

const converterClasses: string[] = [JsonConverter.CLASS, StringConverter.CLASS, ByteArrayConverter.CLASS];

/** The converters' class names, as `GET /connector-plugins?connectorsOnly=false` lists them. */
export const CONVERTER_CLASSES: readonly string[] = converterClasses;

/**
 * Makes a converter (one loaded from `plugin.path`, or an embedding application's) usable by
 * `className` and by its simple name (after the last dot). Returns false, changing nothing, when
 * either name is taken.
 */
export function registerConverter(className: string, ctor: new () => Converter): boolean {
  const simple = className.slice(className.lastIndexOf('.') + 1);
  if (CONVERTERS.has(className) || CONVERTERS.has(simple)) return false;
  CONVERTERS.set(className, ctor);
  CONVERTERS.set(simple, ctor);
  converterClasses.push(className);
  return true;
}

/**
 * The converter `className` configured from `props` keys under `prefix` (`key.converter.` or
 * `value.converter.`), e.g. `value.converter.schemas.enable`.
 */
export function createConverter(
  configKey: string,
  className: string,
  props: Readonly<Record<string, string>>,
  isKey: boolean,
): Converter {
  const ctor = CONVERTERS.get(className.trim());
  if (ctor === undefined) {
    throw new ConfigException(configKey, className, `Class ${className} could not be found.`);
  }
  const prefix = `${configKey}.`;
  const own: Record<string, string> = {};
  for (const [k, v] of Object.entries(props)) if (k.startsWith(prefix)) own[k.slice(prefix.length)] = v;
  const converter = new ctor();
  try {
    converter.configure(own, isKey);
  } catch (error) {
    throw new ConfigException(
      (error as Error).message.replace(/for configuration (\S+):/, `for configuration ${prefix}$1:`),
    );
  }
  return converter;
}
