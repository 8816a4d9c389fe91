import { ConfigDef } from '../config/config-def.js';
import type { Schema, Struct } from '../data/schema.js';
import {
  BaseTransform,
  isMap,
  newStruct,
  type Obj,
  optionalOf,
  requireMap,
  requireStruct,
  schemaOf,
  sideValue,
  structSchema,
  withSide,
} from './transform-support.js';
import type { ConnectRecord } from './transformation.js';

const FLATTEN_DEF = new ConfigDef().define({
  name: 'delimiter',
  type: 'STRING',
  defaultValue: '.',
  importance: 'MEDIUM',
  documentation:
    'Delimiter to insert between field names from the input record when generating field names for the output record',
});

/**
 * Kafka's Flatten (`$Key`/`$Value`): nested maps/structs become top-level fields named
 * `outer<delimiter>inner`; arrays are kept whole.
 */
export class Flatten extends BaseTransform {
  private delimiter = '.';

  config(): ConfigDef {
    return FLATTEN_DEF;
  }

  protected configured(v: Record<string, unknown>): void {
    this.delimiter = v.delimiter as string;
  }

  private name(prefix: string, field: string): string {
    return prefix === '' ? field : `${prefix}${this.delimiter}${field}`;
  }

  private flattenMap(prefix: string, value: Obj, out: Obj): void {
    for (const [k, v] of Object.entries(value)) {
      const name = this.name(prefix, k);
      if (v !== null && isMap(v)) this.flattenMap(name, requireMap(v, 'flattening'), out);
      else out[name] = v;
    }
  }

  private flattenSchema(prefix: string, schema: Schema, optional: boolean, out: { name: string; schema: Schema }[]) {
    for (const f of schema.fields) {
      const name = this.name(prefix, f.name);
      const opt = optional || f.schema.optional;
      if (f.schema.type === 'STRUCT') this.flattenSchema(name, f.schema, opt, out);
      else out.push({ name, schema: opt ? optionalOf(f.schema) : f.schema });
    }
  }

  private flattenStruct(prefix: string, struct: Struct | null, schema: Schema, out: Obj): void {
    for (const f of schema.fields) {
      const name = this.name(prefix, f.name);
      const v = struct === null ? null : struct.get(f.name);
      if (f.schema.type === 'STRUCT') this.flattenStruct(name, v as Struct | null, f.schema, out);
      else out[name] = v;
    }
  }

  apply(record: ConnectRecord): ConnectRecord {
    const value = sideValue(record, this.side);
    if (value === null) return record;
    const schema = schemaOf(record, this.side);
    if (schema === null) {
      const out: Obj = {};
      this.flattenMap('', requireMap(value, 'flattening'), out);
      return withSide(record, this.side, null, out);
    }
    const struct = requireStruct(value, 'flattening');
    const outSchema = this.schemaCache.get(schema, () => {
      const fields: { name: string; schema: Schema }[] = [];
      this.flattenSchema('', schema, false, fields);
      return structSchema(schema, fields);
    });
    const values: Obj = {};
    this.flattenStruct('', struct, schema, values);
    return withSide(record, this.side, outSchema, newStruct(outSchema, values));
  }
}
