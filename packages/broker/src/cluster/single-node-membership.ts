import { randomUuid } from '@samsa/protocol';
import type { BrokerConfig } from '../config/broker-config.js';
import { LocalGroupConfigStore } from '../config/local-group-config-store.js';
import type { Controller } from '../controller/controller.js';
import { LocalController } from '../controller/local-controller.js';
import type { Logger } from '../logger.js';
import {
  type BrokerRegistration,
  ClusterImage,
  GROUP_METADATA_TOPIC_NAME,
  type TopicRegistration,
  TRANSACTION_STATE_TOPIC_NAME,
} from '../metadata/cluster-image.js';
import { type LocalMetadata, LocalMetadataStore } from '../metadata/local-metadata-store.js';
import type { MetadataCache } from '../metadata/metadata-cache.js';
import { LocalClientQuotaStore } from '../quota/local-client-quota-store.js';
import { LocalScramCredentialStore } from '../security/local-scram-credential-store.js';
import type { ClusterMembership, MembershipDeps, ReplicationServices } from './cluster-membership.js';

/**
 * A broker alone (no `zookeeper.connect`): it is its own controller (LocalController) and keeps
 * its metadata in `samsa-metadata.json` in its first log dir.
 */
export class SingleNodeMembership implements ClusterMembership {
  private cache: MetadataCache | undefined;

  private constructor(
    private readonly store: LocalMetadataStore,
    private readonly state: LocalMetadata,
    private readonly topics: ReadonlyMap<string, TopicRegistration>,
  ) {}

  static async prepare(
    config: BrokerConfig,
    storedClusterId: string | undefined,
    logger: Logger,
  ): Promise<SingleNodeMembership> {
    const store = new LocalMetadataStore(config.logDirs[0] as string);
    const state: LocalMetadata = store.load() ?? {
      version: 1,
      clusterId: storedClusterId ?? randomUuid(),
      topics: [],
      brokerConfigs: {},
      nextProducerIdBlockStart: 0,
    };
    await store.save(state);
    for (const [scope, entries] of Object.entries(state.brokerConfigs)) {
      if (scope !== '' && scope !== String(config.brokerId)) continue;
      for (const [name, value] of Object.entries(entries)) {
        try {
          config.setDynamic(scope === '' ? 'default' : 'broker', name, value);
        } catch (err) {
          logger.warn(`ignoring stored dynamic config ${name}=${value}: ${(err as Error).message}`);
        }
      }
    }
    return new SingleNodeMembership(store, state, new Map(state.topics.map((t) => [t.name, t])));
  }

  get clusterId(): string {
    return this.state.clusterId;
  }

  startupOverrides(topic: string): Readonly<Record<string, string>> {
    return this.topics.get(topic)?.configs ?? {};
  }

  initialImage(self: BrokerRegistration): ClusterImage {
    return new ClusterImage(this.state.clusterId, self.brokerId, new Map([[self.brokerId, self]]), this.topics);
  }

  /** A single node has no followers: nothing to fetch, no ISR to change. */
  replication(): ReplicationServices {
    return {};
  }

  async attach(deps: MembershipDeps): Promise<{
    controller: Controller;
    scramCredentials: LocalScramCredentialStore;
    clientQuotas: LocalClientQuotaStore;
    groupConfigs: LocalGroupConfigStore;
  }> {
    const { config, topicConfigs, cache, replicaManager, groupCoordinator, transactionCoordinator } = deps;
    const brokerId = config.brokerId;
    this.cache = cache;
    /** Brings this broker in line with a metadata image: host, update or drop partitions. */
    const applyImage = async (image: ClusterImage, previous: ClusterImage): Promise<void> => {
      for (const topic of image.topics.values()) {
        const logConfig = topicConfigs.logConfig(topic.configs);
        replicaManager.updateLogConfig(topic.name, logConfig);
        for (const registration of topic.partitions) {
          if (!registration.replicas.includes(brokerId)) continue;
          const partition = await replicaManager.applyRegistration(topic.name, topic.topicId, registration, logConfig);
          if (topic.name === GROUP_METADATA_TOPIC_NAME) {
            if (partition.isLeader) await groupCoordinator.onElection(registration.partition);
            else await groupCoordinator.onResignation(registration.partition);
          } else if (topic.name === TRANSACTION_STATE_TOPIC_NAME) {
            if (partition.isLeader)
              await transactionCoordinator.onElection(registration.partition, partition.leaderEpoch);
            else transactionCoordinator.onResignation(registration.partition);
          }
        }
      }
      for (const old of previous.topics.values()) {
        const current = image.topic(old.name);
        for (const registration of old.partitions) {
          const stillHosted = current?.partitions[registration.partition]?.replicas.includes(brokerId) === true;
          if (stillHosted || !registration.replicas.includes(brokerId)) continue;
          if (old.name === GROUP_METADATA_TOPIC_NAME) await groupCoordinator.onResignation(registration.partition);
          if (old.name === TRANSACTION_STATE_TOPIC_NAME) transactionCoordinator.onResignation(registration.partition);
          await replicaManager.stopReplica(
            old.name,
            registration.partition,
            current === undefined || current.topicId !== old.topicId,
          );
        }
      }
    };
    const controller = new LocalController(config, topicConfigs, this.store, this.state, cache, applyImage);
    await applyImage(cache.image, new ClusterImage(this.state.clusterId, brokerId, new Map(), new Map()));
    const scramCredentials = new LocalScramCredentialStore(
      this.state.scramCredentials,
      (change) => controller.updateMetadata(change),
      deps.logger.child({ component: 'scram-credentials' }),
    );
    const clientQuotas = new LocalClientQuotaStore(this.state.clientQuotas, (change) =>
      controller.updateMetadata(change),
    );
    const groupConfigs = new LocalGroupConfigStore(this.state.groupConfigs, config, (change) =>
      controller.updateMetadata(change),
    );
    return { controller, scramCredentials, clientQuotas, groupConfigs };
  }

  async join(self: BrokerRegistration): Promise<void> {
    const cache = this.cache;
    if (cache === undefined) throw new Error('join before attach');
    cache.publish(cache.image.withBrokers(new Map([[self.brokerId, self]]), self.brokerId));
  }

  async leave(): Promise<void> {}

  async close(): Promise<void> {}
}
