import { ErrorCode, KafkaError, randomUuid } from '@samsa/protocol';
import type { BrokerConfig } from '../config/broker-config.js';
import { BROKER_CONFIG_BY_NAME } from '../config/broker-config.js';
import { type ConfigError, parseConfigValue } from '../config/config-def.js';
import type { TopicConfigResolver } from '../config/topic-config.js';
import {
  type ClusterImage,
  isInternalTopic,
  type PartitionRegistration,
  type TopicRegistration,
} from '../metadata/cluster-image.js';
import type { LocalMetadata, LocalMetadataStore } from '../metadata/local-metadata-store.js';
import type { MetadataCache } from '../metadata/metadata-cache.js';
import type {
  Controller,
  OngoingReassignment,
  PartitionOutcome,
  ReassignmentRequest,
  TopicCreation,
} from './controller.js';
import { type PlanningContext, planPartitionAddition, planTopicCreation } from './topic-plans.js';

/** Kafka hands out producer IDs in blocks of this size (ProducerIdManager). */
export const PRODUCER_ID_BLOCK_SIZE = 1000;

/**
 * The controller of a single-node cluster: this broker decides alone, persists the result in
 * `samsa-metadata.json` (via LocalMetadataStore), publishes the new metadata image, and waits
 * until this broker has applied it (logs created or deleted) before answering — so a topic is
 * usable as soon as CreateTopics returns.
 *
 * Changes are serialized: one runs at a time, in arrival order.
 */
export class LocalController implements Controller {
  private queue: Promise<unknown> = Promise.resolve();

  constructor(
    private readonly brokerConfig: BrokerConfig,
    private readonly topicConfigs: TopicConfigResolver,
    private readonly store: LocalMetadataStore,
    private readonly state: LocalMetadata,
    private readonly cache: MetadataCache,
    /** Applies an image to this broker (opens/deletes logs); resolves when done. */
    private readonly apply: (image: ClusterImage, previous: ClusterImage) => Promise<void>,
  ) {}

  private serialized<T>(work: () => Promise<T>): Promise<T> {
    const run = this.queue.then(work, work);
    this.queue = run.catch(() => undefined);
    return run;
  }

  private async commit(image: ClusterImage): Promise<void> {
    this.state.topics = [...image.topics.values()];
    await this.store.save(this.state);
    const previous = this.cache.image;
    this.cache.publish(image);
    await this.apply(image, previous);
  }

  createTopic(creation: TopicCreation, validateOnly: boolean): Promise<TopicRegistration> {
    return this.serialized(async () => {
      const topic = this.planTopic(creation);
      if (!validateOnly) await this.commit(this.cache.image.withTopic(topic));
      return topic;
    });
  }

  private planTopic(creation: TopicCreation): TopicRegistration {
    const assignment = planTopicCreation(creation, this.planningContext());
    return {
      name: creation.name,
      topicId: randomUuid(),
      partitions: assignment.map((replicas, partition) => initialRegistration(partition, replicas)),
      configs: { ...creation.configs },
    };
  }

  private planningContext(): PlanningContext {
    return {
      brokerConfig: this.brokerConfig,
      topicConfigs: this.topicConfigs,
      existingTopics: this.cache.image.topics.keys(),
      liveBrokers: [...this.cache.image.brokers.values()].map((b) => ({ brokerId: b.brokerId, rack: b.rack })),
    };
  }

  deleteTopic(name: string): Promise<void> {
    return this.serialized(async () => {
      const image = this.cache.image;
      if (image.topic(name) === undefined) {
        throw new KafkaError(ErrorCode.UNKNOWN_TOPIC_OR_PARTITION, 'This server does not host this topic-partition.');
      }
      if (!this.brokerConfig.bool('delete.topic.enable')) {
        throw new KafkaError(ErrorCode.TOPIC_DELETION_DISABLED, 'Topic deletion is disabled.');
      }
      if (isInternalTopic(name)) {
        throw new KafkaError(
          ErrorCode.INVALID_TOPIC_EXCEPTION,
          `Topic ${name} is an internal topic and cannot be deleted`,
        );
      }
      await this.commit(image.withoutTopic(name));
    });
  }

  createPartitions(
    name: string,
    totalCount: number,
    assignments: readonly (readonly number[])[] | null,
    validateOnly: boolean,
  ): Promise<void> {
    return this.serialized(async () => {
      const image = this.cache.image;
      const topic = image.topic(name);
      if (topic === undefined) {
        throw new KafkaError(ErrorCode.UNKNOWN_TOPIC_OR_PARTITION, 'This server does not host this topic-partition.');
      }
      const current = topic.partitions.length;
      const replicaLists = planPartitionAddition(
        topic.partitions.map((p) => p.replicas),
        totalCount,
        assignments,
        this.planningContext().liveBrokers,
      );
      if (validateOnly) return;
      const partitions = [...topic.partitions, ...replicaLists.map((r, i) => initialRegistration(current + i, r))];
      await this.commit(image.withTopic({ ...topic, partitions }));
    });
  }

  async topicConfigOverrides(name: string): Promise<Readonly<Record<string, string>> | undefined> {
    return this.cache.image.topic(name)?.configs;
  }

  alterTopicConfigs(name: string, configs: Readonly<Record<string, string>>, validateOnly: boolean): Promise<void> {
    return this.serialized(async () => {
      const image = this.cache.image;
      const topic = image.topic(name);
      if (topic === undefined) {
        throw new KafkaError(ErrorCode.UNKNOWN_TOPIC_OR_PARTITION, 'This server does not host this topic-partition.');
      }
      this.topicConfigs.validateOverrides(configs);
      if (validateOnly) return;
      await this.commit(image.withTopic({ ...topic, configs: { ...configs } }));
    });
  }

  alterBrokerConfigs(
    brokerId: number | null,
    changes: Readonly<Record<string, string | null>>,
    validateOnly: boolean,
  ): Promise<void> {
    return this.serialized(async () => {
      if (brokerId !== null && brokerId !== this.brokerConfig.brokerId) {
        throw new KafkaError(
          ErrorCode.INVALID_REQUEST,
          `Unexpected broker id, expected ${this.brokerConfig.brokerId} but received ${brokerId}`,
        );
      }
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
      const scope = brokerId === null ? 'default' : 'broker';
      const storeKey = brokerId === null ? '' : String(brokerId);
      const stored = { ...(this.state.brokerConfigs[storeKey] ?? {}) };
      for (const [name, value] of Object.entries(changes)) {
        this.brokerConfig.setDynamic(scope, name, value);
        if (value === null) delete stored[name];
        else stored[name] = value;
      }
      this.state.brokerConfigs[storeKey] = stored;
      // Broker-level changes alter effective topic configs: republish so logs pick them up.
      await this.commit(this.cache.image);
    });
  }

  /**
   * Changes what only the metadata file holds (SCRAM users), in the queue of every other change:
   * `change` returns the fields to replace, the file is saved with them, and only then does the
   * state in memory take them, so a failed save changes nothing. `change` may throw to refuse.
   */
  updateMetadata(change: (metadata: Readonly<LocalMetadata>) => Partial<LocalMetadata>): Promise<void> {
    return this.serialized(async () => {
      const patch = change(this.state);
      await this.store.save({ ...this.state, ...patch });
      Object.assign(this.state, patch);
    });
  }

  allocateProducerIds(count: number): Promise<number> {
    return this.serialized(async () => {
      const start = this.state.nextProducerIdBlockStart;
      this.state.nextProducerIdBlockStart = start + count;
      await this.store.save(this.state);
      return start;
    });
  }

  /** A single node leads every partition it has: no election is ever needed. */
  async electLeaders(
    _electionType: number,
    partitions: readonly { readonly topic: string; readonly partition: number }[] | null,
  ): Promise<Map<string, PartitionOutcome>> {
    const image = this.cache.image;
    const wanted =
      partitions ??
      [...image.topics.values()].flatMap((t) => t.partitions.map((p) => ({ topic: t.name, partition: p.partition })));
    const outcomes = new Map<string, PartitionOutcome>();
    for (const p of wanted) {
      outcomes.set(
        `${p.topic}-${p.partition}`,
        image.partition(p.topic, p.partition) === undefined
          ? { errorCode: ErrorCode.UNKNOWN_TOPIC_OR_PARTITION, errorMessage: null }
          : {
              errorCode: ErrorCode.ELECTION_NOT_NEEDED,
              errorMessage: 'Leader election not needed for topic partition.',
            },
      );
    }
    return outcomes;
  }

  /** A single node has nowhere to move replicas to: any other broker is unknown. */
  async alterPartitionReassignments(requests: readonly ReassignmentRequest[]): Promise<Map<string, PartitionOutcome>> {
    const image = this.cache.image;
    const outcomes = new Map<string, PartitionOutcome>();
    for (const r of requests) {
      const key = `${r.topic}-${r.partition}`;
      const current = image.partition(r.topic, r.partition);
      if (current === undefined) {
        outcomes.set(key, { errorCode: ErrorCode.UNKNOWN_TOPIC_OR_PARTITION, errorMessage: null });
      } else if (r.replicas === null) {
        outcomes.set(key, {
          errorCode: ErrorCode.NO_REASSIGNMENT_IN_PROGRESS,
          errorMessage: `No reassignment in progress for ${key}`,
        });
      } else if (r.replicas.length === 1 && r.replicas[0] === this.brokerConfig.brokerId) {
        outcomes.set(key, { errorCode: ErrorCode.NONE, errorMessage: null });
      } else {
        outcomes.set(key, {
          errorCode: ErrorCode.INVALID_REPLICA_ASSIGNMENT,
          errorMessage: `Replica assignment has brokers that are not alive: ${r.replicas.filter((b) => b !== this.brokerConfig.brokerId).join(',')}`,
        });
      }
    }
    return outcomes;
  }

  async listPartitionReassignments(): Promise<OngoingReassignment[]> {
    return [];
  }
}

function initialRegistration(partition: number, replicas: readonly number[]): PartitionRegistration {
  return {
    partition,
    replicas,
    isr: replicas,
    leader: replicas[0] ?? -1,
    leaderEpoch: 0,
    partitionEpoch: 0,
  };
}
