import { ErrorCode, KafkaError, randomUuid } from '@samsa/protocol';
import type { BrokerConfig } from '../config/broker-config.js';
import { BROKER_CONFIG_BY_NAME } from '../config/broker-config.js';
import { type ConfigError, parseConfigValue } from '../config/config-def.js';
import type { TopicConfigResolver } from '../config/topic-config.js';
import type { Logger } from '../logger.js';
import { isInternalTopic, type TopicRegistration } from '../metadata/cluster-image.js';
import type { MetadataCache } from '../metadata/metadata-cache.js';
import type { AdminZkClient } from '../zk/admin-zk-client.js';
import { isZkError, type KafkaZkClient, ZkCode } from '../zk/kafka-zk-client.js';
import { ConfigType, DEFAULT_BROKER_ENTITY, ProducerIdBlockZNode } from '../zk/zk-data.js';
import type {
  Controller,
  OngoingReassignment,
  PartitionOutcome,
  ReassignmentRequest,
  TopicCreation,
} from './controller.js';
import type { PlacementBroker } from './replica-assignment.js';
import { planPartitionAddition, planTopicCreation } from './topic-plans.js';
import type { KafkaController } from './zk/kafka-controller.js';

export interface ZkClusterAdminOptions {
  readonly brokerId: number;
  readonly brokerConfig: BrokerConfig;
  readonly topicConfigs: TopicConfigResolver;
  readonly zk: KafkaZkClient;
  readonly admin: AdminZkClient;
  readonly metadata: MetadataCache;
  readonly kafkaController: KafkaController;
  /** Applies a topic's or the brokers' new overrides on this broker right away (the change listener does it elsewhere). */
  readonly onTopicConfigChanged: (topic: string) => Promise<void>;
  readonly onBrokerConfigChanged: (entity: string) => Promise<void>;
  /** How long a change waits to show in this broker's metadata before the call returns anyway. */
  readonly propagationTimeoutMs: number;
  readonly logger: Logger;
}

/**
 * Cluster-wide metadata changes in ZooKeeper mode, on any broker: the same checks as the
 * single-node controller, then the intent is written to ZooKeeper (AdminZkClient) and the
 * active controller carries it out. Calls then wait (up to `propagationTimeoutMs`) until this
 * broker's metadata shows the result — a created topic with leaders, a deleted one gone — so
 * that a client can use a topic as soon as CreateTopics returns, as Kafka's delayed CreateTopics
 * and DeleteTopics do.
 */
export class ZkClusterAdmin implements Controller {
  constructor(private readonly options: ZkClusterAdminOptions) {}

  private async liveBrokers(): Promise<PlacementBroker[]> {
    return (await this.options.admin.liveBrokers()).map((b) => ({ brokerId: b.brokerId, rack: b.rack }));
  }

  async createTopic(creation: TopicCreation, validateOnly: boolean): Promise<TopicRegistration> {
    const { admin, metadata } = this.options;
    const existingTopics = await admin.topicNames();
    if (existingTopics.includes(creation.name) && (await admin.topicsMarkedForDeletion()).has(creation.name)) {
      throw new KafkaError(ErrorCode.TOPIC_ALREADY_EXISTS, `Topic '${creation.name}' is marked for deletion.`);
    }
    const replicas = planTopicCreation(creation, {
      brokerConfig: this.options.brokerConfig,
      topicConfigs: this.options.topicConfigs,
      existingTopics,
      liveBrokers: await this.liveBrokers(),
    });
    const topicId = randomUuid();
    const planned: TopicRegistration = {
      name: creation.name,
      topicId,
      partitions: replicas.map((r, partition) => ({
        partition,
        replicas: r,
        isr: r,
        leader: r[0] ?? -1,
        leaderEpoch: 0,
        partitionEpoch: 0,
      })),
      configs: { ...creation.configs },
    };
    if (validateOnly) return planned;
    await admin.createTopic(creation.name, topicId, replicas, creation.configs);
    this.options.logger.info(
      `Creating topic ${creation.name} with configuration ${JSON.stringify(creation.configs)} and initial partition assignment ${JSON.stringify(Object.fromEntries(replicas.map((r, i) => [i, r])))}`,
    );
    const ready = await this.waitFor(() => {
      const topic = metadata.image.topic(creation.name);
      return topic !== undefined &&
        topic.topicId === topicId &&
        topic.partitions.length === replicas.length &&
        topic.partitions.every((p) => p.leader >= 0)
        ? topic
        : undefined;
    });
    return ready ?? planned;
  }

  async deleteTopic(name: string): Promise<void> {
    const { admin, metadata } = this.options;
    if ((await admin.topicAssignment(name)) === undefined) {
      throw new KafkaError(ErrorCode.UNKNOWN_TOPIC_OR_PARTITION, 'This server does not host this topic-partition.');
    }
    if (!this.options.brokerConfig.bool('delete.topic.enable')) {
      throw new KafkaError(ErrorCode.TOPIC_DELETION_DISABLED, 'Topic deletion is disabled.');
    }
    if (isInternalTopic(name)) {
      throw new KafkaError(
        ErrorCode.INVALID_TOPIC_EXCEPTION,
        `Topic ${name} is an internal topic and cannot be deleted`,
      );
    }
    await admin.deleteTopic(name);
    // Answered once the topic has left this broker's metadata (Kafka's DelayedDeleteTopics);
    // the controller removes its znodes when every replica has deleted its log.
    await this.waitFor(() => (metadata.image.topic(name) === undefined ? true : undefined));
  }

  async createPartitions(
    name: string,
    totalCount: number,
    assignments: readonly (readonly number[])[] | null,
    validateOnly: boolean,
  ): Promise<void> {
    const { admin, metadata } = this.options;
    const found = await admin.topicAssignment(name);
    if (found === undefined) {
      throw new KafkaError(ErrorCode.UNKNOWN_TOPIC_OR_PARTITION, 'This server does not host this topic-partition.');
    }
    if ((await admin.topicsMarkedForDeletion()).has(name)) {
      throw new KafkaError(ErrorCode.INVALID_TOPIC_EXCEPTION, `The topic ${name} is queued for deletion.`);
    }
    const current = [...found.assignment.partitions].sort((a, b) => a[0] - b[0]).map(([, r]) => r);
    const added = planPartitionAddition(current, totalCount, assignments, await this.liveBrokers());
    if (validateOnly) return;
    await admin.addPartitions(name, added);
    await this.waitFor(() => {
      const topic = metadata.image.topic(name);
      return topic !== undefined &&
        topic.partitions.length >= totalCount &&
        topic.partitions.every((p) => p.leader >= 0)
        ? true
        : undefined;
    });
  }

  async topicConfigOverrides(name: string): Promise<Readonly<Record<string, string>> | undefined> {
    if ((await this.options.admin.topicAssignment(name)) === undefined) return undefined;
    return this.options.admin.entityConfig(ConfigType.Topic, name);
  }

  async alterTopicConfigs(
    name: string,
    configs: Readonly<Record<string, string>>,
    validateOnly: boolean,
  ): Promise<void> {
    if ((await this.options.admin.topicAssignment(name)) === undefined) {
      throw new KafkaError(ErrorCode.UNKNOWN_TOPIC_OR_PARTITION, 'This server does not host this topic-partition.');
    }
    this.options.topicConfigs.validateOverrides(configs);
    if (validateOnly) return;
    await this.options.admin.changeEntityConfig(ConfigType.Topic, name, configs);
    await this.options.onTopicConfigChanged(name);
  }

  async alterBrokerConfigs(
    brokerId: number | null,
    changes: Readonly<Record<string, string | null>>,
    validateOnly: boolean,
  ): Promise<void> {
    for (const [name, value] of Object.entries(changes)) {
      const key = BROKER_CONFIG_BY_NAME.get(name);
      if (key === undefined || key.dynamic === undefined) {
        throw new KafkaError(ErrorCode.INVALID_CONFIG, `Cannot update these configs dynamically: Set(${name})`);
      }
      if (value === null) continue;
      try {
        parseConfigValue(key, value);
      } catch (err) {
        throw new KafkaError(ErrorCode.INVALID_CONFIG, (err as ConfigError).message);
      }
    }
    if (validateOnly) return;
    const entity = brokerId === null ? DEFAULT_BROKER_ENTITY : String(brokerId);
    const stored = await this.options.admin.entityConfig(ConfigType.Broker, entity);
    for (const [name, value] of Object.entries(changes)) {
      if (value === null) delete stored[name];
      else stored[name] = value;
    }
    await this.options.admin.changeEntityConfig(ConfigType.Broker, entity, stored);
    await this.options.onBrokerConfigChanged(entity);
  }

  /**
   * Reserves a block of producer ids in `/latest_producer_id_block` (Kafka's ZooKeeper-era
   * ProducerIdManager): read the last block, write the next one conditionally on the version read,
   * and start again if another broker got there first.
   */
  async allocateProducerIds(count: number): Promise<number> {
    const { zk, brokerId } = this.options;
    for (;;) {
      const found = await zk.getData(ProducerIdBlockZNode.path);
      const start =
        found === undefined || found.data.length === 0 ? 0 : ProducerIdBlockZNode.decode(found.data).blockEnd + 1;
      const data = ProducerIdBlockZNode.encode(brokerId, start, start + count - 1);
      try {
        if (found === undefined) await zk.create(ProducerIdBlockZNode.path, data, 'persistent');
        else await zk.setData(ProducerIdBlockZNode.path, data, found.stat.version);
        return start;
      } catch (err) {
        if (!isZkError(err, ZkCode.BAD_VERSION) && !isZkError(err, ZkCode.NODE_EXISTS)) throw err;
      }
    }
  }

  async electLeaders(
    electionType: number,
    partitions: readonly { readonly topic: string; readonly partition: number }[] | null,
  ): Promise<Map<string, PartitionOutcome>> {
    const outcomes = await this.options.kafkaController.electLeaders(electionType, partitions);
    if (outcomes === undefined) throw notController();
    return outcomes;
  }

  async alterPartitionReassignments(requests: readonly ReassignmentRequest[]): Promise<Map<string, PartitionOutcome>> {
    const outcomes = await this.options.kafkaController.alterPartitionReassignments(requests);
    if (outcomes === undefined) throw notController();
    return outcomes;
  }

  async listPartitionReassignments(
    partitions: readonly { readonly topic: string; readonly partition: number }[] | null,
  ): Promise<OngoingReassignment[]> {
    const ongoing = await this.options.kafkaController.listPartitionReassignments(partitions);
    if (ongoing === undefined) throw notController();
    return ongoing;
  }

  /** Polls this broker's metadata until `done` returns a value, or gives up after the timeout. */
  private async waitFor<T>(done: () => T | undefined): Promise<T | undefined> {
    const deadline = Date.now() + this.options.propagationTimeoutMs;
    for (;;) {
      const value = done();
      if (value !== undefined) return value;
      if (Date.now() >= deadline) return undefined;
      await new Promise<void>((resolve) => {
        const stop = this.options.metadata.onPublish(() => {
          stop();
          clearTimeout(timer);
          resolve();
        });
        const timer = setTimeout(
          () => {
            stop();
            resolve();
          },
          Math.max(1, deadline - Date.now()),
        );
      });
    }
  }
}

function notController(): KafkaError {
  return new KafkaError(ErrorCode.NOT_CONTROLLER, 'This is not the correct controller for this cluster.');
}
