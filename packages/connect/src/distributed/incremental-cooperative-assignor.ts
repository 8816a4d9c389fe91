import type { ConnectorTaskId } from './connect-protocol.js';
import type { WorkerLoad } from './eager-assignor.js';

/** What one member is told in a round: work added, work to stop, and when to rejoin. */
export interface MemberPlan {
  readonly assigned: WorkerLoad;
  readonly revoked: WorkerLoad;
}

export interface IncrementalPlan {
  readonly members: Map<string, MemberPlan>;
  /** > 0 while a departed member's work is held for it (`scheduled.rebalance.max.delay.ms`). */
  readonly delayMs: number;
}

type Key = string;
const connectorKey = (name: string): Key => `c\u0000${name}`;
const taskKey = (t: ConnectorTaskId): Key => `t\u0000${t.connector}\u0000${t.task}`;

interface Work {
  readonly connectors: Set<string>;
  readonly tasks: Map<Key, ConnectorTaskId>;
}

const emptyWork = (): Work => ({ connectors: new Set(), tasks: new Map() });
const toLoad = (w: Work): WorkerLoad => ({
  connectors: [...w.connectors].sort(),
  tasks: [...w.tasks.values()].sort(byTask),
});

function byTask(a: ConnectorTaskId, b: ConnectorTaskId): number {
  return a.connector === b.connector ? a.task - b.task : a.connector < b.connector ? -1 : 1;
}

/**
 * KIP-415's incremental cooperative assignment (Kafka's IncrementalCooperativeAssignor, in a
 * simpler form): members keep what they run; the leader only adds and revokes.
 *
 * Each round, from the members' current allocations (sent in their metadata) and the configs:
 * 1. work no longer configured is revoked from whoever runs it;
 * 2. work held in the previous round by members now gone is *lost*: it is held back for
 *    `scheduled.rebalance.max.delay.ms` (every member is told the remaining delay and rejoins
 *    then) in case its worker comes back, and dealt out once the delay has passed;
 * 3. unassigned work goes to the least loaded members (connectors and tasks counted apart);
 * 4. if the load is uneven (some member below the floor of the average while others are above
 *    it), work is revoked from the most loaded members; they rejoin at once after stopping it
 *    and the next round deals it out. No balancing revocation follows a round that revoked, so
 *    assignments cannot ping-pong.
 *
 * State between rounds (the previous assignment, the scheduled rebalance) lives in this object
 * on the leader; a new leader starts from the members' allocations. Synchronous, no clock: the
 * time is passed in.
 */
export class IncrementalCooperativeAssignor {
  private previous: Map<string, Work> | undefined;
  private pendingLost = new Map<Key, { connector?: string; task?: ConnectorTaskId }>();
  private scheduledAtMs = 0;
  private revokedLastRound = false;

  constructor(private readonly maxDelayMs: number) {}

  assign(
    allocations: ReadonlyMap<string, WorkerLoad>,
    connectors: readonly string[],
    taskCounts: ReadonlyMap<string, number>,
    nowMs: number,
  ): IncrementalPlan {
    const memberIds = [...allocations.keys()].sort();
    const configured = emptyWork();
    for (const name of connectors) {
      configured.connectors.add(name);
      for (let task = 0; task < (taskCounts.get(name) ?? 0); task++) {
        configured.tasks.set(taskKey({ connector: name, task }), { connector: name, task });
      }
    }

    // What each member runs now, and what it must stop because it is gone from the configs
    // (or already run by a member listed before it).
    const current = new Map<string, Work>();
    const revoked = new Map<string, Work>(memberIds.map((m) => [m, emptyWork()]));
    const held = emptyWork();
    for (const member of memberIds) {
      const allocation = allocations.get(member)!;
      const work = emptyWork();
      for (const name of allocation.connectors) {
        if (configured.connectors.has(name) && !held.connectors.has(name)) {
          work.connectors.add(name);
          held.connectors.add(name);
        } else revoked.get(member)!.connectors.add(name);
      }
      for (const task of allocation.tasks) {
        const key = taskKey(task);
        if (configured.tasks.has(key) && !held.tasks.has(key)) {
          work.tasks.set(key, task);
          held.tasks.set(key, task);
        } else revoked.get(member)!.tasks.set(key, task);
      }
      current.set(member, work);
    }

    // Lost: held by a member in the previous round, configured, and run by nobody now.
    const previous = this.previous ?? current;
    for (const [member, work] of previous) {
      if (allocations.has(member)) continue;
      for (const name of work.connectors) this.pendingLost.set(connectorKey(name), { connector: name });
      for (const task of work.tasks.values()) this.pendingLost.set(taskKey(task), { task });
    }
    for (const [key, item] of this.pendingLost) {
      const stillWanted =
        item.connector !== undefined
          ? configured.connectors.has(item.connector) && !held.connectors.has(item.connector)
          : configured.tasks.has(key) && !held.tasks.has(key);
      if (!stillWanted) this.pendingLost.delete(key);
    }
    let delayMs = 0;
    let releaseLost = true;
    if (this.pendingLost.size > 0 && this.maxDelayMs > 0) {
      if (this.scheduledAtMs === 0) this.scheduledAtMs = nowMs + this.maxDelayMs;
      if (nowMs < this.scheduledAtMs) {
        delayMs = this.scheduledAtMs - nowMs;
        releaseLost = false;
      }
    }
    if (releaseLost) {
      this.pendingLost.clear();
      this.scheduledAtMs = 0;
    }

    // Unassigned work (new, or lost and released) to the least loaded members.
    const assigned = new Map<string, Work>(memberIds.map((m) => [m, emptyWork()]));
    const load = (m: string, kind: 'connectors' | 'tasks') =>
      kind === 'connectors'
        ? current.get(m)!.connectors.size + assigned.get(m)!.connectors.size
        : current.get(m)!.tasks.size + assigned.get(m)!.tasks.size;
    const leastLoaded = (kind: 'connectors' | 'tasks') =>
      memberIds.reduce((best, m) => (load(m, kind) < load(best, kind) ? m : best), memberIds[0]!);
    const isHeldBack = (key: Key) => this.pendingLost.has(key);
    if (memberIds.length > 0) {
      for (const name of [...configured.connectors].sort()) {
        if (held.connectors.has(name) || isHeldBack(connectorKey(name))) continue;
        assigned.get(leastLoaded('connectors'))!.connectors.add(name);
      }
      for (const task of [...configured.tasks.values()].sort(byTask)) {
        const key = taskKey(task);
        if (held.tasks.has(key) || isHeldBack(key)) continue;
        assigned.get(leastLoaded('tasks'))!.tasks.set(key, task);
      }
    }

    // Balance: revoke from the most loaded so members below the floor can get work next round.
    let balanced = false;
    if (!this.revokedLastRound && delayMs === 0 && memberIds.length > 1) {
      for (const kind of ['connectors', 'tasks'] as const) {
        const total = memberIds.reduce((sum, m) => sum + load(m, kind), 0);
        const floor = Math.floor(total / memberIds.length);
        let deficit = memberIds.reduce((sum, m) => sum + Math.max(0, floor - load(m, kind)), 0);
        while (deficit > 0) {
          const donor = memberIds.reduce((best, m) => (load(m, kind) > load(best, kind) ? m : best), memberIds[0]!);
          if (load(donor, kind) <= floor) break;
          // Give back current work (not what was just assigned), last first.
          const work = current.get(donor)!;
          if (kind === 'connectors') {
            const name = [...work.connectors].sort().at(-1);
            if (name === undefined) break;
            work.connectors.delete(name);
            revoked.get(donor)!.connectors.add(name);
          } else {
            const task = [...work.tasks.values()].sort(byTask).at(-1);
            if (task === undefined) break;
            work.tasks.delete(taskKey(task));
            revoked.get(donor)!.tasks.set(taskKey(task), task);
          }
          balanced = true;
          deficit--;
        }
      }
    }
    this.revokedLastRound = balanced;

    const plan = new Map<string, MemberPlan>();
    const next = new Map<string, Work>();
    for (const member of memberIds) {
      const after = current.get(member)!;
      const added = assigned.get(member)!;
      next.set(member, {
        connectors: new Set([...after.connectors, ...added.connectors]),
        tasks: new Map([...after.tasks, ...added.tasks]),
      });
      plan.set(member, { assigned: toLoad(added), revoked: toLoad(revoked.get(member)!) });
    }
    this.previous = next;
    return { members: plan, delayMs };
  }
}
