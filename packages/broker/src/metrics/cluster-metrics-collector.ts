import type { Registry } from 'prom-client';
import type { MetadataCache } from '../metadata/metadata-cache.js';
import { collectedGauge, one } from './collected-metrics.js';

/** Kafka's BrokerState code for a broker serving requests (RunningAsBroker). */
const BROKER_STATE_RUNNING = 3;

export interface ClusterMetricSources {
  readonly brokerId: number;
  readonly metadata: MetadataCache;
  /** Open client and inter-broker connections on every listener. */
  connectionCount(): number;
}

/**
 * `kafka.controller:type=KafkaController` gauges, which only the active controller reports (the
 * others say 0, so that a sum over the cluster is the cluster's figure, as with Kafka), plus the
 * broker's state and its connections.
 */
export function registerClusterMetrics(registry: Registry, sources: ClusterMetricSources): void {
  const image = () => sources.metadata.image;
  const isController = () => image().controllerId === sources.brokerId;
  const controllerGauge = (name: string, help: string, value: () => number) =>
    collectedGauge(registry, `kafka_controller_kafkacontroller_${name}`, help, () => one(isController() ? value() : 0));
  collectedGauge(
    registry,
    'kafka_controller_kafkacontroller_activecontrollercount',
    '1 on the broker that is the active controller',
    () => one(isController() ? 1 : 0),
  );
  controllerGauge('globaltopiccount', 'Topics in the cluster', () => image().topics.size);
  controllerGauge('globalpartitioncount', 'Partitions in the cluster', () => countPartitions((p) => p !== undefined));
  controllerGauge('offlinepartitionscount', 'Partitions without a leader', () => countPartitions((p) => p.leader < 0));
  controllerGauge('preferredreplicaimbalancecount', 'Partitions not led by their preferred replica', () =>
    countPartitions((p) => p.leader >= 0 && p.leader !== p.replicas[0]),
  );
  collectedGauge(registry, 'kafka_server_kafkaserver_brokerstate', 'The broker state (3 = running)', () =>
    one(BROKER_STATE_RUNNING),
  );
  collectedGauge(
    registry,
    'kafka_server_socket_server_metrics_connection_count',
    'Open connections on all listeners',
    () => one(sources.connectionCount()),
  );

  function countPartitions(test: (p: { leader: number; replicas: readonly number[] }) => boolean): number {
    let count = 0;
    for (const topic of image().topics.values()) for (const p of topic.partitions) if (test(p)) count++;
    return count;
  }
}
