import type { MemberAssignment, MemberSubscription, PartitionAssignor, TopicPartition } from '@samsa/client';
import { type AssignmentConfigs, assignTasks, type TaskClient } from './high-availability-task-assignor.js';
import {
  type AssignmentInfo,
  decodeAssignmentInfo,
  decodeSubscriptionInfo,
  encodeAssignmentInfo,
  encodeSubscriptionInfo,
  LATEST_OFFSET,
  type SubscriptionInfo,
} from './streams-user-data.js';

export interface StreamsAssignorOptions extends AssignmentConfigs {
  /** This instance's subscription user data, read at every join. */
  readonly info: () => SubscriptionInfo;
  /** Sub-topology id → its physical source topics. */
  readonly topicsBySubtopology: ReadonlyMap<number, readonly string[]>;
  /**
   * Sub-topology id → the changelogs of its persistent logged stores: the state a member can hold
   * between assignments, so the tasks whose placement weighs lags (KIP-441).
   */
  readonly changelogsBySubtopology: ReadonlyMap<number, readonly string[]>;
  readonly probingRebalanceIntervalMs: number;
  /** End offsets by `topic:partition` (the leader lists the changelogs' ends at each assignment). */
  readonly endOffsets: (partitions: readonly TopicPartition[]) => Promise<ReadonlyMap<string, bigint>>;
  /** This member's assignment info, as SyncGroup returned it. */
  readonly onAssignmentInfo: (info: AssignmentInfo) => void;
  readonly nowMs?: () => number;
}

/**
 * Kafka Streams' group protocol `stream`: every member's subscription carries its
 * {@link SubscriptionInfo} — so instances find each other's `application.server` (interactive
 * queries) and the leader knows which state each holds and how far behind (task offset sums).
 * The leader lists the changelogs' end offsets, turns the sums into lags and places tasks
 * (sub-topology × partition) with {@link assignTasks}; it gives each member the input partitions
 * of its active tasks (all source topics of a task together: co-partitioning) and, in the user
 * data, its standby and warm-up tasks and when to come back for a probing rebalance.
 */
export class StreamsPartitionAssignor implements PartitionAssignor {
  readonly name = 'stream';
  readonly protocol = 'EAGER' as const;

  constructor(private readonly options: StreamsAssignorOptions) {}

  subscriptionUserData(): Buffer {
    return encodeSubscriptionInfo(this.options.info());
  }

  onAssignment(assignment: MemberAssignment): void {
    this.options.onAssignmentInfo(decodeAssignmentInfo(assignment.userData));
  }

  async assign(
    partitionsPerTopic: ReadonlyMap<string, number>,
    subscriptions: ReadonlyMap<string, MemberSubscription>,
  ): Promise<Map<string, MemberAssignment>> {
    const { topicsBySubtopology, changelogsBySubtopology } = this.options;
    const tasks: string[] = [];
    const changelogsOf = new Map<string, TopicPartition[]>();
    for (const [sub, topics] of topicsBySubtopology) {
      const partitions = Math.max(0, ...topics.map((t) => partitionsPerTopic.get(t) ?? 0));
      for (let p = 0; p < partitions; p++) {
        tasks.push(`${sub}_${p}`);
        const changelogs = changelogsBySubtopology.get(sub) ?? [];
        if (changelogs.length > 0)
          changelogsOf.set(
            `${sub}_${p}`,
            changelogs.map((topic) => ({ topic, partition: p })),
          );
      }
    }
    const endSums = await this.endOffsetSums(changelogsOf);
    // As Java, one member is told when to come back for a probing rebalance: the leader's own
    // (its rejoin brings the others along).
    const ownProcessId = this.options.info().processId;
    let prober: string | undefined;
    const clients: TaskClient[] = [...subscriptions.values()].map((s) => {
      const info = decodeSubscriptionInfo(s.userData);
      if (prober === undefined && info?.processId === ownProcessId) prober = s.memberId;
      const sums = info?.taskOffsetSums ?? new Map<string, bigint>();
      const prevActive = new Set<string>();
      const prevStandby = new Set<string>();
      for (const [task, sum] of sums) (sum === LATEST_OFFSET ? prevActive : prevStandby).add(task);
      return {
        memberId: s.memberId,
        prevActive,
        prevStandby,
        lag: (task) => {
          const sum = sums.get(task);
          if (sum === LATEST_OFFSET || endSums === undefined) return 0n;
          const end = endSums.get(task) ?? 0n;
          // A state ahead of the changelog's end is from another changelog (reset, truncated):
          // as Java, it counts as nothing.
          return sum === undefined || sum < 0n || sum > end ? end : end - sum;
        },
      };
    });
    const assignment = assignTasks(tasks, new Set(changelogsOf.keys()), clients, {
      ...this.options,
      keepPreviousOwners: endSums === undefined,
    });
    const nowMs = this.options.nowMs?.() ?? Date.now();
    // As Java: when the lags could not be computed, tasks stay with their owners and the group
    // comes back soon-ish (here: at the probing interval) to try again.
    const probing = assignment.probingRebalanceNeeded || endSums === undefined;
    const nextProbingRebalanceMs = probing ? nowMs + this.options.probingRebalanceIntervalMs : -1;
    if (assignment.probingRebalanceNeeded) {
      const warmups = [...assignment.warmup].filter(([, t]) => t.length > 0).map(([m, t]) => `${m}: ${t.join(', ')}`);
      console.info(
        `[samsa-streams] warm-up tasks ${warmups.join('; ') || '(none free: max.warmup.replicas reached)'}; ` +
          `probing rebalance in ${this.options.probingRebalanceIntervalMs} ms`,
      );
    }
    const out = new Map<string, MemberAssignment>();
    for (const memberId of subscriptions.keys()) {
      const partitions: TopicPartition[] = [];
      for (const task of assignment.active.get(memberId) ?? []) {
        const [sub, p] = task.split('_').map(Number) as [number, number];
        for (const topic of topicsBySubtopology.get(sub) ?? []) {
          if (p < (partitionsPerTopic.get(topic) ?? 0)) partitions.push({ topic, partition: p });
        }
      }
      const standbyTasks = assignment.standby.get(memberId) ?? [];
      out.set(memberId, {
        partitions,
        userData: encodeAssignmentInfo({
          standbyTasks,
          nextProbingRebalanceMs: memberId === (prober ?? memberId) ? nextProbingRebalanceMs : -1,
        }),
      });
    }
    return out;
  }

  /** Per stateful task, the sum of its changelogs' end offsets; undefined when they cannot be listed. */
  private async endOffsetSums(
    changelogsOf: ReadonlyMap<string, TopicPartition[]>,
  ): Promise<Map<string, bigint> | undefined> {
    const out = new Map<string, bigint>();
    if (changelogsOf.size === 0) return out;
    let ends: ReadonlyMap<string, bigint>;
    try {
      ends = await this.options.endOffsets([...changelogsOf.values()].flat());
    } catch (error) {
      console.warn(
        `[samsa-streams] could not list the changelogs' end offsets (${(error as Error).message}): ` +
          'tasks stay where they ran, without lags',
      );
      return undefined;
    }
    for (const [task, tps] of changelogsOf) {
      out.set(
        task,
        tps.reduce((sum, tp) => sum + (ends.get(`${tp.topic}:${tp.partition}`) ?? 0n), 0n),
      );
    }
    return out;
  }
}
