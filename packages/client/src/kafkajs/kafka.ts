import { KafkaJSAdmin } from './kafkajs-admin.js';
import { KafkaJSNonRetriableError } from './kafkajs-constants.js';
import { KafkaJSConsumer, type KafkaJSConsumerConfig } from './kafkajs-consumer.js';
import { KafkaJSProducer, type KafkaJSProducerConfig } from './kafkajs-producer.js';

export interface KafkaConfig {
  brokers: string[] | (() => string[]);
  clientId?: string;
  connectionTimeout?: number;
  requestTimeout?: number;
  /** Accepted and ignored: the client logs nothing; use diagnostics_channel. */
  logLevel?: number;
  logCreator?: unknown;
  retry?: { retries?: number; initialRetryTime?: number; maxRetryTime?: number };
  /** Only plaintext connections are implemented; TLS or SASL settings are refused. */
  ssl?: boolean | object;
  sasl?: object;
}

/**
 * KafkaJS's entry point over Samsa's client: switching is
 * `import { Kafka } from '@samsa/client/kafkajs'` instead of `from 'kafkajs'`.
 */
export class Kafka {
  private readonly base: Readonly<Record<string, unknown>>;

  constructor(config: KafkaConfig) {
    const brokers = typeof config.brokers === 'function' ? config.brokers() : config.brokers;
    if (!Array.isArray(brokers) || brokers.length === 0)
      throw new KafkaJSNonRetriableError('Failed to connect: brokers should not be empty');
    if ((config.ssl !== undefined && config.ssl !== false) || config.sasl !== undefined) {
      throw new KafkaJSNonRetriableError('ssl and sasl are not supported by @samsa/client yet');
    }
    this.base = {
      'bootstrap.servers': brokers,
      'client.id': config.clientId ?? 'kafkajs',
      ...(config.connectionTimeout === undefined
        ? {}
        : { 'socket.connection.setup.timeout.ms': config.connectionTimeout }),
      ...(config.requestTimeout === undefined ? {} : { 'request.timeout.ms': config.requestTimeout }),
      ...(config.retry?.initialRetryTime === undefined ? {} : { 'retry.backoff.ms': config.retry.initialRetryTime }),
      ...(config.retry?.maxRetryTime === undefined ? {} : { 'retry.backoff.max.ms': config.retry.maxRetryTime }),
    };
  }

  producer(config: KafkaJSProducerConfig = {}): KafkaJSProducer {
    return new KafkaJSProducer(this.base, config);
  }

  consumer(config: KafkaJSConsumerConfig): KafkaJSConsumer {
    return new KafkaJSConsumer(this.base, config);
  }

  admin(): KafkaJSAdmin {
    return new KafkaJSAdmin(this.base);
  }
}
