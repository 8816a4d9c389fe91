import { javaDouble } from './java-format.js';

/** Text written into JSON as it is: a number already formatted the way Java prints it. */
export class RawJson {
  constructor(readonly text: string) {}
}

/**
 * A `double` field as Jackson writes it (`20.0`, `1.2345E7`); NaN and infinities are quoted,
 * as Jackson's default WRITE_NAN_AS_STRINGS does.
 */
export function doubleField(value: number): RawJson | string {
  return Number.isFinite(value) ? new RawJson(javaDouble(value)) : javaDouble(value);
}

export type JsonValue =
  | string
  | number
  | bigint
  | boolean
  | null
  | undefined
  | RawJson
  | readonly JsonValue[]
  | { readonly [key: string]: JsonValue };

/**
 * JSON in the field order given, bigints as plain integers (offsets are int64), `undefined`
 * fields left out (Jackson's `@JsonInclude(NON_NULL)`). Strings are escaped as JSON.stringify
 * escapes them, which is what Jackson does for the characters these tools print.
 */
export function toJson(value: JsonValue): string {
  if (value === null || value === undefined) return 'null';
  if (value instanceof RawJson) return value.text;
  switch (typeof value) {
    case 'string':
      return JSON.stringify(value);
    case 'bigint':
      return value.toString();
    case 'number':
    case 'boolean':
      return String(value);
  }
  if (Array.isArray(value)) return `[${value.map((v: JsonValue) => toJson(v)).join(',')}]`;
  const fields: string[] = [];
  for (const [key, v] of Object.entries(value as { readonly [key: string]: JsonValue })) {
    if (v !== undefined) fields.push(`${JSON.stringify(key)}:${toJson(v)}`);
  }
  return `{${fields.join(',')}}`;
}

/**
 * One event line of Kafka's verifiable clients: `{"timestamp":<ms>,"name":"<name>",...}` —
 * their events declare `@JsonPropertyOrder({"timestamp", "name"})`, the other fields follow in
 * the order Jackson finds them (fields first, then accessors), which callers pass in.
 */
export function eventLine(name: string, fields: { readonly [key: string]: JsonValue } = {}, now = Date.now()): string {
  return `${toJson({ timestamp: now, name, ...fields })}\n`;
}
