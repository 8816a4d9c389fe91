import type { NewTopic as ClientNewTopic } from '@samsa/client';

/**
 * A topic an application declares (Spring's `NewTopic` bean: `new NewTopic("test-topic", 8,
 * (short) 2)`), for `KafkaAdmin` to create or grow at startup. It is also a client `NewTopic`, so
 * `admin.createTopics([topic])` takes it as is.
 *
 * -1 partitions or replicas means the broker's default (`num.partitions`,
 * `default.replication.factor`), as Kafka's `Optional.empty()`. With explicit `assignments` (the
 * replicas of each partition, preferred leader first) both are -1: the assignment says it all.
 */
export class NewTopic implements ClientNewTopic {
  readonly name: string;
  readonly numPartitions: number;
  readonly replicationFactor: number;
  readonly assignments?: Readonly<Record<number, readonly number[]>>;
  readonly configs: Readonly<Record<string, string>>;

  constructor(
    name: string,
    numPartitions = -1,
    replicationFactor = -1,
    options: {
      readonly configs?: Readonly<Record<string, string>>;
      readonly assignments?: Readonly<Record<number, readonly number[]>>;
    } = {},
  ) {
    if (name === '') throw new Error('a topic name must not be empty');
    if (!Number.isInteger(numPartitions) || numPartitions === 0 || numPartitions < -1) {
      throw new Error(`topic '${name}': numPartitions must be positive or -1, got ${numPartitions}`);
    }
    if (!Number.isInteger(replicationFactor) || replicationFactor === 0 || replicationFactor < -1) {
      throw new Error(`topic '${name}': replicationFactor must be positive or -1, got ${replicationFactor}`);
    }
    this.name = name;
    this.configs = { ...options.configs };
    if (options.assignments !== undefined) {
      this.numPartitions = -1;
      this.replicationFactor = -1;
      this.assignments = options.assignments;
    } else {
      this.numPartitions = numPartitions;
      this.replicationFactor = replicationFactor;
    }
  }

  /** A copy with these configs added (Spring's `NewTopic.configs(map)`, which returns the topic). */
  withConfigs(configs: Readonly<Record<string, string>>): NewTopic {
    return new NewTopic(this.name, this.numPartitions, this.replicationFactor, {
      configs: { ...this.configs, ...configs },
      ...(this.assignments === undefined ? {} : { assignments: this.assignments }),
    });
  }
}

/**
 * Spring's `TopicBuilder`: `TopicBuilder.name('orders').partitions(8).replicas(2).compact().build()`.
 * Unset partitions and replicas stay the broker's defaults. (An object with a `name` factory, not
 * a class with a static `name`: that would clash with `Function.prototype.name`.)
 */
export const TopicBuilder = {
  name(topic: string): TopicBuilder {
    return new Builder(topic);
  },
} as const;

export type TopicBuilder = Builder;

class Builder {
  private numPartitions = -1;
  private replicationFactor = -1;
  private replicaAssignments: Record<number, readonly number[]> | undefined;
  private readonly topicConfigs: Record<string, string> = {};
  private readonly topicName: string;

  constructor(topicName: string) {
    this.topicName = topicName;
  }

  partitions(count: number): this {
    this.numPartitions = count;
    return this;
  }

  replicas(count: number): this {
    this.replicationFactor = count;
    return this;
  }

  /** Replicas of every partition at once (Spring's `assignReplicas(Map)`), replacing earlier ones. */
  assignReplicas(assignments: Readonly<Record<number, readonly number[]>>): this {
    this.replicaAssignments = { ...assignments };
    return this;
  }

  /** Replicas of one partition, preferred leader first (Spring's `assignReplicas(partition, ids)`). */
  assignReplica(partition: number, brokerIds: readonly number[]): this {
    this.replicaAssignments = { ...this.replicaAssignments, [partition]: [...brokerIds] };
    return this;
  }

  config(name: string, value: string): this {
    this.topicConfigs[name] = value;
    return this;
  }

  configs(configs: Readonly<Record<string, string>>): this {
    Object.assign(this.topicConfigs, configs);
    return this;
  }

  /** `cleanup.policy=compact`. */
  compact(): this {
    return this.config('cleanup.policy', 'compact');
  }

  build(): NewTopic {
    return new NewTopic(this.topicName, this.numPartitions, this.replicationFactor, {
      configs: this.topicConfigs,
      ...(this.replicaAssignments === undefined ? {} : { assignments: this.replicaAssignments }),
    });
  }
}
