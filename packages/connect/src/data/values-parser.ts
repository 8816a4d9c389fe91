import { BigDecimal } from './big-decimal.js';
import { DataException } from './data-exception.js';
import { LogicalTypes, Schema, type SchemaAndValue, SchemaBuilder } from './schema.js';

/**
 * Kafka's `Values.parseString`: a value and an inferred schema from the text `convertToString`
 * writes. `true`/`false` are BOOLEAN, `null` is null; a number takes the smallest of
 * INT8/INT16/INT32/INT64 holding it exactly, else FLOAT32/FLOAT64 when it has a fraction and its
 * magnitude fits, else a Decimal of its scale; `yyyy-MM-dd`, `HH:mm:ss.SSSZ` and
 * `yyyy-MM-ddTHH:mm:ss.SSSZ` are Date, Time and Timestamp; `[..]` and `{..}` are arrays and maps
 * whose element schema is the common one of their elements (null when they differ); anything
 * else, including an array or map that does not parse, is the original STRING. An empty text is
 * an empty STRING. Unlike Kafka, a text with more after its first value (`12:30`, `[1]x`) is a
 * STRING too: Kafka returns the first value and drops the rest of the header. Structs do not come back (Kafka's neither: their text carries no schema).
 *
 * Values: numbers, with INT64 past 2^53 as bigint (as JsonConverter reads them), Decimal as BigDecimal, temporal as Date.
 */
export function parseString(text: string): SchemaAndValue {
  if (text.length === 0) return { schema: Schema.STRING_SCHEMA, value: text };
  const parser = new Tokens(text);
  const parsed = parseValue(parser, false);
  if (parsed === null) return { schema: null, value: null };
  if (parser.hasNext()) return { schema: Schema.STRING_SCHEMA, value: text };
  return parsed;
}

const DELIMITERS = new Set(['[', ']', '{', '}', ',', ':', '"']);

/**
 * Kafka's tokenizer: each unescaped delimiter is a token, the text between them another. A
 * backslash escapes a delimiter but stays in the token (Kafka does not unescape: an embedded
 * `\"` comes back with its backslash). `canConsume` passes over blank tokens and compares
 * trimmed, as Kafka's `Parser.canConsume`.
 */
class Tokens {
  private readonly tokens: string[] = [];
  index = 0;
  constructor(readonly original: string) {
    let current = '';
    let escaped = false;
    for (const c of original) {
      if (c === '\\') {
        escaped = !escaped;
        current += c;
        continue;
      }
      if (DELIMITERS.has(c) && !escaped) {
        if (current !== '') this.tokens.push(current);
        this.tokens.push(c);
        current = '';
      } else {
        current += c;
      }
      escaped = false;
    }
    if (current !== '') this.tokens.push(current);
  }
  hasNext(): boolean {
    return this.index < this.tokens.length;
  }
  next(): string {
    const token = this.tokens[this.index++];
    if (token === undefined) throw new DataException(`Unexpected end of: ${this.original}`);
    return token;
  }
  canConsume(expected: string): boolean {
    while (this.index + 1 < this.tokens.length && this.tokens[this.index]!.trim() === '') this.index++;
    if (this.tokens[this.index]?.trim() !== expected) return false;
    this.index++;
    return true;
  }
}

/** null for Kafka's `null` literal. */
function parseValue(p: Tokens, embedded: boolean): SchemaAndValue | null {
  if (embedded && p.canConsume('"')) {
    let content = '';
    while (p.hasNext() && !p.canConsume('"')) content += p.next();
    const temporal = parseTemporal(content);
    return temporal ?? { schema: Schema.STRING_SCHEMA, value: content };
  }
  for (const literal of ['null', 'true', 'false']) {
    // At top level a literal followed by more text is a string ("true}"), as Kafka reads it.
    const start = p.index;
    if (p.canConsume(literal) && (embedded || !p.hasNext())) {
      return literal === 'null' ? null : { schema: Schema.BOOLEAN_SCHEMA, value: literal === 'true' };
    }
    p.index = start;
  }
  const start = p.index;
  try {
    if (p.canConsume('[')) return parseArray(p);
    if (p.canConsume('{')) return parseMap(p);
  } catch (error) {
    if (!(error instanceof DataException)) throw error;
    p.index = start;
  }
  const raw = p.next();
  const token = raw.trim();
  if (token === '') return { schema: Schema.STRING_SCHEMA, value: raw };
  const first = token[0]!;
  const digit = first >= '0' && first <= '9';
  if (digit) {
    // A time or timestamp is split by its unescaped colons into 5 tokens.
    const mark = p.index;
    let joined = token;
    for (let i = 0; i < 4 && p.hasNext(); i++) joined += p.next();
    const temporal = parseTemporal(joined.trim());
    if (temporal !== null) return temporal;
    p.index = mark;
    const single = parseTemporal(token);
    if (single !== null) return single;
  }
  if (digit || first === '+' || first === '-') {
    const number = parseNumber(token);
    if (number !== null) return number;
  }
  if (embedded) throw new DataException('Failed to parse embedded value');
  // Only a whole (top-level) text gets here: it is the string it was.
  p.index = Number.MAX_SAFE_INTEGER;
  return { schema: Schema.STRING_SCHEMA, value: p.original };
}

function parseArray(p: Tokens): SchemaAndValue {
  const values: unknown[] = [];
  const elementSchema = new SchemaMerger();
  while (p.hasNext()) {
    if (p.canConsume(']')) {
      // Kafka's arrayOfNull: no common element schema (all null, or of types that do not widen).
      const common = elementSchema.common;
      if (common === null) return { schema: new Schema({ type: 'ARRAY', valueSchema: null }), value: values };
      return { schema: SchemaBuilder.array(common).build(), value: values.map((v) => align(common, v)) };
    }
    if (p.canConsume(',')) throw new DataException(`Unable to parse an empty array element: ${p.original}`);
    const element = parseValue(p, true);
    elementSchema.merge(element);
    values.push(element === null ? null : element.value);
    const mark = p.index;
    if (p.canConsume(']')) p.index = mark;
    else if (!p.canConsume(',')) throw new DataException("Array elements missing ',' delimiter");
  }
  throw new DataException(`Array is missing terminating ']': ${p.original}`);
}

function parseMap(p: Tokens): SchemaAndValue {
  const entries: [unknown, unknown][] = [];
  const keySchema = new SchemaMerger();
  const valueSchema = new SchemaMerger();
  while (p.hasNext()) {
    if (p.canConsume('}')) {
      // Kafka's mapWithNullValues / mapOfNull when the values (and keys) have no common schema.
      const k = keySchema.common;
      const v = k === null ? null : valueSchema.common;
      const map = new Map(entries.map(([key, value]) => [k ? align(k, key) : key, v ? align(v, value) : value]));
      return { schema: new Schema({ type: 'MAP', keySchema: k, valueSchema: v }), value: map };
    }
    if (p.canConsume(',')) throw new DataException(`Unable to parse a map entry with no key or value: ${p.original}`);
    const key = parseValue(p, true);
    if (key === null || key.value === null) throw new DataException(`Map entry may not have a null key: ${p.original}`);
    if (!p.canConsume(':')) throw new DataException(`Map entry is missing ':' in ${p.original}`);
    const value = parseValue(p, true);
    entries.push([key.value, value === null ? null : value.value]);
    p.canConsume(',');
    keySchema.merge(key);
    valueSchema.merge(value);
  }
  throw new DataException(`Map is missing terminating '}': ${p.original}`);
}

const WIDENING = ['INT8', 'INT16', 'INT32', 'INT64', 'FLOAT32', 'FLOAT64'];

/**
 * Kafka's SchemaMerger: the schema common to the elements seen, nulls aside. Numbers widen
 * (INT8 → … → INT64 → FLOAT32 → FLOAT64); any other difference means no common schema, for good.
 */
class SchemaMerger {
  common: Schema | null = null;
  private compatible = true;

  merge(latest: SchemaAndValue | null): void {
    if (latest === null || latest.schema === null || !this.compatible) return;
    this.common = this.common === null ? latest.schema : mergeSchemas(this.common, latest.schema);
    this.compatible = this.common !== null;
  }
}

function mergeSchemas(previous: Schema, latest: Schema): Schema | null {
  const a = WIDENING.indexOf(previous.type);
  const b = WIDENING.indexOf(latest.type);
  if (previous.type !== latest.type) return a >= 0 && b >= 0 ? (b > a ? latest : previous) : null;
  if (previous.name !== latest.name) return null;
  return previous;
}

/** A parsed element to the array's or map's common schema (an INT8 in an INT64 array is a bigint). */
function align(schema: Schema, value: unknown): unknown {
  if (value === null) return null;
  if ((schema.type === 'FLOAT32' || schema.type === 'FLOAT64') && typeof value === 'bigint') return Number(value);
  return value;
}

const INT_RANGES = [
  [Schema.INT8_SCHEMA, 127n],
  [Schema.INT16_SCHEMA, 32_767n],
  [Schema.INT32_SCHEMA, 2_147_483_647n],
  [Schema.INT64_SCHEMA, 9_223_372_036_854_775_807n],
] as const;
const FLOAT32_MAX = 3.4028234663852886e38;

function parseNumber(token: string): SchemaAndValue | null {
  let decimal: BigDecimal;
  try {
    decimal = BigDecimal.parse(token);
  } catch {
    return null;
  }
  const exact = integralValue(decimal);
  if (exact !== null) {
    for (const [schema, max] of INT_RANGES) {
      if (exact <= max && exact >= -max - 1n) return { schema, value: int64Value(exact) };
    }
  }
  if (decimal.scale !== 0) {
    const double = Number(decimal.toString());
    if (Math.abs(double) <= FLOAT32_MAX) return { schema: Schema.FLOAT32_SCHEMA, value: Math.fround(double) };
    if (Number.isFinite(double)) return { schema: Schema.FLOAT64_SCHEMA, value: double };
  }
  return { schema: LogicalTypes.decimal(decimal.scale).build(), value: decimal };
}

function int64Value(value: bigint): number | bigint {
  return Number.isSafeInteger(Number(value)) ? Number(value) : value;
}

/** The integer a decimal equals when it has no fractional part (Java's `longValueExact` succeeds on `1.0`). */
function integralValue(decimal: BigDecimal): bigint | null {
  if (decimal.scale <= 0) return decimal.unscaled * 10n ** BigInt(-decimal.scale);
  const divisor = 10n ** BigInt(decimal.scale);
  return decimal.unscaled % divisor === 0n ? decimal.unscaled / divisor : null;
}

const DATE = /^(\d{4})-(\d{2})-(\d{2})$/;
const TIME = /^(\d{2}):(\d{2}):(\d{2})\.(\d{3})Z$/;
const TIMESTAMP = /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2}):(\d{2})\.(\d{3})Z$/;

function parseTemporal(text: string): SchemaAndValue | null {
  const token = text.replaceAll('\\:', ':');
  if (TIME.test(token)) {
    const ms = Date.parse(`1970-01-01T${token}`);
    if (!Number.isNaN(ms)) return { schema: LogicalTypes.time().build(), value: new Date(ms) };
  } else if (TIMESTAMP.test(token)) {
    const ms = Date.parse(token);
    if (!Number.isNaN(ms)) return { schema: LogicalTypes.timestamp().build(), value: new Date(ms) };
  } else if (DATE.test(token)) {
    const ms = Date.parse(`${token}T00:00:00.000Z`);
    if (!Number.isNaN(ms)) return { schema: LogicalTypes.date().build(), value: new Date(ms) };
  }
  return null;
}
