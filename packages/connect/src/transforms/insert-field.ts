import { ConfigDef, ConfigException } from '../config/config-def.js';
import { LogicalTypes, Schema } from '../data/schema.js';
import {
  BaseTransform,
  newStruct,
  type Obj,
  optionalOf,
  requireMap,
  requireSinkOffset,
  requireStruct,
  schemaOf,
  sideValue,
  structSchema,
  structValues,
  withSide,
} from './transform-support.js';
import type { ConnectRecord } from './transformation.js';

interface InsertSpec {
  name: string;
  optional: boolean;
}

function insertSpec(raw: unknown): InsertSpec | null {
  if (typeof raw !== 'string' || raw === '') return null;
  if (raw.endsWith('!')) return { name: raw.slice(0, -1), optional: false };
  if (raw.endsWith('?')) return { name: raw.slice(0, -1), optional: true };
  return { name: raw, optional: true };
}

const INSERT_FIELD_DEF = new ConfigDef()
  .define({
    name: 'topic.field',
    type: 'STRING',
    defaultValue: null,
    importance: 'MEDIUM',
    documentation:
      'Field name for Kafka topic. Suffix with <code>!</code> to make this a required field, or <code>?</code> to keep it optional (the default).',
  })
  .define({
    name: 'partition.field',
    type: 'STRING',
    defaultValue: null,
    importance: 'MEDIUM',
    documentation:
      'Field name for Kafka partition. Suffix with <code>!</code> to make this a required field, or <code>?</code> to keep it optional (the default).',
  })
  .define({
    name: 'offset.field',
    type: 'STRING',
    defaultValue: null,
    importance: 'MEDIUM',
    documentation:
      'Field name for Kafka offset - only applicable to sink connectors.<br/>Suffix with <code>!</code> to make this a required field, or <code>?</code> to keep it optional (the default).',
  })
  .define({
    name: 'timestamp.field',
    type: 'STRING',
    defaultValue: null,
    importance: 'MEDIUM',
    documentation:
      'Field name for record timestamp. Suffix with <code>!</code> to make this a required field, or <code>?</code> to keep it optional (the default).',
  })
  .define({
    name: 'static.field',
    type: 'STRING',
    defaultValue: null,
    importance: 'MEDIUM',
    documentation:
      'Field name for static data field. Suffix with <code>!</code> to make this a required field, or <code>?</code> to keep it optional (the default).',
  })
  .define({
    name: 'static.value',
    type: 'STRING',
    defaultValue: null,
    importance: 'MEDIUM',
    documentation: 'Static field value, if field name configured.',
  });

/**
 * Kafka's InsertField (`$Key`/`$Value`): adds the record's topic, partition, offset (sink only),
 * timestamp or a static value as fields; tombstones pass unchanged.
 */
export class InsertField extends BaseTransform {
  private topic: InsertSpec | null = null;
  private partition: InsertSpec | null = null;
  private offset: InsertSpec | null = null;
  private timestamp: InsertSpec | null = null;
  private staticField: InsertSpec | null = null;
  private staticValue: string | null = null;

  config(): ConfigDef {
    return INSERT_FIELD_DEF;
  }

  protected configured(v: Record<string, unknown>): void {
    this.topic = insertSpec(v['topic.field']);
    this.partition = insertSpec(v['partition.field']);
    this.offset = insertSpec(v['offset.field']);
    this.timestamp = insertSpec(v['timestamp.field']);
    this.staticField = insertSpec(v['static.field']);
    this.staticValue = (v['static.value'] as string | null) ?? null;
    if (
      this.topic === null &&
      this.partition === null &&
      this.offset === null &&
      this.timestamp === null &&
      this.staticField === null
    ) {
      throw new ConfigException('No field insertion configured');
    }
    if (this.staticField !== null && this.staticValue === null) {
      throw new ConfigException('static.value', null, 'No value specified for static field: static.field');
    }
  }

  apply(record: ConnectRecord): ConnectRecord {
    const value = sideValue(record, this.side);
    if (value === null) return record;
    const schema = schemaOf(record, this.side);
    const purpose = 'field insertion';
    const inserted: Obj = {};
    if (this.topic !== null) inserted[this.topic.name] = record.topic;
    if (this.partition !== null) inserted[this.partition.name] = record.kafkaPartition ?? null;
    if (this.offset !== null) inserted[this.offset.name] = Number(requireSinkOffset(record, purpose));
    if (this.timestamp !== null) inserted[this.timestamp.name] = record.timestamp ?? null;
    if (this.staticField !== null) inserted[this.staticField.name] = this.staticValue;
    if (schema === null) {
      const out = requireMap(value, purpose);
      for (const [k, v] of Object.entries(inserted)) if (v !== null) out[k] = v;
      return withSide(record, this.side, null, out);
    }
    const struct = requireStruct(value, purpose);
    const outSchema = this.schemaCache.get(schema, () => {
      const fields = schema.fields.map((f) => ({ name: f.name, schema: f.schema }));
      const add = (spec: InsertSpec | null, s: Schema) => {
        if (spec !== null) fields.push({ name: spec.name, schema: spec.optional ? optionalOf(s) : s });
      };
      add(this.topic, Schema.STRING_SCHEMA);
      add(this.partition, Schema.INT32_SCHEMA);
      add(this.offset, Schema.INT64_SCHEMA);
      add(this.timestamp, LogicalTypes.timestamp().build());
      add(this.staticField, Schema.STRING_SCHEMA);
      return structSchema(schema, fields);
    });
    const values = structValues(struct);
    if (this.timestamp !== null && record.timestamp !== null && record.timestamp !== undefined) {
      inserted[this.timestamp.name] = new Date(record.timestamp);
    }
    return withSide(record, this.side, outSchema, newStruct(outSchema, { ...values, ...inserted }));
  }
}
