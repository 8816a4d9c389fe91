import { ErrorCode, KafkaError } from '@samsa/protocol';
import { isZkError, type KafkaZkClient, ZkCode } from './kafka-zk-client.js';
import {
  BrokerIdsZNode,
  BrokerIdZNode,
  type BrokerInfo,
  ConfigChangeNotificationZNode,
  type ConfigEntityType,
  ConfigEntityZNode,
  ConfigType,
  DeleteTopicsZNode,
  type LeaderIsrAndControllerEpoch,
  type TopicAssignment,
  TopicPartitionStateZNode,
  TopicsZNode,
  TopicZNode,
} from './zk-data.js';

/** A topic as ZooKeeper holds it: assignment, partition states and config overrides. */
export interface ZkTopicDescription {
  readonly name: string;
  readonly topicId: string | null;
  readonly partitions: readonly {
    readonly partition: number;
    readonly replicas: readonly number[];
    readonly state: LeaderIsrAndControllerEpoch | undefined;
  }[];
  readonly configs: Readonly<Record<string, string>>;
  readonly markedForDeletion: boolean;
}

/**
 * The administrative writes of a ZooKeeper-mode cluster (Kafka's AdminZkClient): what CreateTopics,
 * CreatePartitions, DeleteTopics and AlterConfigs do on any broker, and what `kafka-topics.sh
 * --zookeeper` and `kafka-configs.sh --zookeeper` do from outside. They only write intent to
 * ZooKeeper; the active controller notices through its watches and acts on it.
 *
 * Callers validate first (see topic-plans.ts); this module writes.
 */
export class AdminZkClient {
  constructor(private readonly zk: KafkaZkClient) {}

  /** Live brokers, by id, as registered under /brokers/ids. */
  async liveBrokers(): Promise<BrokerInfo[]> {
    const ids = (await this.zk.getChildren(BrokerIdsZNode.path)) ?? [];
    const brokers: BrokerInfo[] = [];
    for (const id of ids.map(Number).sort((a, b) => a - b)) {
      const found = await this.zk.getData(BrokerIdZNode.path(id));
      if (found !== undefined) brokers.push(BrokerIdZNode.decode(id, found.data));
    }
    return brokers;
  }

  async topicNames(): Promise<string[]> {
    return (await this.zk.getChildren(TopicsZNode.path)) ?? [];
  }

  async topicAssignment(topic: string): Promise<{ assignment: TopicAssignment; version: number } | undefined> {
    const found = await this.zk.getData(TopicZNode.path(topic));
    return found === undefined
      ? undefined
      : { assignment: TopicZNode.decode(topic, found.data), version: found.stat.version };
  }

  async topicsMarkedForDeletion(): Promise<Set<string>> {
    return new Set((await this.zk.getChildren(DeleteTopicsZNode.path)) ?? []);
  }

  async entityConfig(type: ConfigEntityType, name: string): Promise<Record<string, string>> {
    const found = await this.zk.getData(ConfigEntityZNode.path(type, name));
    return ConfigEntityZNode.decode(found?.data);
  }

  /** An entity's configs with the znode version they were read at (undefined: no znode yet). */
  async versionedEntityConfig(
    type: ConfigEntityType,
    name: string,
  ): Promise<{ configs: Record<string, string>; version: number | undefined }> {
    const found = await this.zk.getData(ConfigEntityZNode.path(type, name));
    return { configs: ConfigEntityZNode.decode(found?.data), version: found?.stat.version };
  }

  async describeTopic(topic: string, markedForDeletion?: ReadonlySet<string>): Promise<ZkTopicDescription | undefined> {
    const found = await this.topicAssignment(topic);
    if (found === undefined) return undefined;
    const partitions = [];
    for (const [partition, replicas] of [...found.assignment.partitions].sort((a, b) => a[0] - b[0])) {
      const path = TopicPartitionStateZNode.path(topic, partition);
      const state = await this.zk.getData(path);
      partitions.push({
        partition,
        replicas,
        state: state === undefined ? undefined : TopicPartitionStateZNode.decode(state.data, state.stat.version, path),
      });
    }
    return {
      name: topic,
      topicId: found.assignment.topicId,
      partitions,
      configs: await this.entityConfig(ConfigType.Topic, topic),
      markedForDeletion: (markedForDeletion ?? (await this.topicsMarkedForDeletion())).has(topic),
    };
  }

  /**
   * Writes a new topic: its config overrides first, then its assignment, whose creation the
   * controller watches for (so the configs are in place when it acts). An existing assignment
   * means the topic exists: TOPIC_ALREADY_EXISTS.
   */
  async createTopic(
    topic: string,
    topicId: string,
    replicas: readonly (readonly number[])[],
    configs: Readonly<Record<string, string>>,
  ): Promise<void> {
    if ((await this.zk.exists(TopicZNode.path(topic))) !== undefined) {
      throw new KafkaError(ErrorCode.TOPIC_ALREADY_EXISTS, `Topic '${topic}' already exists.`);
    }
    await this.writeEntityConfig(ConfigType.Topic, topic, configs);
    const assignment: TopicAssignment = {
      topicId,
      partitions: new Map(replicas.map((r, i) => [i, r])),
      addingReplicas: new Map(),
      removingReplicas: new Map(),
    };
    try {
      await this.zk.createRecursive(TopicsZNode.path);
      await this.zk.create(TopicZNode.path(topic), TopicZNode.encode(assignment), 'persistent');
    } catch (err) {
      if (isZkError(err, ZkCode.NODE_EXISTS))
        throw new KafkaError(ErrorCode.TOPIC_ALREADY_EXISTS, `Topic '${topic}' already exists.`);
      throw err;
    }
  }

  /** Appends partitions to a topic's assignment (conditionally on the version read). */
  async addPartitions(topic: string, added: readonly (readonly number[])[]): Promise<void> {
    const found = await this.topicAssignment(topic);
    if (found === undefined) {
      throw new KafkaError(ErrorCode.UNKNOWN_TOPIC_OR_PARTITION, `The topic '${topic}' does not exist.`);
    }
    const partitions = new Map(found.assignment.partitions);
    const first = partitions.size;
    for (const [i, replicas] of added.entries()) partitions.set(first + i, replicas);
    try {
      await this.zk.setData(
        TopicZNode.path(topic),
        TopicZNode.encode({ ...found.assignment, partitions }),
        found.version,
      );
    } catch (err) {
      if (isZkError(err, ZkCode.BAD_VERSION)) {
        throw new KafkaError(
          ErrorCode.REASSIGNMENT_IN_PROGRESS,
          `The assignment of ${topic} changed concurrently; try again.`,
        );
      }
      throw err;
    }
  }

  /** Queues a topic for deletion by the controller (`/admin/delete_topics/<topic>`). */
  async deleteTopic(topic: string): Promise<void> {
    if ((await this.zk.exists(TopicZNode.path(topic))) === undefined) {
      throw new KafkaError(ErrorCode.UNKNOWN_TOPIC_OR_PARTITION, `Topic ${topic} does not exist.`);
    }
    try {
      await this.zk.createRecursive(DeleteTopicsZNode.path);
      await this.zk.create(DeleteTopicsZNode.topicPath(topic), null, 'persistent');
    } catch (err) {
      // Already queued: deleting it again is the same request.
      if (!isZkError(err, ZkCode.NODE_EXISTS)) throw err;
    }
  }

  /**
   * Replaces an entity's config overrides and tells every broker with a change notification
   * (Kafka's changeEntityConfig). Brokers "<default>" is the cluster-wide dynamic default.
   */
  async changeEntityConfig(
    type: ConfigEntityType,
    name: string,
    configs: Readonly<Record<string, string>>,
  ): Promise<void> {
    await this.writeEntityConfig(type, name, configs);
    await this.notifyEntityConfigChange(type, name);
  }

  /**
   * changeEntityConfig for a read-modify-write: only if the znode is still at the version read
   * (`undefined`: it did not exist). False, with nothing written, when another writer got there
   * first; the caller reads again and retries. Kafka lets only the controller make such changes
   * (SCRAM credentials); this lets any broker make them without losing a concurrent one.
   */
  async changeEntityConfigIfUnchanged(
    type: ConfigEntityType,
    name: string,
    configs: Readonly<Record<string, string>>,
    readVersion: number | undefined,
  ): Promise<boolean> {
    const path = ConfigEntityZNode.path(type, name);
    const data = ConfigEntityZNode.encode(configs);
    try {
      if (readVersion !== undefined) await this.zk.setData(path, data, readVersion);
      else {
        // Nested entities (`users/alice/clients/app`) need their parents.
        await this.zk.createRecursive(path.slice(0, path.lastIndexOf('/')));
        await this.zk.create(path, data, 'persistent');
      }
    } catch (err) {
      if (isZkError(err, ZkCode.BAD_VERSION) || isZkError(err, ZkCode.NODE_EXISTS) || isZkError(err, ZkCode.NO_NODE)) {
        return false;
      }
      throw err;
    }
    await this.notifyEntityConfigChange(type, name);
    return true;
  }

  private async notifyEntityConfigChange(type: ConfigEntityType, name: string): Promise<void> {
    await this.zk.createRecursive(ConfigChangeNotificationZNode.path);
    await this.zk.create(
      ConfigChangeNotificationZNode.createPath,
      ConfigChangeNotificationZNode.encode(type, name),
      'persistent-sequential',
    );
  }

  private async writeEntityConfig(
    type: ConfigEntityType,
    name: string,
    configs: Readonly<Record<string, string>>,
  ): Promise<void> {
    const path = ConfigEntityZNode.path(type, name);
    const data = ConfigEntityZNode.encode(configs);
    try {
      await this.zk.setData(path, data);
    } catch (err) {
      if (!isZkError(err, ZkCode.NO_NODE)) throw err;
      await this.zk.createRecursive(`/config/${type}`);
      await this.zk.create(path, data, 'persistent');
    }
  }
}
