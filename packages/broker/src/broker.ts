import { mkdirSync } from 'node:fs';
import { ErrorCode, KafkaError } from '@samsa/protocol';
import { type LogConfig, LogManager, SystemTime } from '@samsa/storage';
import type { Registry } from 'prom-client';
import type { AdvertisedEndpoint, BrokerServices } from './broker-services.js';
import type { ClusterMembership } from './cluster/cluster-membership.js';
import { SingleNodeMembership } from './cluster/single-node-membership.js';
import { ZkMembership } from './cluster/zk-membership.js';
import type { BrokerConfig } from './config/broker-config.js';
import type { GroupConfigStore } from './config/group-config-store.js';
import { TopicConfigResolver } from './config/topic-config.js';
import type { Controller } from './controller/controller.js';
import { GroupCoordinator } from './coordinator/group/group-coordinator.js';
import { consumerGroupConfigFrom, shareGroupConfigFrom } from './coordinator/group/group-coordinator-config.js';
import { ReplicaCoordinatorLog } from './coordinator/replica-coordinator-log.js';
import { TransactionCoordinator } from './coordinator/transaction/transaction-coordinator.js';
import { TxnMarkerAppender } from './coordinator/transaction/txn-marker-appender.js';
import { TxnMarkerChannel } from './coordinator/transaction/txn-marker-channel.js';
import { TxnVerifier } from './coordinator/transaction/txn-verifier.js';
import { FatalErrors } from './fatal-errors.js';
import { FetchManager } from './fetch-session/fetch-manager.js';
import { FetchSessionCache } from './fetch-session/fetch-session-cache.js';
import { createHandlerRegistry } from './handlers/index.js';
import type { Logger } from './logger.js';
import { BufferPool } from './memory/buffer-pool.js';
import {
  type BrokerRegistration,
  GROUP_METADATA_TOPIC_NAME,
  type TopicRegistration,
  TRANSACTION_STATE_TOPIC_NAME,
} from './metadata/cluster-image.js';
import { readMetaProperties, writeMetaProperties } from './metadata/meta-properties.js';
import { MetadataCache } from './metadata/metadata-cache.js';
import { createBrokerMetricsRegistry } from './metrics/broker-metrics-registry.js';
import { BrokerTopicStats } from './metrics/broker-topic-stats.js';
import { type MetricsListener, parseMetricsListener } from './metrics/metrics-listener.js';
import { MetricsServer } from './metrics/metrics-server.js';
import { RequestMetrics } from './metrics/request-metrics.js';
import { ConnectionLimits, parsePerIpOverrides } from './network/connection-limits.js';
import { type InterBrokerSecurity, resolveInterBrokerSecurity } from './network/inter-broker-security.js';
import { RequestDispatcher } from './network/request-dispatcher.js';
import { SocketServer } from './network/socket-server.js';
import { ProducerIdManager } from './producer/producer-id-manager.js';
import { ClientQuotas } from './quota/client-quotas.js';
import { ReplicaManager, type ReplicaManagerOptions } from './replica/replica-manager.js';
import { replicaSelectorFor } from './replica/replica-selector.js';
import { ReplicationQuota, ThrottleSide } from './replica/replication-quota.js';
import { createAuthorizer } from './security/acl/create-authorizer.js';
import { buildListenerSecurity } from './security/listener-security.js';
import { SharePartitionManager } from './share/share-partition-manager.js';
import { ShareSessions } from './share/share-sessions.js';

/**
 * A Samsa broker: wires storage, replica manager, controller, coordinators and the network layer
 * together, and runs the startup and shutdown sequences.
 *
 * Startup: check/create the log dirs and `meta.properties`; load the metadata (single node:
 * `samsa-metadata.json`); open every log (recovering after an unclean shutdown); become leader of
 * the hosted partitions; load the group coordinator's `__consumer_offsets` partitions; bind the
 * listeners; then serve. Shutdown reverses it and ends with the clean-shutdown marker, so the next
 * start skips recovery.
 */
export class Broker {
  private constructor(
    readonly config: BrokerConfig,
    readonly services: BrokerServices,
    private readonly socketServer: SocketServer,
    private readonly logManager: LogManager,
    private readonly replicaManager: ReplicaManager,
    private readonly groupCoordinator: GroupCoordinator,
    private readonly transactionCoordinator: TransactionCoordinator,
    private readonly membership: ClusterMembership,
    private readonly logger: Logger,
    private readonly fatalErrors: FatalErrors,
  ) {}

  /** `/metrics`, when metrics.listener is set. */
  private metricsServer: MetricsServer | undefined;

  /** The port `/metrics` is served on (useful when metrics.listener names port 0). */
  get metricsPort(): number | undefined {
    return this.metricsServer?.port;
  }

  /** Called when the broker must stop at once (every log dir failed); the process should exit. */
  onFatal(listener: (message: string) => void): void {
    this.fatalErrors.onFatal(listener);
  }

  static async start(config: BrokerConfig, logger: Logger): Promise<Broker> {
    const brokerId = config.brokerId;
    for (const warning of config.warnings) logger.warn(warning.message);
    for (const dir of config.logDirs) mkdirSync(dir, { recursive: true });
    const storedClusterId = checkMetaProperties(config);
    // Before ZooKeeper: a listener's bad TLS/SASL settings stop startup naming the key.
    const interBrokerSecurity = resolveInterBrokerSecurity(config);
    const membership: ClusterMembership =
      config.string('zookeeper.connect') === null
        ? await SingleNodeMembership.prepare(config, storedClusterId, logger)
        : await ZkMembership.prepare(config, storedClusterId, logger, interBrokerSecurity);
    try {
      for (const dir of config.logDirs) await writeMetaProperties(dir, { brokerId, clusterId: membership.clusterId });
      return await Broker.startWith(config, membership, logger, interBrokerSecurity);
    } catch (err) {
      await membership.close();
      throw err;
    }
  }

  private static async startWith(
    config: BrokerConfig,
    membership: ClusterMembership,
    logger: Logger,
    interBrokerSecurity: InterBrokerSecurity,
  ): Promise<Broker> {
    const brokerId = config.brokerId;
    const topicConfigs = new TopicConfigResolver(config);
    const logConfigOf = (topic: string): LogConfig => topicConfigs.logConfig(membership.startupOverrides(topic));
    const logManager = new LogManager({
      logDirs: config.logDirs,
      defaultConfig: topicConfigs.logConfig({}),
      time: SystemTime,
      recoveryThreadsPerDataDir: config.int('num.recovery.threads.per.data.dir'),
      retentionCheckIntervalMs: config.long('log.retention.check.interval.ms'),
      flushCheckIntervalMs: config.long('log.flush.scheduler.interval.ms'),
      flushOffsetCheckpointIntervalMs: config.int('log.flush.offset.checkpoint.interval.ms'),
      flushStartOffsetCheckpointIntervalMs: config.int('log.flush.start.offset.checkpoint.interval.ms'),
      producerIdExpirationMs: config.int('producer.id.expiration.ms'),
      cleanerEnabled: config.bool('log.cleaner.enable'),
      cleanerBackoffMs: config.long('log.cleaner.backoff.ms'),
      logger: logger.child({ component: 'log-manager' }),
    });
    let broker: Broker | undefined;
    const fatalErrors = new FatalErrors(() => void broker?.shutdown());
    logManager.onLogDirFailure((failure) => {
      if (failure.onlineLogDirs.length > 0) return;
      const message = `Shutdown broker because all log dirs in ${config.logDirs.join(', ')} have failed`;
      logger.error(message);
      fatalErrors.raise(message);
    });
    const loadStart = Date.now();
    await logManager.startup(logConfigOf);
    logger.info(`Loaded ${logManager.allLogs().length} logs in ${Date.now() - loadStart}ms.`);

    const self: BrokerRegistration = {
      brokerId,
      rack: config.string('broker.rack'),
      endpoints: config.advertisedListeners,
    };
    const cache = new MetadataCache(membership.initialImage(self));
    // The data path's buffers (request frames, fetch reads), shared by the network layer and the
    // replica manager; see BufferPool for who releases what.
    const bufferPool = new BufferPool();
    const topicStats = new BrokerTopicStats();
    const requestMetrics = new RequestMetrics();
    const replicaManager = new ReplicaManager({
      brokerId,
      logManager,
      bufferPool,
      topicStats,
      logger: logger.child({ component: 'replica-manager' }),
      isKnownPartition: (topic, partition) => cache.image.partition(topic, partition) !== undefined,
      ...membership.replication(
        config,
        cache,
        logger,
        replicationQuota(config, cache, ThrottleSide.follower),
        bufferPool,
      ),
      ...replicaSelection(config, cache),
      leaderQuota: replicationQuota(config, cache, ThrottleSide.leader),
      alterLogDirsQuota: alterLogDirsQuota(config),
      replicaFetchMaxBytes: config.int('replica.fetch.max.bytes'),
      replicaFetchBackoffMs: config.int('replica.fetch.backoff.ms'),
    });

    const offsetsLog = new ReplicaCoordinatorLog(
      GROUP_METADATA_TOPIC_NAME,
      replicaManager,
      config.int('offsets.commit.timeout.ms'),
    );
    // The group configs are loaded with the controller (membership.attach), after the coordinator exists.
    let attachedGroupConfigs: GroupConfigStore | undefined;
    const groupCoordinator = new GroupCoordinator({
      log: offsetsLog,
      config: {
        groupMinSessionTimeoutMs: config.int('group.min.session.timeout.ms'),
        groupMaxSessionTimeoutMs: config.int('group.max.session.timeout.ms'),
        groupInitialRebalanceDelayMs: config.int('group.initial.rebalance.delay.ms'),
        groupMaxSize: config.int('group.max.size'),
        offsetsTopicNumPartitions: config.int('offsets.topic.num.partitions'),
        offsetMetadataMaxBytes: config.int('offset.metadata.max.bytes'),
        offsetsRetentionMinutes: config.int('offsets.retention.minutes'),
        offsetsRetentionCheckIntervalMs: config.long('offsets.retention.check.interval.ms'),
        ...consumerGroupConfigFrom(config),
        ...shareGroupConfigFrom(config),
        consumerGroupOverrides: (groupId) => attachedGroupConfigs?.timingsOf(groupId, 'consumer'),
        shareGroupOverrides: (groupId) => attachedGroupConfigs?.timingsOf(groupId, 'share'),
      },
    });

    const txnMarkerAppender = new TxnMarkerAppender(
      replicaManager,
      groupCoordinator,
      config.int('request.timeout.ms'),
      logger.child({ component: 'txn-marker' }),
    );
    let producerIds: ProducerIdManager | undefined;
    const transactionCoordinator = new TransactionCoordinator({
      log: new ReplicaCoordinatorLog(TRANSACTION_STATE_TOPIC_NAME, replicaManager, config.int('request.timeout.ms')),
      config: {
        transactionStateLogNumPartitions: config.int('transaction.state.log.num.partitions'),
        transactionMaxTimeoutMs: config.int('transaction.max.timeout.ms'),
        transactionalIdExpirationMs: config.int('transactional.id.expiration.ms'),
        abortTimedOutTransactionCleanupIntervalMs: config.int(
          'transaction.abort.timed.out.transaction.cleanup.interval.ms',
        ),
        removeExpiredTransactionalIdsIntervalMs: config.int(
          'transaction.remove.expired.transaction.cleanup.interval.ms',
        ),
      },
      generateProducerId: () => {
        if (producerIds === undefined) throw new KafkaError(ErrorCode.COORDINATOR_NOT_AVAILABLE, 'broker starting');
        return producerIds.generateProducerId();
      },
      markers: new TxnMarkerChannel({
        brokerId,
        metadata: cache,
        appender: txnMarkerAppender,
        listenerName: config.interBrokerListenerName,
        security: interBrokerSecurity,
        requestTimeoutMs: config.int('request.timeout.ms'),
        retryBackoffMs: 100,
        logger: logger.child({ component: 'txn-marker-channel' }),
      }),
      logger,
    });

    const { controller, zk, scramCredentials, clientQuotas, groupConfigs } = await membership.attach({
      config,
      topicConfigs,
      cache,
      replicaManager,
      groupCoordinator,
      transactionCoordinator,
      logger,
    });
    attachedGroupConfigs = groupConfigs;
    producerIds = new ProducerIdManager(controller, (err) =>
      logger.warn(`Reserving a block of producer IDs failed (retried on the next InitProducerId): ${String(err)}`),
    );
    transactionCoordinator.startup();
    const txnVerifier = new TxnVerifier({
      brokerId,
      metadata: cache,
      coordinator: transactionCoordinator,
      listenerName: config.interBrokerListenerName,
      security: interBrokerSecurity,
      requestTimeoutMs: config.int('request.timeout.ms'),
      logger: logger.child({ component: 'txn-verifier' }),
    });
    producerIds.prefetch();
    // Before the listeners open: the first request is decided with every ACL loaded.
    const authorizer = await createAuthorizer(config, controller, logger.child({ component: 'authorizer' }));
    const endpoints = new Map<string, AdvertisedEndpoint>();

    const autoCreateTopic = async (name: string): Promise<TopicRegistration> => {
      const existing = cache.image.topic(name);
      if (existing !== undefined) return existing;
      try {
        return await controller.createTopic(internalTopicPlan(config, name), false);
      } catch (err) {
        if (err instanceof KafkaError && err.errorCode === ErrorCode.TOPIC_ALREADY_EXISTS) {
          const created = cache.image.topic(name);
          if (created !== undefined) return created;
        }
        const shortOfBrokers = internalTopicShortOfBrokers(config, name, cache.image.brokers.size);
        // Clients only see COORDINATOR_NOT_AVAILABLE and retry for ever: as Kafka does, the
        // broker's log names the setting at fault on every attempt.
        if (shortOfBrokers !== undefined) logger.error(shortOfBrokers);
        throw err;
      }
    };

    const services: BrokerServices = {
      brokerId,
      config,
      topicConfigs,
      metadata: cache,
      controller,
      replicaManager,
      fetchSessions: new FetchManager(
        new FetchSessionCache({ maxEntries: config.int('max.incremental.fetch.session.cache.slots') }),
        logger.child({ component: 'fetch-session' }),
      ),
      logManager,
      producerIds,
      groupCoordinator,
      transactionCoordinator,
      txnMarkerAppender,
      txnVerifier,
      logger,
      scramCredentials,
      clientQuotas,
      groupConfigs,
      shares: {
        sessions: new ShareSessions(config.int('group.share.max.share.sessions')),
        partitions: new SharePartitionManager(
          replicaManager,
          () => groupConfigs,
          config,
          logger.child({ component: 'share-partitions' }),
        ),
      },
      ...(zk === undefined ? {} : { zk }),
      ...(authorizer === undefined ? {} : { authorizer }),
      advertisedEndpoint: (listenerName: string) => endpoints.get(listenerName) as AdvertisedEndpoint,
      autoCreateTopic,
    };

    const registry = createHandlerRegistry({
      interBroker: zk !== undefined,
      shareGroups: config.bool('group.share.enable'),
    });
    const dispatcher = new RequestDispatcher(
      registry,
      services,
      bufferPool,
      logger.child({ component: 'request' }),
      new ClientQuotas(clientQuotas.configs, {
        numSamples: config.int('quota.window.num'),
        sampleWindowMs: config.int('quota.window.size.seconds') * 1000,
      }),
      requestMetrics,
    );
    const listenerSecurity = new Map(
      config.listeners.map((l) => [
        l.listenerName,
        buildListenerSecurity(config, l, services.scramCredentials, logger.child({ component: 'security' })),
      ]),
    );
    const socketServer = new SocketServer(
      config.listeners,
      config.int('socket.request.max.bytes'),
      dispatcher,
      bufferPool,
      logger.child({ component: 'socket-server' }),
      new ConnectionLimits({
        maxConnections: config.int('max.connections'),
        maxConnectionsPerIp: config.int('max.connections.per.ip'),
        perIpOverrides: parsePerIpOverrides(config.string('max.connections.per.ip.overrides')),
        maxCreationRatePerSec: config.int('max.connection.creation.rate'),
      }),
      listenerSecurity,
    );
    await socketServer.start();
    // Advertise the ports actually bound (a configured port 0 picks a free one, for tests).
    const advertised = config.advertisedListeners.map((e) => ({
      ...e,
      port: e.port === 0 ? socketServer.boundPort(e.listenerName) : e.port,
    }));
    for (const e of advertised) endpoints.set(e.listenerName, { nodeId: brokerId, host: e.host, port: e.port });
    broker = new Broker(
      config,
      services,
      socketServer,
      logManager,
      replicaManager,
      groupCoordinator,
      transactionCoordinator,
      membership,
      logger,
      fatalErrors,
    );
    try {
      const metricsListener = config.string('metrics.listener');
      if (metricsListener !== null) {
        const registry = createBrokerMetricsRegistry({
          brokerId,
          metadata: cache,
          topicStats,
          requestMetrics,
          replicaManager,
          groupCoordinator,
          connectionCount: () => socketServer.connectionCount,
        });
        await broker.serveMetrics(metricsListener, registry);
      }
      await membership.join({ ...self, endpoints: advertised });
    } catch (err) {
      await broker.shutdown();
      throw err;
    }
    logger.info(`[KafkaServer id=${brokerId}] started (cluster ${membership.clusterId})`);
    return broker;
  }

  private async serveMetrics(setting: string, registry: Registry): Promise<void> {
    // Validated with the config: it parses.
    const listener = parseMetricsListener(setting) as MetricsListener;
    try {
      this.metricsServer = await MetricsServer.start(listener, registry, this.logger.child({ component: 'metrics' }));
    } catch (err) {
      throw new Error(`metrics.listener ${setting} could not be served: ${(err as Error).message}`);
    }
  }

  /** The port a listener is bound to (useful when it was configured as 0). */
  boundPort(listenerName = this.config.listeners[0]?.listenerName ?? 'PLAINTEXT'): number {
    return this.socketServer.boundPort(listenerName);
  }

  private stopping: Promise<void> | undefined;

  /** Graceful shutdown: stop serving, complete parked requests, flush and close logs, mark clean. */
  shutdown(): Promise<void> {
    this.stopping ??= (async () => {
      this.logger.info(`[KafkaServer id=${this.config.brokerId}] shutting down`);
      await this.membership.leave();
      await this.metricsServer?.close();
      await this.socketServer.shutdown();
      await this.replicaManager.shutdown();
      await this.groupCoordinator.close();
      this.transactionCoordinator.close();
      this.services.txnVerifier.close();
      this.services.shares.partitions.close();
      await this.logManager.shutdown();
      this.services.authorizer?.close?.();
      await this.membership.close();
      this.logger.info(`[KafkaServer id=${this.config.brokerId}] shut down completed`);
    })();
    return this.stopping;
  }
}

/** Kafka's message when an internal topic's replication factor exceeds the live brokers. */
function internalTopicShortOfBrokers(config: BrokerConfig, name: string, liveBrokers: number): string | undefined {
  const setting =
    name === GROUP_METADATA_TOPIC_NAME
      ? { key: 'offsets.topic.replication.factor', what: 'the offsets topic' }
      : name === TRANSACTION_STATE_TOPIC_NAME
        ? { key: 'transaction.state.log.replication.factor', what: 'the transactions state topic' }
        : undefined;
  if (setting === undefined) return undefined;
  const required = config.int(setting.key);
  if (liveBrokers >= required) return undefined;
  return (
    `Number of alive brokers '${liveBrokers}' does not meet the required replication factor '${required}' for ` +
    `${setting.what} (configured via '${setting.key}'). This error can be ignored if the cluster is starting up ` +
    'and not all brokers are up yet.'
  );
}

/**
 * How Kafka creates its internal topics on first use: `__consumer_offsets` with the offsets.topic.*
 * settings, `__transaction_state` with the transaction.state.log.* ones (compacted, uncompressed,
 * its own min ISR); any other topic with the broker's defaults.
 */
function internalTopicPlan(config: BrokerConfig, name: string): Parameters<Controller['createTopic']>[0] {
  if (name === GROUP_METADATA_TOPIC_NAME) {
    return {
      name,
      numPartitions: config.int('offsets.topic.num.partitions'),
      replicationFactor: config.int('offsets.topic.replication.factor'),
      assignments: [],
      configs: {
        'cleanup.policy': 'compact',
        'compression.type': 'producer',
        'segment.bytes': String(config.int('offsets.topic.segment.bytes')),
      },
    };
  }
  if (name === TRANSACTION_STATE_TOPIC_NAME) {
    return {
      name,
      numPartitions: config.int('transaction.state.log.num.partitions'),
      replicationFactor: config.int('transaction.state.log.replication.factor'),
      assignments: [],
      configs: {
        'cleanup.policy': 'compact',
        'compression.type': 'uncompressed',
        'min.insync.replicas': String(config.int('transaction.state.log.min.isr')),
        'unclean.leader.election.enable': 'false',
        'segment.bytes': String(config.int('transaction.state.log.segment.bytes')),
      },
    };
  }
  return { name, numPartitions: -1, replicationFactor: -1, assignments: [], configs: {} };
}

/** One side of the replication throttles (KIP-73), reading the configs as they are now. */
function replicationQuota(
  config: BrokerConfig,
  cache: MetadataCache,
  side: (typeof ThrottleSide)[keyof typeof ThrottleSide],
): ReplicationQuota {
  return new ReplicationQuota({
    brokerId: config.brokerId,
    boundBytesPerSec: () => config.long(side.rate),
    throttledReplicas: (topic) => cache.image.topic(topic)?.configs[side.replicas],
    numSamples: config.int('replication.quota.window.num'),
    sampleWindowMs: config.int('replication.quota.window.size.seconds') * 1000,
  });
}

/**
 * `replica.alter.log.dirs.io.max.bytes.per.second` (dynamic, read at each check): the bound on
 * copying replicas between this broker's log dirs, every move counted (Kafka's alterLogDirs quota).
 */
function alterLogDirsQuota(config: BrokerConfig): ReplicationQuota {
  return new ReplicationQuota({
    brokerId: config.brokerId,
    boundBytesPerSec: () => config.long('replica.alter.log.dirs.io.max.bytes.per.second'),
    throttledReplicas: () => '*',
    numSamples: config.int('replication.quota.window.num'),
    sampleWindowMs: config.int('replication.quota.window.size.seconds') * 1000,
  });
}

/** KIP-392's settings: `replica.selector.class`, the brokers' racks, replica.lag.time.max.ms. */
function replicaSelection(
  config: BrokerConfig,
  cache: MetadataCache,
): Pick<ReplicaManagerOptions, 'replicaSelector' | 'rackOf' | 'replicaLagTimeMaxMs'> {
  const selector = replicaSelectorFor(config.string('replica.selector.class'));
  return {
    ...(selector === undefined ? {} : { replicaSelector: selector }),
    rackOf: (brokerId) => cache.image.brokers.get(brokerId)?.rack ?? null,
    replicaLagTimeMaxMs: config.long('replica.lag.time.max.ms'),
  };
}

/**
 * Checks that every log dir's meta.properties belongs to this broker id and one cluster; returns
 * that cluster's id, if any dir has one.
 */
function checkMetaProperties(config: BrokerConfig): string | undefined {
  let clusterId: string | undefined;
  for (const dir of config.logDirs) {
    const meta = readMetaProperties(dir);
    if (meta === undefined) continue;
    if (meta.brokerId !== config.brokerId) {
      throw new Error(
        `Configured broker.id ${config.brokerId} doesn't match stored broker.id ${meta.brokerId} in meta.properties of ${dir}. ` +
          'If you moved your data, make sure your configured broker.id matches.',
      );
    }
    if (clusterId !== undefined && meta.clusterId !== undefined && meta.clusterId !== clusterId) {
      throw new Error(`log dirs belong to different clusters (${clusterId} and ${meta.clusterId})`);
    }
    clusterId ??= meta.clusterId;
  }
  return clusterId;
}
