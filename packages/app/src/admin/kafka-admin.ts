import { Admin, type ConfigInput, ErrorCode, KafkaError, type TopicDescription } from '@samsa/client';
import type { SpringKafkaConfig } from '../config/spring-kafka-config.js';
import { type Logger, stderrLogger } from '../support/logger.js';
import type { NewTopic } from './new-topic.js';

export interface KafkaAdminOptions {
  /** Create and grow the declared topics in `start` (Spring's `autoCreate`, default true). */
  readonly autoCreate?: boolean;
  /** `start` throws when the topics cannot be configured, e.g. no broker (Boot's `fail-fast`, default false). */
  readonly fatalIfBrokerNotAvailable?: boolean;
  /** Set declared configs that differ on existing topics (default false). */
  readonly modifyTopicConfigs?: boolean;
  /** Each admin operation's timeout (Spring's `operationTimeout`, default 30 s). */
  readonly operationTimeoutMs?: number;
  readonly logger?: Logger;
}

export interface PartitionIncrease {
  readonly topic: string;
  readonly from: number;
  readonly to: number;
}

export interface TopicConfigChange {
  readonly topic: string;
  /** The configs set, with their new values. */
  readonly configs: Readonly<Record<string, string>>;
}

/** What `initialize` did, and what it chose not to do. */
export interface TopicsInitialization {
  readonly created: readonly string[];
  readonly partitionsIncreased: readonly PartitionIncrease[];
  readonly configsChanged: readonly TopicConfigChange[];
  /** Declarations left unapplied: fewer partitions than exist (never decreased), another replication factor. */
  readonly notes: readonly string[];
}

/**
 * Spring's `KafkaAdmin`: makes the cluster match the topics an application declares. Missing
 * topics are created; an existing topic declared with more partitions is grown to that count
 * (Spring's `createMissingPartitions`); one declared with fewer is left alone, since Kafka cannot
 * remove partitions, and reported in `notes` and the log, as Spring logs it. Replication factors
 * of existing topics are never changed (that is a reassignment). Re-running changes nothing.
 *
 * Races with another instance of the application are tolerated as Spring tolerates them: a topic
 * created meanwhile (TOPIC_ALREADY_EXISTS) or grown meanwhile (INVALID_PARTITIONS) is not an
 * error. Every other failure is, naming Kafka's error (INVALID_REPLICATION_FACTOR, ...).
 *
 * Given client settings, each operation uses its own admin client and closes it, as Spring's
 * does; given an `Admin`, that one is used and left open (its owner closes it).
 */
export class KafkaAdmin {
  private readonly adminOrConfig: Admin | ConfigInput;
  private readonly autoCreate: boolean;
  private readonly fatalIfBrokerNotAvailable: boolean;
  private readonly modifyTopicConfigs: boolean;
  private readonly operationTimeoutMs: number;
  private readonly logger: Logger;

  constructor(adminOrConfig: Admin | ConfigInput, options: KafkaAdminOptions = {}) {
    this.adminOrConfig = adminOrConfig;
    this.autoCreate = options.autoCreate ?? true;
    this.fatalIfBrokerNotAvailable = options.fatalIfBrokerNotAvailable ?? false;
    this.modifyTopicConfigs = options.modifyTopicConfigs ?? false;
    this.operationTimeoutMs = options.operationTimeoutMs ?? 30_000;
    this.logger = options.logger ?? stderrLogger;
  }

  /** The admin Spring Boot would configure from `spring.kafka.admin.*`. */
  static fromSpringConfig(config: SpringKafkaConfig, logger?: Logger): KafkaAdmin {
    const s = config.kafkaAdmin;
    return new KafkaAdmin(config.admin, {
      autoCreate: s.autoCreate,
      fatalIfBrokerNotAvailable: s.failFast,
      modifyTopicConfigs: s.modifyTopicConfigs,
      ...(s.operationTimeoutMs === undefined ? {} : { operationTimeoutMs: s.operationTimeoutMs }),
      ...(logger === undefined ? {} : { logger }),
    });
  }

  /**
   * The startup step (Spring's `afterSingletonsInstantiated`): nothing without `autoCreate`;
   * otherwise `initialize`, whose failure is thrown with `fatalIfBrokerNotAvailable` and only
   * logged without it, returning undefined (the application starts; call `initialize` later).
   */
  async start(topics: readonly NewTopic[]): Promise<TopicsInitialization | undefined> {
    if (!this.autoCreate) return undefined;
    try {
      return await this.initialize(topics);
    } catch (error) {
      if (this.fatalIfBrokerNotAvailable) throw error;
      this.logger.error('Could not configure topics', { error });
      return undefined;
    }
  }

  /** Creates missing topics and grows existing ones; throws when that fails. */
  async initialize(topics: readonly NewTopic[]): Promise<TopicsInitialization> {
    try {
      return await this.withAdmin((admin) => this.addOrModifyTopics(admin, topics));
    } catch (error) {
      throw new Error(`Could not configure topics: ${describe(error)}`, { cause: error });
    }
  }

  /** Spring's `createOrModifyTopics`: `initialize` for the given topics. */
  createOrModifyTopics(...topics: NewTopic[]): Promise<TopicsInitialization> {
    return this.initialize(topics);
  }

  async describeTopics(...names: string[]): Promise<Map<string, TopicDescription>> {
    return this.withAdmin(async (admin) => {
      try {
        const descriptions = await this.timed(admin.describeTopics(names), 'topic descriptions');
        return new Map(descriptions.map((d) => [d.name, d]));
      } catch (error) {
        throw new Error(`Failed to obtain topic descriptions: ${describe(error)}`, { cause: error });
      }
    });
  }

  async clusterId(): Promise<string> {
    return this.withAdmin(async (admin) => (await this.timed(admin.describeCluster(), 'cluster id')).clusterId);
  }

  private async addOrModifyTopics(admin: Admin, declared: readonly NewTopic[]): Promise<TopicsInitialization> {
    const byName = new Map(declared.map((t) => [t.name, t]));
    const result = {
      created: [] as string[],
      partitionsIncreased: [] as PartitionIncrease[],
      configsChanged: [] as TopicConfigChange[],
      notes: [] as string[],
    };
    if (byName.size === 0) return result;
    const listed = new Set(await this.timed(admin.listTopics({ listInternal: true }), 'existing topics'));
    const existing = [...byName.keys()].filter((name) => listed.has(name));
    const missing = [...byName.values()].filter((t) => !listed.has(t.name));
    const descriptions =
      existing.length === 0 ? [] : await this.timed(admin.describeTopics(existing), 'existing topics');

    const failures: unknown[] = [];
    for (const topic of missing) {
      try {
        await this.timed(admin.createTopics([topic]), 'create topics results');
        result.created.push(topic.name);
      } catch (error) {
        if (isError(error, ErrorCode.TOPIC_ALREADY_EXISTS)) this.logger.debug('Failed to create topics', { error });
        else failures.push(error);
      }
    }
    if (failures.length > 0) throw failed('Failed to create topics', failures);

    for (const d of descriptions) {
      const topic = byName.get(d.name) as NewTopic;
      const count = d.partitions.length;
      const replicas = d.partitions[0]?.replicas.length ?? 0;
      if (topic.replicationFactor > 0 && replicas !== topic.replicationFactor) {
        this.note(
          result.notes,
          `Topic '${d.name}' exists with replication factor ${replicas}, not ${topic.replicationFactor}; not changed`,
        );
      }
      if (topic.numPartitions >= 0 && topic.numPartitions < count) {
        this.note(
          result.notes,
          `Topic '${d.name}' exists but has a different partition count: ${count} not ${topic.numPartitions}`,
        );
      } else if (topic.numPartitions > count) {
        this.logger.info(
          `Topic '${d.name}' exists but has a different partition count: ${count} not ${topic.numPartitions}, increasing if the broker supports it`,
        );
        try {
          await this.timed(
            admin.createPartitions([{ topic: d.name, totalCount: topic.numPartitions }]),
            'create partitions results',
          );
          result.partitionsIncreased.push({ topic: d.name, from: count, to: topic.numPartitions });
        } catch (error) {
          if (isError(error, ErrorCode.INVALID_PARTITIONS)) this.logger.debug('Failed to create partitions', { error });
          else if (isError(error, ErrorCode.UNSUPPORTED_VERSION))
            this.logger.error('Failed to create partitions', { error });
          else failures.push(error);
        }
      }
    }
    if (failures.length > 0) throw failed('Failed to create partitions', failures);

    if (this.modifyTopicConfigs) {
      const changed = await this.adjustConfigs(
        admin,
        descriptions.map((d) => byName.get(d.name) as NewTopic),
      );
      result.configsChanged.push(...changed);
    }
    return result;
  }

  /** Spring's `checkTopicsForConfigMismatches` + `adjustConfigMismatches`, one topic at a time. */
  private async adjustConfigs(admin: Admin, topics: readonly NewTopic[]): Promise<TopicConfigChange[]> {
    const changed: TopicConfigChange[] = [];
    for (const topic of topics) {
      const keys = Object.keys(topic.configs);
      if (keys.length === 0) continue;
      const [description] = await this.timed(
        admin.describeConfigs([{ type: 'topic', name: topic.name, keys }]),
        'topic configs',
      );
      const actual = new Map((description?.configs ?? []).map((c) => [c.name, c.value]));
      const diff: Record<string, string> = {};
      for (const [name, value] of Object.entries(topic.configs)) {
        if (!actual.has(name)) throw new Error(`Topic property '${name}' does not exist`);
        if (actual.get(name) !== value) diff[name] = value;
      }
      if (Object.keys(diff).length === 0) continue;
      const ops = Object.entries(diff).map(([name, value]) => ({ name, op: 'set' as const, value }));
      await this.timed(
        admin.incrementalAlterConfigs([{ type: 'topic', name: topic.name, ops }]),
        'topic config changes',
      );
      changed.push({ topic: topic.name, configs: diff });
    }
    return changed;
  }

  private note(notes: string[], message: string): void {
    notes.push(message);
    this.logger.info(message);
  }

  private async withAdmin<T>(call: (admin: Admin) => Promise<T>): Promise<T> {
    if (this.adminOrConfig instanceof Admin) return call(this.adminOrConfig);
    const admin = new Admin(this.adminOrConfig);
    try {
      return await call(admin);
    } finally {
      await admin.close();
    }
  }

  /** Bounds one operation by `operationTimeoutMs` (Spring's `future.get(timeout)`). */
  private timed<T>(operation: Promise<T>, what: string): Promise<T> {
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<never>((_, reject) => {
      timer = setTimeout(() => reject(new Error(`Timed out waiting for ${what}`)), this.operationTimeoutMs);
    });
    return Promise.race([operation, timeout]).finally(() => clearTimeout(timer));
  }
}

function isError(error: unknown, code: number): boolean {
  return error instanceof KafkaError && error.errorCode === code;
}

/** Kafka's error name first, so that logs and messages say INVALID_REPLICATION_FACTOR, not only the text. */
function describe(error: unknown): string {
  if (error instanceof KafkaError) return `${error.errorName}: ${error.message}`;
  return error instanceof Error ? error.message : String(error);
}

function failed(message: string, failures: readonly unknown[]): Error {
  return new Error(`${message}: ${failures.map(describe).join('; ')}`, { cause: failures[0] });
}
