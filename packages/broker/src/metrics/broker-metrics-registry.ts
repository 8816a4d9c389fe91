import { collectDefaultMetrics, Registry } from 'prom-client';
import type { GroupCoordinator } from '../coordinator/group/group-coordinator.js';
import type { ReplicaManager } from '../replica/replica-manager.js';
import type { BrokerTopicStats } from './broker-topic-stats.js';
import { type ClusterMetricSources, registerClusterMetrics } from './cluster-metrics-collector.js';
import { registerGroupMetrics } from './group-metrics-collector.js';
import { registerReplicaMetrics } from './replica-metrics-collector.js';
import type { RequestMetrics } from './request-metrics.js';
import { registerRequestMetrics } from './request-metrics-collector.js';
import { registerTopicMetrics } from './topic-metrics-collector.js';

export interface BrokerMetricSources extends ClusterMetricSources {
  readonly topicStats: BrokerTopicStats;
  readonly requestMetrics: RequestMetrics;
  readonly replicaManager: ReplicaManager;
  readonly groupCoordinator: GroupCoordinator;
}

/**
 * Everything `/metrics` reports: Kafka's broker MBeans under the JMX exporter's conventional
 * names, kafka_exporter's consumer-lag series, and Node's process metrics (`process_*`,
 * `nodejs_*`: CPU, heap, RSS, event-loop lag, GC).
 */
export function createBrokerMetricsRegistry(sources: BrokerMetricSources): Registry {
  const registry = new Registry();
  registerTopicMetrics(registry, sources.topicStats);
  registerRequestMetrics(registry, sources.requestMetrics);
  registerReplicaMetrics(registry, sources.replicaManager);
  registerClusterMetrics(registry, sources);
  registerGroupMetrics(registry, sources.groupCoordinator, sources.replicaManager);
  collectDefaultMetrics({ register: registry });
  return registry;
}
