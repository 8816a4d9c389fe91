/** A member as the task assignor sees it: what it ran before this rebalance. */
export interface TaskClient {
  readonly memberId: string;
  /** Tasks whose state this member had up to date: its active tasks at the last rebalance. */
  readonly prevActive: ReadonlySet<string>;
  /** Tasks it kept as standbys (their state is warm, though maybe behind). */
  readonly prevStandby: ReadonlySet<string>;
}

export interface TaskAssignment {
  readonly active: Map<string, string[]>;
  readonly standby: Map<string, string[]>;
}

/**
 * Kafka Streams' task placement, simplified from its sticky/high-availability assignors:
 * - active tasks stay where they ran (sticky) as long as that member is not above its share,
 *   ⌈tasks / members⌉; the others go first to a member holding a standby of them (its state is
 *   warm), then to the least loaded member;
 * - `numStandbyReplicas` standbys per task, each on a member other than the active one and than
 *   the other standbys, preferring members that already hold the task's state, then the ones
 *   with the fewest standbys. Fewer members than replicas + 1 leaves standbys out (as Java).
 * Pure and deterministic (members and tasks in sorted order), so every leader decides alike.
 */
export function assignTasks(
  tasks: readonly string[],
  clients: readonly TaskClient[],
  numStandbyReplicas: number,
): TaskAssignment {
  const members = [...clients].sort((a, b) => (a.memberId < b.memberId ? -1 : a.memberId > b.memberId ? 1 : 0));
  const sorted = [...tasks].sort(compareTaskIds);
  const active = new Map<string, string[]>(members.map((m) => [m.memberId, []]));
  const standby = new Map<string, string[]>(members.map((m) => [m.memberId, []]));
  if (members.length === 0) return { active, standby };
  const capacity = Math.ceil(sorted.length / members.length);
  const load = (m: TaskClient) => (active.get(m.memberId) as string[]).length;
  const owner = new Map<string, string>();
  const place = (task: string, m: TaskClient) => {
    (active.get(m.memberId) as string[]).push(task);
    owner.set(task, m.memberId);
  };
  for (const task of sorted) {
    const previous = members.find((m) => m.prevActive.has(task) && load(m) < capacity);
    if (previous !== undefined) place(task, previous);
  }
  for (const task of sorted) {
    if (owner.has(task)) continue;
    const warm = members.find((m) => m.prevStandby.has(task) && load(m) < capacity);
    place(task, warm ?? leastLoaded(members, load));
  }
  const standbyLoad = (m: TaskClient) => (standby.get(m.memberId) as string[]).length;
  for (let replica = 0; replica < numStandbyReplicas; replica++) {
    for (const task of sorted) {
      const candidates = members.filter(
        (m) => owner.get(task) !== m.memberId && !(standby.get(m.memberId) as string[]).includes(task),
      );
      if (candidates.length === 0) continue;
      const warm = candidates.filter((m) => m.prevStandby.has(task) || m.prevActive.has(task));
      (standby.get(leastLoaded(warm.length > 0 ? warm : candidates, standbyLoad).memberId) as string[]).push(task);
    }
  }
  for (const list of [...active.values(), ...standby.values()]) list.sort(compareTaskIds);
  return { active, standby };
}

function leastLoaded(members: readonly TaskClient[], load: (m: TaskClient) => number): TaskClient {
  let best = members[0] as TaskClient;
  for (const m of members) if (load(m) < load(best)) best = m;
  return best;
}

/** Task ids `<subtopology>_<partition>` in numeric order. */
export function compareTaskIds(a: string, b: string): number {
  const [sa, pa] = a.split('_').map(Number) as [number, number];
  const [sb, pb] = b.split('_').map(Number) as [number, number];
  return sa - sb || pa - pb;
}
