import { type Admin, compareTopicPartitions, type TopicDescription } from '@samsa/client';
import { describeTopicIfExists } from './current-assignment.js';
import { type PartitionTarget, partitionName, type ReplicaLogDir, replicaName } from './reassignment-json.js';

/**
 * Where partitions and replicas stand against a reassignment file, for `--verify` and `--cancel`,
 * and the moves under way for `--list` — Kafka's wording line for line.
 */

/** A partition against its target: moving (`done` false) or not, with its replicas now. */
export interface PartitionReassignmentState extends PartitionTarget {
  readonly currentReplicas: readonly number[];
  readonly done: boolean;
}

/**
 * Kafka's `findPartitionReassignmentStates`: a partition the controller lists as moving is in
 * progress; any other is done, with the replicas the metadata gives it (none for a topic or
 * partition that does not exist). `ongoing` is whether anything at all is moving in the cluster,
 * in the file or not — throttles stay until nothing is.
 */
export async function partitionReassignmentStates(
  admin: Admin,
  targets: readonly PartitionTarget[],
): Promise<{ states: PartitionReassignmentState[]; ongoing: boolean }> {
  const moving = new Map((await admin.listPartitionReassignments()).map((r) => [partitionName(r), r]));
  const topics = new Map<string, TopicDescription | undefined>();
  const byName = new Map<string, PartitionReassignmentState>();
  for (const target of targets) {
    const reassignment = moving.get(partitionName(target));
    if (reassignment !== undefined) {
      byName.set(partitionName(target), { ...target, currentReplicas: reassignment.replicas, done: false });
      continue;
    }
    if (!topics.has(target.topic)) topics.set(target.topic, await describeTopicIfExists(admin, target.topic));
    const partition = topics.get(target.topic)?.partitions.find((p) => p.partition === target.partition);
    byName.set(partitionName(target), { ...target, currentReplicas: partition?.replicas ?? [], done: true });
  }
  return { states: [...byName.values()].sort(compareTopicPartitions), ongoing: moving.size > 0 };
}

export function partitionStatesText(states: readonly PartitionReassignmentState[]): string {
  const lines = ['Status of partition reassignment:'];
  for (const s of states) {
    const name = partitionName(s);
    if (!s.done) lines.push(`Reassignment of partition ${name} is still in progress.`);
    else if (s.currentReplicas.join(',') === s.replicas.join(',')) {
      lines.push(`Reassignment of partition ${name} is completed.`);
    } else {
      lines.push(
        `There is no active reassignment of partition ${name}, but replica set is ${s.currentReplicas.join(',')} rather than ${s.replicas.join(',')}.`,
      );
    }
  }
  return lines.join('\n');
}

/** Where a replica bound for a log directory stands, as Kafka's LogDirMoveState subclasses. */
export type LogDirMoveState =
  | { readonly kind: 'missing-log-dir' }
  | { readonly kind: 'active'; readonly currentLogDir: string; readonly futureLogDir: string }
  | { readonly kind: 'cancelled'; readonly currentLogDir: string }
  | { readonly kind: 'completed' };

export interface ReplicaMoveState extends ReplicaLogDir {
  readonly state: LogDirMoveState;
}

/** Kafka's `findLogDirMoveStates`, from each broker's DescribeLogDirs (current and future logs). */
export async function logDirMoveStates(admin: Admin, targets: readonly ReplicaLogDir[]): Promise<ReplicaMoveState[]> {
  if (targets.length === 0) return [];
  const brokers = [...new Set(targets.map((t) => t.brokerId))].sort((a, b) => a - b);
  const dirs = await admin.describeLogDirs(brokers);
  const where = (t: ReplicaLogDir, future: boolean) =>
    dirs.find(
      (d) =>
        d.broker === t.brokerId &&
        d.partitions.some((p) => p.topic === t.topic && p.partition === t.partition && p.isFuture === future),
    )?.logDir;
  return targets.map((t): ReplicaMoveState => {
    const currentLogDir = where(t, false);
    const futureLogDir = where(t, true);
    if (currentLogDir === undefined) return { ...t, state: { kind: 'missing-log-dir' } };
    if (futureLogDir !== undefined) return { ...t, state: { kind: 'active', currentLogDir, futureLogDir } };
    return { ...t, state: currentLogDir === t.logDir ? { kind: 'completed' } : { kind: 'cancelled', currentLogDir } };
  });
}

export function isMoveDone(s: ReplicaMoveState): boolean {
  return s.state.kind === 'completed' || s.state.kind === 'cancelled';
}

/** Kafka's order for replicas: broker, then topic, then partition. */
function compareReplicas(a: ReplicaLogDir, b: ReplicaLogDir): number {
  return a.brokerId - b.brokerId || compareTopicPartitions(a, b);
}

function replicaMoveLine(s: ReplicaMoveState): string {
  const name = partitionName(s);
  switch (s.state.kind) {
    case 'missing-log-dir':
      return `Partition ${name} is not found in any live log dir on broker ${s.brokerId}. There is likely an offline log directory on the broker.`;
    case 'active':
      return s.state.futureLogDir === s.logDir
        ? `Reassignment of replica ${replicaName(s)} is still in progress.`
        : `Partition ${name} on broker ${s.brokerId} is being moved to log dir ${s.state.futureLogDir} instead of ${s.logDir}.`;
    case 'cancelled':
      return `Partition ${name} on broker ${s.brokerId} is not being moved from log dir ${s.state.currentLogDir} to ${s.logDir}.`;
    case 'completed':
      return `Reassignment of replica ${replicaName(s)} completed successfully.`;
  }
}

export function replicaMoveStatesText(states: readonly ReplicaMoveState[]): string {
  return [...states].sort(compareReplicas).map(replicaMoveLine).join('\n');
}

/** Kafka's `curReassignmentsToString`, for `--list`. */
export async function currentReassignmentsText(admin: Admin): Promise<string> {
  const lines = (await admin.listPartitionReassignments()).sort(compareTopicPartitions).map((r) => {
    const adding = r.addingReplicas.length === 0 ? '' : ` adding: ${r.addingReplicas.join(',')}.`;
    const removing = r.removingReplicas.length === 0 ? '' : ` removing: ${r.removingReplicas.join(',')}.`;
    return `${partitionName(r)}: replicas: ${r.replicas.join(',')}.${adding}${removing}`;
  });
  return lines.length === 0
    ? 'No partition reassignments found.'
    : `Current partition reassignments:\n${lines.join('\n')}`;
}
