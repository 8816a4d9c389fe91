/**
 * Compiles a schema table that exists only in a test through the real generator: the emitter's
 * TypeScript is stripped of types with esbuild (the transformer tsx runs on, a root dev
 * dependency) and imported from a data: URL whose imports point at the compiled runtime.
 *
 * This lets tests exercise generator paths no Kafka message reaches, such as an unknown tagged
 * field whose tag lies between two known ones.
 */
import { transformSync } from 'esbuild';
import { MessageEmitter } from '../../codegen/message-emitter.js';
import type { MessageCodec } from '../../src/codec.js';
import type { MessageSpec } from '../../src/schema/dsl.js';

const src = new URL('../../src/', import.meta.url).href;

const PRELUDE = `
import { ProtocolDecodeError, UnsupportedVersionError } from '${src}errors/kafka-error.js';
import { EMPTY_BYTES, readArray, readNullableArray, writeRawTaggedField } from '${src}generated-support.js';
import {
  sizeOfBytes, sizeOfCompactBytes, sizeOfCompactNullableBytes, sizeOfCompactNullableString,
  sizeOfCompactString, sizeOfNullableBytes, sizeOfNullableString, sizeOfString, sizeOfUVarint,
} from '${src}primitives/sizes.js';
import { ZERO_UUID } from '${src}primitives/uuid.js';
`;

export async function compileMessage(spec: MessageSpec): Promise<MessageCodec<unknown, Record<string, unknown>>> {
  const typescript = PRELUDE + new MessageEmitter(spec).emit();
  const { code } = transformSync(typescript, { loader: 'ts', format: 'esm' });
  const module = (await import(`data:text/javascript;base64,${Buffer.from(code).toString('base64')}`)) as Record<
    string,
    unknown
  >;
  const codec = module[`${spec.name}Codec`];
  if (codec === undefined) throw new Error(`${spec.name}: the emitter produced no codec`);
  return codec as MessageCodec<unknown, Record<string, unknown>>;
}
