import { SessionWindow } from '../dsl/session-windows.js';
import { Windowed } from '../dsl/time-windows.js';
import type { Serde } from './serde.js';

/**
 * Java's `SessionWindowedSerde` (and the session stores' key layout, SessionKeySchema): the key's
 * bytes, then the session's end and its start, each an 8-byte big-endian long. Store keys sort
 * by key bytes, then end time, then start time, which `findSessions` relies on.
 */
export function sessionWindowedSerde<K>(inner: Serde<K>): Serde<Windowed<K>> {
  const serializer = {
    serialize(topic: string, data: Windowed<K> | null): Uint8Array | null {
      if (data === null) return null;
      const key = inner.serializer().serialize(topic, data.key()) ?? new Uint8Array();
      const out = Buffer.alloc(key.length + 16);
      out.set(key, 0);
      out.writeBigInt64BE(BigInt(data.window().end()), key.length);
      out.writeBigInt64BE(BigInt(data.window().start()), key.length + 8);
      return out;
    },
  };
  const deserializer = {
    deserialize(topic: string, data: Uint8Array | null): Windowed<K> | null {
      if (data === null) return null;
      const bytes = Buffer.from(data.buffer, data.byteOffset, data.byteLength);
      const keyLength = bytes.length - 16;
      const key = inner.deserializer().deserialize(topic, bytes.subarray(0, keyLength)) as K;
      const end = Number(bytes.readBigInt64BE(keyLength));
      const start = Number(bytes.readBigInt64BE(keyLength + 8));
      return new Windowed(key, new SessionWindow(start, end));
    },
  };
  return { serializer: () => serializer, deserializer: () => deserializer };
}
