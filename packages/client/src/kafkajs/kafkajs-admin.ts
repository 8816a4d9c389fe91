import { ConfigResourceType, ConfigSource } from '@samsa/protocol';
import { Admin } from '../admin/admin.js';
import type { ConfigResourceTypeName } from '../admin/admin-types.js';
import { OffsetSpec } from '../metadata/list-offsets.js';
import { createAcls, deleteAcls, describeAcls, type KafkaJSAcl, type KafkaJSAclFilter } from './kafkajs-acls.js';
import { ConfigResourceTypes, wrap } from './kafkajs-constants.js';

/**
 * The admin client's resource type for a KafkaJS `type`. KafkaJS's GROUP is 3 (an ACL code, see
 * `ConfigResourceTypes`); the admin client sends a 'group' as Kafka's 32. Any other code but
 * TOPIC and BROKER_LOGGER (UNKNOWN, ANY, BROKER, CLUSTER) names a broker.
 */
function typeName(code: number): ConfigResourceTypeName {
  switch (code) {
    case ConfigResourceType.TOPIC:
      return 'topic';
    case ConfigResourceTypes.GROUP:
      return 'group';
    case ConfigResourceType.BROKER_LOGGER:
      return 'broker_logger';
    default:
      return 'broker';
  }
}

/** KafkaJS's admin client on Samsa's, with KafkaJS's argument and result shapes (offsets as strings). */
export class KafkaJSAdmin {
  private readonly admin: Admin;

  constructor(base: Readonly<Record<string, unknown>>) {
    this.admin = new Admin(base);
  }

  async connect(): Promise<void> {
    await wrap(() => this.admin.describeCluster().then(() => {}));
  }

  async disconnect(): Promise<void> {
    await this.admin.close();
  }

  /** Resolves true if every topic was created, false if some already existed (KafkaJS's contract). */
  async createTopics(args: {
    topics: {
      topic: string;
      numPartitions?: number;
      replicationFactor?: number;
      replicaAssignment?: { partition: number; replicas: number[] }[];
      configEntries?: { name: string; value: string }[];
    }[];
    validateOnly?: boolean;
    waitForLeaders?: boolean;
    timeout?: number;
  }): Promise<boolean> {
    let createdAll = true;
    for (const t of args.topics) {
      try {
        await this.admin.createTopics(
          [
            {
              name: t.topic,
              ...(t.numPartitions === undefined ? {} : { numPartitions: t.numPartitions }),
              ...(t.replicationFactor === undefined ? {} : { replicationFactor: t.replicationFactor }),
              ...(t.replicaAssignment === undefined || t.replicaAssignment.length === 0
                ? {}
                : { assignments: Object.fromEntries(t.replicaAssignment.map((a) => [a.partition, a.replicas])) }),
              configs: Object.fromEntries((t.configEntries ?? []).map((c) => [c.name, c.value])),
            },
          ],
          {
            ...(args.validateOnly === undefined ? {} : { validateOnly: args.validateOnly }),
            ...(args.timeout === undefined ? {} : { timeoutMs: args.timeout }),
          },
        );
      } catch (error) {
        if ((error as { errorName?: string }).errorName === 'TOPIC_ALREADY_EXISTS') createdAll = false;
        else await wrap(() => Promise.reject(error));
      }
    }
    return createdAll;
  }

  async deleteTopics(args: { topics: string[]; timeout?: number }): Promise<void> {
    await wrap(() =>
      this.admin.deleteTopics(args.topics, args.timeout === undefined ? {} : { timeoutMs: args.timeout }),
    );
  }

  async createPartitions(args: {
    topicPartitions: { topic: string; count: number; assignments?: number[][] }[];
    validateOnly?: boolean;
  }): Promise<boolean> {
    await wrap(() =>
      this.admin.createPartitions(
        args.topicPartitions.map((t) => ({
          topic: t.topic,
          totalCount: t.count,
          ...(t.assignments === undefined ? {} : { assignments: t.assignments }),
        })),
        args.validateOnly === undefined ? {} : { validateOnly: args.validateOnly },
      ),
    );
    return true;
  }

  async listTopics(): Promise<string[]> {
    return wrap(() => this.admin.listTopics());
  }

  async fetchTopicMetadata(args: { topics?: string[] } = {}): Promise<{
    topics: {
      name: string;
      partitions: {
        partitionErrorCode: number;
        partitionId: number;
        leader: number;
        replicas: number[];
        isr: number[];
        offlineReplicas: number[];
      }[];
    }[];
  }> {
    return wrap(async () => {
      const names = args.topics ?? (await this.admin.listTopics());
      const described = await this.admin.describeTopics(names);
      return {
        topics: described.map((t) => ({
          name: t.name,
          partitions: t.partitions.map((p) => ({
            partitionErrorCode: 0,
            partitionId: p.partition,
            leader: p.leader,
            replicas: [...p.replicas],
            isr: [...p.isr],
            offlineReplicas: [...p.offlineReplicas],
          })),
        })),
      };
    });
  }

  async fetchTopicOffsets(topic: string): Promise<{ partition: number; offset: string; high: string; low: string }[]> {
    return wrap(async () => {
      const [desc] = await this.admin.describeTopics([topic]);
      const partitions = desc?.partitions.map((p) => p.partition) ?? [];
      const [low, high] = await Promise.all([
        this.admin.listOffsets(partitions.map((partition) => ({ topic, partition, timestamp: OffsetSpec.EARLIEST }))),
        this.admin.listOffsets(partitions.map((partition) => ({ topic, partition, timestamp: OffsetSpec.LATEST }))),
      ]);
      return partitions.map((partition) => {
        const h = high.find((x) => x.partition === partition)?.offset ?? -1n;
        return {
          partition,
          offset: h.toString(),
          high: h.toString(),
          low: (low.find((x) => x.partition === partition)?.offset ?? -1n).toString(),
        };
      });
    });
  }

  async fetchTopicOffsetsByTimestamp(
    topic: string,
    timestamp?: number,
  ): Promise<{ partition: number; offset: string }[]> {
    return wrap(async () => {
      const [desc] = await this.admin.describeTopics([topic]);
      const partitions = desc?.partitions.map((p) => p.partition) ?? [];
      const listed = await this.admin.listOffsets(
        partitions.map((partition) => ({
          topic,
          partition,
          timestamp: timestamp === undefined ? OffsetSpec.LATEST : BigInt(timestamp),
        })),
      );
      // KafkaJS returns the log end for partitions with no record at or after the timestamp.
      const ends = await this.admin.listOffsets(
        partitions.map((partition) => ({ topic, partition, timestamp: OffsetSpec.LATEST })),
      );
      return listed.map((l) => ({
        partition: l.partition,
        offset: (l.offset >= 0n ? l.offset : (ends.find((e) => e.partition === l.partition)?.offset ?? -1n)).toString(),
      }));
    });
  }

  async fetchOffsets(args: {
    groupId: string;
    topics?: string[];
  }): Promise<{ topic: string; partitions: { partition: number; offset: string; metadata: string | null }[] }[]> {
    return wrap(async () => {
      const topics = args.topics;
      let partitions: { topic: string; partition: number }[] | undefined;
      if (topics !== undefined) {
        const described = await this.admin.describeTopics(topics);
        partitions = described.flatMap((t) => t.partitions.map((p) => ({ topic: t.name, partition: p.partition })));
      }
      const offsets = await this.admin.listConsumerGroupOffsets(
        args.groupId,
        partitions === undefined ? {} : { partitions },
      );
      const byTopic = new Map<string, { partition: number; offset: string; metadata: string | null }[]>();
      for (const o of offsets) {
        byTopic.set(o.topic, [
          ...(byTopic.get(o.topic) ?? []),
          { partition: o.partition, offset: o.offset.toString(), metadata: o.metadata },
        ]);
      }
      return [...byTopic].map(([topic, list]) => ({ topic, partitions: list }));
    });
  }

  async setOffsets(args: {
    groupId: string;
    topic: string;
    partitions: { partition: number; offset: string }[];
  }): Promise<void> {
    await wrap(() =>
      this.admin.alterConsumerGroupOffsets(
        args.groupId,
        args.partitions.map((p) => ({ topic: args.topic, partition: p.partition, offset: BigInt(p.offset) })),
      ),
    );
  }

  async resetOffsets(args: { groupId: string; topic: string; earliest?: boolean }): Promise<void> {
    await wrap(() =>
      this.admin.resetConsumerGroupOffsets(args.groupId, args.topic, args.earliest === true ? 'earliest' : 'latest'),
    );
  }

  async deleteTopicRecords(args: {
    topic: string;
    partitions: { partition: number; offset: string }[];
  }): Promise<void> {
    await wrap(() =>
      this.admin.deleteRecords(
        args.partitions.map((p) => ({ topic: args.topic, partition: p.partition, offset: BigInt(p.offset) })),
      ),
    );
  }

  async describeCluster(): Promise<{
    brokers: { nodeId: number; host: string; port: number }[];
    controller: number | null;
    clusterId: string;
  }> {
    return wrap(async () => {
      const c = await this.admin.describeCluster();
      return {
        brokers: c.brokers.map((b) => ({ nodeId: b.nodeId, host: b.host, port: b.port })),
        controller: c.controllerId,
        clusterId: c.clusterId,
      };
    });
  }

  async describeConfigs(args: {
    resources: { type: number; name: string; configNames?: string[] }[];
    includeSynonyms?: boolean;
  }): Promise<{
    resources: {
      errorCode: number;
      errorMessage: string | null;
      resourceName: string;
      resourceType: number;
      configEntries: {
        configName: string;
        configValue: string | null;
        readOnly: boolean;
        isDefault: boolean;
        configSource: number;
        isSensitive: boolean;
        configSynonyms: { configName: string; configValue: string | null; configSource: number }[];
      }[];
    }[];
  }> {
    return wrap(async () => {
      const described = await this.admin.describeConfigs(
        args.resources.map((r) => ({
          type: typeName(r.type),
          name: r.name,
          ...(r.configNames === undefined || r.configNames.length === 0 ? {} : { keys: r.configNames }),
        })),
        { includeSynonyms: args.includeSynonyms ?? false },
      );
      return {
        resources: described.map((d, i) => ({
          errorCode: 0,
          errorMessage: null,
          resourceName: d.name,
          resourceType: args.resources[i]?.type ?? ConfigResourceTypes.TOPIC,
          configEntries: d.configs.map((c) => ({
            configName: c.name,
            configValue: c.value,
            readOnly: c.readOnly,
            isDefault: c.isDefault,
            configSource: ConfigSource[c.source],
            isSensitive: c.isSensitive,
            configSynonyms: c.synonyms.map((s) => ({
              configName: s.name,
              configValue: s.value,
              configSource: ConfigSource[s.source],
            })),
          })),
        })),
      };
    });
  }

  /** KafkaJS's alterConfigs is Kafka's legacy AlterConfigs: the listed entries replace the resource's set. */
  async alterConfigs(args: {
    validateOnly?: boolean;
    resources: { type: number; name: string; configEntries: { name: string; value: string }[] }[];
  }): Promise<void> {
    await wrap(() =>
      this.admin.alterConfigs(
        args.resources.map((r) => ({
          type: typeName(r.type),
          name: r.name,
          configs: Object.fromEntries(r.configEntries.map((c) => [c.name, c.value])),
        })),
        args.validateOnly === undefined ? {} : { validateOnly: args.validateOnly },
      ),
    );
  }

  async listGroups(): Promise<{ groups: { groupId: string; protocolType: string }[] }> {
    return wrap(async () => ({
      groups: (await this.admin.listGroups()).map((g) => ({ groupId: g.groupId, protocolType: g.protocolType })),
    }));
  }

  async describeGroups(groupIds: string[]): Promise<{
    groups: {
      groupId: string;
      errorCode: number;
      state: string;
      protocolType: string;
      protocol: string;
      members: {
        memberId: string;
        clientId: string;
        clientHost: string;
        memberMetadata: Buffer;
        memberAssignment: Buffer;
      }[];
    }[];
  }> {
    return wrap(async () => ({
      groups: (await this.admin.describeGroups(groupIds)).map((g) => ({
        groupId: g.groupId,
        errorCode: 0,
        state: g.state,
        protocolType: g.protocolType,
        protocol: g.protocol,
        members: g.members.map((m) => ({
          memberId: m.memberId,
          clientId: m.clientId,
          clientHost: m.clientHost,
          memberMetadata: m.memberMetadata,
          memberAssignment: m.memberAssignment,
        })),
      })),
    }));
  }

  async createAcls(args: { acl: KafkaJSAcl[] }): Promise<boolean> {
    return wrap(() => createAcls(this.admin, args.acl));
  }

  async describeAcls(filter: KafkaJSAclFilter): Promise<Awaited<ReturnType<typeof describeAcls>>> {
    return wrap(() => describeAcls(this.admin, filter));
  }

  async deleteAcls(args: { filters: KafkaJSAclFilter[] }): Promise<Awaited<ReturnType<typeof deleteAcls>>> {
    return wrap(() => deleteAcls(this.admin, args.filters));
  }

  async deleteGroups(groupIds: string[]): Promise<{ groupId: string; errorCode: number }[]> {
    return wrap(async () => {
      await this.admin.deleteGroups(groupIds);
      return groupIds.map((groupId) => ({ groupId, errorCode: 0 }));
    });
  }
}
