import type { AckMode } from '../listener/ack-mode.js';
import type { SpringSerde } from './spring-serdes.js';

/**
 * What a Spring Boot `spring.kafka.*` configuration says, bound as Boot's `KafkaProperties`
 * binds it: client settings in Kafka's names (ready for `new Producer(...)`, `new Consumer(...)`,
 * `new Admin(...)`), and the settings of Spring's own components, typed, with Boot's defaults.
 */
export interface SpringKafkaConfig {
  /** What every client shares: bootstrap servers, client id, ssl, security, `spring.kafka.properties.*`. */
  readonly common: Readonly<Record<string, string>>;
  readonly producer: Readonly<Record<string, string>>;
  readonly consumer: Readonly<Record<string, string>>;
  readonly admin: Readonly<Record<string, string>>;
  /** Present when a `spring.kafka.streams.*` key is. */
  readonly streams?: Readonly<Record<string, string>>;
  readonly streamsOptions?: SpringStreamsOptions;
  /** The configured serdes; `springSerdes(config.serdes, mapper)` builds them. */
  readonly serdes: {
    readonly producerKey: SpringSerde;
    readonly producerValue: SpringSerde;
    readonly consumerKey: SpringSerde;
    readonly consumerValue: SpringSerde;
  };
  readonly listener: SpringListenerSettings;
  readonly template: SpringTemplateSettings;
  /** `spring.kafka.producer.transaction-id-prefix`: the producer factory's, not a client setting. */
  readonly producerTransactionIdPrefix?: string;
  readonly kafkaAdmin: SpringAdminSettings;
  readonly retryTopic: SpringRetryTopicSettings;
  /** The consumer value deserializer's `spring.json.trusted.packages`, split. */
  readonly jsonTrustedPackages?: readonly string[];
}

/** `spring.kafka.listener.*` (Boot's `KafkaProperties.Listener`), with the container's defaults filled in. */
export interface SpringListenerSettings {
  readonly type: 'single' | 'batch';
  /** Boot leaves it unset; the container's default is BATCH. */
  readonly ackMode: AckMode;
  readonly ackCount?: number;
  readonly ackTimeMs?: number;
  readonly asyncAcks?: boolean;
  /** Boot's `client-id`: a prefix of the listener consumers' client.id. */
  readonly clientIdPrefix?: string;
  /** Boot leaves it unset; the container factory's default is 1. */
  readonly concurrency: number;
  /** Boot leaves it unset; the container's default is 5000 ms. */
  readonly pollTimeoutMs: number;
  readonly noPollThreshold?: number;
  readonly idleBetweenPollsMs: number;
  readonly idleEventIntervalMs?: number;
  readonly idlePartitionEventIntervalMs?: number;
  readonly monitorIntervalMs?: number;
  readonly logContainerConfig?: boolean;
  readonly missingTopicsFatal: boolean;
  readonly immediateStop: boolean;
  readonly autoStartup: boolean;
  readonly changeConsumerThreadName?: boolean;
  readonly observationEnabled: boolean;
  readonly authExceptionRetryIntervalMs?: number;
}

/** `spring.kafka.template.*`. */
export interface SpringTemplateSettings {
  readonly defaultTopic?: string;
  /** Overrides the producer's transaction id prefix for the template. */
  readonly transactionIdPrefix?: string;
  readonly observationEnabled: boolean;
}

/** `spring.kafka.admin.*` settings of Spring's `KafkaAdmin` (not the admin client's). */
export interface SpringAdminSettings {
  /** Fail at startup when the broker cannot be reached (`KafkaAdmin.fatalIfBrokerNotAvailable`). */
  readonly failFast: boolean;
  readonly autoCreate: boolean;
  readonly modifyTopicConfigs: boolean;
  readonly closeTimeoutMs?: number;
  readonly operationTimeoutMs?: number;
}

export interface SpringStreamsOptions {
  readonly autoStartup: boolean;
  readonly cleanupOnStartup: boolean;
  readonly cleanupOnShutdown: boolean;
}

/** `spring.kafka.retry.topic.*`: non-blocking retries (Boot's `KafkaProperties.Retry.Topic`). */
export interface SpringRetryTopicSettings {
  readonly enabled: boolean;
  /** Processing attempts before the record goes to the DLT. */
  readonly attempts: number;
  readonly delayMs: number;
  readonly multiplier: number;
  readonly maxDelayMs: number;
  readonly random: boolean;
}
