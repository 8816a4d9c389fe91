import { HttpError } from './http-error.js';

/** Kafka's legal topic names: 1..249 characters of [a-zA-Z0-9._-], not '.' or '..'. */
const TOPIC_NAME = /^[a-zA-Z0-9._-]{1,249}$/;

export function topicName(value: unknown): string {
  if (typeof value !== 'string' || !TOPIC_NAME.test(value) || value === '.' || value === '..') {
    throw new HttpError(400, `invalid topic name ${JSON.stringify(value)}: 1 to 249 of a-z A-Z 0-9 . _ -`);
  }
  return value;
}

export function groupId(value: unknown): string {
  if (typeof value !== 'string' || value === '' || value.length > 1000) {
    throw new HttpError(400, `invalid group id ${JSON.stringify(value)}`);
  }
  return value;
}

/** An integer in [min, max] from a JSON number or a decimal string (path and query values). */
export function integer(value: unknown, what: string, min: number, max: number): number {
  const n = typeof value === 'string' && /^-?\d+$/.test(value) ? Number(value) : value;
  if (typeof n !== 'number' || !Number.isSafeInteger(n) || n < min || n > max) {
    throw new HttpError(400, `invalid ${what} ${JSON.stringify(value)}: an integer from ${min} to ${max}`);
  }
  return n;
}

/** An offset (int64) from a decimal string or a number. */
export function offset(value: unknown, what = 'offset'): bigint {
  if (
    (typeof value === 'string' && /^\d{1,19}$/.test(value)) ||
    (typeof value === 'number' && Number.isSafeInteger(value) && value >= 0)
  ) {
    const n = BigInt(value);
    if (n <= 0x7fffffffffffffffn) return n;
  }
  throw new HttpError(400, `invalid ${what} ${JSON.stringify(value)}: a non-negative integer`);
}

export function stringMap(value: unknown, what: string): Record<string, string> {
  if (value === undefined || value === null) return {};
  if (typeof value !== 'object' || Array.isArray(value))
    throw new HttpError(400, `invalid ${what}: an object of strings`);
  const out: Record<string, string> = {};
  for (const [k, v] of Object.entries(value)) {
    if (typeof v !== 'string' || k === '') throw new HttpError(400, `invalid ${what} '${k}': a string value`);
    out[k] = v;
  }
  return out;
}
