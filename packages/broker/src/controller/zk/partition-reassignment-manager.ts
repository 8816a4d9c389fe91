import { ErrorCode } from '@samsa/protocol';
import { ReassignPartitionsZNode, TopicZNode } from '../../zk/zk-data.js';
import type { OngoingReassignment, PartitionOutcome, ReassignmentRequest } from '../controller.js';
import { partitionKey, type ReassignmentState } from './controller-context.js';
import type { ControllerDeps } from './controller-deps.js';
import type { PartitionRef } from './controller-requests.js';
import { reassignPartitionLeaderElection } from './partition-leader-election.js';

/**
 * Partition reassignment (KIP-455, Kafka's ZooKeeper-mode controller): the replica set of a
 * partition moves to a target without ever having fewer in-sync copies than before.
 *
 * Phase A — the partition's replicas become target ∪ original (target first, so the preferred
 * leader is the target's), with `adding_replicas`/`removing_replicas` in the topic znode; the
 * leader epoch is bumped and every replica told, so the new ones start following.
 * Phase B — once every target replica is in the ISR: a leader from the target (the current one if
 * it is in it), the removed replicas out of the ISR, the assignment set to the target, and the
 * removed replicas told to delete their copy.
 *
 * Cancelling reassigns back to the original replicas (all of which are still in place).
 */
export class PartitionReassignmentManager {
  constructor(private readonly deps: ControllerDeps) {}

  async reassign(requests: readonly ReassignmentRequest[]): Promise<Map<string, PartitionOutcome>> {
    const { ctx } = this.deps;
    const outcomes = new Map<string, PartitionOutcome>();
    const started: PartitionRef[] = [];
    const dropped: { partition: PartitionRef; brokers: number[] }[] = [];
    for (const r of requests) {
      const key = partitionKey(r.topic, r.partition);
      const state = ctx.stateOf(r.topic, r.partition);
      if (state === undefined || ctx.topicsToBeDeleted.has(r.topic)) {
        outcomes.set(key, { errorCode: ErrorCode.UNKNOWN_TOPIC_OR_PARTITION, errorMessage: null });
        continue;
      }
      const ongoing = ctx.reassignments.get(key);
      const original = ongoing?.original ?? ctx.replicasOf(r.topic, r.partition);
      let target: readonly number[];
      if (r.replicas === null) {
        if (ongoing === undefined) {
          outcomes.set(key, {
            errorCode: ErrorCode.NO_REASSIGNMENT_IN_PROGRESS,
            errorMessage: `No reassignment in progress for ${key}`,
          });
          continue;
        }
        target = original;
      } else {
        const refusal = this.validate(r.replicas);
        if (refusal !== undefined) {
          outcomes.set(key, { errorCode: ErrorCode.INVALID_REPLICA_ASSIGNMENT, errorMessage: refusal });
          continue;
        }
        target = r.replicas;
      }
      outcomes.set(key, { errorCode: ErrorCode.NONE, errorMessage: null });
      const current = ctx.replicasOf(r.topic, r.partition);
      if (ongoing === undefined && sameList(target, current)) continue;
      const reassignment: ReassignmentState = {
        original,
        target,
        adding: target.filter((b) => !original.includes(b)),
        removing: original.filter((b) => !target.includes(b)),
      };
      ctx.reassignments.set(key, reassignment);
      const replicas = [...target, ...original.filter((b) => !target.includes(b))];
      ctx.topics.get(r.topic)?.replicas.set(r.partition, replicas);
      // A reassignment replaced or cancelled: replicas the previous one was adding that the new
      // one does not keep go at once, data included (Kafka's "unneeded replicas").
      const unneeded = current.filter((b) => !replicas.includes(b));
      if (unneeded.length > 0)
        dropped.push({ partition: { topic: r.topic, partition: r.partition }, brokers: unneeded });
      started.push(r);
    }
    for (const topic of new Set(started.map((p) => p.topic))) await this.writeAssignment(topic);
    for (const { partition, brokers } of dropped) {
      for (const b of brokers) if (ctx.isRegistered(b)) this.deps.send.stopReplica(b, [partition], true);
    }
    await this.startPhaseA(started);
    for (const p of started) await this.maybeComplete(p);
    return outcomes;
  }

  private validate(replicas: readonly number[]): string | undefined {
    if (replicas.length === 0) return 'The replica list is empty.';
    if (new Set(replicas).size !== replicas.length) return `Duplicate replicas not allowed: ${replicas.join(',')}`;
    const unknown = replicas.filter((b) => !this.deps.ctx.isRegistered(b));
    if (unknown.length > 0) return `Replica assignment has brokers that are not alive: ${unknown.join(',')}`;
    return undefined;
  }

  /** Phase A: new leader epoch so every replica of the grown set accepts it, and tell them. */
  private async startPhaseA(partitions: readonly PartitionRef[]): Promise<void> {
    const { store, send, logger, logPrefix, ctx } = this.deps;
    if (partitions.length === 0) return;
    // The ISR loses replicas dropped by a replaced reassignment (never the leader: it is one of
    // the original replicas, which stay until the reassignment completes).
    const bumped = await store.update(partitions, (current, _p, replicas) => ({
      leader: current.leader,
      leaderEpoch: current.leaderEpoch + 1,
      isr: current.isr.filter((b) => replicas.includes(b)),
    }));
    for (const p of partitions) {
      const r = ctx.reassignments.get(partitionKey(p.topic, p.partition));
      logger.info(
        `${logPrefix} Reassigning ${p.topic}-${p.partition} from [${r?.original.join(',')}] to [${r?.target.join(',')}]`,
      );
    }
    send.leaderAndIsrToReplicas(bumped);
    send.updateMetadataEverywhere(bumped);
  }

  /** Continues every reassignment in progress (after failover or a broker's return). */
  async resume(): Promise<void> {
    for (const key of [...this.deps.ctx.reassignments.keys()]) await this.maybeComplete(splitKey(key));
  }

  /** Phase B, if every target replica is in the ISR. Called after ISR changes and broker startups. */
  async maybeComplete(p: PartitionRef): Promise<void> {
    const { ctx, store, send, logger, logPrefix } = this.deps;
    const key = partitionKey(p.topic, p.partition);
    const r = ctx.reassignments.get(key);
    const state = ctx.stateOf(p.topic, p.partition);
    if (r === undefined || state === undefined || !r.target.every((b) => state.isr.includes(b))) return;
    const keepLeader = r.target.includes(state.leader) && ctx.isLive(state.leader);
    const leader = keepLeader ? state.leader : reassignPartitionLeaderElection(r.target, state.isr, ctx.isLive)?.leader;
    if (leader === undefined) {
      logger.warn(`${logPrefix} Reassignment of ${key} waits: no live target replica in the ISR to lead`);
      return;
    }
    const changed = await store.update([p], (current) => ({
      leader,
      leaderEpoch: current.leaderEpoch + 1,
      isr: current.isr.filter((b) => r.target.includes(b)),
    }));
    if (changed.length === 0) return;
    // Replicas leaving: the original ones not in the target, or (a cancel) the ones being added.
    const dropped = ctx.replicasOf(p.topic, p.partition).filter((b) => !r.target.includes(b));
    ctx.reassignments.delete(key);
    ctx.topics.get(p.topic)?.replicas.set(p.partition, [...r.target]);
    await this.writeAssignment(p.topic);
    send.leaderAndIsrToReplicas([p]);
    for (const b of dropped) if (ctx.isRegistered(b)) send.stopReplica(b, [p], true);
    send.updateMetadataEverywhere([p]);
    logger.info(`${logPrefix} Reassignment of ${key} to [${r.target.join(',')}] completed`);
  }

  /** Reassignments waiting for the ISR, as ListPartitionReassignments reports them. */
  list(partitions: readonly PartitionRef[] | null): OngoingReassignment[] {
    const { ctx } = this.deps;
    const wanted = partitions === null ? undefined : new Set(partitions.map((p) => partitionKey(p.topic, p.partition)));
    const out: OngoingReassignment[] = [];
    for (const [key, r] of ctx.reassignments) {
      if (wanted !== undefined && !wanted.has(key)) continue;
      const { topic, partition } = splitKey(key);
      out.push({
        topic,
        partition,
        replicas: ctx.replicasOf(topic, partition),
        addingReplicas: r.adding,
        removingReplicas: r.removing,
      });
    }
    return out;
  }

  /** The legacy `/admin/reassign_partitions` znode: started, then removed (Kafka removes it when done). */
  async onReassignPartitionsZNode(): Promise<void> {
    const { zk } = this.deps;
    const found = await zk.getData(ReassignPartitionsZNode.path, { watch: true });
    if (found === undefined) return;
    await this.reassign(ReassignPartitionsZNode.decode(found.data));
    await zk.delete(ReassignPartitionsZNode.path).catch(() => undefined);
    await zk.exists(ReassignPartitionsZNode.path, { watch: true });
  }

  /** Writes a topic's assignment, with the reassignments in progress, behind the epoch fence. */
  private async writeAssignment(topic: string): Promise<void> {
    const { ctx, store } = this.deps;
    const state = ctx.topics.get(topic);
    if (state === undefined) return;
    const adding = new Map<number, readonly number[]>();
    const removing = new Map<number, readonly number[]>();
    for (const partition of state.replicas.keys()) {
      const r = ctx.reassignments.get(partitionKey(topic, partition));
      if (r === undefined) continue;
      if (r.adding.length > 0) adding.set(partition, r.adding);
      if (r.removing.length > 0) removing.set(partition, r.removing);
    }
    await store.fencedMulti([
      {
        op: 'setData',
        path: TopicZNode.path(topic),
        data: TopicZNode.encode({
          topicId: state.topicId,
          partitions: state.replicas,
          addingReplicas: adding,
          removingReplicas: removing,
        }),
      },
    ]);
  }
}

function sameList(a: readonly number[], b: readonly number[]): boolean {
  return a.length === b.length && a.every((x, i) => x === b[i]);
}

function splitKey(key: string): PartitionRef {
  const dash = key.lastIndexOf('-');
  return { topic: key.slice(0, dash), partition: Number(key.slice(dash + 1)) };
}
