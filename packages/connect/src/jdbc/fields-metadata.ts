import type { SinkRecord } from '../connector/connect-record.js';
import { Schema, Struct } from '../data/schema.js';
import { ConnectException } from './connect-exception.js';
import type { JdbcSinkConfig } from './jdbc-sink-config.js';

/** A column the sink writes: its name, the schema it comes from, and how to read it from a record. */
export interface SinkField {
  readonly name: string;
  readonly schema: Schema;
  readonly read: (record: SinkRecord) => unknown;
}

/** The primary-key and other columns of one table for records of one key/value schema. */
export interface FieldsMetadata {
  readonly keyFields: readonly SinkField[];
  readonly nonKeyFields: readonly SinkField[];
}

const KAFKA_PK_NAMES = ['__connect_topic', '__connect_partition', '__connect_offset'] as const;

/**
 * Confluent's FieldsMetadata.extract: which columns `pk.mode`/`pk.fields` make the key, and which
 * value fields (filtered by `fields.whitelist`) are written besides. Errors use Confluent's
 * wording, with the table name.
 */
export function extractFields(config: JdbcSinkConfig, table: string, record: SinkRecord): FieldsMetadata {
  const keyFields: SinkField[] = [];
  const pk = config.pkFields;
  switch (config.pkMode) {
    case 'none':
      break;
    case 'kafka': {
      if (pk.length !== 0 && pk.length !== 3) {
        throw new ConnectException(
          `PK mode for table '${table}' is KAFKA so there should either be no field names defined for defaults ${KAFKA_PK_NAMES.join(',')} to be used, or exactly 3, defined fields are: ${pk.join(',')}`,
        );
      }
      const names = pk.length === 3 ? pk : KAFKA_PK_NAMES;
      keyFields.push(
        { name: names[0]!, schema: Schema.STRING_SCHEMA, read: (r) => r.topic },
        { name: names[1]!, schema: Schema.INT32_SCHEMA, read: (r) => r.kafkaPartition },
        { name: names[2]!, schema: Schema.INT64_SCHEMA, read: (r) => r.kafkaOffset },
      );
      break;
    }
    case 'record_key': {
      const keySchema = record.keySchema;
      if (keySchema === null) {
        throw new ConnectException(`PK mode for table '${table}' is RECORD_KEY, but record key schema is missing`);
      }
      if (keySchema.type !== 'STRUCT') {
        if (pk.length !== 1) {
          throw new ConnectException(
            `Need exactly one PK column defined since the key schema for records is a primitive type, defined columns are: ${pk.join(',')}`,
          );
        }
        keyFields.push({ name: pk[0]!, schema: keySchema, read: (r) => r.key });
      } else {
        const names = pk.length === 0 ? keySchema.fields.map((f) => f.name) : pk;
        for (const name of names) {
          const field = keySchema.field(name);
          if (field === undefined) {
            throw new ConnectException(
              `PK mode for table '${table}' is RECORD_KEY with configured PK fields ${pk.join(',')}, but record key schema does not contain field: ${name}`,
            );
          }
          keyFields.push({ name, schema: field.schema, read: (r) => structField(r.key, name) });
        }
      }
      break;
    }
    case 'record_value': {
      const valueSchema = record.valueSchema!;
      const names = pk.length === 0 ? valueSchema.fields.map((f) => f.name) : pk;
      for (const name of names) {
        const field = valueSchema.field(name);
        if (field === undefined) {
          throw new ConnectException(
            `PK mode for table '${table}' is RECORD_VALUE with configured PK fields ${pk.join(',')}, but record value schema does not contain field: ${name}`,
          );
        }
        keyFields.push({ name, schema: field.schema, read: (r) => structField(r.value, name) });
      }
      break;
    }
  }
  const keyNames = new Set(keyFields.map((f) => f.name));
  const nonKeyFields: SinkField[] = [];
  const valueSchema = record.valueSchema;
  if (valueSchema !== null && valueSchema.type === 'STRUCT') {
    for (const field of valueSchema.fields) {
      if (keyNames.has(field.name)) continue;
      if (config.fieldsWhitelist.size > 0 && !config.fieldsWhitelist.has(field.name)) continue;
      nonKeyFields.push({ name: field.name, schema: field.schema, read: (r) => structField(r.value, field.name) });
    }
  }
  return { keyFields, nonKeyFields };
}

function structField(value: unknown, name: string): unknown {
  if (value instanceof Struct) return value.get(name);
  return null;
}
