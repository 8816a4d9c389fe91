import type { SpringKafkaConfig, SpringRetryTopicSettings } from '../config/spring-kafka-config.js';
import { loadSpringKafkaConfig } from '../config/spring-kafka-properties.js';
import { springSerdes } from '../config/spring-serdes.js';
import type { RetryBackOff, RetryTopicOptions } from '../retry/retry-topic-options.js';
import type { KafkaApplicationOptions, SpringApplicationOptions } from './application-options.js';

/**
 * The options of an application configured as Spring Boot would configure it (see
 * `KafkaApplication.fromSpringConfig`). `options` override what the configuration says, except
 * `retryTopic`, which is merged over `spring.kafka.retry.topic.*` when that is enabled (to add a
 * `dltHandler`, say).
 */
export function springApplicationOptions(
  config: SpringKafkaConfig | string,
  options: SpringApplicationOptions = {},
): KafkaApplicationOptions {
  const cfg = typeof config === 'string' ? loadSpringKafkaConfig(config) : config;
  const serdes = springSerdes(cfg.serdes, options.typeMapper);
  const l = cfg.listener;
  const a = cfg.kafkaAdmin;
  const transactionIdPrefix = cfg.template.transactionIdPrefix ?? cfg.producerTransactionIdPrefix;
  const { typeMapper: _mapper, retryTopic, ...rest } = options;
  const bootRetryTopic = springRetryTopic(cfg.retryTopic);
  const merged = bootRetryTopic === undefined ? retryTopic : { ...bootRetryTopic, ...retryTopic };
  return {
    common: cfg.common,
    consumer: cfg.consumer,
    producer: cfg.producer,
    admin: cfg.admin,
    listener: {
      type: l.type,
      ackMode: l.ackMode,
      ...(l.ackCount === undefined ? {} : { ackCount: l.ackCount }),
      ...(l.ackTimeMs === undefined ? {} : { ackTimeMs: l.ackTimeMs }),
      concurrency: l.concurrency,
      pollTimeoutMs: l.pollTimeoutMs,
      ...(l.idleEventIntervalMs === undefined ? {} : { idleEventIntervalMs: l.idleEventIntervalMs }),
      missingTopicsFatal: l.missingTopicsFatal,
      immediateStop: l.immediateStop,
      ...(l.clientIdPrefix === undefined || l.clientIdPrefix === '' ? {} : { clientIdPrefix: l.clientIdPrefix }),
    },
    autoStartup: l.autoStartup,
    ...(cfg.template.defaultTopic === undefined ? {} : { defaultTopic: cfg.template.defaultTopic }),
    ...(transactionIdPrefix === undefined ? {} : { transactionIdPrefix }),
    keySerializer: serdes.producer.keySerializer,
    valueSerializer: serdes.producer.valueSerializer,
    keyDeserializer: serdes.consumer.keyDeserializer,
    valueDeserializer: serdes.consumer.valueDeserializer,
    kafkaAdmin: {
      autoCreate: a.autoCreate,
      fatalIfBrokerNotAvailable: a.failFast,
      modifyTopicConfigs: a.modifyTopicConfigs,
      ...(a.operationTimeoutMs === undefined ? {} : { operationTimeoutMs: a.operationTimeoutMs }),
    },
    ...(merged === undefined ? {} : { retryTopic: merged }),
    ...rest,
  };
}

/**
 * Spring Boot's `kafkaRetryTopicConfiguration` bean: present when `spring.kafka.retry.topic.enabled`
 * is true, with `maxAttempts(attempts)`, `useSingleTopicForSameIntervals()`,
 * `suffixTopicsWithIndexValues()`, `doNotAutoCreateRetryTopics()`, and a back-off built from
 * delay, multiplier, max-delay and random (none at all when the delay is 0).
 */
export function springRetryTopic(settings: SpringRetryTopicSettings): RetryTopicOptions | undefined {
  if (!settings.enabled) return undefined;
  const backoff: RetryBackOff =
    settings.delayMs > 0
      ? {
          delayMs: settings.delayMs,
          ...(settings.multiplier > 0 ? { multiplier: settings.multiplier } : {}),
          ...(settings.maxDelayMs > 0 ? { maxDelayMs: settings.maxDelayMs } : {}),
          ...(settings.random ? { random: true } : {}),
        }
      : { delayMs: 0 };
  return {
    attempts: settings.attempts,
    backoff,
    topicSuffixingStrategy: 'SUFFIX_WITH_INDEX_VALUE',
    sameIntervalTopicReuseStrategy: 'SINGLE_TOPIC',
    autoCreateTopics: false,
  };
}
