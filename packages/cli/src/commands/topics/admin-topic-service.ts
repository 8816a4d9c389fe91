import { type Admin, ErrorCode, KafkaError } from '@samsa/client';
import { ZERO_UUID } from '@samsa/protocol';
import type { ParsedOptions } from '../../options/option-parser.js';
import { connectAdmin } from '../../support/admin-client.js';
import type { CommandIo } from '../../support/command-io.js';
import {
  COLLISION_WARNING,
  ensureTopicExists,
  hasCollisionChars,
  newTopicArguments,
  replicaAssignmentOf,
  selectTopics,
} from './topic-arguments.js';
import { type DescribedTopic, describeLines } from './topic-description.js';
import { describeFilters, type TopicService } from './topic-service.js';

/** `kafka-topics.sh --bootstrap-server`: every action through the admin client. */
export class AdminTopicService implements TopicService {
  private constructor(private readonly admin: Admin) {}

  static async connect(options: ParsedOptions, io: CommandIo): Promise<AdminTopicService> {
    return new AdminTopicService(
      await connectAdmin(options.value('bootstrap-server'), options.value('command-config'), io),
    );
  }

  private async topics(options: ParsedOptions): Promise<string[]> {
    const excludeInternal = options.has('exclude-internal');
    return selectTopics(
      await this.admin.listTopics({ listInternal: !excludeInternal }),
      options.value('topic'),
      excludeInternal,
    );
  }

  async createTopic(options: ParsedOptions, io: CommandIo): Promise<void> {
    if (hasCollisionChars(options.value('topic') as string)) io.stdout.write(`${COLLISION_WARNING}\n`);
    const topic = newTopicArguments(options);
    try {
      await this.admin.createTopics([
        {
          name: topic.name,
          ...(topic.partitions === undefined ? {} : { numPartitions: topic.partitions }),
          ...(topic.replicationFactor === undefined ? {} : { replicationFactor: topic.replicationFactor }),
          ...(topic.assignment === undefined ? {} : { assignments: Object.fromEntries(topic.assignment) }),
          configs: topic.configs,
        },
      ]);
      io.stdout.write(`Created topic ${topic.name}.\n`);
    } catch (error) {
      const exists = error instanceof KafkaError && error.errorCode === ErrorCode.TOPIC_ALREADY_EXISTS;
      if (!exists || !options.has('if-not-exists')) throw error;
    }
  }

  async listTopics(options: ParsedOptions, io: CommandIo): Promise<void> {
    io.stdout.write(`${(await this.topics(options)).join('\n')}\n`);
  }

  async alterTopic(options: ParsedOptions): Promise<void> {
    const topics = await this.topics(options);
    ensureTopicExists(topics, options.value('topic'), !options.has('if-exists'));
    if (topics.length === 0) return;
    const totalCount = options.number('partitions') as number;
    const assignment = replicaAssignmentOf(options);
    const descriptions = assignment === undefined ? [] : await this.admin.describeTopics(topics);
    await this.admin.createPartitions(
      topics.map((topic) => {
        if (assignment === undefined) return { topic, totalCount };
        const existing = descriptions.find((d) => d.name === topic)?.partitions.length ?? 0;
        const added = [...assignment.entries()].filter(([p]) => p >= existing).map(([, brokers]) => brokers);
        return { topic, totalCount, assignments: added };
      }),
    );
  }

  async describeTopics(options: ParsedOptions, io: CommandIo): Promise<void> {
    const excludeInternal = options.has('exclude-internal');
    let topics: string[];
    const topicId = options.value('topic-id');
    if (topicId !== undefined && topicId !== ZERO_UUID) {
      const all = await this.admin.describeTopics(await this.admin.listTopics({ listInternal: !excludeInternal }));
      topics = all.filter((t) => t.topicId === topicId).map((t) => t.name);
      if (topics.length === 0 && !options.has('if-exists')) {
        throw new KafkaError(ErrorCode.UNKNOWN_TOPIC_ID, `TopicId '${topicId}' does not exist as expected`);
      }
    } else {
      topics = await this.topics(options);
      ensureTopicExists(topics, options.value('topic'), !options.has('if-exists'));
    }
    if (topics.length === 0) return;
    const descriptions = await this.admin.describeTopics(topics);
    const configs = await this.admin.describeConfigs(topics.map((name) => ({ type: 'topic' as const, name })));
    const liveBrokers = new Set((await this.admin.describeCluster()).brokers.map((b) => b.nodeId));
    const described: DescribedTopic[] = descriptions.map((td) => {
      const entries = configs.find((c) => c.name === td.name)?.configs ?? [];
      return {
        name: td.name,
        topicId: td.topicId,
        configs: entries.filter((e) => !e.isDefault).map((e) => [e.name, e.value ?? 'null'] as const),
        minIsr: Number(entries.find((e) => e.name === 'min.insync.replicas')?.value ?? '1'),
        markedForDeletion: false,
        partitions: td.partitions,
      };
    });
    const lines = describeLines(described, describeFilters(options), liveBrokers);
    if (lines.length > 0) io.stdout.write(`${lines.join('\n')}\n`);
  }

  async deleteTopics(options: ParsedOptions): Promise<void> {
    const topics = await this.topics(options);
    ensureTopicExists(topics, options.value('topic'), !options.has('if-exists'));
    if (topics.length > 0) await this.admin.deleteTopics(topics);
  }

  close(): Promise<void> {
    return this.admin.close();
  }
}
