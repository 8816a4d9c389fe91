import { type Admin, murmur2Partition, type TopicPartition } from '@samsa/client';
import { physicalTopic } from '../processor/stream-task.js';
import type { Topology } from '../processor/topology.js';
import type { StreamPartitioner } from '../processor/topology-nodes.js';
import type { Serializer } from '../serde/serde.js';
import { HostInfo } from './host-info.js';
import { KeyQueryMetadata, StreamsMetadata } from './streams-metadata.js';
import {
  assignmentUserData,
  decodeAssignmentInfo,
  decodeSubscriptionInfo,
  subscriptionUserData,
} from './streams-user-data.js';

/** A sub-topology as metadata needs it: its stores and its physical input topics. */
interface StoreGroup {
  readonly id: number;
  readonly stores: readonly string[];
  readonly topics: readonly string[];
}

/**
 * Kafka Streams' `StreamsMetadataState`: which instance holds which store and key. Java's
 * leader sends every member the partitions of every host in the assignment's user data;
 * Samsa's consumer does not hand assignment user data to the application, so after each
 * rebalance every instance reads the same facts from the group coordinator (DescribeGroups:
 * each member's subscription, with its `application.server`, and its assignment, whose user
 * data lists its standby tasks — this instance learns its own standbys the same way).
 * Members without `application.server` are not listed (as in Java).
 */
export class StreamsMetadataState {
  private readonly groups: StoreGroup[] = [];
  private readonly globalStores = new Set<string>();
  private all: StreamsMetadata[] = [];
  private initialized = false;
  /** The standby tasks the leader gave this instance at the last rebalance. */
  private ownStandby: string[] = [];

  constructor(
    topology: Topology,
    private readonly applicationId: string,
    private readonly thisHost: HostInfo | undefined,
    private readonly processId: string,
    private readonly partitionCount: (topic: string) => number | undefined,
  ) {
    for (const sub of topology.subtopologies()) {
      if (sub.global === true) {
        for (const s of sub.stores) this.globalStores.add(s);
        continue;
      }
      this.groups.push({
        id: sub.id,
        stores: sub.stores,
        topics: sub.sourceTopics.map((t) => physicalTopic(topology, applicationId, t)),
      });
    }
  }

  /** Re-reads the group after a rebalance. Throws what DescribeGroups throws; the old metadata stays. */
  async refresh(admin: Admin): Promise<void> {
    const [group] = await admin.describeGroups([this.applicationId]);
    type Entry = { host: HostInfo; partitions: TopicPartition[]; standby: string[] };
    const byHost = new Map<string, Entry>();
    let ownStandby: string[] = [];
    for (const member of group?.members ?? []) {
      const info = decodeSubscriptionInfo(subscriptionUserData(member.memberMetadata));
      const standby = [...decodeAssignmentInfo(assignmentUserData(member.memberAssignment)).standbyTasks];
      if (info?.processId === this.processId) ownStandby = standby;
      const host = HostInfo.buildFromEndpointOrUndefined(info?.userEndPoint);
      if (host === undefined) continue;
      const entry = byHost.get(host.endpoint()) ?? { host, partitions: [], standby: [] };
      entry.partitions.push(...member.assignment);
      entry.standby.push(...standby);
      byHost.set(host.endpoint(), entry);
    }
    if (this.thisHost !== undefined && !byHost.has(this.thisHost.endpoint())) {
      byHost.set(this.thisHost.endpoint(), { host: this.thisHost, partitions: [], standby: [] });
    }
    this.all = [...byHost.values()]
      .sort((a, b) => (a.host.endpoint() < b.host.endpoint() ? -1 : 1))
      .map(({ host, partitions, standby }) => {
        const stores = new Set(this.globalStores);
        for (const g of this.groups) {
          if (partitions.some((tp) => g.topics.includes(tp.topic))) for (const s of g.stores) stores.add(s);
        }
        const standbyStores = new Set<string>();
        const standbyPartitions: TopicPartition[] = [];
        for (const task of standby) {
          const [sub, partition] = task.split('_').map(Number) as [number, number];
          const g = this.groups.find((x) => x.id === sub);
          if (g === undefined) continue;
          for (const s of g.stores) standbyStores.add(s);
          for (const topic of g.topics) standbyPartitions.push({ topic, partition });
        }
        return new StreamsMetadata(host, stores, partitions, standbyStores, standbyPartitions);
      });
    this.ownStandby = ownStandby;
    this.initialized = true;
  }

  /** This instance's standby tasks, as the last rebalance assigned them. */
  standbyTasks(): string[] {
    return [...this.ownStandby];
  }

  allMetadata(): StreamsMetadata[] {
    return [...this.all];
  }

  /** The instances holding `storeName` (every instance for a global store). */
  allMetadataForStore(storeName: string): StreamsMetadata[] {
    if (this.globalStores.has(storeName)) return this.allMetadata();
    return this.all.filter((m) => m.stateStoreNames().has(storeName));
  }

  /**
   * Java's `getKeyQueryMetadataForKey`: the partition is the one the default partitioner
   * (murmur2 of the serialized key, as Java's producer) or `partitioner` picks in the store's
   * input topic with the most partitions; the active host is the instance owning it.
   * Undefined (Java: null) for a store not in the topology.
   */
  keyQueryMetadata<K>(
    storeName: string,
    key: K,
    keySerializer: Serializer<K> | StreamPartitioner<K, unknown>,
  ): KeyQueryMetadata | undefined {
    if (!this.initialized || this.all.length === 0) return KeyQueryMetadata.NOT_AVAILABLE;
    if (this.globalStores.has(storeName)) {
      const local = this.all.find((m) => m.hostInfo().equals(this.thisHost)) ?? (this.all[0] as StreamsMetadata);
      return new KeyQueryMetadata(local.hostInfo(), new Set(), -1);
    }
    const group = this.groups.find((g) => g.stores.includes(storeName));
    if (group === undefined) return undefined;
    let topic: string | undefined;
    let maxPartitions = 0;
    for (const t of group.topics) {
      const n = this.partitionCount(t) ?? 0;
      if (n > maxPartitions) [topic, maxPartitions] = [t, n];
    }
    if (topic === undefined) return KeyQueryMetadata.NOT_AVAILABLE;
    let partition: number;
    if (typeof keySerializer === 'function') {
      partition = keySerializer(topic, key, undefined, maxPartitions) ?? -1;
    } else {
      const bytes = keySerializer.serialize(topic, key);
      if (bytes === null) throw new TypeError(`queryMetadataForKey: the key of store ${storeName} serialized to null`);
      partition = murmur2Partition(bytes, maxPartitions);
    }
    const owns = (m: StreamsMetadata) =>
      m.topicPartitions().some((tp) => tp.partition === partition && group.topics.includes(tp.topic));
    const active = this.all.find(owns)?.hostInfo() ?? HostInfo.unavailable();
    const standbys = this.all
      .filter((m) =>
        m.standbyTopicPartitions().some((tp) => tp.partition === partition && group.topics.includes(tp.topic)),
      )
      .map((m) => m.hostInfo());
    return new KeyQueryMetadata(active, new Set(standbys), partition);
  }
}
