export * from './codec.js';
export * from './codec-helpers.js';
export * from './errors/error-codes.js';
export * from './errors/kafka-error.js';
export * from './generated/index.js';
export { Reader } from './primitives/reader.js';
export * from './primitives/sizes.js';
export { randomUuid, ZERO_UUID } from './primitives/uuid.js';
export { Writer } from './primitives/writer.js';
