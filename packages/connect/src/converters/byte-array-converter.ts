import { DataException, Schema, type SchemaAndValue } from '../data/schema.js';
import type { Converter } from './converter.js';

/** `org.apache.kafka.connect.converters.ByteArrayConverter`: bytes pass through unchanged. */
export class ByteArrayConverter implements Converter {
  static readonly CLASS = 'org.apache.kafka.connect.converters.ByteArrayConverter';

  configure(): void {}

  fromConnectData(_topic: string, schema: Schema | null, value: unknown): Buffer | null {
    if (schema !== null && schema.type !== 'BYTES') {
      throw new DataException(`Invalid schema type for ByteArrayConverter: ${schema.type}`);
    }
    if (value === null || value === undefined) return null;
    if (!(value instanceof Uint8Array)) {
      throw new DataException(`ByteArrayConverter is not compatible with objects of type ${typeof value}`);
    }
    return Buffer.from(value);
  }

  toConnectData(_topic: string, bytes: Buffer | null): SchemaAndValue {
    return { schema: Schema.OPTIONAL_BYTES_SCHEMA, value: bytes };
  }
}
