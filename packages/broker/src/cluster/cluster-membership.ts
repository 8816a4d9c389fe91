import type { ZkServices } from '../broker-services.js';
import type { BrokerConfig } from '../config/broker-config.js';
import type { GroupConfigStore } from '../config/group-config-store.js';
import type { TopicConfigResolver } from '../config/topic-config.js';
import type { Controller } from '../controller/controller.js';
import type { GroupCoordinator } from '../coordinator/group/group-coordinator.js';
import type { TransactionCoordinator } from '../coordinator/transaction/transaction-coordinator.js';
import type { Logger } from '../logger.js';
import type { BufferPool } from '../memory/buffer-pool.js';
import type { BrokerRegistration, ClusterImage } from '../metadata/cluster-image.js';
import type { MetadataCache } from '../metadata/metadata-cache.js';
import type { ClientQuotaStore } from '../quota/client-quota-store.js';
import type { IsrChangeRequest } from '../replica/partition.js';
import type { ReplicaFetcherManager } from '../replica/replica-fetcher-manager.js';
import type { ReplicaManager } from '../replica/replica-manager.js';
import type { ReplicationQuota } from '../replica/replication-quota.js';
import type { MutableScramCredentialStore } from '../security/scram-credential-store.js';

/** The replication parts a cluster broker has and a single node does not. */
export interface ReplicationServices {
  readonly fetcherManager?: ReplicaFetcherManager;
  readonly requestIsrChange?: (request: IsrChangeRequest) => void;
}

/** The broker's parts a membership wires itself to. */
export interface MembershipDeps {
  readonly config: BrokerConfig;
  readonly topicConfigs: TopicConfigResolver;
  readonly cache: MetadataCache;
  readonly replicaManager: ReplicaManager;
  readonly groupCoordinator: GroupCoordinator;
  readonly transactionCoordinator: TransactionCoordinator;
  readonly logger: Logger;
}

/**
 * How a broker belongs to its cluster, the one thing that differs between a single node and a
 * ZooKeeper cluster: where metadata comes from, who the controller is, and how the broker joins
 * and leaves. The broker's startup calls these in order: `startupOverrides` while logs load,
 * `initialImage`, `attach`, then — listeners bound — `join`; at shutdown `leave` before the
 * listeners close and `close` at the very end.
 */
export interface ClusterMembership {
  readonly clusterId: string;
  /** A topic's config overrides as known at startup, to load its log. */
  startupOverrides(topic: string): Readonly<Record<string, string>>;
  /** The metadata image before the broker joins. */
  initialImage(self: BrokerRegistration): ClusterImage;
  /** Followers' fetchers and the way to the controller for ISR changes, if this mode replicates. */
  replication(
    config: BrokerConfig,
    cache: MetadataCache,
    logger: Logger,
    followerQuota: ReplicationQuota,
    /** Where followers assemble fetched data (released once appended). */
    bufferPool: BufferPool,
  ): ReplicationServices;
  /**
   * Creates the controller (and, in ZooKeeper mode, the ZooKeeper services) over the broker's
   * parts, and loads the SCRAM users, client quotas and group configs from where this mode keeps them.
   */
  attach(deps: MembershipDeps): Promise<{
    controller: Controller;
    zk?: ZkServices;
    scramCredentials: MutableScramCredentialStore;
    clientQuotas: ClientQuotaStore;
    groupConfigs: GroupConfigStore;
  }>;
  /** The listeners are bound (ports known): become part of the cluster. */
  join(self: BrokerRegistration): Promise<void>;
  /** Shutting down, still serving: hand leadership over first (controlled shutdown). */
  leave(): Promise<void>;
  /** Everything has stopped. */
  close(): Promise<void>;
}
