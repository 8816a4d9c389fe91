import { Schema, type SchemaAndValue } from '../data/schema.js';
import { convertToString } from '../data/values.js';
import { parseString } from '../data/values-parser.js';
import type { HeaderConverter } from './header-converter.js';

/**
 * `org.apache.kafka.connect.storage.SimpleHeaderConverter`, Kafka's default: a header is the
 * UTF-8 of `Values.convertToString` (`42`, `true`, `{"a":1}`, `[1,2]`), null stays null; read
 * back, the schema is inferred from the text as `Values.parseString` does (`42` is an INT8,
 * `{"a":1}` a map of STRING to INT8), and a text that does not parse is a STRING.
 */
export class SimpleHeaderConverter implements HeaderConverter {
  static readonly CLASS = 'org.apache.kafka.connect.storage.SimpleHeaderConverter';

  configure(): void {}

  fromConnectHeader(_topic: string, _headerKey: string, schema: Schema | null, value: unknown): Buffer | null {
    const text = convertToString(schema, value);
    return text === null ? null : Buffer.from(text, 'utf8');
  }

  toConnectHeader(_topic: string, _headerKey: string, bytes: Buffer | null): SchemaAndValue {
    if (bytes === null) return { schema: null, value: null };
    const text = bytes.toString('utf8');
    try {
      return parseString(text);
    } catch {
      return { schema: Schema.STRING_SCHEMA, value: text };
    }
  }
}
