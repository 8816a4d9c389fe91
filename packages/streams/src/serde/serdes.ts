import { Bytes } from './bytes.js';
import { type Serde, SerializationException, serdeFrom } from './serde.js';

// Each serde writes exactly the bytes of its namesake in org.apache.kafka.common.serialization:
// big-endian fixed-width numbers, UTF-8 strings, raw bytes. Java applications on the same topics
// read what these write and the other way round.

function fixedWidth(name: string, data: Uint8Array, width: number): Buffer {
  if (data.length !== width) {
    throw new SerializationException(`Size of data received by ${name} is not ${width}`);
  }
  // Record values arrive as Buffers already: no view to allocate per value.
  return data instanceof Buffer ? data : Buffer.from(data.buffer, data.byteOffset, data.byteLength);
}

const stringSerde = serdeFrom<string>(
  (_topic, data) => Buffer.from(data, 'utf8'),
  // Record keys and values arrive as Buffers: no view to allocate per record.
  (_topic, data) =>
    (data instanceof Buffer ? data : Buffer.from(data.buffer, data.byteOffset, data.byteLength)).toString('utf8'),
);

/** Java's `long`: a bigint, exact over all of int64. Numbers are accepted on the way in. */
const longSerde = serdeFrom<bigint>(
  (_topic, data) => {
    const out = Buffer.alloc(8);
    out.writeBigInt64BE(BigInt(data));
    return out;
  },
  (_topic, data) => fixedWidth('LongDeserializer', data, 8).readBigInt64BE(0),
);

const integerSerde = serdeFrom<number>(
  (_topic, data) => {
    const out = Buffer.alloc(4);
    out.writeInt32BE(data | 0);
    return out;
  },
  (_topic, data) => fixedWidth('IntegerDeserializer', data, 4).readInt32BE(0),
);

const shortSerde = serdeFrom<number>(
  (_topic, data) => {
    const out = Buffer.alloc(2);
    out.writeInt16BE((data << 16) >> 16);
    return out;
  },
  (_topic, data) => fixedWidth('ShortDeserializer', data, 2).readInt16BE(0),
);

const doubleSerde = serdeFrom<number>(
  (_topic, data) => {
    const out = Buffer.alloc(8);
    out.writeDoubleBE(data);
    return out;
  },
  (_topic, data) => fixedWidth('DoubleDeserializer', data, 8).readDoubleBE(0),
);

const floatSerde = serdeFrom<number>(
  (_topic, data) => {
    const out = Buffer.alloc(4);
    out.writeFloatBE(data);
    return out;
  },
  (_topic, data) => fixedWidth('FloatDeserializer', data, 4).readFloatBE(0),
);

const byteArraySerde = serdeFrom<Uint8Array>(
  (_topic, data) => data,
  (_topic, data) => data,
);

const bytesSerde = serdeFrom<Bytes>(
  (_topic, data) => data.get(),
  (_topic, data) => Bytes.wrap(data) as Bytes,
);

/** Java's `Void`: only `null` is valid; anything else on the wire is an error, as in Java. */
const voidSerde: Serde<null> = {
  serializer: () => ({ serialize: () => null }),
  deserializer: () => ({
    deserialize: (_topic, data) => {
      if (data !== null) throw new SerializationException('Data should be null for a VoidDeserializer.');
      return null;
    },
  }),
};

/** Kafka's `Serdes` factory, with Java's method names. */
export const Serdes = {
  String: (): Serde<string> => stringSerde,
  Long: (): Serde<bigint> => longSerde,
  Integer: (): Serde<number> => integerSerde,
  Short: (): Serde<number> => shortSerde,
  Double: (): Serde<number> => doubleSerde,
  Float: (): Serde<number> => floatSerde,
  ByteArray: (): Serde<Uint8Array> => byteArraySerde,
  Bytes: (): Serde<Bytes> => bytesSerde,
  Void: (): Serde<null> => voidSerde,
  serdeFrom,
} as const;

/** Java class names of the serdes above, for `default.key.serde` / `default.value.serde` given as strings. */
export function serdeByClassName(name: string): Serde<unknown> | undefined {
  const simple = name
    .trim()
    .replace(/^org\.apache\.kafka\.common\.serialization\.Serdes\$/, '')
    .replace(/Serde$/, '');
  const factory = (Serdes as unknown as { [key: string]: (() => Serde<unknown>) | undefined })[simple];
  return simple === 'serdeFrom' ? undefined : factory?.();
}
