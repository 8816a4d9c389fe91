/**
 * `@samsa/client/kafkajs`: the commonly used KafkaJS API (Kafka, producer.send/sendBatch and
 * transactions, consumer.subscribe/run/commitOffsets/seek/pause/resume, admin topic, config, group
 * and offset calls) on Samsa's client, so that moving off KafkaJS is a one-line import change.
 */
export { Kafka, type KafkaConfig } from './kafka.js';
export {
  AclOperationTypes,
  AclPermissionTypes,
  AclResourceTypes,
  type KafkaJSAcl,
  type KafkaJSAclFilter,
  ResourcePatternTypes,
} from './kafkajs-acls.js';
export { KafkaJSAdmin } from './kafkajs-admin.js';
export {
  CompressionTypes,
  ConfigResourceTypes,
  KafkaJSError,
  KafkaJSNonRetriableError,
  logLevel,
} from './kafkajs-constants.js';
export {
  KafkaJSConsumer,
  type KafkaJSConsumerConfig,
  type KafkaJSConsumerRunConfig,
  type KafkaJSEachBatchPayload,
  type KafkaJSEachMessagePayload,
  type KafkaJSKafkaMessage,
} from './kafkajs-consumer.js';
export {
  type KafkaJSMessage,
  KafkaJSProducer,
  type KafkaJSProducerConfig,
  type KafkaJSProducerRecord,
  type KafkaJSRecordMetadata,
  KafkaJSTransaction,
  Partitioners,
} from './kafkajs-producer.js';
export type { KafkaJSSaslOptions } from './kafkajs-security.js';
