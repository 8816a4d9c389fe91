import { DataException } from '../data/schema.js';

/**
 * The subset of Java's SimpleDateFormat the transforms need, always in UTC (as Kafka's
 * TimestampRouter and TimestampConverter use it): `yyyy`, `yy`, `MM`, `dd`, `HH`, `mm`, `ss`,
 * `SSS`, `'literal'` text (`''` for a quote) and any other non-letter character as itself.
 */
type Token = { kind: 'field'; letter: string; count: number } | { kind: 'text'; text: string };

const FIELDS = new Set(['y', 'M', 'd', 'H', 'm', 's', 'S']);

function tokenize(pattern: string): Token[] {
  const tokens: Token[] = [];
  let i = 0;
  while (i < pattern.length) {
    const c = pattern[i]!;
    if (c === "'") {
      if (pattern[i + 1] === "'") {
        tokens.push({ kind: 'text', text: "'" });
        i += 2;
        continue;
      }
      const end = pattern.indexOf("'", i + 1);
      if (end < 0) throw new Error(`Unterminated quote in date format: ${pattern}`);
      tokens.push({ kind: 'text', text: pattern.slice(i + 1, end) });
      i = end + 1;
    } else if (/[A-Za-z]/.test(c)) {
      if (!FIELDS.has(c)) throw new Error(`Illegal pattern character '${c}'`);
      let n = 1;
      while (pattern[i + n] === c) n++;
      tokens.push({ kind: 'field', letter: c, count: n });
      i += n;
    } else {
      tokens.push({ kind: 'text', text: c });
      i++;
    }
  }
  return tokens;
}

export class SimpleDateFormat {
  private readonly tokens: Token[];

  /** Throws (an Error) on a letter outside the supported subset. */
  constructor(readonly pattern: string) {
    this.tokens = tokenize(pattern);
  }

  format(date: Date): string {
    let out = '';
    for (const t of this.tokens) {
      if (t.kind === 'text') {
        out += t.text;
        continue;
      }
      const pad = (n: number, width: number) => String(n).padStart(width, '0');
      switch (t.letter) {
        case 'y':
          out += t.count === 2 ? pad(date.getUTCFullYear() % 100, 2) : pad(date.getUTCFullYear(), t.count);
          break;
        case 'M':
          out += pad(date.getUTCMonth() + 1, t.count);
          break;
        case 'd':
          out += pad(date.getUTCDate(), t.count);
          break;
        case 'H':
          out += pad(date.getUTCHours(), t.count);
          break;
        case 'm':
          out += pad(date.getUTCMinutes(), t.count);
          break;
        case 's':
          out += pad(date.getUTCSeconds(), t.count);
          break;
        case 'S':
          out += pad(date.getUTCMilliseconds(), t.count);
          break;
      }
    }
    return out;
  }

  /** Parses a whole string in this format (UTC); throws a DataException when it does not match. */
  parse(text: string): Date {
    const parts = { y: 1970, M: 1, d: 1, H: 0, m: 0, s: 0, S: 0 };
    let pos = 0;
    const fail = (): never => {
      throw new DataException(`Could not parse timestamp: value (${text}) does not match pattern (${this.pattern})`);
    };
    for (let i = 0; i < this.tokens.length; i++) {
      const t = this.tokens[i]!;
      if (t.kind === 'text') {
        if (!text.startsWith(t.text, pos)) fail();
        pos += t.text.length;
        continue;
      }
      // Adjacent numeric fields (yyyyMMdd) take exactly their width; the last one may run on.
      const next = this.tokens[i + 1];
      const fixed = next !== undefined && next.kind === 'field';
      const match = (fixed ? new RegExp(`^\\d{${t.count}}`) : /^\d+/).exec(text.slice(pos));
      if (match === null) fail();
      let n = Number(match![0]);
      if (t.letter === 'y' && t.count === 2) n += 2000;
      parts[t.letter as keyof typeof parts] = n;
      pos += match![0].length;
    }
    if (pos !== text.length) fail();
    return new Date(Date.UTC(parts.y, parts.M - 1, parts.d, parts.H, parts.m, parts.s, parts.S));
  }
}
