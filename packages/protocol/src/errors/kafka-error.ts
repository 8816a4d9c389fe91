import { type ErrorCodeInfo, errorByCode } from './error-codes.js';

/**
 * The one error class of Samsa's Kafka-facing code. It carries a Kafka error code from the
 * protocol's error table, so that a failure anywhere (decoding, storage, a coordinator) maps to
 * exactly the code a Kafka client expects.
 */
export class KafkaError extends Error {
  readonly errorCode: number;
  readonly errorName: string;
  readonly retriable: boolean;

  constructor(errorCode: number, message?: string, options?: { cause?: unknown }) {
    const info: ErrorCodeInfo = errorByCode(errorCode);
    super(message ?? info.message, options);
    this.name = 'KafkaError';
    this.errorCode = errorCode;
    this.errorName = info.name;
    this.retriable = info.retriable;
  }

  override toString(): string {
    return `KafkaError ${this.errorName} (${this.errorCode}): ${this.message}`;
  }
}

/**
 * Thrown when bytes from the wire do not form a valid message. Always a `KafkaError` (code
 * INVALID_REQUEST unless a more precise code applies, e.g. CORRUPT_MESSAGE for record batches), so
 * that the broker can answer or close the connection without special cases.
 */
export class ProtocolDecodeError extends KafkaError {
  constructor(message: string, errorCode = 42 /* INVALID_REQUEST */) {
    super(errorCode, message);
    this.name = 'ProtocolDecodeError';
  }
}

/** Thrown when a message cannot be expressed in the requested version. */
export class UnsupportedVersionError extends KafkaError {
  constructor(message: string) {
    super(35 /* UNSUPPORTED_VERSION */, message);
    this.name = 'UnsupportedVersionError';
  }
}
