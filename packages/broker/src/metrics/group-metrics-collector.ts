import type { Registry } from 'prom-client';
import type { GroupCoordinator } from '../coordinator/group/group-coordinator.js';
import { GroupState } from '../coordinator/group/group-state.js';
import type { ReplicaManager } from '../replica/replica-manager.js';
import { collectedGauge, one, type Sample } from './collected-metrics.js';

/** What one scrape learns about the groups coordinated here, shared by every group metric. */
interface GroupsSnapshot {
  readonly byState: ReadonlyMap<string, number>;
  readonly offsetCount: number;
  /** [group, topic, partition, committed offset, high watermark or undefined when not hosted here]. */
  readonly offsets: readonly (readonly [string, string, number, number, number | undefined])[];
  readonly members: ReadonlyMap<string, number>;
}

/** Kafka's GroupMetadataManager gauges by state (`…_numgroups<state>`). */
const STATE_GAUGES: readonly [string, string][] = [
  ['numgroupsstable', GroupState.Stable],
  ['numgroupspreparingrebalance', GroupState.PreparingRebalance],
  ['numgroupscompletingrebalance', GroupState.CompletingRebalance],
  ['numgroupsempty', GroupState.Empty],
  ['numgroupsdead', GroupState.Dead],
];

/**
 * Groups coordinated on this broker: Kafka's `kafka.coordinator.group:type=GroupMetadataManager`
 * gauges, and consumer lag under kafka_exporter's names (`kafka_consumergroup_lag`,
 * `…_current_offset`), plus kafka_exporter's per-partition offsets of the partitions led here.
 *
 * Lag is the high watermark minus the committed offset, for committed partitions this broker
 * hosts (on one broker: all of them). In a cluster, a group's coordinator reports lag only for
 * the partitions it holds a replica of; kafka_exporter, or the console, reads the rest with
 * ListOffsets.
 */
export function registerGroupMetrics(registry: Registry, groups: GroupCoordinator, replicas: ReplicaManager): void {
  // One snapshot per scrape, however many gauges read it.
  let pending: Promise<GroupsSnapshot> | undefined;
  const snapshot = (): Promise<GroupsSnapshot> => {
    pending ??= takeSnapshot(groups, replicas).finally(() => {
      setImmediate(() => {
        pending = undefined;
      });
    });
    return pending;
  };

  const coordinatorGauge = (name: string, help: string, value: (s: GroupsSnapshot) => number) =>
    collectedGauge(registry, `kafka_coordinator_group_groupmetadatamanager_${name}`, help, async () =>
      one(value(await snapshot())),
    );
  coordinatorGauge('numgroups', 'Groups coordinated here', (s) => sum(s.byState.values()));
  for (const [name, state] of STATE_GAUGES) {
    coordinatorGauge(name, `Groups coordinated here in state ${state}`, (s) => s.byState.get(state) ?? 0);
  }
  coordinatorGauge('numoffsets', 'Committed offsets held here', (s) => s.offsetCount);

  const offsetGauge = (name: string, help: string, value: (committed: number, end: number) => number) =>
    collectedGauge(registry, name, help, async () => {
      const samples: Sample[] = [];
      for (const [consumergroup, topic, partition, committed, end] of (await snapshot()).offsets) {
        if (end !== undefined || name === 'kafka_consumergroup_current_offset') {
          samples.push([{ consumergroup, topic, partition }, value(committed, end ?? committed)]);
        }
      }
      return samples;
    });
  offsetGauge('kafka_consumergroup_current_offset', 'Committed offset of a group on a partition', (c) => c);
  offsetGauge('kafka_consumergroup_lag', 'High watermark minus the committed offset', (c, end) => Math.max(0, end - c));
  collectedGauge(
    registry,
    'kafka_consumergroup_lag_sum',
    'Lag of a group summed over the partitions of a topic',
    async () => {
      const sums = new Map<string, { consumergroup: string; topic: string; lag: number }>();
      for (const [consumergroup, topic, , committed, end] of (await snapshot()).offsets) {
        if (end === undefined) continue;
        const key = `${consumergroup}\u0000${topic}`;
        const entry = sums.get(key) ?? { consumergroup, topic, lag: 0 };
        entry.lag += Math.max(0, end - committed);
        sums.set(key, entry);
      }
      return [...sums.values()].map((e): Sample => [{ consumergroup: e.consumergroup, topic: e.topic }, e.lag]);
    },
  );
  collectedGauge(registry, 'kafka_consumergroup_members', 'Members of a group', async () =>
    [...(await snapshot()).members].map(([consumergroup, n]): Sample => [{ consumergroup }, n]),
  );

  const ledPartition = (name: string, help: string, value: (hw: number, start: number) => number) =>
    collectedGauge(registry, name, help, () =>
      replicas
        .allPartitions()
        .filter((p) => p.isLeader)
        .map(
          (p): Sample => [{ topic: p.topic, partition: p.partition }, value(p.log.highWatermark, p.log.logStartOffset)],
        ),
    );
  ledPartition('kafka_topic_partition_current_offset', 'High watermark of a partition led here', (hw) => hw);
  ledPartition('kafka_topic_partition_oldest_offset', 'Log start offset of a partition led here', (_, start) => start);
}

async function takeSnapshot(groups: GroupCoordinator, replicas: ReplicaManager): Promise<GroupsSnapshot> {
  const listed = (await groups.listGroups([], [])).groups;
  const byState = new Map<string, number>();
  for (const g of listed) byState.set(g.groupState ?? '', (byState.get(g.groupState ?? '') ?? 0) + 1);
  const offsets: [string, string, number, number, number | undefined][] = [];
  const members = new Map<string, number>();
  const groupIds = listed.map((g) => g.groupId ?? '');
  const [fetched, described] = await Promise.all([
    Promise.all(groupIds.map((id) => groups.fetchOffsets(id, null, false))),
    groups.describeGroups(groupIds),
  ]);
  fetched.forEach((group, i) => {
    const groupId = groupIds[i] as string;
    for (const topic of group.topics ?? []) {
      for (const p of topic.partitions ?? []) {
        const committed = Number(p.committedOffset ?? -1n);
        if (committed < 0 || topic.name === undefined || p.partitionIndex === undefined) continue;
        const hosted = replicas.getPartition(topic.name, p.partitionIndex);
        offsets.push([groupId, topic.name, p.partitionIndex, committed, hosted?.log.highWatermark]);
      }
    }
  });
  for (const d of described) if (d.groupId !== undefined) members.set(d.groupId, d.members?.length ?? 0);
  return { byState, offsetCount: offsets.length, offsets, members };
}

function sum(values: Iterable<number>): number {
  let total = 0;
  for (const v of values) total += v;
  return total;
}
