import { UsageError } from '../support/command-errors.js';

/** One record read from a line: key, value and headers as UTF-8 bytes (null where null.marker). */
export interface LineRecord {
  readonly key: Buffer | null;
  readonly value: Buffer | null;
  readonly headers: readonly { readonly key: string; readonly value: Buffer | null }[];
}

/**
 * Kafka's `LineMessageReader` (the console producer's default reader): each line is a record;
 * with `parse.headers=true` a headers section (`h1:v1,h2:v2`) comes first, ended by
 * `headers.delimiter`; with `parse.key=true` the key comes next, ended by `key.separator`; the
 * rest is the value. `null.marker` turns a field into null; `ignore.error=true` keeps lines that
 * lack a separator (as a value only) instead of failing.
 */
export class LineMessageReader {
  readonly parseKey: boolean;
  readonly parseHeaders: boolean;
  readonly keySeparator: string;
  readonly headersDelimiter: string;
  readonly headersSeparator: string;
  readonly headersKeySeparator: string;
  readonly ignoreError: boolean;
  readonly nullMarker: string | undefined;
  private lineNumber = 0;

  constructor(props: ReadonlyMap<string, string>) {
    const flag = (k: string) => props.get(k)?.trim().toLowerCase() === 'true';
    this.parseKey = flag('parse.key');
    this.parseHeaders = flag('parse.headers');
    this.ignoreError = flag('ignore.error');
    this.keySeparator = props.get('key.separator') ?? '\t';
    this.headersDelimiter = props.get('headers.delimiter') ?? '\t';
    this.headersSeparator = props.get('headers.separator') ?? ',';
    this.headersKeySeparator = props.get('headers.key.separator') ?? ':';
    this.nullMarker = props.get('null.marker');
    const distinct = (a: [string, string], b: [string, string]) => {
      if (a[1] === b[1]) throw new UsageError(`${a[0]} and ${b[0]} may not be equal`);
    };
    const delimiter: [string, string] = ['headers.delimiter', this.headersDelimiter];
    const separator: [string, string] = ['headers.separator', this.headersSeparator];
    const keySeparator: [string, string] = ['headers.key.separator', this.headersKeySeparator];
    distinct(delimiter, separator);
    distinct(delimiter, keySeparator);
    distinct(separator, keySeparator);
    if (this.nullMarker !== undefined) {
      const marker: [string, string] = ['null.marker', this.nullMarker];
      distinct(marker, ['key.separator', this.keySeparator]);
      distinct(marker, separator);
      distinct(marker, delimiter);
      distinct(marker, keySeparator);
    }
  }

  private field(enabled: boolean, line: string, start: number, demarcation: string, name: string): string | null {
    if (!enabled) return null;
    const index = line.indexOf(demarcation, start);
    if (index < 0) {
      if (this.ignoreError) return null;
      throw new UsageError(`No ${name} found on line number ${this.lineNumber}: '${line}'`);
    }
    return line.slice(start, index);
  }

  private bytes(text: string | null): Buffer | null {
    return text === null || text === this.nullMarker ? null : Buffer.from(text, 'utf8');
  }

  /** Parses the next line (lines are numbered from 1, for error messages). */
  read(line: string): LineRecord {
    this.lineNumber++;
    const headers = this.field(this.parseHeaders, line, 0, this.headersDelimiter, 'headers delimiter');
    const headerOffset = headers === null ? 0 : headers.length + this.headersDelimiter.length;
    const key = this.field(this.parseKey, line, headerOffset, this.keySeparator, 'key separator');
    const keyOffset = key === null ? 0 : key.length + this.keySeparator.length;
    const value = line.slice(headerOffset + keyOffset);
    return {
      key: this.bytes(key),
      value: this.bytes(value),
      headers: headers === null || headers === this.nullMarker ? [] : this.splitHeaders(headers),
    };
  }

  private splitHeaders(text: string): { key: string; value: Buffer | null }[] {
    return text.split(this.headersSeparator).map((pair) => {
      const i = pair.indexOf(this.headersKeySeparator);
      if (i < 0) {
        if (this.ignoreError) return { key: pair, value: null };
        throw new UsageError(`No header key separator found in pair '${pair}' on line number ${this.lineNumber}`);
      }
      const key = pair.slice(0, i);
      if (key === this.nullMarker) {
        throw new UsageError(
          `Header keys should not be equal to the null marker '${this.nullMarker}' as they can't be null`,
        );
      }
      return { key, value: this.bytes(pair.slice(i + this.headersKeySeparator.length)) };
    });
  }
}
