import type { Deserializer, Serializer } from '@samsa/client';
import type { KafkaAdminOptions } from '../admin/kafka-admin.js';
import type { CommonErrorHandler } from '../error/common-error-handler.js';
import type { AckMode } from '../listener/ack-mode.js';
import type { RetryTopicOptions } from '../retry/retry-topic-options.js';
import type { JsonTypeMapper } from '../serde/json-type-mapper.js';
import type { Logger } from '../support/logger.js';
import type { ProducerListener } from '../template/producer-listener.js';
import type { TopicDeclaration } from './topic-initializer.js';

/** Spring Boot's `spring.kafka.listener.*`, as defaults for every listener. */
export interface ListenerDefaults {
  readonly type?: 'single' | 'batch';
  readonly ackMode?: AckMode;
  readonly ackCount?: number;
  readonly ackTimeMs?: number;
  readonly concurrency?: number;
  readonly pollTimeoutMs?: number;
  readonly idleEventIntervalMs?: number;
  /** Refuse to start a listener whose topics do not exist (Spring's missing-topics-fatal). */
  readonly missingTopicsFatal?: boolean;
  readonly immediateStop?: boolean;
  /**
   * Spring Boot's `spring.kafka.listener.client-id`: the client id prefix of listeners that name
   * none (`-0`, `-1`… per consumer; retry containers add their topic's suffix).
   */
  readonly clientIdPrefix?: string;
}

export interface KafkaApplicationOptions {
  /** Client settings shared by consumers, producers and admin (`bootstrap.servers`, security…). */
  readonly common?: Readonly<Record<string, unknown>>;
  readonly consumer?: Readonly<Record<string, unknown>>;
  readonly producer?: Readonly<Record<string, unknown>>;
  readonly admin?: Readonly<Record<string, unknown>>;
  readonly listener?: ListenerDefaults;
  /** Spring's `spring.kafka.template.default-topic`. */
  readonly defaultTopic?: string;
  /** Spring's `spring.kafka.producer.transaction-id-prefix`: the template becomes transactional. */
  readonly transactionIdPrefix?: string;
  /** Topics created (or grown) at start, as Spring's `NewTopic` beans. */
  readonly topics?: readonly TopicDeclaration[];
  /** Deserializers of every listener unless it names its own (bytes otherwise). */
  readonly keyDeserializer?: Deserializer<unknown>;
  readonly valueDeserializer?: Deserializer<unknown>;
  readonly keySerializer?: Serializer<unknown>;
  readonly valueSerializer?: Serializer<unknown>;
  readonly producerListener?: ProducerListener<unknown, unknown> | null;
  /** The container error handler of listeners that name none (a DefaultErrorHandler otherwise). */
  readonly commonErrorHandler?: CommonErrorHandler;
  readonly logger?: Logger;
  /** Signals that stop the application gracefully (default SIGTERM and SIGINT; `false` for none). */
  readonly shutdownSignals?: readonly NodeJS.Signals[] | false;
  /** How declared topics are created at start (Spring's KafkaAdmin: autoCreate, fail-fast, …). */
  readonly kafkaAdmin?: KafkaAdminOptions;
  /** Default `autoStartup` of listeners (`spring.kafka.listener.auto-startup`). */
  readonly autoStartup?: boolean;
  /**
   * Non-blocking retries for every record listener that has no `retryableTopic` of its own and
   * names its topics (Spring Boot's `spring.kafka.retry.topic.*`, a global RetryTopicConfiguration).
   */
  readonly retryTopic?: RetryTopicOptions;
}

/** Everything a Spring Boot configuration gives, plus what only code can (types, handlers). */
export type SpringApplicationOptions = Omit<KafkaApplicationOptions, 'common' | 'consumer' | 'producer' | 'admin'> & {
  /** Classes for Spring's `__TypeId__` headers, shared by the JSON serializers and deserializers. */
  readonly typeMapper?: JsonTypeMapper;
};
