import { ErrorCode, KafkaError } from '@samsa/protocol';

/**
 * Errors raised by the client itself rather than sent by a broker. Broker errors are always
 * `KafkaError` (from `@samsa/protocol`) with Kafka's name and code; these carry a stable
 * `code` string (`SAMSA_ERR_*`) so that callers can branch on them without parsing messages.
 */
export const ClientErrorCode = {
  /** A setting is unknown, mistyped or out of range; `key` names it. */
  CONFIG: 'SAMSA_ERR_CONFIG',
  /** `send` waited `max.block.ms` for `buffer.memory` to free up (Java's BufferExhaustedException). */
  BUFFER_EXHAUSTED: 'SAMSA_ERR_BUFFER_EXHAUSTED',
  /** A record was not acknowledged within `delivery.timeout.ms` (Java's TimeoutException on expiry). */
  DELIVERY_TIMEOUT: 'SAMSA_ERR_DELIVERY_TIMEOUT',
  /** Metadata for a topic could not be had within `max.block.ms`. */
  METADATA_TIMEOUT: 'SAMSA_ERR_METADATA_TIMEOUT',
  /** The client was closed while the call was waiting or before it started. */
  CLOSED: 'SAMSA_ERR_CLOSED',
  /** An `AbortSignal` passed to the call fired. */
  ABORTED: 'SAMSA_ERR_ABORTED',
  /** The call is not valid in the client's current state (e.g. commit without a group). */
  ILLEGAL_STATE: 'SAMSA_ERR_ILLEGAL_STATE',
  /** No committed offset and `auto.offset.reset=none` (Java's NoOffsetForPartitionException). */
  NO_OFFSET_FOR_PARTITION: 'SAMSA_ERR_NO_OFFSET_FOR_PARTITION',
  /** The fetch position is beyond the leader's log after an unclean leader change (KIP-320). */
  LOG_TRUNCATION: 'SAMSA_ERR_LOG_TRUNCATION',
  /** No broker of `bootstrap.servers` could be reached. */
  NO_BROKERS: 'SAMSA_ERR_NO_BROKERS',
  /** The TLS handshake failed: the broker's certificate is not trusted or names another host (Java's SslAuthenticationException). */
  SSL_AUTHENTICATION: 'SAMSA_ERR_SSL_AUTHENTICATION',
} as const;
export type ClientErrorCode = (typeof ClientErrorCode)[keyof typeof ClientErrorCode];

export class ClientError extends Error {
  readonly code: ClientErrorCode;
  constructor(code: ClientErrorCode, message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'ClientError';
    this.code = code;
  }
}

/** An invalid or unknown setting. Thrown by constructors, so a bad config never half-starts a client. */
export class ConfigError extends ClientError {
  readonly key: string;
  constructor(key: string, message: string) {
    super(ClientErrorCode.CONFIG, `invalid configuration '${key}': ${message}`);
    this.name = 'ConfigError';
    this.key = key;
  }
}

/**
 * The connection to a broker failed or closed with requests in flight. Retriable, with Kafka's
 * NETWORK_EXCEPTION code, so retry logic treats it like the broker error of the same meaning.
 */
export class KafkaConnectionError extends KafkaError {
  readonly broker: string;
  constructor(broker: string, message: string, options?: { cause?: unknown }) {
    super(ErrorCode.NETWORK_EXCEPTION, `${broker}: ${message}`, options);
    this.name = 'KafkaConnectionError';
    this.broker = broker;
  }
}

/**
 * The TLS handshake failed for a reason retrying will not fix: the broker's certificate is not
 * signed by a trusted CA, names another host, has expired, or the broker refused ours. Not
 * retriable, as Java's SslAuthenticationException; `broker` names the address.
 */
export class SslAuthenticationError extends ClientError {
  readonly broker: string;
  constructor(broker: string, message: string, options?: { cause?: unknown }) {
    super(ClientErrorCode.SSL_AUTHENTICATION, `${broker}: ${message}`, options);
    this.name = 'SslAuthenticationError';
    this.broker = broker;
  }
}

/**
 * SASL failed: wrong credentials (SASL_AUTHENTICATION_FAILED, with the broker's message), a
 * mechanism the broker does not enable (UNSUPPORTED_SASL_MECHANISM), or an exchange out of order
 * (ILLEGAL_SASL_STATE). Kafka's error codes, none retriable: the operation fails with it rather
 * than reconnecting forever (Java's SaslAuthenticationException).
 */
export class SaslAuthenticationError extends KafkaError {
  readonly broker: string;
  constructor(errorCode: number, broker: string, message: string, options?: { cause?: unknown }) {
    super(errorCode, `${broker}: ${message}`, options);
    this.name = 'SaslAuthenticationError';
    this.broker = broker;
  }
}

/** Whether `error` is a TLS or SASL authentication failure (final until the credentials change). */
export function isAuthenticationError(error: unknown): error is SslAuthenticationError | SaslAuthenticationError {
  return error instanceof SslAuthenticationError || error instanceof SaslAuthenticationError;
}

/** No response within `request.timeout.ms`; the connection is closed, as Java's NetworkClient does. */
export class RequestTimeoutError extends KafkaError {
  constructor(message: string) {
    super(ErrorCode.REQUEST_TIMED_OUT, message);
    this.name = 'RequestTimeoutError';
  }
}

export function abortError(signal: AbortSignal): ClientError {
  const reason = signal.reason instanceof Error ? signal.reason.message : String(signal.reason ?? 'aborted');
  return new ClientError(ClientErrorCode.ABORTED, `aborted: ${reason}`, { cause: signal.reason });
}

export function closedError(what: string): ClientError {
  return new ClientError(ClientErrorCode.CLOSED, `${what} is closed`);
}

/** Turns a response error code into a `KafkaError` (or undefined for NONE). */
export function kafkaErrorOf(errorCode: number, context?: string, message?: string | null): KafkaError | undefined {
  if (errorCode === 0) return undefined;
  const error = new KafkaError(errorCode, undefined);
  const detail = message ?? error.message;
  return new KafkaError(errorCode, context === undefined ? detail : `${context}: ${detail}`);
}

/** Throws the `KafkaError` for a non-zero code. */
export function throwIfError(errorCode: number, context?: string, message?: string | null): void {
  const error = kafkaErrorOf(errorCode, context, message);
  if (error !== undefined) throw error;
}
