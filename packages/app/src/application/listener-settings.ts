import { AckMode } from '../listener/ack-mode.js';
import type { ContainerSettings, ReplyPublisher } from '../listener/container-options.js';
import type { KafkaListenerErrorHandler } from '../listener/listener-context.js';
import type { Logger } from '../support/logger.js';
import type { KafkaApplicationOptions } from './application-options.js';
import { type KafkaListenerOptions, listenerGroupId } from './listener-endpoint.js';

export interface ContainerSettingsInput {
  readonly id: string;
  readonly options: KafkaListenerOptions;
  readonly application: KafkaApplicationOptions;
  /** The application's consumer settings with the listener's `properties`. */
  readonly consumerConfig: Readonly<Record<string, unknown>>;
  readonly listenerErrorHandler: KafkaListenerErrorHandler | undefined;
  readonly replyPublisher: () => ReplyPublisher;
  readonly logger: Logger;
}

export type ListenerContainerSettings = Omit<ContainerSettings<unknown, unknown>, 'errorHandler'> & {
  readonly concurrency: number;
};

/**
 * A listener's container settings: its own attributes, else the application's listener
 * defaults (`spring.kafka.listener.*`). The group is passed explicitly, chosen as Spring does
 * (`groupId`, explicit `id`, `group.id`); none leaves the container its generated id.
 */
export function containerSettings(input: ContainerSettingsInput): ListenerContainerSettings {
  const { id, options, application, consumerConfig, listenerErrorHandler } = input;
  const defaults = application.listener ?? {};
  const topics = typeof options.topics === 'string' ? [options.topics] : options.topics;
  const topicPattern =
    typeof options.topicPattern === 'string' ? new RegExp(options.topicPattern) : options.topicPattern;
  const keyDeserializer = options.keyDeserializer ?? application.keyDeserializer;
  const valueDeserializer = options.valueDeserializer ?? application.valueDeserializer;
  const groupId = listenerGroupId(options, consumerConfig);
  const clientIdPrefix = options.clientIdPrefix ?? defaults.clientIdPrefix;
  const ackCount = options.ackCount ?? defaults.ackCount;
  const ackTimeMs = options.ackTimeMs ?? defaults.ackTimeMs;
  const idleEventIntervalMs = options.idleEventIntervalMs ?? defaults.idleEventIntervalMs;
  return {
    id,
    ...(topics === undefined ? {} : { topics }),
    ...(topicPattern === undefined ? {} : { topicPattern }),
    ...(options.topicPartitions === undefined ? {} : { topicPartitions: options.topicPartitions }),
    consumerConfig,
    ...(groupId === undefined ? {} : { groupId }),
    ...(clientIdPrefix === undefined ? {} : { clientIdPrefix }),
    ...(keyDeserializer === undefined ? {} : { keyDeserializer }),
    ...(valueDeserializer === undefined ? {} : { valueDeserializer }),
    ackMode: options.ackMode ?? defaults.ackMode ?? AckMode.BATCH,
    ...(ackCount === undefined ? {} : { ackCount }),
    ...(ackTimeMs === undefined ? {} : { ackTimeMs }),
    ...(defaults.pollTimeoutMs === undefined ? {} : { pollTimeoutMs: defaults.pollTimeoutMs }),
    ...(idleEventIntervalMs === undefined ? {} : { idleEventIntervalMs }),
    ...(listenerErrorHandler === undefined ? {} : { listenerErrorHandler }),
    ...(options.sendTo === undefined ? {} : { sendTo: options.sendTo, replyPublisher: input.replyPublisher() }),
    ...(defaults.immediateStop === undefined ? {} : { immediateStop: defaults.immediateStop }),
    concurrency: options.concurrency ?? defaults.concurrency ?? 1,
    logger: input.logger,
  };
}
