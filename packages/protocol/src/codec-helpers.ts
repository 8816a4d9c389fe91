import type { MessageCodec } from './codec.js';
import { UnsupportedVersionError } from './errors/kafka-error.js';
import { Reader } from './primitives/reader.js';
import { Writer } from './primitives/writer.js';

/** Encodes a message into one Buffer (size pass, then write pass). */
export function encodeMessage<T, I>(codec: MessageCodec<T, I>, message: I, version: number): Buffer {
  checkVersion(codec, version);
  const writer = new Writer(codec.size(message, version));
  codec.write(writer, message, version);
  return writer.toBuffer();
}

/** Decodes a whole buffer as one message; trailing bytes are an error. */
export function decodeMessage<T, I>(codec: MessageCodec<T, I>, buf: Buffer, version: number): T {
  checkVersion(codec, version);
  const reader = new Reader(buf);
  return codec.read(reader, version);
}

export function checkVersion(codec: MessageCodec<unknown, unknown>, version: number): void {
  if (!Number.isInteger(version) || version < codec.minVersion || version > codec.maxVersion) {
    throw new UnsupportedVersionError(
      `${codec.name} version ${version} is not supported (supported: ${codec.minVersion}-${codec.maxVersion})`,
    );
  }
}
