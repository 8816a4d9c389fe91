/**
 * A JSON number whose text a JS number cannot give back (`1.5600`, `1.23456789123456789`,
 * `12345678901234567890`): kept as written, so a Decimal read from JSON has Jackson's exact
 * value and scale (Kafka reads floats with USE_BIG_DECIMAL_FOR_FLOATS).
 */
export class JsonNumberText {
  constructor(readonly text: string) {}

  /** The plain JS value: a bigint for an integer beyond 2^53, a number otherwise. */
  toJsValue(): number | bigint {
    if (/^-?\d+$/.test(this.text)) {
      const n = Number(this.text);
      return Number.isSafeInteger(n) ? n : BigInt(this.text);
    }
    return Number(this.text);
  }
}

export type LosslessJson =
  | null
  | boolean
  | number
  | string
  | JsonNumberText
  | LosslessJson[]
  | { [key: string]: LosslessJson };

const NUMBER = /-?(?:0|[1-9]\d*)(?:\.\d+)?(?:[eE][+-]?\d+)?/y;
const WHITESPACE = /[ \t\n\r]*/y;

/**
 * `JSON.parse` that keeps numbers exact: a number is a JS number when `String(n)` is its text,
 * a `JsonNumberText` otherwise. Slower than JSON.parse, so JsonConverter uses it only for
 * messages with a Decimal schema (Node 20's JSON.parse reviver has no source text).
 */
export function parseLosslessJson(text: string): LosslessJson {
  let pos = 0;
  const fail = (): never => {
    throw new SyntaxError(`Unexpected token in JSON at position ${pos}`);
  };
  const skip = () => {
    WHITESPACE.lastIndex = pos;
    WHITESPACE.exec(text);
    pos = WHITESPACE.lastIndex;
  };
  const parseString = (): string => {
    const start = pos;
    pos++;
    for (;;) {
      const c = text.charCodeAt(pos);
      if (Number.isNaN(c)) fail();
      if (c === 0x5c) pos += 2;
      else if (c === 0x22) break;
      else pos++;
    }
    pos++;
    return JSON.parse(text.slice(start, pos)) as string;
  };
  const parseValue = (): LosslessJson => {
    skip();
    const c = text[pos];
    if (c === '{') {
      pos++;
      const out: { [key: string]: LosslessJson } = {};
      skip();
      if (text[pos] === '}') {
        pos++;
        return out;
      }
      for (;;) {
        skip();
        if (text[pos] !== '"') fail();
        const key = parseString();
        skip();
        if (text[pos] !== ':') fail();
        pos++;
        out[key] = parseValue();
        skip();
        if (text[pos] === ',') pos++;
        else if (text[pos] === '}') {
          pos++;
          return out;
        } else fail();
      }
    }
    if (c === '[') {
      pos++;
      const out: LosslessJson[] = [];
      skip();
      if (text[pos] === ']') {
        pos++;
        return out;
      }
      for (;;) {
        out.push(parseValue());
        skip();
        if (text[pos] === ',') pos++;
        else if (text[pos] === ']') {
          pos++;
          return out;
        } else fail();
      }
    }
    if (c === '"') return parseString();
    for (const [word, value] of [
      ['true', true],
      ['false', false],
      ['null', null],
    ] as const) {
      if (text.startsWith(word, pos)) {
        pos += word.length;
        return value;
      }
    }
    NUMBER.lastIndex = pos;
    const m = NUMBER.exec(text);
    if (m === null) return fail();
    pos = NUMBER.lastIndex;
    const n = Number(m[0]);
    return String(n) === m[0] ? n : new JsonNumberText(m[0]);
  };
  const value = parseValue();
  skip();
  if (pos !== text.length) fail();
  return value;
}

/** The value with every JsonNumberText made a JS number or bigint (for schemaless payloads). */
export function toPlainJson(json: LosslessJson): unknown {
  if (json instanceof JsonNumberText) return json.toJsValue();
  if (Array.isArray(json)) return json.map(toPlainJson);
  if (json !== null && typeof json === 'object') {
    const out: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(json)) out[k] = toPlainJson(v);
    return out;
  }
  return json;
}
