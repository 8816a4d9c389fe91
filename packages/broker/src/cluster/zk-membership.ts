import { ApiKey, type ControlledShutdownResponse, ErrorCode, randomUuid } from '@samsa/protocol';
import type { ZkServices } from '../broker-services.js';
import type { BrokerConfig } from '../config/broker-config.js';
import type { Controller } from '../controller/controller.js';
import { KafkaController } from '../controller/zk/kafka-controller.js';
import { ZkClusterAdmin } from '../controller/zk-cluster-admin.js';
import type { Logger } from '../logger.js';
import type { BufferPool } from '../memory/buffer-pool.js';
import {
  type BrokerRegistration,
  ClusterImage,
  GROUP_METADATA_TOPIC_NAME,
  TRANSACTION_STATE_TOPIC_NAME,
} from '../metadata/cluster-image.js';
import type { MetadataCache } from '../metadata/metadata-cache.js';
import { InterBrokerClient } from '../network/inter-broker-client.js';
import type { InterBrokerSecurity } from '../network/inter-broker-security.js';
import { ZkClientQuotaStore } from '../quota/zk-client-quota-store.js';
import { AlterPartitionManager } from '../replica/alter-partition-manager.js';
import { ReplicaFetcherManager } from '../replica/replica-fetcher-manager.js';
import type { ReplicationQuota } from '../replica/replication-quota.js';
import { ZkScramCredentialStore } from '../security/zk-scram-credential-store.js';
import { AdminZkClient } from '../zk/admin-zk-client.js';
import { getOrCreateClusterId, ZkBrokerRegistration } from '../zk/broker-registration.js';
import { KafkaZkClient } from '../zk/kafka-zk-client.js';
import { ZkConfigChangeListener } from '../zk/zk-config-change-listener.js';
import {
  BrokerIdZNode,
  ConfigType,
  ControllerZNode,
  DEFAULT_BROKER_ENTITY,
  LogDirEventNotificationZNode,
  PERSISTENT_PATHS,
} from '../zk/zk-data.js';
import { ZkGroupConfigStore } from '../zk/zk-group-config-store.js';
import { ZkTopicConfigs } from '../zk/zk-topic-configs.js';
import type { ClusterMembership, MembershipDeps, ReplicationServices } from './cluster-membership.js';

/**
 * A broker of a ZooKeeper cluster (`zookeeper.connect` set), as Kafka's KafkaServer in ZooKeeper
 * mode: cluster id and metadata in ZooKeeper, an ephemeral registration under `/brokers/ids`, a
 * controller component that takes part in elections, metadata pushed by the active controller
 * (LeaderAndIsr, UpdateMetadata), config changes followed through `/config/changes`, and a
 * controlled shutdown that hands leadership over before the broker stops.
 *
 * ZooKeeper lost while running: the broker keeps serving what it leads (it cannot tell a slow
 * ZooKeeper from a partition); its controller component resigns at once; when a new session is
 * up it registers again, which the controller sees as a broker restart and answers with
 * LeaderAndIsr — so leadership it lost meanwhile is taken away, and the broker follows.
 */
export class ZkMembership implements ClusterMembership {
  private cache: MetadataCache | undefined;
  private kafkaController: KafkaController | undefined;
  private registration: ZkBrokerRegistration | undefined;
  private configListener: ZkConfigChangeListener | undefined;
  private deps: MembershipDeps | undefined;
  private alterPartitionManager: AlterPartitionManager | undefined;
  private scramCredentials: ZkScramCredentialStore | undefined;
  private clientQuotas: ZkClientQuotaStore | undefined;
  private groupConfigs: ZkGroupConfigStore | undefined;

  private constructor(
    private readonly config: BrokerConfig,
    private readonly zk: KafkaZkClient,
    readonly clusterId: string,
    private readonly topicConfigs: ZkTopicConfigs,
    private readonly logger: Logger,
    /** How this broker's connections to the others are secured (the inter-broker listener's). */
    private readonly interBrokerSecurity: InterBrokerSecurity,
  ) {}

  static async prepare(
    config: BrokerConfig,
    storedClusterId: string | undefined,
    logger: Logger,
    interBrokerSecurity: InterBrokerSecurity,
  ): Promise<ZkMembership> {
    const connect = config.string('zookeeper.connect') as string;
    const sessionTimeoutMs = config.int('zookeeper.session.timeout.ms');
    const connectionTimeoutMs = (config.get('zookeeper.connection.timeout.ms') as number | null) ?? sessionTimeoutMs;
    logger.info(`Connecting to zookeeper on ${connect}`);
    const zk = await KafkaZkClient.connect({
      connect,
      sessionTimeoutMs,
      connectionTimeoutMs,
      logger: logger.child({ component: 'zookeeper' }),
    });
    try {
      for (const path of PERSISTENT_PATHS) await zk.createRecursive(path);
      const clusterId = await getOrCreateClusterId(zk, storedClusterId ?? randomUuid());
      if (storedClusterId !== undefined && storedClusterId !== clusterId) {
        throw new Error(
          `The Cluster ID ${clusterId} doesn't match stored clusterId ${storedClusterId} in meta.properties. ` +
            'The broker is trying to join the wrong cluster. Configured zookeeper.connect may be wrong.',
        );
      }
      const admin = new AdminZkClient(zk);
      for (const [scope, entity] of [
        ['default', DEFAULT_BROKER_ENTITY],
        ['broker', String(config.brokerId)],
      ] as const) {
        for (const [name, value] of Object.entries(await admin.entityConfig(ConfigType.Broker, entity))) {
          try {
            config.setDynamic(scope, name, value);
          } catch (err) {
            logger.warn(`ignoring dynamic broker config ${name}=${value} from ZooKeeper: ${(err as Error).message}`);
          }
        }
      }
      // Every topic's overrides, for loading the logs on disk with the right settings.
      const topicConfigs = new ZkTopicConfigs(zk);
      await topicConfigs.load((await zk.getChildren(`/config/${ConfigType.Topic}`)) ?? []);
      return new ZkMembership(config, zk, clusterId, topicConfigs, logger, interBrokerSecurity);
    } catch (err) {
      zk.close();
      throw err;
    }
  }

  startupOverrides(topic: string): Readonly<Record<string, string>> {
    return this.topicConfigs.overrides(topic);
  }

  /** Empty until the controller's first UpdateMetadata, as in Kafka. */
  initialImage(_self: BrokerRegistration): ClusterImage {
    return new ClusterImage(this.clusterId, -1, new Map(), new Map());
  }

  replication(
    config: BrokerConfig,
    cache: MetadataCache,
    logger: Logger,
    followerQuota: ReplicationQuota,
    bufferPool: BufferPool,
  ): ReplicationServices {
    const fetcherManager = new ReplicaFetcherManager(
      {
        brokerId: config.brokerId,
        fetchMaxBytes: config.int('replica.fetch.max.bytes'),
        responseMaxBytes: config.int('replica.fetch.response.max.bytes'),
        waitMaxMs: config.int('replica.fetch.wait.max.ms'),
        minBytes: config.int('replica.fetch.min.bytes'),
        backoffMs: config.int('replica.fetch.backoff.ms'),
        socketTimeoutMs: config.int('replica.socket.timeout.ms'),
        security: this.interBrokerSecurity,
      },
      () => config.int('num.replica.fetchers'),
      logger.child({ component: 'replica-fetcher' }),
      bufferPool,
      followerQuota,
    );
    this.alterPartitionManager = new AlterPartitionManager({
      brokerId: config.brokerId,
      brokerEpoch: () => this.registration?.epoch ?? -1n,
      metadata: cache,
      listenerName: config.interBrokerListenerName,
      security: this.interBrokerSecurity,
      requestTimeoutMs: config.int('controller.socket.timeout.ms'),
      retryBackoffMs: 100,
      logger: logger.child({ component: 'alter-partition' }),
    });
    const manager = this.alterPartitionManager;
    return { fetcherManager, requestIsrChange: (request) => manager.submit(request) };
  }

  async attach(deps: MembershipDeps): Promise<{
    controller: Controller;
    zk: ZkServices;
    scramCredentials: ZkScramCredentialStore;
    clientQuotas: ZkClientQuotaStore;
    groupConfigs: ZkGroupConfigStore;
  }> {
    this.deps = deps;
    this.cache = deps.cache;
    const { config, replicaManager, groupCoordinator, transactionCoordinator, logger } = deps;
    const kafkaController = new KafkaController({
      brokerId: config.brokerId,
      config,
      zk: this.zk,
      topicOverrides: async (topic) => {
        await this.topicConfigs.load([topic]);
        return this.topicConfigs.overrides(topic);
      },
      logger: logger.child({ component: 'controller' }),
      interBrokerSecurity: this.interBrokerSecurity,
    });
    this.kafkaController = kafkaController;
    const controller = new ZkClusterAdmin({
      brokerId: config.brokerId,
      brokerConfig: config,
      topicConfigs: deps.topicConfigs,
      zk: this.zk,
      admin: new AdminZkClient(this.zk),
      metadata: deps.cache,
      kafkaController,
      onTopicConfigChanged: (topic) => this.onConfigChange(ConfigType.Topic, topic),
      onBrokerConfigChanged: (entity) => this.onConfigChange(ConfigType.Broker, entity),
      propagationTimeoutMs: 30_000,
      logger: logger.child({ component: 'admin' }),
    });
    // The coordinators follow the leadership of __consumer_offsets and __transaction_state partitions.
    replicaManager.onLeadershipChange(async (change) => {
      for (const p of change.leaders) {
        if (p.topic === GROUP_METADATA_TOPIC_NAME) await groupCoordinator.onElection(p.partition);
        if (p.topic === TRANSACTION_STATE_TOPIC_NAME)
          await transactionCoordinator.onElection(p.partition, p.leaderEpoch);
      }
      for (const p of [...change.followers, ...change.stopped]) {
        if (p.topic === GROUP_METADATA_TOPIC_NAME) await groupCoordinator.onResignation(p.partition);
        if (p.topic === TRANSACTION_STATE_TOPIC_NAME) transactionCoordinator.onResignation(p.partition);
      }
    });
    // A failed log dir: the controller learns of it through a notification znode, then asks this
    // broker which replicas are offline and moves their leadership (Kafka's LogDirFailureHandler).
    replicaManager.onLogDirFailure(async (failure) => {
      if (failure.onlineLogDirs.length === 0) return;
      try {
        await this.zk.create(
          LogDirEventNotificationZNode.createPath,
          LogDirEventNotificationZNode.encode(config.brokerId),
          'persistent-sequential',
        );
      } catch (err) {
        logger.error({ err }, `could not notify the controller of the failure of log dir ${failure.logDir}`);
      }
    });
    this.configListener = new ZkConfigChangeListener(
      this.zk,
      (type, name) => this.onConfigChange(type, name),
      logger.child({ component: 'config-change-listener' }),
    );
    const zk: ZkServices = {
      kafkaController,
      topicConfigs: this.topicConfigs,
      brokerEpoch: () => this.registration?.epoch ?? -1n,
    };
    // Before the listeners open: SCRAM logins (inter-broker ones too) need the users.
    const scramCredentials = new ZkScramCredentialStore(this.zk, logger.child({ component: 'scram-credentials' }));
    await scramCredentials.loadAll();
    this.scramCredentials = scramCredentials;
    const clientQuotas = new ZkClientQuotaStore(this.zk, logger.child({ component: 'client-quotas' }));
    await clientQuotas.loadAll();
    this.clientQuotas = clientQuotas;
    const groupConfigs = new ZkGroupConfigStore(this.zk, config, logger.child({ component: 'group-configs' }));
    await groupConfigs.loadAll();
    this.groupConfigs = groupConfigs;
    return { controller, zk, scramCredentials, clientQuotas, groupConfigs };
  }

  /** A config entity changed in ZooKeeper: re-read it and apply it here. */
  private async onConfigChange(type: string, name: string): Promise<void> {
    const deps = this.deps;
    const cache = this.cache;
    if (deps === undefined || cache === undefined) return;
    if (type === ConfigType.User) {
      await this.scramCredentials?.reload(name);
      await this.clientQuotas?.reload(`${type}/${name}`);
      return;
    }
    if (type === ConfigType.Group) {
      await this.groupConfigs?.reload(name);
      return;
    }
    if (type === ConfigType.Client) {
      await this.clientQuotas?.reload(`${type}/${name}`);
      return;
    }
    if (type === ConfigType.Topic) {
      const overrides = await this.topicConfigs.reload(name);
      const topic = cache.image.topic(name);
      if (topic !== undefined) cache.publish(cache.image.withTopic({ ...topic, configs: overrides }));
      deps.replicaManager.updateLogConfig(name, deps.topicConfigs.logConfig(overrides));
      this.logger.info(`Processed a topic config change for ${name}: ${JSON.stringify(overrides)}`);
      return;
    }
    if (type === ConfigType.Broker && (name === DEFAULT_BROKER_ENTITY || name === String(deps.config.brokerId))) {
      const scope = name === DEFAULT_BROKER_ENTITY ? 'default' : 'broker';
      const stored = await new AdminZkClient(this.zk).entityConfig(ConfigType.Broker, name);
      for (const key of [...deps.config.dynamicEntries(scope).keys()])
        if (!(key in stored)) deps.config.setDynamic(scope, key, null);
      for (const [key, value] of Object.entries(stored)) {
        try {
          deps.config.setDynamic(scope, key, value);
        } catch (err) {
          this.logger.warn(`ignoring dynamic broker config ${key}=${value}: ${(err as Error).message}`);
        }
      }
      // Broker defaults change effective topic configs.
      for (const topic of cache.image.topics.values()) {
        deps.replicaManager.updateLogConfig(topic.name, deps.topicConfigs.logConfig(topic.configs));
      }
    }
  }

  async join(self: BrokerRegistration): Promise<void> {
    const deps = this.deps;
    const kafkaController = this.kafkaController;
    if (deps === undefined || kafkaController === undefined) throw new Error('join before attach');
    this.registration = new ZkBrokerRegistration(
      this.zk,
      { brokerId: self.brokerId, endpoints: self.endpoints, rack: self.rack },
      deps.config.int('zookeeper.session.timeout.ms'),
      this.logger.child({ component: 'registration' }),
    );
    await this.registration.register();
    this.zk.onSessionExpired((expired) => kafkaController.onSessionExpired(expired));
    this.zk.onNewSession(async () => {
      await this.registration?.register();
      await kafkaController.onNewSession();
      this.configListener?.schedule();
    });
    await kafkaController.startup();
    await this.configListener?.startup();
    // The listener skips the notifications it finds at startup: users changed since attach()
    // loaded them would be missed, so read them again now that later changes are followed.
    await this.scramCredentials?.loadAll();
    await this.clientQuotas?.loadAll();
    await this.groupConfigs?.loadAll();
    deps.replicaManager.startIsrExpiration(deps.config.long('replica.lag.time.max.ms'));
    await this.awaitFirstMetadata(self.brokerId, deps.cache);
  }

  /**
   * The controller tells a (re)started broker the cluster's metadata right after it registers.
   * Until then this broker's metadata is empty, and a client asking it would be told nothing
   * exists; startup waits for that first UpdateMetadata (a few milliseconds, normally) so that the
   * broker reports itself started only once it can answer.
   */
  private async awaitFirstMetadata(brokerId: number, cache: MetadataCache): Promise<void> {
    const deadline = Date.now() + 15000;
    while (!cache.image.brokers.has(brokerId)) {
      if (Date.now() > deadline) {
        this.logger.warn('no metadata from the controller yet; serving with an empty metadata cache');
        return;
      }
      await new Promise<void>((resolve) => {
        const stop = cache.onPublish(() => {
          stop();
          clearTimeout(timer);
          resolve();
        });
        const timer = setTimeout(() => {
          stop();
          resolve();
        }, 100);
      });
    }
  }

  /**
   * Controlled shutdown (controlled.shutdown.enable): asks the active controller to move this
   * broker's leaderships elsewhere, retrying controlled.shutdown.max.retries times with
   * controlled.shutdown.retry.backoff.ms between, until it leads nothing that has another
   * in-sync replica. Then the controller component steps down.
   */
  async leave(): Promise<void> {
    const config = this.config;
    if (config.bool('controlled.shutdown.enable') && this.registration !== undefined) {
      const retries = config.int('controlled.shutdown.max.retries');
      const backoffMs = config.long('controlled.shutdown.retry.backoff.ms');
      let succeeded = false;
      for (let attempt = 0; attempt <= retries && !succeeded; attempt++) {
        if (attempt > 0) await new Promise((resolve) => setTimeout(resolve, backoffMs));
        try {
          succeeded = await this.requestControlledShutdown();
        } catch (err) {
          this.logger.warn(
            `Error during controlled shutdown, possibly because leader movement took longer than the configured controller.socket.timeout.ms: ${(err as Error).message}`,
          );
        }
      }
      if (!succeeded)
        this.logger.warn('Proceeding to do an unclean shutdown as all the controlled shutdown attempts failed');
      else this.logger.info('Controlled shutdown request returned successfully');
    }
    await this.kafkaController?.shutdown();
    this.configListener?.close();
    this.alterPartitionManager?.close();
  }

  private async requestControlledShutdown(): Promise<boolean> {
    const current = await this.zk.getData(ControllerZNode.path);
    if (current === undefined) throw new Error('no controller is elected');
    const controllerId = ControllerZNode.decode(current.data);
    const registered = await this.zk.getData(BrokerIdZNode.path(controllerId));
    if (registered === undefined) throw new Error(`controller ${controllerId} is not registered`);
    const info = BrokerIdZNode.decode(controllerId, registered.data);
    const listener = this.config.interBrokerListenerName;
    const endpoint = info.endpoints.find((e) => e.listenerName === listener) ?? info.endpoints[0];
    if (endpoint === undefined) throw new Error(`controller ${controllerId} has no endpoint`);
    const client = new InterBrokerClient({
      host: endpoint.host,
      port: endpoint.port,
      clientId: `broker-${this.config.brokerId}-controlled-shutdown`,
      requestTimeoutMs: this.config.int('controller.socket.timeout.ms'),
      security: this.interBrokerSecurity,
    });
    try {
      const response = await client.send<ControlledShutdownResponse>(ApiKey.ControlledShutdown, 3, {
        brokerId: this.config.brokerId,
        brokerEpoch: this.registration?.epoch ?? -1n,
      });
      if (response.errorCode !== ErrorCode.NONE)
        throw new Error(`controller answered error code ${response.errorCode}`);
      if (response.remainingPartitions.length > 0) {
        this.logger.info(
          `Remaining partitions to move: ${response.remainingPartitions.map((p) => `${p.topicName}-${p.partitionIndex}`).join(',')}`,
        );
        return false;
      }
      return true;
    } finally {
      client.close();
    }
  }

  async close(): Promise<void> {
    this.zk.close();
  }
}
