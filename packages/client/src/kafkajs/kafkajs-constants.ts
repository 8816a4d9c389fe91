import { ConfigResourceType, KafkaError } from '@samsa/protocol';
import { ClientError } from '../errors/client-errors.js';

/** KafkaJS's log levels; accepted for compatibility, the client logs nothing itself. */
export const logLevel = { NOTHING: 0, ERROR: 1, WARN: 2, INFO: 4, DEBUG: 5 } as const;

/** KafkaJS's codec constants, as `send({ compression })` takes them. */
export const CompressionTypes = { None: 0, GZIP: 1, Snappy: 2, LZ4: 3, ZSTD: 4 } as const;
export const COMPRESSION_NAMES = ['none', 'gzip', 'snappy', 'lz4', 'zstd'] as const;

/**
 * `ConfigResourceTypes` as this compatibility layer has always exported it. UNKNOWN, TOPIC, BROKER
 * and BROKER_LOGGER are KafkaJS's own `ConfigResourceTypes` and Kafka's wire codes, so they come
 * from the protocol table. ANY 1, GROUP 3 and CLUSTER 4 are not config resource codes: they are
 * KafkaJS's `AclResourceTypes` (Kafka's ACL `ResourceType`) values, kept because callers may pass
 * them. Kafka's config resource code for a group is 32, not 3: KafkaJSAdmin maps 3 to the admin
 * client's 'group', which sends 32 on the wire.
 */
export const ConfigResourceTypes = {
  UNKNOWN: ConfigResourceType.UNKNOWN,
  ANY: 1,
  TOPIC: ConfigResourceType.TOPIC,
  GROUP: 3,
  BROKER: ConfigResourceType.BROKER,
  CLUSTER: 4,
  BROKER_LOGGER: ConfigResourceType.BROKER_LOGGER,
} as const;

/**
 * KafkaJS's error shapes. Broker errors keep being our `KafkaError` (so `instanceof KafkaError`
 * works) and gain KafkaJS's `type` (the Kafka name), `code` and `retriable`, which KafkaJS code
 * inspects (`error.type === 'TOPIC_ALREADY_EXISTS'`).
 */
export class KafkaJSError extends Error {
  readonly retriable: boolean;
  constructor(message: string, options: { retriable?: boolean; cause?: unknown } = {}) {
    super(message, { cause: options.cause });
    this.name = 'KafkaJSError';
    this.retriable = options.retriable ?? false;
  }
}

export class KafkaJSNonRetriableError extends KafkaJSError {
  constructor(message: string, options: { cause?: unknown } = {}) {
    super(message, { ...options, retriable: false });
    this.name = 'KafkaJSNonRetriableError';
  }
}

/** Adds KafkaJS's fields to errors thrown through the compatibility layer. */
export function toKafkaJSError(error: unknown): unknown {
  if (error instanceof KafkaError) {
    Object.assign(error, { type: error.errorName, code: error.errorCode });
    return error;
  }
  if (error instanceof ClientError) {
    Object.assign(error, { type: error.code, retriable: false });
    return error;
  }
  return error;
}

export async function wrap<T>(fn: () => Promise<T>): Promise<T> {
  try {
    return await fn();
  } catch (error) {
    throw toKafkaJSError(error);
  }
}

/** KafkaJS's message format: offsets and timestamps as decimal strings, headers as an object. */
export function headersObject(
  headers: readonly { key: string; value: Buffer | null }[],
): Record<string, Buffer | Buffer[] | undefined> {
  const out: Record<string, Buffer | Buffer[] | undefined> = {};
  for (const h of headers) {
    const value = h.value ?? undefined;
    const existing = out[h.key];
    if (existing === undefined) out[h.key] = value;
    else if (Array.isArray(existing)) existing.push(value as Buffer);
    else out[h.key] = [existing, value as Buffer];
  }
  return out;
}
