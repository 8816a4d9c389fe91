import { ClientError, ClientErrorCode, KafkaError } from '@samsa/client';

/**
 * Java's name for the exception of a Kafka error, as Kafka's tools print it when they print a
 * Throwable (`Error completing leader election (PREFERRED) for partition: t-0:
 * org.apache.kafka.common.errors.PreferredLeaderNotAvailableException: ...`) or its class
 * (`kafka-log-dirs.sh`'s `"error"`). Java's `Errors` table maps each code to a class named after
 * the error in CamelCase; these are the names that do not follow the rule.
 */
const IRREGULAR: Readonly<Record<string, string>> = {
  UNKNOWN_SERVER_ERROR: 'UnknownServerException',
  CORRUPT_MESSAGE: 'CorruptRecordException',
  REQUEST_TIMED_OUT: 'TimeoutException',
  NETWORK_EXCEPTION: 'NetworkException',
  INVALID_TOPIC_EXCEPTION: 'InvalidTopicException',
  NOT_ENOUGH_REPLICAS: 'NotEnoughReplicasException',
  NOT_ENOUGH_REPLICAS_AFTER_APPEND: 'NotEnoughReplicasAfterAppendException',
  INVALID_REQUIRED_ACKS: 'InvalidRequiredAcksException',
  TOPIC_AUTHORIZATION_FAILED: 'TopicAuthorizationException',
  GROUP_AUTHORIZATION_FAILED: 'GroupAuthorizationException',
  CLUSTER_AUTHORIZATION_FAILED: 'ClusterAuthorizationException',
  UNSUPPORTED_VERSION: 'UnsupportedVersionException',
  LOG_DIR_NOT_FOUND: 'LogDirNotFoundException',
};

function camel(name: string): string {
  return name
    .toLowerCase()
    .split('_')
    .map((w) => (w === '' ? '' : (w[0] as string).toUpperCase() + w.slice(1)))
    .join('');
}

/** `org.apache.kafka.common.errors.<Class>` for an error name such as `KAFKA_STORAGE_ERROR`. */
export function javaExceptionClass(errorName: string): string {
  const simple = IRREGULAR[errorName] ?? `${camel(errorName.replace(/_(ERROR|EXCEPTION)$/, ''))}Exception`;
  return `org.apache.kafka.common.errors.${simple}`;
}

/** What Java's `Throwable.toString()` prints for a Kafka error: `<class>: <message>`. */
export function javaThrowableText(error: KafkaError): string {
  return `${javaExceptionClass(error.errorName)}: ${error.message}`;
}

/** The Java exceptions behind the client's own errors, as Java's clients raise them. */
const CLIENT_EXCEPTIONS: Readonly<Record<string, string>> = {
  [ClientErrorCode.DELIVERY_TIMEOUT]: 'org.apache.kafka.common.errors.TimeoutException',
  [ClientErrorCode.METADATA_TIMEOUT]: 'org.apache.kafka.common.errors.TimeoutException',
  [ClientErrorCode.BUFFER_EXHAUSTED]: 'org.apache.kafka.clients.producer.BufferExhaustedException',
  [ClientErrorCode.CONFIG]: 'org.apache.kafka.common.config.ConfigException',
  [ClientErrorCode.ILLEGAL_STATE]: 'java.lang.IllegalStateException',
  [ClientErrorCode.NO_OFFSET_FOR_PARTITION]: 'org.apache.kafka.clients.consumer.NoOffsetForPartitionException',
  [ClientErrorCode.LOG_TRUNCATION]: 'org.apache.kafka.clients.consumer.LogTruncationException',
};

/**
 * The Java class name of the exception Java's client would have raised for `error`: a Kafka
 * error's class, the matching class of a client error, else `org.apache.kafka.common.KafkaException`.
 */
export function javaExceptionName(error: unknown): string {
  if (error instanceof KafkaError) return javaExceptionClass(error.errorName);
  if (error instanceof ClientError) return CLIENT_EXCEPTIONS[error.code] ?? 'org.apache.kafka.common.KafkaException';
  return 'org.apache.kafka.common.KafkaException';
}
