import { ConfigException } from '../config/config-def.js';
import type { Converter } from './converter.js';
import { createConverter } from './converters.js';
import { ConverterHeaderConverter, type HeaderConverter } from './header-converter.js';
import { SimpleHeaderConverter } from './simple-header-converter.js';

export const HEADER_CONVERTER_CONFIG = 'header.converter';

/**
 * The header converter `className`, configured from the `header.converter.` keys of `props`:
 * SimpleHeaderConverter (Kafka's default), or any value Converter (StringConverter,
 * JsonConverter, ByteArrayConverter, or one registered from `plugin.path`) used as Kafka's
 * converters are used for headers.
 */
export function createHeaderConverter(className: string, props: Readonly<Record<string, string>>): HeaderConverter {
  const name = className.trim();
  if (name === SimpleHeaderConverter.CLASS || name === 'SimpleHeaderConverter') {
    const converter = new SimpleHeaderConverter();
    converter.configure();
    return converter;
  }
  let converter: Converter;
  try {
    // Configured below as a header converter, i.e. as a value converter on the header.converter. keys.
    converter = createConverter(HEADER_CONVERTER_CONFIG, name, props, false);
  } catch (error) {
    if (error instanceof ConfigException) throw error;
    throw new ConfigException(HEADER_CONVERTER_CONFIG, className, (error as Error).message);
  }
  return new ConverterHeaderConverter(converter);
}
