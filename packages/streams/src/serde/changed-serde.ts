import { Change } from '../dsl/change.js';
import { StreamsException } from '../processor/topology-exception.js';
import type { Deserializer, Serde, Serializer } from './serde.js';

/** Defaults handed to serdes that wrap the application's default serde (Java's WrappingNullable serdes). */
export interface SerdeDefaults {
  readonly defaultKeySerde: Serde<unknown>;
  readonly defaultValueSerde: Serde<unknown>;
}

/** A serializer or deserializer whose inner serde may be the application's default, set once a task starts. */
export interface WrappingSerde {
  setIfUnset(defaults: SerdeDefaults): void;
}

function writeVarint(value: number): Buffer {
  let zigzag = ((value << 1) ^ (value >> 31)) >>> 0;
  const out: number[] = [];
  while ((zigzag & ~0x7f) !== 0) {
    out.push((zigzag & 0x7f) | 0x80);
    zigzag >>>= 7;
  }
  out.push(zigzag);
  return Buffer.from(out);
}

function readVarint(bytes: Buffer): { value: number; length: number } {
  let raw = 0;
  let shift = 0;
  let i = 0;
  for (;;) {
    const b = bytes[i++];
    if (b === undefined || shift > 28) throw new StreamsException('ChangedDeserializer: malformed varint length');
    raw |= (b & 0x7f) << shift;
    if ((b & 0x80) === 0) break;
    shift += 7;
  }
  return { value: (raw >>> 1) ^ -(raw & 1), length: i };
}

/**
 * Java's ChangedSerializer/ChangedDeserializer (3.4+ layout), the values of a KTable
 * re-grouping's repartition topic: `{old}{0}`, `{new}{1}`, or `{varint new length}{new}{old}{2}`.
 */
export class ChangedSerde<V> implements Serde<Change<V>> {
  private inner: Serde<V> | undefined;

  constructor(inner: Serde<V> | undefined) {
    this.inner = inner;
  }

  private serde(): Serde<V> {
    if (this.inner === undefined) throw new StreamsException('ChangedSerde: no inner value serde');
    return this.inner;
  }

  serializer(): Serializer<Change<V>> & WrappingSerde {
    return {
      setIfUnset: (defaults) => {
        this.inner ??= defaults.defaultValueSerde as Serde<V>;
      },
      serialize: (topic, data) => {
        if (data === null) return null;
        const ser = this.serde().serializer();
        const newData = data.newValue === null ? null : ser.serialize(topic, data.newValue);
        const oldData = data.oldValue === null ? null : ser.serialize(topic, data.oldValue);
        if (newData !== null && oldData !== null) {
          return Buffer.concat([writeVarint(newData.length), newData, oldData, Buffer.from([2])]);
        }
        if (newData !== null) return Buffer.concat([newData, Buffer.from([1])]);
        if (oldData !== null) return Buffer.concat([oldData, Buffer.from([0])]);
        throw new StreamsException('Both old and new values are null in ChangeSerializer, which is not allowed.');
      },
    };
  }

  deserializer(): Deserializer<Change<V>> & WrappingSerde {
    return {
      setIfUnset: (defaults) => {
        this.inner ??= defaults.defaultValueSerde as Serde<V>;
      },
      deserialize: (topic, data) => {
        if (data === null) return null;
        const de = this.serde().deserializer();
        const bytes = Buffer.from(data.buffer, data.byteOffset, data.byteLength);
        const flag = bytes[bytes.length - 1];
        const body = bytes.subarray(0, bytes.length - 1);
        if (flag === 0) return new Change<V>(null, de.deserialize(topic, body));
        if (flag === 1) return new Change<V>(de.deserialize(topic, body), null);
        if (flag === 2) {
          const { value: newLength, length } = readVarint(body);
          const newBytes = body.subarray(length, length + newLength);
          const oldBytes = body.subarray(length + newLength);
          return new Change<V>(de.deserialize(topic, newBytes), de.deserialize(topic, oldBytes));
        }
        throw new StreamsException(`ChangedDeserializer: unknown encoding flag ${String(flag)}`);
      },
    };
  }
}
