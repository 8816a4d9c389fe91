import type { RecordHeader } from '@samsa/client';
import type { Serde } from '../serde/serde.js';

/** One buffered update and the context of the record that made it (Java's BufferValue). */
export interface BufferedChange<V> {
  /** Stream time (ms) the entry is ordered by: its window's end, or when it was first buffered. */
  readonly bufferTimeMs: number;
  /** The value before the first buffered update: what downstream saw last. */
  readonly priorValue: V | null;
  readonly oldValue: V | null;
  readonly newValue: V | null;
  /** The latest update's record context (Java's ProcessorRecordContext). */
  readonly recordTimestampMs: number;
  readonly offset: bigint;
  readonly topic: string;
  readonly partition: number;
  readonly headers: readonly RecordHeader[];
}

/** The header Java's InMemoryTimeOrderedKeyValueChangeBuffer puts on its changelog records: format version 3. */
export const SUPPRESSION_CHANGELOG_HEADERS: readonly RecordHeader[] = [{ key: 'v', value: Buffer.from([3]) }];

const NULL_VALUE_SENTINEL = -1;
const OLD_PREV_DUPLICATE_VALUE_SENTINEL = -2;

function sized(bytes: Uint8Array | null, nullSentinel = NULL_VALUE_SENTINEL): Buffer {
  const out = Buffer.alloc(4 + (bytes?.length ?? 0));
  out.writeInt32BE(bytes === null ? nullSentinel : bytes.length, 0);
  if (bytes !== null) out.set(bytes, 4);
  return out;
}

/**
 * The suppression buffer's changelog values in Java's version-3 layout (BufferValue.serialize
 * then the buffer time): the record context (timestamp, offset, topic, partition, headers), the
 * prior, old and new values (each a 4-byte length, -1 for null; the old value is -2 when it
 * equals the prior one), then the 8-byte buffer time. A Java application restores these records,
 * and Samsa restores Java's.
 */
export function bufferedChangeSerde<V>(inner: Serde<V>): Serde<BufferedChange<V>> {
  return {
    serializer: () => ({
      serialize(topic: string, data: BufferedChange<V> | null): Uint8Array | null {
        if (data === null) return null;
        const ser = inner.serializer();
        const bytesOf = (v: V | null) => (v === null ? null : (ser.serialize(topic, v) ?? null));
        const prior = bytesOf(data.priorValue);
        const old = bytesOf(data.oldValue);
        const next = bytesOf(data.newValue);
        const context = Buffer.alloc(16);
        context.writeBigInt64BE(BigInt(data.recordTimestampMs), 0);
        context.writeBigInt64BE(data.offset, 8);
        const headerParts = data.headers.flatMap((h) => [sized(Buffer.from(h.key, 'utf8')), sized(h.value)]);
        const partition = Buffer.alloc(8);
        partition.writeInt32BE(data.partition, 0);
        partition.writeInt32BE(data.headers.length, 4);
        const time = Buffer.alloc(8);
        time.writeBigInt64BE(BigInt(data.bufferTimeMs), 0);
        const oldPart =
          old !== null && prior !== null && Buffer.from(old).equals(Buffer.from(prior))
            ? sized(null, OLD_PREV_DUPLICATE_VALUE_SENTINEL)
            : sized(old);
        return Buffer.concat([
          context,
          sized(Buffer.from(data.topic, 'utf8')),
          partition,
          ...headerParts,
          sized(prior),
          oldPart,
          sized(next),
          time,
        ]);
      },
    }),
    deserializer: () => ({
      deserialize(topic: string, data: Uint8Array | null): BufferedChange<V> | null {
        if (data === null) return null;
        const bytes = Buffer.from(data.buffer, data.byteOffset, data.byteLength);
        let position = 0;
        const readSized = (): Buffer | null | 'duplicate' => {
          const length = bytes.readInt32BE(position);
          position += 4;
          if (length === OLD_PREV_DUPLICATE_VALUE_SENTINEL) return 'duplicate';
          if (length < 0) return null;
          const out = bytes.subarray(position, position + length);
          position += length;
          return out;
        };
        const readBytes = (): Buffer | null => {
          const b = readSized();
          return b === 'duplicate' ? null : b;
        };
        const recordTimestampMs = Number(bytes.readBigInt64BE(0));
        const offset = bytes.readBigInt64BE(8);
        position = 16;
        const recordTopic = readBytes()?.toString('utf8') ?? '';
        const partition = bytes.readInt32BE(position);
        const headerCount = bytes.readInt32BE(position + 4);
        position += 8;
        const headers: RecordHeader[] = [];
        for (let i = 0; i < headerCount; i++) {
          const key = readBytes()?.toString('utf8') ?? '';
          const value = readBytes();
          headers.push({ key, value: value === null ? null : Buffer.from(value) });
        }
        const de = inner.deserializer();
        const decode = (b: Buffer | null): V | null => (b === null ? null : de.deserialize(topic, b));
        const prior = readBytes();
        const old = readSized();
        const next = readBytes();
        return {
          bufferTimeMs: Number(bytes.readBigInt64BE(position)),
          priorValue: decode(prior),
          oldValue: decode(old === 'duplicate' ? prior : old),
          newValue: decode(next),
          recordTimestampMs,
          offset,
          topic: recordTopic,
          partition,
          headers,
        };
      },
    }),
  };
}
