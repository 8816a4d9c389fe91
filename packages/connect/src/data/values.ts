import { BigDecimal } from './big-decimal.js';
import type { Schema } from './schema.js';
import { Struct } from './schema.js';

const MS_PER_DAY = 86_400_000;

/**
 * Kafka's `Values.convertToString`: the text Kafka's default SimpleHeaderConverter writes for a
 * Connect value. Strings as they are; numbers and booleans as Java prints them; bytes in base64;
 * lists `[a,b]`, maps and structs `{"k":v}` with embedded strings quoted; dates as ISO-8601 in UTC
 * (a time of day, a date or a timestamp, chosen from the value as Kafka does). Null stays null.
 */
export function convertToString(schema: Schema | null, value: unknown): string | null {
  if (value === null || value === undefined) return null;
  return append(schema, value, false);
}

function javaDouble(value: number): string {
  if (!Number.isFinite(value)) return Number.isNaN(value) ? 'NaN' : value > 0 ? 'Infinity' : '-Infinity';
  // Java's Double.toString: a ".0" on whole numbers in plain range, scientific from 10^7 on.
  if (Number.isInteger(value) && Math.abs(value) < 1e7) return value.toFixed(1);
  const abs = Math.abs(value);
  if (abs >= 1e-3 && abs < 1e7) return String(value);
  const [mantissa, exponent] = value.toExponential().split('e') as [string, string];
  return `${mantissa.includes('.') ? mantissa : `${mantissa}.0`}E${Number(exponent)}`;
}

function append(schema: Schema | null, value: unknown, embedded: boolean): string {
  if (value === null || value === undefined) return 'null';
  if (typeof value === 'number') {
    const floating =
      schema === null ? !Number.isInteger(value) : schema.type === 'FLOAT32' || schema.type === 'FLOAT64';
    return floating ? javaDouble(value) : String(value);
  }
  if (typeof value === 'bigint' || typeof value === 'boolean') return String(value);
  if (value instanceof BigDecimal) return value.toString();
  if (typeof value === 'string') return embedded ? `"${value.replaceAll('\\', '\\\\').replaceAll('"', '\\"')}"` : value;
  if (value instanceof Uint8Array) {
    const text = Buffer.from(value).toString('base64');
    return embedded ? `"${text}"` : text;
  }
  if (value instanceof Date) {
    const iso = value.toISOString();
    const ms = value.getTime();
    if (ms < MS_PER_DAY) return iso.slice(11);
    if (ms % MS_PER_DAY === 0) return iso.slice(0, 10);
    return iso;
  }
  if (Array.isArray(value)) {
    return `[${value.map((v) => append(schema?.valueSchema ?? null, v, true)).join(',')}]`;
  }
  if (value instanceof Struct) {
    return `{${value.schema.fields.map((f) => `${append(null, f.name, true)}:${append(f.schema, value.get(f.name), true)}`).join(',')}}`;
  }
  const entries = value instanceof Map ? [...value.entries()] : Object.entries(value as object);
  return `{${entries.map(([k, v]) => `${append(schema?.keySchema ?? null, k, true)}:${append(schema?.valueSchema ?? null, v, true)}`).join(',')}}`;
}
