/**
 * Header names Spring for Apache Kafka uses (`org.springframework.kafka.support.KafkaHeaders`),
 * with the same strings, so that records crossing between a Spring application and this one keep
 * their meaning. Only the headers that travel on the wire matter for interop (reply topic,
 * correlation id, dead-letter and type headers); the `RECEIVED_*` names are what a listener's
 * context exposes, as Spring's `@Header(KafkaHeaders.RECEIVED_TOPIC)` does.
 */
export const KafkaHeaders = {
  PREFIX: 'kafka_',
  RECEIVED: 'kafka_received',
  TOPIC: 'kafka_topic',
  KEY: 'kafka_messageKey',
  PARTITION: 'kafka_partitionId',
  OFFSET: 'kafka_offset',
  TIMESTAMP: 'kafka_timestamp',
  TIMESTAMP_TYPE: 'kafka_timestampType',
  RECEIVED_TOPIC: 'kafka_receivedTopic',
  RECEIVED_KEY: 'kafka_receivedMessageKey',
  RECEIVED_PARTITION: 'kafka_receivedPartitionId',
  RECEIVED_TIMESTAMP: 'kafka_receivedTimestamp',
  GROUP_ID: 'kafka_groupId',
  DELIVERY_ATTEMPT: 'kafka_deliveryAttempt',
  /** Request/reply: where the reply goes (UTF-8 topic name) and how it is matched (opaque bytes). */
  REPLY_TOPIC: 'kafka_replyTopic',
  REPLY_PARTITION: 'kafka_replyPartition',
  CORRELATION_ID: 'kafka_correlationId',
  /** Dead-letter headers written by DeadLetterPublishingRecoverer (binary ints/longs big-endian). */
  DLT_EXCEPTION_FQCN: 'kafka_dlt-exception-fqcn',
  DLT_EXCEPTION_CAUSE_FQCN: 'kafka_dlt-exception-cause-fqcn',
  DLT_EXCEPTION_MESSAGE: 'kafka_dlt-exception-message',
  DLT_EXCEPTION_STACKTRACE: 'kafka_dlt-exception-stacktrace',
  DLT_KEY_EXCEPTION_FQCN: 'kafka_dlt-key-exception-fqcn',
  DLT_KEY_EXCEPTION_MESSAGE: 'kafka_dlt-key-exception-message',
  DLT_KEY_EXCEPTION_STACKTRACE: 'kafka_dlt-key-exception-stacktrace',
  DLT_ORIGINAL_TOPIC: 'kafka_dlt-original-topic',
  DLT_ORIGINAL_PARTITION: 'kafka_dlt-original-partition',
  DLT_ORIGINAL_OFFSET: 'kafka_dlt-original-offset',
  DLT_ORIGINAL_TIMESTAMP: 'kafka_dlt-original-timestamp',
  DLT_ORIGINAL_TIMESTAMP_TYPE: 'kafka_dlt-original-timestamp-type',
  DLT_ORIGINAL_CONSUMER_GROUP: 'kafka_dlt-original-consumer-group',
} as const;

/** Headers of non-blocking retries (Spring's RetryTopicHeaders). */
export const RetryTopicHeaders = {
  /** Delivery attempts so far, a 4-byte big-endian int as Spring writes it. */
  ATTEMPTS: 'retry_topic-attempts',
  /** When the record may be processed again: epoch ms as Java's BigInteger.toByteArray() writes it. */
  BACKOFF_TIMESTAMP: 'retry_topic-backoff-timestamp',
  /** The first attempt's timestamp: epoch ms as Java's BigInteger.toByteArray() writes it (6 bytes today). */
  ORIGINAL_TIMESTAMP: 'retry_topic-original-timestamp',
} as const;

/** Spring's JSON type headers (`AbstractJavaTypeMapper`). */
export const TypeHeaders = {
  VALUE_TYPE_ID: '__TypeId__',
  KEY_TYPE_ID: '__Key_TypeId__',
  CONTENT_TYPE_ID: '__ContentTypeId__',
  KEY_CONTENT_TYPE_ID: '__Key_ContentTypeId__',
} as const;
