import type { Schema, SchemaAndValue } from '../data/schema.js';
import type { Converter } from './converter.js';

/**
 * Kafka's HeaderConverter: a Connect header's (schema, value) ⇄ the header's bytes in Kafka.
 * `configure` receives the `header.converter.` settings with the prefix removed.
 */
export interface HeaderConverter {
  configure(configs: Readonly<Record<string, string>>): void;
  fromConnectHeader(topic: string, headerKey: string, schema: Schema | null, value: unknown): Buffer | null;
  toConnectHeader(topic: string, headerKey: string, bytes: Buffer | null): SchemaAndValue;
}

/**
 * A value Converter used for headers, as Kafka's StringConverter, JsonConverter and
 * ByteArrayConverter implement HeaderConverter: the same bytes as for a record value (JSON
 * configured as a value converter, `schemas.enable` from `header.converter.schemas.enable`).
 */
export class ConverterHeaderConverter implements HeaderConverter {
  constructor(private readonly converter: Converter) {}

  configure(configs: Readonly<Record<string, string>>): void {
    this.converter.configure(configs, false);
  }

  fromConnectHeader(topic: string, _headerKey: string, schema: Schema | null, value: unknown): Buffer | null {
    return this.converter.fromConnectData(topic, schema, value);
  }

  toConnectHeader(topic: string, _headerKey: string, bytes: Buffer | null): SchemaAndValue {
    return this.converter.toConnectData(topic, bytes);
  }
}
