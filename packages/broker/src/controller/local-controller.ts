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
import { unifyCollisionChars, validateTopicName } from '../metadata/topic-name.js';
import type { Controller, TopicCreation } from './controller.js';
import { assignReplicas } from './replica-assignment.js';

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

  private liveBrokerIds(): number[] {
    return [...this.cache.image.brokers.keys()];
  }

  createTopic(creation: TopicCreation, validateOnly: boolean): Promise<TopicRegistration> {
    return this.serialized(async () => {
      const topic = this.planTopic(creation);
      if (!validateOnly) await this.commit(this.cache.image.withTopic(topic));
      return topic;
    });
  }

  private planTopic(creation: TopicCreation): TopicRegistration {
    const { name } = creation;
    validateTopicName(name);
    const image = this.cache.image;
    if (image.topic(name) !== undefined) {
      throw new KafkaError(ErrorCode.TOPIC_ALREADY_EXISTS, `Topic '${name}' already exists.`);
    }
    const unified = unifyCollisionChars(name);
    for (const existing of image.topics.keys()) {
      if (unifyCollisionChars(existing) === unified) {
        throw new KafkaError(
          ErrorCode.INVALID_TOPIC_EXCEPTION,
          `Topic '${name}' collides with existing topic: ${existing}`,
        );
      }
    }
    this.topicConfigs.validateOverrides(creation.configs);
    let assignment: number[][];
    if (creation.assignments.length > 0) {
      if (creation.numPartitions !== -1 || creation.replicationFactor !== -1) {
        throw new KafkaError(
          ErrorCode.INVALID_REQUEST,
          'Both numPartitions or replicationFactor and replicasAssignments were set. Both cannot be used at the same time.',
        );
      }
      assignment = this.validateAssignment(creation.assignments);
    } else {
      const numPartitions =
        creation.numPartitions === -1 ? this.brokerConfig.int('num.partitions') : creation.numPartitions;
      const replicationFactor =
        creation.replicationFactor === -1
          ? this.brokerConfig.int('default.replication.factor')
          : creation.replicationFactor;
      if (numPartitions < 1) {
        throw new KafkaError(ErrorCode.INVALID_PARTITIONS, 'Number of partitions must be larger than 0.');
      }
      if (replicationFactor < 1) {
        throw new KafkaError(ErrorCode.INVALID_REPLICATION_FACTOR, 'Replication factor must be larger than 0.');
      }
      assignment = assignReplicas(numPartitions, replicationFactor, this.liveBrokerIds());
    }
    return {
      name,
      topicId: randomUuid(),
      partitions: assignment.map((replicas, partition) => initialRegistration(partition, replicas)),
      configs: { ...creation.configs },
    };
  }

  private validateAssignment(
    assignments: readonly { readonly partitionIndex: number; readonly brokerIds: readonly number[] }[],
    firstPartition = 0,
  ): number[][] {
    const sorted = [...assignments].sort((a, b) => a.partitionIndex - b.partitionIndex);
    const live = new Set(this.liveBrokerIds());
    const out: number[][] = [];
    let expectedSize: number | undefined;
    sorted.forEach((a, i) => {
      if (a.partitionIndex !== firstPartition + i) {
        throw new KafkaError(
          ErrorCode.INVALID_REPLICA_ASSIGNMENT,
          `Partitions should be a consecutive 0-based integer sequence, but got ${sorted.map((x) => x.partitionIndex).join(', ')}`,
        );
      }
      if (a.brokerIds.length === 0) {
        throw new KafkaError(
          ErrorCode.INVALID_REPLICA_ASSIGNMENT,
          `Replica assignment for partition ${a.partitionIndex} is empty.`,
        );
      }
      if (new Set(a.brokerIds).size !== a.brokerIds.length) {
        throw new KafkaError(
          ErrorCode.INVALID_REPLICA_ASSIGNMENT,
          `Duplicate brokers not allowed in replica assignment: ${a.brokerIds.join(', ')} for partition id ${a.partitionIndex}.`,
        );
      }
      for (const id of a.brokerIds) {
        if (!live.has(id)) {
          throw new KafkaError(
            ErrorCode.INVALID_REPLICA_ASSIGNMENT,
            `Unknown broker ${id} in the replica assignment for partition ${a.partitionIndex}.`,
          );
        }
      }
      if (expectedSize !== undefined && expectedSize !== a.brokerIds.length) {
        throw new KafkaError(
          ErrorCode.INVALID_REPLICA_ASSIGNMENT,
          'All partitions should have the same number of replicas',
        );
      }
      expectedSize = a.brokerIds.length;
      out.push([...a.brokerIds]);
    });
    return out;
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
      if (totalCount < current) {
        throw new KafkaError(
          ErrorCode.INVALID_PARTITIONS,
          `Topic currently has ${current} partitions, which is higher than the requested ${totalCount}.`,
        );
      }
      if (totalCount === current) {
        throw new KafkaError(ErrorCode.INVALID_PARTITIONS, `Topic already has ${current} partitions.`);
      }
      const added = totalCount - current;
      let replicaLists: number[][];
      if (assignments !== null) {
        if (assignments.length !== added) {
          throw new KafkaError(
            ErrorCode.INVALID_REPLICA_ASSIGNMENT,
            `Increasing the number of partitions by ${added} but ${assignments.length} assignments provided.`,
          );
        }
        replicaLists = this.validateAssignment(
          assignments.map((brokerIds, i) => ({ partitionIndex: current + i, brokerIds })),
          current,
        );
      } else {
        const replicationFactor = topic.partitions[0]?.replicas.length ?? 1;
        replicaLists = assignReplicas(added, replicationFactor, this.liveBrokerIds(), current);
      }
      if (validateOnly) return;
      const partitions = [...topic.partitions, ...replicaLists.map((r, i) => initialRegistration(current + i, r))];
      await this.commit(image.withTopic({ ...topic, partitions }));
    });
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

  allocateProducerIds(count: number): Promise<number> {
    return this.serialized(async () => {
      const start = this.state.nextProducerIdBlockStart;
      this.state.nextProducerIdBlockStart = start + count;
      await this.store.save(this.state);
      return start;
    });
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
