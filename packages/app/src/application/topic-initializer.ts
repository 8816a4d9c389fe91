import type { ConfigInput } from '@samsa/client';
import { KafkaAdmin, type KafkaAdminOptions } from '../admin/kafka-admin.js';
import { NewTopic } from '../admin/new-topic.js';
import type { Logger } from '../support/logger.js';

/** A topic to create at start: a NewTopic, or its fields. */
export type TopicDeclaration =
  | NewTopic
  | {
      readonly name: string;
      readonly numPartitions?: number;
      readonly replicationFactor?: number;
      readonly configs?: Readonly<Record<string, string>>;
    };

/** A retry or dead-letter topic: as many partitions as `partitionsLike` unless told otherwise. */
export interface RetryTopicDeclaration {
  readonly name: string;
  readonly partitionsLike: string;
  readonly numPartitions?: number;
  readonly replicationFactor?: number;
}

/**
 * The topics an application declares, created or grown by a KafkaAdmin when it starts. Retry
 * and dead-letter topics get their main topic's partition count, looked up at start, so that a
 * record keeps its partition (and its key's order) on its way through them.
 */
export class TopicInitializer {
  private readonly declared = new Map<string, TopicDeclaration>();
  private readonly retryTopics = new Map<string, RetryTopicDeclaration>();
  readonly kafkaAdmin: KafkaAdmin;

  constructor(adminConfig: ConfigInput, logger: Logger, options: KafkaAdminOptions = {}) {
    this.kafkaAdmin = new KafkaAdmin(adminConfig, { logger, ...options });
  }

  declare(topic: TopicDeclaration): void {
    this.declared.set(topic.name, topic);
  }

  declareRetryTopic(topic: RetryTopicDeclaration): void {
    if (!this.declared.has(topic.name)) this.retryTopics.set(topic.name, topic);
  }

  async initialize(): Promise<void> {
    const topics = [...this.declared.values()].map((t) =>
      t instanceof NewTopic
        ? t
        : new NewTopic(t.name, t.numPartitions ?? -1, t.replicationFactor ?? -1, { configs: t.configs ?? {} }),
    );
    if (this.retryTopics.size > 0) {
      const mains = [...new Set([...this.retryTopics.values()].map((r) => r.partitionsLike))];
      const described = await this.kafkaAdmin.describeTopics(...mains).catch(() => new Map());
      for (const r of this.retryTopics.values()) {
        const like = described.get(r.partitionsLike)?.partitions.length as number | undefined;
        topics.push(new NewTopic(r.name, r.numPartitions ?? like ?? -1, r.replicationFactor ?? -1));
      }
    }
    if (topics.length > 0) await this.kafkaAdmin.start(topics);
  }
}
