import type { LogManager } from '@samsa/storage';
import type { BrokerConfig } from './config/broker-config.js';
import type { GroupConfigStore } from './config/group-config-store.js';
import type { TopicConfigResolver } from './config/topic-config.js';
import type { Controller } from './controller/controller.js';
import type { KafkaController } from './controller/zk/kafka-controller.js';
import type { GroupCoordinator } from './coordinator/group/group-coordinator.js';
import type { TransactionCoordinator } from './coordinator/transaction/transaction-coordinator.js';
import type { TxnMarkerAppender } from './coordinator/transaction/txn-marker-appender.js';
import type { TxnVerifier } from './coordinator/transaction/txn-verifier.js';
import type { FetchManager } from './fetch-session/fetch-manager.js';
import type { Logger } from './logger.js';
import type { TopicRegistration } from './metadata/cluster-image.js';
import type { MetadataCache } from './metadata/metadata-cache.js';
import type { ProducerIdManager } from './producer/producer-id-manager.js';
import type { ClientQuotaStore } from './quota/client-quota-store.js';
import type { ReplicaManager } from './replica/replica-manager.js';
import type { Authorizer } from './security/authorizer.js';
import type { MutableScramCredentialStore } from './security/scram-credential-store.js';
import type { SharePartitionManager } from './share/share-partition-manager.js';
import type { ShareSessions } from './share/share-sessions.js';
import type { ZkTopicConfigs } from './zk/zk-topic-configs.js';

/** What only a broker of a ZooKeeper cluster has. */
export interface ZkServices {
  /** This broker's controller component, active or not. */
  readonly kafkaController: KafkaController;
  /** Topic config overrides read from ZooKeeper. */
  readonly topicConfigs: ZkTopicConfigs;
  /** This broker's epoch: the czxid of its registration (KIP-380). */
  brokerEpoch(): bigint;
}

export interface AdvertisedEndpoint {
  readonly nodeId: number;
  readonly host: string;
  readonly port: number;
}

/**
 * The broker's subsystems as handlers see them. Handlers depend on this interface, never on how
 * the broker wires itself together.
 */
export interface BrokerServices {
  readonly brokerId: number;
  readonly config: BrokerConfig;
  readonly topicConfigs: TopicConfigResolver;
  readonly metadata: MetadataCache;
  readonly controller: Controller;
  readonly replicaManager: ReplicaManager;
  /** Incremental fetch sessions (KIP-227): max.incremental.fetch.session.cache.slots of them. */
  readonly fetchSessions: FetchManager;
  readonly logManager: LogManager;
  readonly producerIds: ProducerIdManager;
  readonly groupCoordinator: GroupCoordinator;
  readonly transactionCoordinator: TransactionCoordinator;
  /** Appends transaction markers to partitions this broker leads (WriteTxnMarkers). */
  readonly txnMarkerAppender: TxnMarkerAppender;
  /** Checks a transaction's first batch on a partition with its coordinator (KIP-890). */
  readonly txnVerifier: TxnVerifier;
  readonly logger: Logger;
  /** Present when `authorizer.class.name` is set; absent means every request is allowed, as in Kafka. */
  readonly authorizer?: Authorizer;
  /** Client quotas (Describe/AlterClientQuotas; the quota managers read `configs`). */
  readonly clientQuotas: ClientQuotaStore;
  /** Share groups' data plane on this broker: members' share sessions and the share partitions it leads. */
  readonly shares: { readonly sessions: ShareSessions; readonly partitions: SharePartitionManager };
  /** Group configs (resource type GROUP: Describe/AlterConfigs; the group coordinator reads them). */
  readonly groupConfigs: GroupConfigStore;
  /** SCRAM users (SaslAuthenticate, Describe/AlterUserScramCredentials). */
  readonly scramCredentials: MutableScramCredentialStore;
  /** Present in ZooKeeper mode (zookeeper.connect set), absent on a single node. */
  readonly zk?: ZkServices;
  /** This broker's advertised address on a listener (the one a request came in on). */
  advertisedEndpoint(listenerName: string): AdvertisedEndpoint | undefined;
  /**
   * Creates a topic on first use the way Kafka auto-creates (Metadata with auto-creation, and
   * the internal topics on FindCoordinator), returning the registration or the refusal.
   */
  autoCreateTopic(name: string): Promise<TopicRegistration>;
}
