import {
  AdminZkClient,
  BrokerConfig,
  type KafkaZkClient,
  type PlacementBroker,
  planPartitionAddition,
  planTopicCreation,
  TopicConfigResolver,
} from '@samsa/broker';
import { ErrorCode, KafkaError } from '@samsa/client';
import { randomUuid } from '@samsa/protocol';
import type { ParsedOptions } from '../../options/option-parser.js';
import type { CommandIo } from '../../support/command-io.js';
import { connectZooKeeper } from '../../support/zookeeper-connection.js';
import {
  COLLISION_WARNING,
  ensureTopicExists,
  hasCollisionChars,
  INTERNAL_TOPICS,
  newTopicArguments,
  replicaAssignmentOf,
  selectTopics,
} from './topic-arguments.js';
import { type DescribedTopic, describeLines } from './topic-description.js';
import { describeFilters, type TopicService } from './topic-service.js';

const OFFSETS_TOPIC = '__consumer_offsets';
const PARTITIONS_WARNING =
  'WARNING: If partitions are increased for a topic that has a key, the partition logic or ordering of the messages will be affected';

/**
 * `kafka-topics.sh --zookeeper`, as Kafka 2.x's ZookeeperTopicService: the tool writes the
 * cluster's intent into ZooKeeper and the active controller, watching those znodes, acts on it.
 * - create: `/config/topics/<t>` (overrides), then `/brokers/topics/<t>` (assignment and topic ID,
 *   placed as Kafka places replicas over the brokers registered in `/brokers/ids`);
 * - alter: partitions appended to `/brokers/topics/<t>` (conditional on the version read);
 * - delete: `/admin/delete_topics/<t>`;
 * - list and describe read the same znodes and each partition's `state` (leader, ISR).
 */
export class ZkTopicService implements TopicService {
  private readonly admin: AdminZkClient;

  private constructor(private readonly zk: KafkaZkClient) {
    this.admin = new AdminZkClient(zk);
  }

  static async connect(options: ParsedOptions, io: CommandIo): Promise<ZkTopicService> {
    return new ZkTopicService(await connectZooKeeper(options.value('zookeeper'), io.env));
  }

  private async topics(options: ParsedOptions): Promise<string[]> {
    return selectTopics(await this.admin.topicNames(), options.value('topic'), options.has('exclude-internal'));
  }

  private async placementBrokers(): Promise<PlacementBroker[]> {
    return (await this.admin.liveBrokers()).map((b) => ({ brokerId: b.brokerId, rack: b.rack }));
  }

  /**
   * The broker's own checks and placement (topic name, collisions, config overrides against a
   * broker's defaults, explicit assignments against the registered brokers), then the znodes.
   */
  async createTopic(options: ParsedOptions, io: CommandIo): Promise<void> {
    if (hasCollisionChars(options.value('topic') as string)) io.stdout.write(`${COLLISION_WARNING}\n`);
    const topic = newTopicArguments(options);
    const brokerConfig = new BrokerConfig(new Map());
    try {
      const replicas = planTopicCreation(
        {
          name: topic.name,
          numPartitions: topic.assignment === undefined ? (topic.partitions ?? -1) : -1,
          replicationFactor: topic.assignment === undefined ? (topic.replicationFactor ?? -1) : -1,
          assignments:
            topic.assignment === undefined
              ? []
              : [...topic.assignment].map(([partitionIndex, brokerIds]) => ({ partitionIndex, brokerIds })),
          configs: topic.configs,
        },
        {
          brokerConfig,
          topicConfigs: new TopicConfigResolver(brokerConfig),
          existingTopics: await this.admin.topicNames(),
          liveBrokers: await this.placementBrokers(),
        },
      );
      await this.admin.createTopic(topic.name, randomUuid(), replicas, topic.configs);
      io.stdout.write(`Created topic ${topic.name}.\n`);
    } catch (error) {
      const exists = error instanceof KafkaError && error.errorCode === ErrorCode.TOPIC_ALREADY_EXISTS;
      if (!exists || !options.has('if-not-exists')) throw error;
    }
  }

  async listTopics(options: ParsedOptions, io: CommandIo): Promise<void> {
    const marked = await this.admin.topicsMarkedForDeletion();
    const lines = (await this.topics(options)).map((t) => (marked.has(t) ? `${t} - marked for deletion` : t));
    io.stdout.write(`${lines.join('\n')}\n`);
  }

  async alterTopic(options: ParsedOptions, io: CommandIo): Promise<void> {
    const topics = await this.topics(options);
    ensureTopicExists(topics, options.value('topic'), !options.has('if-exists'));
    const totalCount = options.number('partitions') as number;
    const assignment = replicaAssignmentOf(options);
    for (const topic of topics) {
      if (topic === OFFSETS_TOPIC) {
        throw new KafkaError(
          ErrorCode.INVALID_PARTITIONS,
          'The number of partitions for the offsets topic cannot be changed.',
        );
      }
      io.stdout.write(`${PARTITIONS_WARNING}\n`);
      const found = await this.admin.topicAssignment(topic);
      if (found === undefined) {
        throw new KafkaError(ErrorCode.UNKNOWN_TOPIC_OR_PARTITION, `The topic ${topic} does not exist`);
      }
      const current = [...found.assignment.partitions].sort((a, b) => a[0] - b[0]).map(([, r]) => r);
      const added = await this.newPartitions(topic, current, totalCount, assignment);
      await this.admin.addPartitions(topic, added);
      io.stdout.write('Adding partitions succeeded!\n');
    }
  }

  /**
   * Replicas of the partitions an alter adds (Kafka's AdminZkClient.createNewPartitionsAssignment,
   * the broker's own planning): from `--replica-assignment` (the entries past the current count),
   * or placed like the first ones.
   */
  private async newPartitions(
    topic: string,
    current: readonly (readonly number[])[],
    totalCount: number,
    assignment: ReadonlyMap<number, readonly number[]> | undefined,
  ): Promise<number[][]> {
    // Kafka 2.x's AdminZkClient words this refusal its own way.
    if (totalCount <= current.length) {
      throw new KafkaError(
        ErrorCode.INVALID_PARTITIONS,
        `The number of partitions for a topic can only be increased. Topic ${topic} currently has ${current.length} partitions, ${totalCount} would not be an increase.`,
      );
    }
    const added =
      assignment === undefined ? null : [...assignment].filter(([p]) => p >= current.length).map(([, r]) => r);
    return planPartitionAddition(current, totalCount, added, await this.placementBrokers());
  }

  async describeTopics(options: ParsedOptions, io: CommandIo): Promise<void> {
    const topics = await this.topics(options);
    ensureTopicExists(topics, options.value('topic'), !options.has('if-exists'));
    if (topics.length === 0) return;
    const marked = await this.admin.topicsMarkedForDeletion();
    const liveBrokers = new Set((await this.admin.liveBrokers()).map((b) => b.brokerId));
    const described: DescribedTopic[] = [];
    for (const name of topics) {
      const topic = await this.admin.describeTopic(name, marked);
      // Deleted between the listing and now: nothing to describe.
      if (topic === undefined) continue;
      described.push({
        name,
        topicId: topic.topicId,
        configs: Object.entries(topic.configs),
        minIsr: Number(topic.configs['min.insync.replicas'] ?? '1'),
        markedForDeletion: topic.markedForDeletion,
        partitions: topic.partitions.map((p) => ({
          partition: p.partition,
          // No state yet: the controller has not elected a leader for a new partition.
          leader: p.state?.leader ?? -1,
          replicas: p.replicas,
          isr: p.state?.isr ?? [],
        })),
      });
    }
    const lines = describeLines(described, describeFilters(options), liveBrokers);
    if (lines.length > 0) io.stdout.write(`${lines.join('\n')}\n`);
  }

  async deleteTopics(options: ParsedOptions, io: CommandIo): Promise<void> {
    const topics = await this.topics(options);
    ensureTopicExists(topics, options.value('topic'), !options.has('if-exists'));
    const marked = await this.admin.topicsMarkedForDeletion();
    for (const topic of topics) {
      if (INTERNAL_TOPICS.has(topic)) {
        throw new KafkaError(
          ErrorCode.INVALID_TOPIC_EXCEPTION,
          `Topic ${topic} is a kafka internal topic and is not allowed to be marked for deletion.`,
        );
      }
      if (marked.has(topic)) {
        io.stdout.write(`Topic ${topic} is already marked for deletion.\n`);
        continue;
      }
      await this.admin.deleteTopic(topic);
      io.stdout.write(`Topic ${topic} is marked for deletion.\n`);
      io.stdout.write('Note: This will have no impact if delete.topic.enable is not set to true.\n');
    }
  }

  async close(): Promise<void> {
    this.zk.close();
  }
}
