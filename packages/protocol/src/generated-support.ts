/**
 * Runtime support for the generated codecs in `generated/`. Kept tiny and monomorphic: these
 * functions run for every array and unknown tagged field on the wire.
 */
import type { RawTaggedField } from './codec.js';
import { ProtocolDecodeError } from './errors/kafka-error.js';
import { sizeOfUVarint } from './primitives/sizes.js';
import type { Writer } from './primitives/writer.js';

export const EMPTY_BYTES: Buffer = Buffer.alloc(0);

export function readArray<T>(length: number, field: string, readElement: () => T): T[] {
  if (length < 0) throw new ProtocolDecodeError(`non-nullable array ${field} was null`);
  const out: T[] = [];
  for (let i = 0; i < length; i++) out.push(readElement());
  return out;
}

export function readNullableArray<T>(
  length: number,
  allowNull: boolean,
  field: string,
  readElement: () => T,
): T[] | null {
  if (length < 0) {
    if (!allowNull) throw new ProtocolDecodeError(`non-nullable array ${field} was null`);
    return null;
  }
  return readArray(length, field, readElement);
}

export function writeRawTaggedField(w: Writer, field: RawTaggedField): void {
  w.writeUVarint(field.tag);
  w.writeUVarint(field.data.length);
  w.writeRaw(field.data);
}

export function sizeOfRawTaggedField(field: RawTaggedField): number {
  return sizeOfUVarint(field.tag) + sizeOfUVarint(field.data.length) + field.data.length;
}
