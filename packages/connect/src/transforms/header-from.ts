import { ConfigDef, ConfigException, Validators } from '../config/config-def.js';
import type { ConnectHeader } from '../connector/connect-record.js';
import { DataException, type Schema, Struct } from '../data/schema.js';
import { convertToString } from '../data/values.js';
import {
  BaseTransform,
  nonEmptyList,
  requireMap,
  requireStruct,
  schemaOf,
  sideValue,
  structSchema,
  withSide,
} from './transform-support.js';
import type { ConnectRecord } from './transformation.js';

const HEADER_FROM_DEF = new ConfigDef()
  .define({
    name: 'fields',
    type: 'LIST',
    validator: nonEmptyList,
    importance: 'HIGH',
    documentation: 'Field names in the record whose values are to be copied or moved to headers.',
  })
  .define({
    name: 'headers',
    type: 'LIST',
    validator: nonEmptyList,
    importance: 'HIGH',
    documentation: 'Header names, in the same order as the field names listed in the fields configuration property.',
  })
  .define({
    name: 'operation',
    type: 'STRING',
    validator: Validators.validString('move', 'copy'),
    importance: 'HIGH',
    documentation:
      'Either <code>move</code> if the fields are to be moved to the headers (removed from the key/value), or <code>copy</code> if the fields are to be copied to the headers (retained in the key/value).',
  })
  .define({
    name: 'replace.null.with.default',
    type: 'BOOLEAN',
    defaultValue: true,
    importance: 'MEDIUM',
    documentation:
      'Whether to replace fields that have a default value and that are null to the default value. When set to true, the default value is used, otherwise null is used.',
  });

/**
 * Kafka's HeaderFrom (`$Key`/`$Value`, KIP-145): the i-th of `fields` is copied, or moved (removed
 * from the key/value), to a header named the i-th of `headers`; a missing field gives a null
 * header. Headers here carry text, so the value is stored as Kafka's default SimpleHeaderConverter
 * writes it (`Values.convertToString`: `42`, `true`, `{"a":1}`…): the bytes in Kafka are a Java
 * worker's, but a later transform sees the string, not the typed value.
 */
export class HeaderFrom extends BaseTransform {
  private fields: string[] = [];
  private headers: string[] = [];
  private move = false;
  private replaceNullWithDefault = true;

  config(): ConfigDef {
    return HEADER_FROM_DEF;
  }

  protected configured(v: Record<string, unknown>): void {
    this.fields = v.fields as string[];
    this.headers = v.headers as string[];
    if (this.fields.length !== this.headers.length) {
      throw new ConfigException("'fields' config must have the same number of elements as 'headers' config.");
    }
    this.move = v.operation === 'move';
    this.replaceNullWithDefault = v['replace.null.with.default'] as boolean;
  }

  apply(record: ConnectRecord): ConnectRecord {
    const purpose = `header ${this.move ? 'move' : 'copy'}`;
    const value = sideValue(record, this.side);
    const schema = schemaOf(record, this.side);
    const added: ConnectHeader[] = [];
    if (schema === null) {
      const map = requireMap(value, purpose);
      const updated = { ...map };
      this.fields.forEach((field, i) => {
        if (this.move) delete updated[field];
        added.push({ key: this.headers[i]!, value: convertToString(null, map[field] ?? null) });
      });
      return { ...withSide(record, this.side, null, updated), headers: [...(record.headers ?? []), ...added] };
    }
    const struct = requireStruct(value, purpose);
    this.fields.forEach((field, i) => {
      const f = schema.field(field);
      // Kafka looks the field's schema up unchecked: a field the schema lacks fails there too.
      if (f === undefined) throw new DataException(`${field} is not a valid field name`);
      added.push({ key: this.headers[i]!, value: convertToString(f.schema, this.fieldValue(struct, field)) });
    });
    let outSchema: Schema = schema;
    let outValue: Struct = struct;
    if (this.move) {
      outSchema = this.schemaCache.get(schema, () =>
        structSchema(
          schema,
          schema.fields.filter((f) => !this.fields.includes(f.name)),
        ),
      );
      outValue = new Struct(outSchema);
      for (const f of outSchema.fields) {
        const v = this.fieldValue(struct, f.name);
        if (v !== null) outValue.put(f.name, v);
      }
    }
    return { ...withSide(record, this.side, outSchema, outValue), headers: [...(record.headers ?? []), ...added] };
  }

  private fieldValue(struct: Struct, field: string): unknown {
    return this.replaceNullWithDefault ? struct.get(field) : struct.getWithoutDefault(field);
  }
}
