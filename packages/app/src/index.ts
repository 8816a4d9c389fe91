export {
  KafkaAdmin,
  type KafkaAdminOptions,
  type PartitionIncrease,
  type TopicConfigChange,
  type TopicsInitialization,
} from './admin/kafka-admin.js';
export { NewTopic, TopicBuilder } from './admin/new-topic.js';
export { DltHandler, KafkaListener, RetryableTopic, SendTo } from './annotation/kafka-listener.js';
export {
  type ContainerGroup,
  KafkaApplication,
  type KafkaApplicationOptions,
  type ListenerDefaults,
} from './application/kafka-application.js';
export type { KafkaListenerOptions } from './application/listener-endpoint.js';
export type { RetryTopicDeclaration, TopicDeclaration } from './application/topic-initializer.js';
export { type DurationUnit, parseSpringDataSize, parseSpringDuration } from './config/spring-duration.js';
export type {
  SpringAdminSettings,
  SpringKafkaConfig,
  SpringListenerSettings,
  SpringRetryTopicSettings,
  SpringStreamsOptions,
  SpringTemplateSettings,
} from './config/spring-kafka-config.js';
export {
  loadSpringKafkaConfig,
  parseSpringKafkaConfig,
  type SpringKafkaConfigOptions,
} from './config/spring-kafka-properties.js';
export { SpringPropertySource } from './config/spring-property-source.js';
export {
  type SpringSerde,
  type SpringSerdeFunctions,
  type SpringSerdeName,
  springSerdeOf,
  springSerdes,
} from './config/spring-serdes.js';
export {
  type BackOff,
  type BackOffExecution,
  ExponentialBackOff,
  type ExponentialBackOffOptions,
  FixedBackOff,
  STOP,
} from './error/back-off.js';
export { BatchListenerFailedException } from './error/batch-listener-failed-exception.js';
export {
  CommonContainerStoppingErrorHandler,
  ContainerStoppedException,
} from './error/common-container-stopping-error-handler.js';
export type {
  BatchDecision,
  CommonErrorHandler,
  ConsumerRecordRecoverer,
  ErrorHandlerContext,
  FailedRecord,
  RecordDecision,
} from './error/common-error-handler.js';
export {
  DeadLetterPublishingRecoverer,
  type DeadLetterPublishingRecovererOptions,
  type DestinationResolver,
  defaultDestinationResolver,
  type RawProducerRecord,
  type RawRecordPublisher,
} from './error/dead-letter-publishing-recoverer.js';
export { DefaultErrorHandler, type DefaultErrorHandlerOptions } from './error/default-error-handler.js';
export { type ErrorType, ExceptionClassifier } from './error/exception-classifier.js';
export { ListenerExecutionFailedException } from './error/listener-execution-failed-exception.js';
export { AckMode } from './listener/ack-mode.js';
export type { Acknowledgment } from './listener/acknowledgment.js';
export {
  type ConcurrentContainerOptions,
  ConcurrentMessageListenerContainer,
} from './listener/concurrent-message-listener-container.js';
export type {
  ContainerOptions,
  ContainerSettings,
  ReplyPublisher,
  TopicPartitionOffset,
} from './listener/container-options.js';
export { KafkaBackoffException } from './listener/kafka-backoff-exception.js';
export { KafkaMessageListenerContainer } from './listener/kafka-message-listener-container.js';
export type { ListenerConsumer } from './listener/listener-consumer.js';
export type {
  BatchListener,
  KafkaListenerErrorHandler,
  ListenerContext,
  RecordListener,
} from './listener/listener-context.js';
export type { ListenerMessage, MessageHeaders } from './listener/listener-message.js';
export { type ListenerEvent, type ListenerMetrics, listenerChannel } from './listener/listener-metrics.js';
export { type DestinationTopics, destinationTopics, type RetryTopic } from './retry/destination-topics.js';
export type { RetryBackOff, RetryTopicOptions } from './retry/retry-topic-options.js';
export { DeserializationException, isDeserializationException } from './serde/deserialization-exception.js';
export {
  type ErrorHandlingDeserializerOptions,
  errorHandlingDeserializer,
  type FailedDeserializationInfo,
} from './serde/error-handling-deserializer.js';
export {
  createJsonDeserializer,
  type JsonDeserializer,
  type JsonDeserializerOptions,
} from './serde/json-deserializer.js';
export { jsonSerdeFromProperties, SpringJsonProperties } from './serde/json-serde-from-properties.js';
export {
  createJsonSerializer,
  isJsonSerializer,
  type JsonSerializer,
  type JsonSerializerOptions,
  withTypeHeaders,
} from './serde/json-serializer.js';
export { type JsonClass, type JsonFactory, JsonTypeMapper, parseTypeMappings } from './serde/json-type-mapper.js';
export { KafkaHeaders, RetryTopicHeaders, TypeHeaders } from './support/kafka-headers.js';
export { type Logger, silentLogger, stderrLogger } from './support/logger.js';
export { correlationKeyOf, newCorrelationId } from './template/correlation-key.js';
export { KafkaTemplate, type KafkaTemplateOptions, NO_TRANSACTION_MESSAGE } from './template/kafka-template.js';
export {
  LoggingProducerListener,
  type LoggingProducerListenerOptions,
  type ProducerListener,
} from './template/producer-listener.js';
export {
  ReplyingKafkaTemplate,
  type ReplyingKafkaTemplateOptions,
  type ReplyLog,
  type SendAndReceiveOptions,
} from './template/replying-kafka-template.js';
export { KafkaReplyTimeoutException, RequestReplyFuture } from './template/request-reply-future.js';
export type { SendResult } from './template/send-result.js';
