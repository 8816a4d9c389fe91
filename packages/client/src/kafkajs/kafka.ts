import type { ConnectionOptions } from 'node:tls';
import { KafkaJSAdmin } from './kafkajs-admin.js';
import { KafkaJSNonRetriableError } from './kafkajs-constants.js';
import { KafkaJSConsumer, type KafkaJSConsumerConfig } from './kafkajs-consumer.js';
import { KafkaJSProducer, type KafkaJSProducerConfig } from './kafkajs-producer.js';
import { type KafkaJSSaslOptions, kafkaJSSecuritySettings } from './kafkajs-security.js';

export interface KafkaConfig {
  brokers: string[] | (() => string[]);
  clientId?: string;
  connectionTimeout?: number;
  requestTimeout?: number;
  /** Accepted and ignored: the client logs nothing; use diagnostics_channel. */
  logLevel?: number;
  logCreator?: unknown;
  retry?: { retries?: number; initialRetryTime?: number; maxRetryTime?: number };
  /** TLS: `true`, or Node's tls.ConnectionOptions (`ca`, `cert`, `key`, `passphrase`, `rejectUnauthorized`, `servername`, ...). */
  ssl?: boolean | ConnectionOptions;
  /** SASL PLAIN, SCRAM-SHA-256/512 (`username`, `password`) or OAUTHBEARER (`oauthBearerProvider`); over TLS when `ssl` is set. */
  sasl?: KafkaJSSaslOptions;
  /** Accepted and ignored: SASL requests use `requestTimeout`. */
  authenticationTimeout?: number;
  /** Accepted and ignored: sessions are renewed at 85-95% of their lifetime, as Java's client does. */
  reauthenticationThreshold?: number;
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
    this.base = {
      ...kafkaJSSecuritySettings(config.ssl, config.sasl),
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
