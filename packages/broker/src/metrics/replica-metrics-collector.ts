import type { Registry } from 'prom-client';
import type { Partition } from '../replica/partition.js';
import type { ReplicaManager } from '../replica/replica-manager.js';
import { collectedCounter, collectedGauge, one, type Sample } from './collected-metrics.js';

/**
 * Kafka's `kafka.server:type=ReplicaManager`, `kafka.log:type=Log` and `kafka.cluster:type=Partition`
 * MBeans: what this broker hosts and leads, and each local log's size and offsets.
 */
export function registerReplicaMetrics(registry: Registry, replicas: ReplicaManager): void {
  const leaders = (): Partition[] => replicas.allPartitions().filter((p) => p.isLeader);
  const gauge = (name: string, help: string, value: () => number) =>
    collectedGauge(registry, `kafka_server_replicamanager_${name}`, help, () => one(value()));
  gauge('partitioncount', 'Partitions hosted on this broker', () => replicas.allPartitions().length);
  gauge('leadercount', 'Partitions this broker leads', () => leaders().length);
  gauge(
    'underreplicatedpartitions',
    'Partitions led here whose ISR is smaller than their replica set',
    () => leaders().filter(isUnderReplicated).length,
  );
  gauge(
    'underminisrpartitioncount',
    'Partitions led here whose ISR is below min.insync.replicas',
    () => leaders().filter((p) => p.isr.length < p.minInSyncReplicas).length,
  );
  gauge(
    'atminisrpartitioncount',
    'Partitions led here whose ISR is exactly min.insync.replicas',
    () => leaders().filter((p) => p.isr.length === p.minInSyncReplicas).length,
  );
  gauge('offlinereplicacount', 'Replicas offline because their log dir failed', () => replicas.offlineReplicaCount);
  collectedCounter(registry, 'kafka_server_replicamanager_isrshrinks_total', 'ISR shrinks of partitions led here', () =>
    one(replicas.isrShrinks),
  );
  collectedCounter(
    registry,
    'kafka_server_replicamanager_isrexpands_total',
    'ISR expansions of partitions led here',
    () => one(replicas.isrExpands),
  );

  const perPartition = (name: string, help: string, value: (p: Partition) => number, ofLeadersOnly = false) =>
    collectedGauge(registry, name, help, () => {
      const samples: Sample[] = [];
      for (const p of replicas.allPartitions()) {
        if (ofLeadersOnly && !p.isLeader) continue;
        samples.push([{ topic: p.topic, partition: p.partition }, value(p)]);
      }
      return samples;
    });
  perPartition('kafka_log_log_size', 'Bytes of the partition log on disk', (p) => p.log.size);
  perPartition('kafka_log_log_logendoffset', 'Offset of the next record appended', (p) => p.log.logEndOffset);
  perPartition('kafka_log_log_logstartoffset', 'First offset still in the log', (p) => p.log.logStartOffset);
  perPartition('kafka_log_log_numlogsegments', 'Segments of the partition log', (p) => p.log.numberOfSegments);
  perPartition(
    'kafka_cluster_partition_underreplicated',
    '1 when a partition led here is under-replicated',
    (p) => (isUnderReplicated(p) ? 1 : 0),
    true,
  );
  perPartition(
    'kafka_cluster_partition_insyncreplicascount',
    'ISR size of a partition led here',
    (p) => p.isr.length,
    true,
  );
  perPartition(
    'kafka_cluster_partition_replicascount',
    'Replica count of a partition led here',
    (p) => p.replicas.length,
    true,
  );
}

function isUnderReplicated(p: Partition): boolean {
  return p.isr.length < p.replicas.length;
}
