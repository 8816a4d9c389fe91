import type { Schema, SchemaAndValue } from '../data/schema.js';

/**
 * Kafka's Converter: Connect data ⇄ the bytes in Kafka. `configure` receives the settings with
 * the `key.converter.`/`value.converter.` prefix removed (e.g. `schemas.enable`).
 */
export interface Converter {
  configure(configs: Readonly<Record<string, string>>, isKey: boolean): void;
  fromConnectData(topic: string, schema: Schema | null, value: unknown): Buffer | null;
  toConnectData(topic: string, bytes: Buffer | null): SchemaAndValue;
}
