import type { ConsumerRecord } from '@samsa/client';
import { UsageError } from '../support/command-errors.js';

type Deserialize = (bytes: Buffer) => string;

/** Java deserializer classes the formatter accepts, rendered as their `toString()` would be. */
const DESERIALIZERS: Readonly<Record<string, Deserialize>> = {
  StringDeserializer: (b) => b.toString('utf8'),
  ByteArrayDeserializer: (b) => b.toString('latin1'),
  BytesDeserializer: (b) => b.toString('latin1'),
  ByteBufferDeserializer: (b) => b.toString('latin1'),
  LongDeserializer: (b) => (b.length === 8 ? b.readBigInt64BE().toString() : badSize('Long', 8, b)),
  IntegerDeserializer: (b) => (b.length === 4 ? String(b.readInt32BE()) : badSize('Integer', 4, b)),
  ShortDeserializer: (b) => (b.length === 2 ? String(b.readInt16BE()) : badSize('Short', 2, b)),
  DoubleDeserializer: (b) => (b.length === 8 ? String(b.readDoubleBE()) : badSize('Double', 8, b)),
  FloatDeserializer: (b) => (b.length === 4 ? String(b.readFloatBE()) : badSize('Float', 4, b)),
  UUIDDeserializer: (b) => b.toString('utf8'),
  VoidDeserializer: () => 'null',
};

function badSize(type: string, size: number, b: Buffer): never {
  throw new Error(`Size of data received by ${type}Deserializer is not ${size} (got ${b.length})`);
}

function deserializerOf(className: string | undefined, key: string): Deserialize | undefined {
  if (className === undefined) return undefined;
  const simple = className.trim().split('.').pop() ?? '';
  const d = DESERIALIZERS[simple];
  if (d === undefined)
    throw new UsageError(`Unsupported ${key} '${className}' (supported: ${Object.keys(DESERIALIZERS).join(', ')})`);
  return d;
}

/**
 * Kafka's `DefaultMessageFormatter`: the value and a line separator, preceded by
 * `CreateTime:<ts>`, `Partition:<p>`, `Offset:<o>`, `Epoch:<e>`, headers (`k:v,k2:v2` or
 * `NO_HEADERS`) and the key when the matching `print.*` property is true, each followed by
 * `key.separator` (a tab). Null keys, values and header values print as `null.literal`.
 */
export class DefaultMessageFormatter {
  private readonly printTimestamp: boolean;
  private readonly printKey: boolean;
  private readonly printValue: boolean;
  private readonly printPartition: boolean;
  private readonly printOffset: boolean;
  private readonly printEpoch: boolean;
  private readonly printHeaders: boolean;
  private readonly printDelivery: boolean;
  private readonly keySeparator: Buffer;
  private readonly lineSeparator: Buffer;
  private readonly headersSeparator: Buffer;
  private readonly nullLiteral: Buffer;
  private readonly keyDeserializer: Deserialize | undefined;
  private readonly valueDeserializer: Deserialize | undefined;
  private readonly headersDeserializer: Deserialize | undefined;

  constructor(props: ReadonlyMap<string, string>) {
    const bool = (k: string, d: boolean) => (props.has(k) ? props.get(k)?.trim().toLowerCase() === 'true' : d);
    const bytes = (k: string, d: string) => Buffer.from(props.get(k) ?? d, 'utf8');
    this.printTimestamp = bool('print.timestamp', false);
    this.printKey = bool('print.key', false);
    this.printValue = bool('print.value', true);
    this.printPartition = bool('print.partition', false);
    this.printOffset = bool('print.offset', false);
    this.printDelivery = bool('print.delivery', false);
    this.printEpoch = bool('print.epoch', false);
    this.printHeaders = bool('print.headers', false);
    this.keySeparator = bytes('key.separator', '\t');
    this.lineSeparator = bytes('line.separator', '\n');
    this.headersSeparator = bytes('headers.separator', ',');
    this.nullLiteral = bytes('null.literal', 'null');
    this.keyDeserializer = deserializerOf(props.get('key.deserializer'), 'key.deserializer');
    this.valueDeserializer = deserializerOf(props.get('value.deserializer'), 'value.deserializer');
    this.headersDeserializer = deserializerOf(props.get('headers.deserializer'), 'headers.deserializer');
  }

  private render(bytes: Buffer | null, deserializer: Deserialize | undefined): Buffer {
    const source = bytes ?? this.nullLiteral;
    return deserializer === undefined ? source : Buffer.from(deserializer(source), 'utf8');
  }

  /** The bytes Kafka's formatter writes for one record. */
  format(record: ConsumerRecord<Buffer, Buffer>): Buffer {
    const parts: Buffer[] = [];
    const text = (s: string) => parts.push(Buffer.from(s, 'utf8'));
    const separator = (more: boolean) => parts.push(more ? this.keySeparator : this.lineSeparator);
    if (this.printTimestamp) {
      text(`${record.timestampType}:${record.timestamp}`);
      separator(
        this.printPartition ||
          this.printOffset ||
          this.printDelivery ||
          this.printEpoch ||
          this.printHeaders ||
          this.printKey ||
          this.printValue,
      );
    }
    if (this.printPartition) {
      text(`Partition:${record.partition}`);
      separator(
        this.printOffset ||
          this.printDelivery ||
          this.printEpoch ||
          this.printHeaders ||
          this.printKey ||
          this.printValue,
      );
    }
    if (this.printOffset) {
      text(`Offset:${record.offset}`);
      separator(this.printDelivery || this.printEpoch || this.printHeaders || this.printKey || this.printValue);
    }
    if (this.printDelivery) {
      // Share groups only: a consumer-group record has no delivery count.
      text('Delivery:NOT_PRESENT');
      separator(this.printEpoch || this.printHeaders || this.printKey || this.printValue);
    }
    if (this.printEpoch) {
      text(`Epoch:${record.leaderEpoch >= 0 ? record.leaderEpoch : 'NOT_PRESENT'}`);
      separator(this.printHeaders || this.printKey || this.printValue);
    }
    if (this.printHeaders) {
      if (record.headers.length === 0) text('NO_HEADERS');
      record.headers.forEach((h, i) => {
        text(`${h.key}:`);
        parts.push(this.render(h.value, this.headersDeserializer));
        if (i < record.headers.length - 1) parts.push(this.headersSeparator);
      });
      separator(this.printKey || this.printValue);
    }
    if (this.printKey) {
      parts.push(this.render(record.key, this.keyDeserializer));
      separator(this.printValue);
    }
    if (this.printValue) {
      parts.push(this.render(record.value, this.valueDeserializer));
      parts.push(this.lineSeparator);
    }
    return Buffer.concat(parts);
  }
}
