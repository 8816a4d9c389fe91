import { ClientError, KafkaError } from '@samsa/client';

/**
 * An error the HTTP API answers with its status and a JSON `{ error, message }` body. Anything
 * that is not an HttpError, a KafkaError or a ClientError is a 500 whose message is generic: the
 * console never sends a stack trace or an internal message to the browser.
 */
export class HttpError extends Error {
  constructor(
    readonly statusCode: number,
    message: string,
    readonly code = statusCode === 404 ? 'NOT_FOUND' : statusCode === 409 ? 'CONFLICT' : 'BAD_REQUEST',
  ) {
    super(message);
    this.name = 'HttpError';
  }
}

/** Kafka error names that are the caller's fault (4xx) and the status that fits each. */
const KAFKA_STATUS: Readonly<Record<string, number>> = {
  UNKNOWN_TOPIC_OR_PARTITION: 404,
  GROUP_ID_NOT_FOUND: 404,
  TOPIC_ALREADY_EXISTS: 409,
  NON_EMPTY_GROUP: 409,
  UNKNOWN_MEMBER_ID: 409,
  REBALANCE_IN_PROGRESS: 409,
  INVALID_TOPIC_EXCEPTION: 400,
  INVALID_PARTITIONS: 400,
  INVALID_REPLICATION_FACTOR: 400,
  INVALID_CONFIG: 400,
  INVALID_REQUEST: 400,
  INVALID_GROUP_ID: 400,
  POLICY_VIOLATION: 400,
  INVALID_REPLICA_ASSIGNMENT: 400,
  OFFSET_OUT_OF_RANGE: 400,
  RECORD_TOO_LARGE: 413,
  MESSAGE_TOO_LARGE: 413,
  TOPIC_AUTHORIZATION_FAILED: 403,
  GROUP_AUTHORIZATION_FAILED: 403,
  CLUSTER_AUTHORIZATION_FAILED: 403,
  SECURITY_DISABLED: 400,
  GROUP_SUBSCRIBED_TO_TOPIC: 409,
  UNACCEPTABLE_CREDENTIAL: 400,
  UNSUPPORTED_SASL_MECHANISM: 400,
};

export interface ErrorReply {
  readonly statusCode: number;
  readonly body: { readonly error: string; readonly message: string };
}

export function errorReply(error: unknown): ErrorReply {
  if (error instanceof HttpError)
    return { statusCode: error.statusCode, body: { error: error.code, message: error.message } };
  if (error instanceof KafkaError) {
    return {
      statusCode: KAFKA_STATUS[error.errorName] ?? 502,
      body: { error: error.errorName, message: error.message },
    };
  }
  if (error instanceof ClientError)
    return { statusCode: 502, body: { error: 'CLUSTER_UNAVAILABLE', message: error.message } };
  // Fastify's own errors (a malformed JSON body, a body too large) carry a 4xx status.
  const status = (error as { statusCode?: unknown } | null)?.statusCode;
  if (typeof status === 'number' && status >= 400 && status < 500) {
    return { statusCode: status, body: { error: 'BAD_REQUEST', message: (error as Error).message } };
  }
  return { statusCode: 500, body: { error: 'INTERNAL', message: 'internal error; see the console log' } };
}
