import { Schema, type SchemaAndValue } from '../data/schema.js';
import type { Converter } from './converter.js';

/** `org.apache.kafka.connect.storage.StringConverter`: the value's string form, UTF-8 (`converter.encoding` is accepted, UTF-8 only). */
export class StringConverter implements Converter {
  static readonly CLASS = 'org.apache.kafka.connect.storage.StringConverter';

  configure(): void {}

  fromConnectData(_topic: string, _schema: Schema | null, value: unknown): Buffer | null {
    if (value === null || value === undefined) return null;
    if (value instanceof Uint8Array) return Buffer.from(value);
    return Buffer.from(String(value), 'utf8');
  }

  toConnectData(_topic: string, bytes: Buffer | null): SchemaAndValue {
    return { schema: Schema.OPTIONAL_STRING_SCHEMA, value: bytes === null ? null : bytes.toString('utf8') };
  }
}
