import { ConfigDef, ConfigException, type Validator } from '../config/config-def.js';
import { Struct } from '../data/schema.js';
import {
  BaseTransform,
  type Obj,
  requireMap,
  requireStruct,
  schemaOf,
  sideValue,
  structSchema,
  withSide,
} from './transform-support.js';
import type { ConnectRecord } from './transformation.js';

const RENAMES_VALIDATOR: Validator = {
  ensureValid(name, value) {
    for (const mapping of value as string[]) {
      const parts = mapping.split(':');
      if (parts.length !== 2 || parts[0] === '' || parts[1] === '') {
        throw new ConfigException(name, value, `Invalid rename mapping: ${mapping}`);
      }
    }
  },
  toString: () => 'list of colon-delimited pairs, e.g. <code>foo:bar,abc:xyz</code>',
};

const REPLACE_FIELD_DEF = new ConfigDef()
  .define({
    name: 'exclude',
    type: 'LIST',
    defaultValue: '',
    importance: 'MEDIUM',
    documentation: 'Fields to exclude. This takes precedence over the fields to include.',
  })
  .define({
    name: 'include',
    type: 'LIST',
    defaultValue: '',
    importance: 'MEDIUM',
    documentation: 'Fields to include. If specified, only these fields will be used.',
  })
  .define({
    name: 'renames',
    type: 'LIST',
    defaultValue: '',
    validator: RENAMES_VALIDATOR,
    importance: 'MEDIUM',
    documentation: 'Field rename mappings.',
  });

/**
 * Kafka's ReplaceField (`$Key`/`$Value`): keeps `include`d fields, drops `exclude`d ones and
 * applies `renames`.
 */
export class ReplaceField extends BaseTransform {
  private exclude: string[] = [];
  private include: string[] = [];
  private renames = new Map<string, string>();

  config(): ConfigDef {
    return REPLACE_FIELD_DEF;
  }

  protected configured(v: Record<string, unknown>): void {
    this.exclude = v.exclude as string[];
    this.include = v.include as string[];
    this.renames = new Map((v.renames as string[]).map((m) => m.split(':') as [string, string]));
  }

  private filter(name: string): boolean {
    return !this.exclude.includes(name) && (this.include.length === 0 || this.include.includes(name));
  }

  private renamed(name: string): string {
    return this.renames.get(name) ?? name;
  }

  apply(record: ConnectRecord): ConnectRecord {
    const value = sideValue(record, this.side);
    if (value === null) return record;
    const schema = schemaOf(record, this.side);
    if (schema === null) {
      const out: Obj = {};
      for (const [k, v] of Object.entries(requireMap(value, 'field replacement'))) {
        if (this.filter(k)) out[this.renamed(k)] = v;
      }
      return withSide(record, this.side, null, out);
    }
    const struct = requireStruct(value, 'field replacement');
    const outSchema = this.schemaCache.get(schema, () =>
      structSchema(
        schema,
        schema.fields.filter((f) => this.filter(f.name)).map((f) => ({ name: this.renamed(f.name), schema: f.schema })),
      ),
    );
    const out = new Struct(outSchema);
    for (const f of schema.fields) {
      if (!this.filter(f.name)) continue;
      const v = struct.get(f.name);
      if (v !== null) out.put(this.renamed(f.name), v);
    }
    return withSide(record, this.side, outSchema, out);
  }
}
