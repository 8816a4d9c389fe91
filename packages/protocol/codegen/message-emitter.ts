/**
 * Turns one message table into TypeScript: interfaces for the decoded and the input shapes, and
 * straight-line size/write/read functions with one `if (v >= N)` per versioned field.
 *
 * Static knowledge is folded at generation time: a field present in every version gets no
 * version test, a field that only exists in classic versions gets no compact branch, and so on,
 * so the generated code reads like the hand-written codec it replaces.
 */
import { type FieldSpec, type MessageSpec, PRIMITIVE_TYPES, parseVersionRange } from '../src/schema/dsl.js';

interface Range {
  min: number;
  max: number;
}

const FIXED_SIZE: Record<string, number> = {
  bool: 1,
  int8: 1,
  int16: 2,
  uint16: 2,
  int32: 4,
  uint32: 4,
  int64: 8,
  float64: 8,
  uuid: 16,
};

const READ_FIXED: Record<string, string> = {
  bool: 'readBool',
  int8: 'readInt8',
  int16: 'readInt16',
  uint16: 'readUint16',
  int32: 'readInt32',
  uint32: 'readUint32',
  int64: 'readInt64',
  float64: 'readFloat64',
  uuid: 'readUuid',
};

const WRITE_FIXED: Record<string, string> = {
  bool: 'writeBool',
  int8: 'writeInt8',
  int16: 'writeInt16',
  uint16: 'writeUint16',
  int32: 'writeInt32',
  uint32: 'writeUint32',
  int64: 'writeInt64',
  float64: 'writeFloat64',
  uuid: 'writeUuid',
};

function range(text: string | undefined): Range | undefined {
  if (text === undefined) return undefined;
  return parseVersionRange(text);
}

function intersect(a: Range | undefined, b: Range | undefined): Range | undefined {
  if (a === undefined || b === undefined) return undefined;
  const min = Math.max(a.min, b.min);
  const max = Math.min(a.max, b.max);
  return min <= max ? { min, max } : undefined;
}

export function camel(name: string): string {
  return name.charAt(0).toLowerCase() + name.slice(1);
}

/** Where a property is uncertain (a tri-state over a field's versions), emit a version test. */
type Tri = { kind: 'always' } | { kind: 'never' } | { kind: 'when'; cond: string };

interface StructModel {
  readonly specName: string;
  readonly tsName: string;
  readonly fields: readonly FieldSpec[];
  /** Versions in which this struct can appear at all (the union over the fields that hold it). */
  readonly versions: Range;
}

export class MessageEmitter {
  private readonly valid: Range;
  private readonly flexible: Range | undefined;
  private readonly structs = new Map<string, StructModel>();
  private readonly order: StructModel[] = [];
  private readonly defaultCheckNeeded = new Set<string>();

  constructor(private readonly spec: MessageSpec) {
    const valid = range(spec.validVersions);
    if (valid === undefined) throw new Error(`${spec.name}: no valid versions`);
    this.valid = valid;
    this.flexible = intersect(range(spec.flexibleVersions), valid);
    const common = new Map((spec.commonStructs ?? []).map((s) => [s.name, s]));
    const visit = (specName: string, fields: readonly FieldSpec[], versions: Range): void => {
      const existing = this.structs.get(specName);
      let model: StructModel;
      if (existing !== undefined) {
        const min = Math.min(existing.versions.min, versions.min);
        const max = Math.max(existing.versions.max, versions.max);
        if (min === existing.versions.min && max === existing.versions.max) return;
        // A common struct reached again in more versions (AddPartitionsToTxn's topic results, in
        // the v4+ batch and the v0-3 list): the structs inside it widen too, or they would be
        // written as flexible in versions that are not.
        existing.versions.min = min;
        existing.versions.max = max;
        model = existing;
      } else {
        const tsName = specName === spec.name || specName.startsWith(spec.name) ? specName : `${spec.name}${specName}`;
        model = { specName, tsName, fields, versions: { ...versions } };
        this.structs.set(specName, model);
        this.order.push(model);
      }
      versions = model.versions;
      for (const field of fields) {
        const structName = this.structNameOf(field);
        if (structName === undefined) continue;
        const fieldVersions = intersect(range(field.versions), versions);
        if (fieldVersions === undefined) continue;
        const inner = field.fields ?? common.get(structName)?.fields;
        if (inner === undefined) throw new Error(`${spec.name}.${field.name}: unknown struct ${structName}`);
        visit(structName, inner, fieldVersions);
        // Tagged struct fields are written only when non-default; a request's struct field that
        // some versions lack is refused there when non-default (see absentCheck).
        const absentSomewhere =
          spec.kind === 'request' &&
          !field.type.startsWith('[]') &&
          field.ignorable !== true &&
          fieldVersions.min > versions.min;
        if (field.tag !== undefined || absentSomewhere) this.defaultCheckNeeded.add(structName);
      }
    };
    visit(spec.name, spec.fields, valid);
    // Struct default checks recurse into nested structs.
    let grew = true;
    while (grew) {
      grew = false;
      for (const name of [...this.defaultCheckNeeded]) {
        for (const field of this.structOf(name).fields) {
          const inner = this.structNameOf(field);
          if (inner !== undefined && !field.type.startsWith('[]') && !this.defaultCheckNeeded.has(inner)) {
            this.defaultCheckNeeded.add(inner);
            grew = true;
          }
        }
      }
    }
  }

  private structNameOf(field: FieldSpec): string | undefined {
    const base = field.type.startsWith('[]') ? field.type.slice(2) : field.type;
    return PRIMITIVE_TYPES.has(base) ? undefined : base;
  }

  private structOf(specName: string): StructModel {
    const model = this.structs.get(specName);
    if (model === undefined) throw new Error(`${this.spec.name}: unknown struct ${specName}`);
    return model;
  }

  get tsName(): string {
    return this.spec.name;
  }

  get structNames(): string[] {
    return this.order.map((s) => s.tsName);
  }

  // ---------------------------------------------------------------------------------------------
  // Version conditions

  private cond(r: Range, within: Range): Tri {
    const lo = Math.max(r.min, within.min);
    const hi = Math.min(r.max, within.max);
    if (lo > hi) return { kind: 'never' };
    const needLo = lo > within.min;
    const needHi = hi < within.max;
    if (!needLo && !needHi) return { kind: 'always' };
    if (lo === hi) return { kind: 'when', cond: `v === ${lo}` };
    if (needLo && needHi) return { kind: 'when', cond: `v >= ${lo} && v <= ${hi}` };
    if (needLo) return { kind: 'when', cond: `v >= ${lo}` };
    return { kind: 'when', cond: `v <= ${hi}` };
  }

  /** Whether values of `field` use compact encodings, within the versions `within`. */
  private flexTri(field: FieldSpec, within: Range): Tri {
    if (field.flexibleVersions !== undefined) {
      const own = intersect(range(field.flexibleVersions), this.valid);
      if (own === undefined) return { kind: 'never' };
      return this.cond(own, within);
    }
    if (this.flexible === undefined) return { kind: 'never' };
    const t = this.cond(this.flexible, within);
    return t.kind === 'when' ? { kind: 'when', cond: 'flexible' } : t;
  }

  private nullableTri(field: FieldSpec, within: Range): Tri {
    const nullable = intersect(range(field.nullableVersions), this.valid);
    if (nullable === undefined) return { kind: 'never' };
    return this.cond(nullable, within);
  }

  private nullableAnywhere(field: FieldSpec): boolean {
    return intersect(intersect(range(field.nullableVersions), range(field.versions)), this.valid) !== undefined;
  }

  // ---------------------------------------------------------------------------------------------
  // Types and defaults

  private tsType(field: FieldSpec, input: boolean): string {
    const nullable = this.nullableAnywhere(field) ? ' | null' : '';
    if (field.type.startsWith('[]')) {
      const element = field.type.slice(2);
      const inner = PRIMITIVE_TYPES.has(element)
        ? this.primitiveTs(element, input)
        : `${this.structOf(element).tsName}${input ? 'Input' : ''}`;
      return `${inner}[]${nullable}`;
    }
    if (PRIMITIVE_TYPES.has(field.type)) return `${this.primitiveTs(field.type, input)}${nullable}`;
    return `${this.structOf(field.type).tsName}${input ? 'Input' : ''}${nullable}`;
  }

  private primitiveTs(type: string, input: boolean): string {
    switch (type) {
      case 'bool':
        return 'boolean';
      case 'int64':
        return 'bigint';
      case 'string':
      case 'uuid':
        return 'string';
      case 'bytes':
      case 'records':
        return input ? 'Uint8Array' : 'Buffer';
      default:
        return 'number';
    }
  }

  private isNullDefault(field: FieldSpec): boolean {
    return field.default === null || field.default === 'null';
  }

  /** The default value expression (Kafka's implicit defaults unless the table says otherwise). */
  private defaultExpr(field: FieldSpec): string {
    const d = field.default;
    if (field.type.startsWith('[]')) return this.isNullDefault(field) ? 'null' : '[]';
    switch (field.type) {
      case 'bool':
        return d === true || d === 'true' ? 'true' : 'false';
      case 'int8':
      case 'int16':
      case 'uint16':
      case 'int32':
      case 'uint32':
      case 'float64':
        return d === undefined ? '0' : String(Number(d));
      case 'int64':
        return d === undefined ? '0n' : `${BigInt(d as number | string | bigint)}n`;
      case 'string':
        if (this.isNullDefault(field)) return 'null';
        return JSON.stringify(d === undefined ? '' : String(d));
      case 'bytes':
        return this.isNullDefault(field) ? 'null' : 'EMPTY_BYTES';
      case 'records':
        return this.nullableAnywhere(field) ? 'null' : 'EMPTY_BYTES';
      case 'uuid':
        return 'ZERO_UUID';
      default:
        return this.isNullDefault(field) ? 'null' : `default${this.structOf(field.type).tsName}()`;
    }
  }

  /** The input value of `field` with its default applied; `null` is a value, only `undefined` is absent. */
  private valueOf(field: FieldSpec): string {
    const name = camel(field.name);
    if (this.nullableAnywhere(field)) return `m.${name} === undefined ? ${this.defaultExpr(field)} : m.${name}`;
    return `m.${name} ?? ${this.defaultExpr(field)}`;
  }

  /** An expression that is true when `expr` (already defaulted) differs from the default. */
  private nonDefaultExpr(field: FieldSpec, expr: string): string | undefined {
    if (field.type.startsWith('[]')) {
      return this.isNullDefault(field) ? `${expr} !== null` : `${expr} !== null && ${expr}.length > 0`;
    }
    switch (field.type) {
      case 'bytes':
      case 'records':
        return this.isNullDefault(field) || field.type === 'records'
          ? `${expr} !== null`
          : `${expr} !== null && ${expr}.length > 0`;
      default:
        if (PRIMITIVE_TYPES.has(field.type)) return `${expr} !== ${this.defaultExpr(field)}`;
        if (this.isNullDefault(field)) return `${expr} !== null`;
        return `!isDefault${this.structOf(field.type).tsName}(${expr})`;
    }
  }

  // ---------------------------------------------------------------------------------------------
  // Emission

  emit(): string {
    const out: string[] = [];
    for (const s of this.order) out.push(this.emitInterfaces(s));
    for (const s of this.order) {
      if (s.specName !== this.spec.name) out.push(this.emitDefault(s));
      if (this.defaultCheckNeeded.has(s.specName)) out.push(this.emitIsDefault(s));
      out.push(this.emitSize(s));
      out.push(this.emitWrite(s));
      out.push(this.emitRead(s));
    }
    const firstFlexible = this.flexible === undefined ? 'Number.POSITIVE_INFINITY' : String(this.flexible.min);
    out.push(
      `export const ${this.spec.name}Codec: MessageCodec<${this.spec.name}, ${this.spec.name}Input> = {\n` +
        `  name: '${this.spec.name}',\n` +
        `  minVersion: ${this.valid.min},\n` +
        `  maxVersion: ${this.valid.max},\n` +
        `  firstFlexibleVersion: ${firstFlexible},\n` +
        `  size: size${this.spec.name},\n` +
        `  write: write${this.spec.name},\n` +
        `  read: read${this.spec.name},\n` +
        '};\n',
    );
    return out.join('\n');
  }

  private fieldVersions(s: StructModel, field: FieldSpec): Range | undefined {
    return intersect(intersect(range(field.versions), s.versions), this.valid);
  }

  private emitInterfaces(s: StructModel): string {
    const lines: string[] = [];
    const flexibleStruct = this.flexible !== undefined && intersect(this.flexible, s.versions) !== undefined;
    for (const input of [false, true]) {
      lines.push(`export interface ${s.tsName}${input ? 'Input' : ''} {`);
      for (const field of s.fields) {
        if (this.fieldVersions(s, field) === undefined) continue;
        const versions = `versions ${field.versions}${field.nullableVersions ? `, nullable ${field.nullableVersions}` : ''}${field.tag !== undefined ? `, tag ${field.tag}` : ''}`;
        lines.push(`  /** ${versions} */`);
        lines.push(
          `  ${input ? '' : 'readonly '}${camel(field.name)}${input ? '?' : ''}: ${this.tsType(field, input)};`,
        );
      }
      if (flexibleStruct) lines.push(`  ${input ? '' : 'readonly '}_unknownTaggedFields?: RawTaggedField[];`);
      lines.push('}', '');
    }
    return lines.join('\n');
  }

  private emitDefault(s: StructModel): string {
    const props = s.fields
      .filter((field) => this.fieldVersions(s, field) !== undefined)
      .map((field) => `${camel(field.name)}: ${this.defaultExpr(field)}`);
    return `export function default${s.tsName}(): ${s.tsName} {\n  return { ${props.join(', ')} };\n}\n`;
  }

  private emitIsDefault(s: StructModel): string {
    const checks = s.fields
      .filter((field) => this.fieldVersions(s, field) !== undefined)
      .map((field) => {
        const value = `(${this.valueOf(field)})`;
        return `!(${this.nonDefaultExpr(field, value)})`;
      });
    return `function isDefault${s.tsName}(m: ${s.tsName}Input): boolean {\n  return ${checks.length > 0 ? checks.join(' &&\n    ') : 'true'};\n}\n`;
  }

  private flexibleDecl(s: StructModel): string {
    if (this.flexible === undefined) return '';
    const t = this.cond(this.flexible, s.versions);
    if (t.kind !== 'when') return '';
    return `  const flexible = ${t.cond};\n`;
  }

  /** Whether tagged-field sections exist in some of `s`'s versions: tri-state. */
  private taggedSectionTri(s: StructModel): Tri {
    if (this.flexible === undefined) return { kind: 'never' };
    const t = this.cond(this.flexible, s.versions);
    return t.kind === 'when' ? { kind: 'when', cond: 'flexible' } : t;
  }

  private taggedFields(s: StructModel): FieldSpec[] {
    return s.fields
      .filter((field) => field.tag !== undefined && this.fieldVersions(s, field) !== undefined)
      .sort((a, b) => (a.tag as number) - (b.tag as number));
  }

  private taggedRange(s: StructModel, field: FieldSpec): Range | undefined {
    if (field.tag === undefined) return undefined;
    return intersect(this.fieldVersions(s, field), range(field.taggedVersions ?? field.versions));
  }

  /** Versions in which `field` is a regular (positional) field. */
  private regularTri(s: StructModel, field: FieldSpec): Tri {
    const versions = this.fieldVersions(s, field);
    if (versions === undefined) return { kind: 'never' };
    const tagged = this.taggedRange(s, field);
    if (tagged === undefined) return this.cond(versions, s.versions);
    // Tagged versions are open-ended in every Kafka spec; the regular part is what precedes them.
    if (tagged.min <= versions.min) return { kind: 'never' };
    return this.cond({ min: versions.min, max: tagged.min - 1 }, s.versions);
  }

  private wrap(t: Tri, body: string[], indent: string, elseBody?: string[]): string[] {
    if (t.kind === 'never') return elseBody === undefined ? [] : elseBody.map((l) => indent + l);
    if (t.kind === 'always') return body.map((l) => indent + l);
    const lines = [`${indent}if (${t.cond}) {`, ...body.map((l) => `${indent}  ${l}`)];
    if (elseBody !== undefined && elseBody.length > 0) {
      lines.push(`${indent}} else {`, ...elseBody.map((l) => `${indent}  ${l}`));
    }
    lines.push(`${indent}}`);
    return lines;
  }

  // --- size -------------------------------------------------------------------------------------

  private emitSize(s: StructModel): string {
    const lines: string[] = [];
    lines.push(`function size${s.tsName}(m: ${s.tsName}Input, v: number): number {`);
    const flex = this.flexibleDecl(s);
    if (flex) lines.push(flex.trimEnd());
    lines.push('  let size = 0;');
    for (const field of s.fields) {
      const tri = this.regularTri(s, field);
      if (tri.kind === 'never') continue;
      const within = tri.kind === 'when' ? this.regularRange(s, field) : (this.fieldVersions(s, field) as Range);
      const name = camel(field.name);
      const fixed = !field.type.startsWith('[]') ? FIXED_SIZE[field.type] : undefined;
      const body =
        fixed !== undefined
          ? [`size += ${fixed}; // ${name}`]
          : [`const ${name} = ${this.valueOf(field)};`, ...this.sizeValue(field, within, name, 'size')];
      lines.push(...this.wrap(tri, body, '  '));
    }
    const tagged = this.taggedFields(s);
    const section = this.taggedSectionTri(s);
    if (section.kind !== 'never') {
      const body: string[] = ['let taggedCount = m._unknownTaggedFields?.length ?? 0;'];
      body.push(
        'if (m._unknownTaggedFields !== undefined) for (const t of m._unknownTaggedFields) size += sizeOfUVarint(t.tag) + sizeOfUVarint(t.data.length) + t.data.length;',
      );
      for (const field of tagged) {
        const tr = this.taggedRange(s, field) as Range;
        const name = camel(field.name);
        const inner: string[] = [
          `const ${name} = ${this.valueOf(field)};`,
          `if (${this.nonDefaultExpr(field, name)}) {`,
          '  let fieldSize = 0;',
          ...this.sizeValue(field, tr, name, 'fieldSize').map((l) => `  ${l}`),
          `  taggedCount++;`,
          `  size += sizeOfUVarint(${field.tag}) + sizeOfUVarint(fieldSize) + fieldSize;`,
          '}',
        ];
        body.push(...this.wrap(this.cond(tr, s.versions), inner, ''));
      }
      body.push('size += sizeOfUVarint(taggedCount);');
      lines.push(...this.wrap(section, body, '  '));
    }
    lines.push('  return size;', '}', '');
    return lines.join('\n');
  }

  private regularRange(s: StructModel, field: FieldSpec): Range {
    const versions = this.fieldVersions(s, field) as Range;
    const tagged = this.taggedRange(s, field);
    return tagged === undefined ? versions : { min: versions.min, max: tagged.min - 1 };
  }

  /** Lines adding the encoded size of `expr` (a defaulted value) to `acc`. */
  private sizeValue(field: FieldSpec, within: Range, expr: string, acc: string): string[] {
    const flex = this.flexTri(field, within);
    const nullable = this.nullableTri(field, within);
    const isArray = field.type.startsWith('[]');
    const base = isArray ? field.type.slice(2) : field.type;
    const lines: string[] = [];
    const pick = (compact: string, classic: string): string =>
      flex.kind === 'always' ? compact : flex.kind === 'never' ? classic : `(${flex.cond} ? ${compact} : ${classic})`;
    if (isArray) {
      const count = pick(`sizeOfUVarint(${expr}.length + 1)`, '4');
      const nullCount = pick('1', '4');
      const loop =
        FIXED_SIZE[base] !== undefined
          ? [`${acc} += ${count} + ${expr}.length * ${FIXED_SIZE[base]};`]
          : [`${acc} += ${count};`, `for (const e of ${expr}) ${acc} += ${this.elementSize(base, 'e', flex)};`];
      if (nullable.kind === 'never') return loop;
      lines.push(`if (${expr} === null) ${acc} += ${nullCount};`, 'else {', ...loop.map((l) => `  ${l}`), '}');
      return lines;
    }
    if (FIXED_SIZE[base] !== undefined) return [`${acc} += ${FIXED_SIZE[base]};`];
    switch (base) {
      case 'string':
        return [
          nullable.kind === 'never'
            ? `${acc} += ${pick(`sizeOfCompactString(${expr})`, `sizeOfString(${expr})`)};`
            : `${acc} += ${pick(`sizeOfCompactNullableString(${expr})`, `sizeOfNullableString(${expr})`)};`,
        ];
      case 'bytes':
      case 'records':
        return [
          nullable.kind === 'never'
            ? `${acc} += ${pick(`sizeOfCompactBytes(${expr})`, `sizeOfBytes(${expr})`)};`
            : `${acc} += ${pick(`sizeOfCompactNullableBytes(${expr})`, `sizeOfNullableBytes(${expr})`)};`,
        ];
      default: {
        const ts = this.structOf(base).tsName;
        if (nullable.kind === 'never') return [`${acc} += size${ts}(${expr}, v);`];
        return [`${acc} += ${expr} === null ? 1 : 1 + size${ts}(${expr}, v);`];
      }
    }
  }

  private elementSize(base: string, e: string, flex: Tri): string {
    const pick = (compact: string, classic: string): string =>
      flex.kind === 'always' ? compact : flex.kind === 'never' ? classic : `(${flex.cond} ? ${compact} : ${classic})`;
    switch (base) {
      case 'string':
        return pick(`sizeOfCompactString(${e})`, `sizeOfString(${e})`);
      case 'bytes':
      case 'records':
        return pick(`sizeOfCompactBytes(${e})`, `sizeOfBytes(${e})`);
      default:
        return `size${this.structOf(base).tsName}(${e}, v)`;
    }
  }

  // --- write ------------------------------------------------------------------------------------

  private emitWrite(s: StructModel): string {
    const lines: string[] = [];
    lines.push(`function write${s.tsName}(w: Writer, m: ${s.tsName}Input, v: number): void {`);
    const flex = this.flexibleDecl(s);
    if (flex) lines.push(flex.trimEnd());
    for (const field of s.fields) {
      const versions = this.fieldVersions(s, field);
      if (versions === undefined) continue;
      const name = camel(field.name);
      const tri = this.regularTri(s, field);
      const within = this.regularRange(s, field);
      const body =
        tri.kind === 'never'
          ? []
          : [`const ${name} = ${this.valueOf(field)};`, ...this.writeValue(field, within, name)];
      // A non-default value in a version without the field cannot be expressed (Kafka's
      // UnsupportedVersionException), unless the field is ignorable.
      const absent = this.absentCheck(s, field);
      if (field.tag !== undefined) {
        // A tagged field is absent (neither tagged nor regular) before its first version.
        lines.push(...this.wrap(tri, body, '  '));
        if (absent.length > 0 && versions.min > s.versions.min) {
          lines.push(...this.wrap(this.cond({ min: s.versions.min, max: versions.min - 1 }, s.versions), absent, '  '));
        }
      } else if (tri.kind === 'always') lines.push(...body.map((l) => `  ${l}`));
      else if (tri.kind === 'when') lines.push(...this.wrap(tri, body, '  ', absent));
      else lines.push(...absent.map((l) => `  ${l}`));
    }
    const section = this.taggedSectionTri(s);
    if (section.kind !== 'never') {
      const body: string[] = [];
      const tagged = this.taggedFields(s);
      body.push('const unknown = m._unknownTaggedFields;');
      body.push('let taggedCount = unknown?.length ?? 0;');
      for (const field of tagged) {
        const tr = this.taggedRange(s, field) as Range;
        const name = camel(field.name);
        body.push(
          ...this.wrap(
            this.cond(tr, s.versions),
            [`const ${name} = ${this.valueOf(field)};`, `if (${this.nonDefaultExpr(field, name)}) taggedCount++;`],
            '',
          ),
        );
      }
      body.push('w.writeUVarint(taggedCount);');
      body.push('let u = 0;');
      for (const field of tagged) {
        const tr = this.taggedRange(s, field) as Range;
        const name = camel(field.name);
        const inner = [
          `const ${name} = ${this.valueOf(field)};`,
          `if (${this.nonDefaultExpr(field, name)}) {`,
          `  if (unknown !== undefined) while (u < unknown.length && (unknown[u] as RawTaggedField).tag < ${field.tag}) writeRawTaggedField(w, unknown[u++] as RawTaggedField);`,
          '  let fieldSize = 0;',
          ...this.sizeValue(field, tr, name, 'fieldSize').map((l) => `  ${l}`),
          `  w.writeUVarint(${field.tag});`,
          '  w.writeUVarint(fieldSize);',
          ...this.writeValue(field, tr, name).map((l) => `  ${l}`),
          '}',
        ];
        body.push(...this.wrap(this.cond(tr, s.versions), inner, ''));
      }
      body.push(
        'if (unknown !== undefined) while (u < unknown.length) writeRawTaggedField(w, unknown[u++] as RawTaggedField);',
      );
      lines.push(...this.wrap(section, body, '  '));
    }
    lines.push('}', '');
    return lines.join('\n');
  }

  /**
   * Requests refuse a value their version cannot carry (Kafka's UnsupportedVersionException), so a
   * client never silently loses a setting. Responses are shaped by the broker for whatever
   * version was asked; a field the version lacks is simply not sent, so no check is generated.
   */
  private absentCheck(s: StructModel, field: FieldSpec): string[] {
    if (field.ignorable === true || this.spec.kind === 'response') return [];
    const name = camel(field.name);
    const value = `m.${name}`;
    const nonDefault = this.nonDefaultExpr(field, value);
    if (nonDefault === undefined) return [];
    return [
      `if (${value} !== undefined && ${nonDefault}) throw new UnsupportedVersionError(\`${s.tsName}.${name} cannot be written at version \${v}\`);`,
    ];
  }

  private writeValue(field: FieldSpec, within: Range, expr: string): string[] {
    const flex = this.flexTri(field, within);
    const nullable = this.nullableTri(field, within);
    const isArray = field.type.startsWith('[]');
    const base = isArray ? field.type.slice(2) : field.type;
    const both = (compact: string[], classic: string[]): string[] => {
      if (flex.kind === 'always') return compact;
      if (flex.kind === 'never') return classic;
      return [`if (${flex.cond}) {`, ...compact.map((l) => `  ${l}`), '} else {', ...classic.map((l) => `  ${l}`), '}'];
    };
    const nullGuard = (lines: string[]): string[] => {
      const message = `\`non-nullable field ${field.name} was serialized as null at version \${v}\``;
      if (nullable.kind === 'always') return lines;
      if (nullable.kind === 'never') {
        if (!this.nullableAnywhere(field)) return lines;
        return [`if (${expr} === null) throw new UnsupportedVersionError(${message});`, ...lines];
      }
      return [`if (${expr} === null && !(${nullable.cond})) throw new UnsupportedVersionError(${message});`, ...lines];
    };
    if (isArray) {
      const element = this.writeElement(base, 'e', flex);
      const loop = (compactLen: boolean): string[] => [
        compactLen ? `w.writeUVarint(${expr}.length + 1);` : `w.writeInt32(${expr}.length);`,
        `for (const e of ${expr}) ${element}`,
      ];
      if (!this.nullableAnywhere(field)) return both(loop(true), loop(false));
      return nullGuard(
        both(
          [`if (${expr} === null) w.writeUVarint(0);`, 'else {', ...loop(true).map((l) => `  ${l}`), '}'],
          [`if (${expr} === null) w.writeInt32(-1);`, 'else {', ...loop(false).map((l) => `  ${l}`), '}'],
        ),
      );
    }
    if (WRITE_FIXED[base] !== undefined) return [`w.${WRITE_FIXED[base]}(${expr});`];
    const anyNull = this.nullableAnywhere(field);
    switch (base) {
      case 'string':
        return nullGuard(
          anyNull
            ? both([`w.writeCompactNullableString(${expr});`], [`w.writeNullableString(${expr});`])
            : both([`w.writeCompactString(${expr});`], [`w.writeString(${expr});`]),
        );
      case 'bytes':
        return nullGuard(
          anyNull
            ? both([`w.writeCompactNullableBytes(${expr});`], [`w.writeNullableBytes(${expr});`])
            : both([`w.writeCompactBytes(${expr});`], [`w.writeBytes(${expr});`]),
        );
      case 'records': {
        const payload = [`w.writeRecordsPayload(${expr});`];
        const compact = anyNull
          ? [
              `if (${expr} === null) w.writeUVarint(0);`,
              'else {',
              `  w.writeUVarint(${expr}.length + 1);`,
              `  ${payload}`,
              '}',
            ]
          : [`w.writeUVarint(${expr}.length + 1);`, ...payload];
        const classic = anyNull
          ? [
              `if (${expr} === null) w.writeInt32(-1);`,
              'else {',
              `  w.writeInt32(${expr}.length);`,
              `  ${payload}`,
              '}',
            ]
          : [`w.writeInt32(${expr}.length);`, ...payload];
        return nullGuard(both(compact, classic));
      }
      default: {
        const ts = this.structOf(base).tsName;
        if (!anyNull) return [`write${ts}(w, ${expr}, v);`];
        return nullGuard([
          `if (${expr} === null) w.writeInt8(-1);`,
          'else {',
          '  w.writeInt8(1);',
          `  write${ts}(w, ${expr}, v);`,
          '}',
        ]);
      }
    }
  }

  private writeElement(base: string, e: string, flex: Tri): string {
    if (WRITE_FIXED[base] !== undefined) return `w.${WRITE_FIXED[base]}(${e});`;
    const pick = (compact: string, classic: string): string =>
      flex.kind === 'always' ? compact : flex.kind === 'never' ? classic : `${flex.cond} ? ${compact} : ${classic}`;
    switch (base) {
      case 'string':
        return `${pick(`w.writeCompactString(${e})`, `w.writeString(${e})`)};`;
      case 'bytes':
      case 'records':
        return `${pick(`w.writeCompactBytes(${e})`, `w.writeBytes(${e})`)};`;
      default:
        return `write${this.structOf(base).tsName}(w, ${e}, v);`;
    }
  }

  // --- read -------------------------------------------------------------------------------------

  private emitRead(s: StructModel): string {
    const lines: string[] = [];
    lines.push(`function read${s.tsName}(r: Reader, v: number): ${s.tsName} {`);
    const flex = this.flexibleDecl(s);
    if (flex) lines.push(flex.trimEnd());
    const present = s.fields.filter((field) => this.fieldVersions(s, field) !== undefined);
    for (const field of present) {
      const name = camel(field.name);
      const tri = this.regularTri(s, field);
      const declared = `let ${name}: ${this.tsType(field, false)} = ${this.defaultExpr(field)};`;
      if (tri.kind === 'always') {
        lines.push(
          `  const ${name}: ${this.tsType(field, false)} = ${this.readValue(field, this.regularRange(s, field))};`,
        );
      } else {
        lines.push(`  ${declared}`);
        if (tri.kind === 'when') {
          lines.push(...this.wrap(tri, [`${name} = ${this.readValue(field, this.regularRange(s, field))};`], '  '));
        }
      }
    }
    const section = this.taggedSectionTri(s);
    const flexibleStruct = section.kind !== 'never';
    if (flexibleStruct) {
      const tagged = this.taggedFields(s);
      lines.push('  let unknown: RawTaggedField[] | undefined;');
      const body: string[] = [
        'const count = r.readTaggedFieldCount();',
        'for (let i = 0; i < count; i++) {',
        '  const tag = r.readUVarint();',
        '  const fieldSize = r.readUVarint();',
      ];
      if (tagged.length === 0) {
        body.push('  (unknown ??= []).push({ tag, data: r.readRaw(fieldSize) });');
      } else {
        body.push(
          `  if (fieldSize > r.remaining) throw new ProtocolDecodeError(\`tagged field \${tag}: size \${fieldSize} exceeds the frame\`);`,
        );
        body.push('  const fieldEnd = r.pos + fieldSize;');
        body.push('  switch (tag) {');
        for (const field of tagged) {
          const tr = this.taggedRange(s, field) as Range;
          const t = this.cond(tr, s.versions);
          const name = camel(field.name);
          const read = [
            `const outerEnd = r.end;`,
            'r.end = fieldEnd;',
            `${name} = ${this.readValue(field, tr)};`,
            'r.end = outerEnd;',
            'r.pos = fieldEnd;',
            'continue;',
          ];
          body.push(`    case ${field.tag}: {`);
          if (t.kind === 'always') body.push(...read.map((l) => `      ${l}`));
          else if (t.kind === 'when')
            body.push(`      if (${t.cond}) {`, ...read.map((l) => `        ${l}`), '      }');
          body.push('      break;', '    }');
        }
        body.push('  }');
        body.push('  (unknown ??= []).push({ tag, data: r.readRaw(fieldSize) });');
      }
      body.push('}');
      lines.push(...this.wrap(section, body, '  '));
    }
    const props = present.map((field) => camel(field.name));
    lines.push(`  const m: ${s.tsName} = { ${props.join(', ')} };`);
    if (flexibleStruct)
      lines.push(
        '  if (unknown !== undefined) (m as { _unknownTaggedFields?: RawTaggedField[] })._unknownTaggedFields = unknown;',
      );
    lines.push('  return m;', '}', '');
    return lines.join('\n');
  }

  private readValue(field: FieldSpec, within: Range): string {
    const flex = this.flexTri(field, within);
    const nullable = this.nullableTri(field, within);
    const isArray = field.type.startsWith('[]');
    const base = isArray ? field.type.slice(2) : field.type;
    const pick = (compact: string, classic: string): string =>
      flex.kind === 'always' ? compact : flex.kind === 'never' ? classic : `(${flex.cond} ? ${compact} : ${classic})`;
    const pickNull = (withNull: string, withoutNull: string): string =>
      nullable.kind === 'always'
        ? withNull
        : nullable.kind === 'never'
          ? withoutNull
          : `(${nullable.cond} ? ${withNull} : ${withoutNull})`;
    if (isArray) {
      const length = pick('r.readCompactArrayLength()', 'r.readArrayLength()');
      const element = this.readElement(base, flex);
      if (!this.nullableAnywhere(field)) return `readArray(${length}, '${field.name}', () => ${element})`;
      const allowNull = nullable.kind === 'always' ? 'true' : nullable.kind === 'never' ? 'false' : nullable.cond;
      return `readNullableArray(${length}, ${allowNull}, '${field.name}', () => ${element})`;
    }
    if (READ_FIXED[base] !== undefined) return `r.${READ_FIXED[base]}()`;
    switch (base) {
      case 'string':
        return pickNull(
          pick('r.readCompactNullableString()', 'r.readNullableString()'),
          pick('r.readCompactString()', 'r.readString()'),
        );
      case 'bytes':
      case 'records':
        return pickNull(
          pick('r.readCompactNullableBytes()', 'r.readNullableBytes()'),
          pick('r.readCompactBytes()', 'r.readBytes()'),
        );
      default: {
        const ts = this.structOf(base).tsName;
        if (nullable.kind === 'never') return `read${ts}(r, v)`;
        return pickNull(`(r.readInt8() < 0 ? null : read${ts}(r, v))`, `read${ts}(r, v)`);
      }
    }
  }

  private readElement(base: string, flex: Tri): string {
    if (READ_FIXED[base] !== undefined) return `r.${READ_FIXED[base]}()`;
    const pick = (compact: string, classic: string): string =>
      flex.kind === 'always' ? compact : flex.kind === 'never' ? classic : `(${flex.cond} ? ${compact} : ${classic})`;
    switch (base) {
      case 'string':
        return pick('r.readCompactString()', 'r.readString()');
      case 'bytes':
      case 'records':
        return pick('r.readCompactBytes()', 'r.readBytes()');
      default:
        return `read${this.structOf(base).tsName}(r, v)`;
    }
  }
}
