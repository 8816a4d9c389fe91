import { type MessageCodec, type Reader, Writer } from '@samsa/protocol';

/*
 * Internal topics' record keys and values (`__consumer_offsets`, `__transaction_state`) are an
 * int16 version followed by the struct at that version.
 */

export function encodeVersioned<I>(codec: MessageCodec<unknown, I>, message: I, version: number): Buffer {
  const writer = new Writer(2 + codec.size(message, version));
  writer.writeInt16(version);
  codec.write(writer, message, version);
  return writer.toBuffer();
}

/** Reads the struct after its version; throws on an unknown version or trailing bytes. */
export function decodeVersioned<T>(codec: MessageCodec<T, unknown>, reader: Reader, version: number): T {
  if (version < codec.minVersion || version > codec.maxVersion) {
    throw new RangeError(`${codec.name} version ${version} is not supported`);
  }
  const message = codec.read(reader, version);
  if (reader.remaining !== 0) throw new RangeError(`${codec.name} v${version}: ${reader.remaining} trailing bytes`);
  return message;
}
