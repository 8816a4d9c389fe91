import type { TopicPartition } from '@samsa/client';
import { HostInfo } from './host-info.js';

/**
 * Kafka Streams' `StreamsMetadata`: one instance of the application as the group's last
 * rebalance placed it — its `application.server`, the stores it holds and the input
 * partitions of the tasks it runs (active; standby is empty until standby replicas exist).
 */
export class StreamsMetadata {
  constructor(
    private readonly hostInfoValue: HostInfo,
    private readonly stores: ReadonlySet<string>,
    private readonly partitions: readonly TopicPartition[],
    private readonly standbyStores: ReadonlySet<string> = new Set(),
    private readonly standbyPartitions: readonly TopicPartition[] = [],
  ) {}

  hostInfo(): HostInfo {
    return this.hostInfoValue;
  }

  host(): string {
    return this.hostInfoValue.host();
  }

  port(): number {
    return this.hostInfoValue.port();
  }

  stateStoreNames(): ReadonlySet<string> {
    return this.stores;
  }

  topicPartitions(): readonly TopicPartition[] {
    return this.partitions;
  }

  standbyStateStoreNames(): ReadonlySet<string> {
    return this.standbyStores;
  }

  standbyTopicPartitions(): readonly TopicPartition[] {
    return this.standbyPartitions;
  }

  toString(): string {
    const tps = this.partitions.map((tp) => `${tp.topic}-${tp.partition}`).join(',');
    return `StreamsMetadata {hostInfo=${this.hostInfoValue}, storeNames=[${[...this.stores].join(',')}], topicPartitions=[${tps}]}`;
  }
}

/**
 * Kafka Streams' `KeyQueryMetadata`: where a key of a store lives — the instance running its
 * task (`activeHost`), the instances keeping standby copies, and the partition.
 */
export class KeyQueryMetadata {
  /** Java's `KeyQueryMetadata.NOT_AVAILABLE`: the metadata is not known (yet). */
  static readonly NOT_AVAILABLE = new KeyQueryMetadata(HostInfo.unavailable(), new Set(), -1);

  constructor(
    private readonly active: HostInfo,
    private readonly standbys: ReadonlySet<HostInfo>,
    private readonly partitionValue: number,
  ) {}

  activeHost(): HostInfo {
    return this.active;
  }

  standbyHosts(): ReadonlySet<HostInfo> {
    return this.standbys;
  }

  partition(): number {
    return this.partitionValue;
  }

  toString(): string {
    return `KeyQueryMetadata {activeHost=${this.active}, standbyHosts=[${[...this.standbys].join(', ')}], partition=${this.partitionValue}}`;
  }
}
