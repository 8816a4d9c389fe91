/** A member as the task assignor sees it: where its state is, and how far behind. */
export interface TaskClient {
  readonly memberId: string;
  /** Tasks it ran until this rebalance. */
  readonly prevActive: ReadonlySet<string>;
  /** Tasks it holds other state of (standbys, warm-ups, task directories with a checkpoint). */
  readonly prevStandby: ReadonlySet<string>;
  /**
   * Records its state of a stateful task lacks against the changelogs' ends: 0 for a task it ran,
   * the whole changelog for one it has nothing of.
   */
  lag(task: string): bigint;
}

export interface AssignmentConfigs {
  readonly numStandbyReplicas: number;
  /** `acceptable.recovery.lag`: a client at most this far behind is caught up. */
  readonly acceptableRecoveryLag: bigint;
  /** `max.warmup.replicas`: warm-ups placed per assignment, group-wide. */
  readonly maxWarmupReplicas: number;
  /**
   * Lags unknown (the changelogs' ends could not be listed): every stateful task stays with the
   * member that ran it, whatever the balance (Java's FallbackPriorTaskAssignor).
   */
  readonly keepPreviousOwners?: boolean;
}

export interface TaskAssignment {
  readonly active: Map<string, string[]>;
  /** Standby replicas and warm-ups (a warm-up is a standby the member will take over). */
  readonly standby: Map<string, string[]>;
  /** The warm-ups alone, by member. */
  readonly warmup: Map<string, string[]>;
  /** Some stateful task stays away from where balance wants it until its warm-up catches up. */
  readonly probingRebalanceNeeded: boolean;
}

/**
 * Kafka Streams' task placement (KIP-441's HighAvailabilityTaskAssignor, simplified):
 * - stateful tasks are balanced first, each staying with its previous owner while that member is
 *   within its share (⌈stateful / members⌉; it keeps first those no other member is caught up
 *   on), the others going to the least-lagging member with room; then a task placed on a member that is not caught up (lag > `acceptable.recovery.lag`)
 *   goes to the least loaded caught-up member instead — or, when nobody is caught up, to the
 *   least lagging — and the member balance wanted gets a warm-up of it (at most
 *   `max.warmup.replicas` in all), with a probing rebalance to move it once warm;
 * - stateless tasks then even out the total load, sticky where there is room;
 * - `numStandbyReplicas` standbys per stateful task, each on a member other than the active one
 *   and the other standbys, preferring members that hold the task's state, then the ones with
 *   the fewest standbys. Fewer members than replicas + 1 leaves standbys out (as Java).
 * Pure and deterministic (members and tasks in sorted order), so every leader decides alike.
 */
export function assignTasks(
  tasks: readonly string[],
  statefulTasks: ReadonlySet<string>,
  clients: readonly TaskClient[],
  configs: AssignmentConfigs,
): TaskAssignment {
  const members = [...clients].sort((a, b) => (a.memberId < b.memberId ? -1 : a.memberId > b.memberId ? 1 : 0));
  const sorted = [...tasks].sort(compareTaskIds);
  const byMember = () => new Map<string, string[]>(members.map((m) => [m.memberId, []]));
  const active = byMember();
  const standby = byMember();
  const warmup = byMember();
  if (members.length === 0) return { active, standby, warmup, probingRebalanceNeeded: false };
  const list = (map: Map<string, string[]>, m: TaskClient) => map.get(m.memberId) as string[];
  const load = (m: TaskClient) => list(active, m).length;
  const owner = new Map<string, TaskClient>();
  const place = (task: string, m: TaskClient) => {
    list(active, m).push(task);
    owner.set(task, m);
  };

  const stateful = sorted.filter((t) => statefulTasks.has(t));
  const statefulCapacity =
    configs.keepPreviousOwners === true ? stateful.length : Math.ceil(stateful.length / members.length);
  const caughtUp = (m: TaskClient, task: string) => m.lag(task) <= configs.acceptableRecoveryLag;
  // A previous owner over its share keeps first the tasks nobody else could take over at once.
  const exclusive = (task: string) => members.filter((m) => caughtUp(m, task)).length <= 1;
  for (const task of [...stateful.filter(exclusive), ...stateful.filter((t) => !exclusive(t))]) {
    const previous = members.find((m) => m.prevActive.has(task) && load(m) < statefulCapacity);
    if (previous !== undefined) place(task, previous);
  }
  for (const task of stateful) {
    if (owner.has(task)) continue;
    const room = members.filter((m) => load(m) < statefulCapacity);
    place(
      task,
      least(room.length > 0 ? room : members, (m) => [m.lag(task), BigInt(load(m))]),
    );
  }

  // Movements: a stateful task runs where its state is; balance waits for a warm-up.
  const wantedWarmups: [TaskClient, string][] = [];
  for (const task of stateful) {
    const wanted = owner.get(task) as TaskClient;
    if (caughtUp(wanted, task)) continue;
    const ready = members.filter((m) => caughtUp(m, task));
    let source: TaskClient | undefined;
    if (ready.length > 0) {
      source = least(ready, (m) => [BigInt(load(m))]);
    } else {
      const minLag = least(members, (m) => [m.lag(task)]).lag(task);
      if (wanted.lag(task) > minLag) {
        source = least(
          members.filter((m) => m.lag(task) === minLag),
          (m) => [BigInt(load(m))],
        );
      }
    }
    if (source === undefined) continue;
    const from = list(active, wanted);
    from.splice(from.indexOf(task), 1);
    place(task, source);
    wantedWarmups.push([wanted, task]);
  }

  const capacity = Math.ceil(sorted.length / members.length);
  const stateless = sorted.filter((t) => !statefulTasks.has(t));
  for (const task of stateless) {
    const previous = members.find((m) => m.prevActive.has(task) && load(m) < capacity);
    if (previous !== undefined) place(task, previous);
  }
  for (const task of stateless) {
    if (!owner.has(task))
      place(
        task,
        least(members, (m) => [BigInt(load(m))]),
      );
  }

  const standbyLoad = (m: TaskClient) => BigInt(list(standby, m).length);
  for (let replica = 0; replica < configs.numStandbyReplicas; replica++) {
    for (const task of stateful) {
      const candidates = members.filter((m) => owner.get(task) !== m && !list(standby, m).includes(task));
      if (candidates.length === 0) continue;
      const warm = candidates.filter((m) => m.prevStandby.has(task) || m.prevActive.has(task));
      list(
        standby,
        least(warm.length > 0 ? warm : candidates, (m) => [standbyLoad(m)]),
      ).push(task);
    }
  }
  let warmups = 0;
  for (const [m, task] of wantedWarmups) {
    if (warmups >= configs.maxWarmupReplicas) break;
    if (list(standby, m).includes(task)) continue;
    list(standby, m).push(task);
    list(warmup, m).push(task);
    warmups++;
  }
  for (const map of [active, standby, warmup]) for (const tasksOf of map.values()) tasksOf.sort(compareTaskIds);
  return { active, standby, warmup, probingRebalanceNeeded: wantedWarmups.length > 0 };
}

/** The first member with the smallest key (keys compared in order); members come sorted. */
function least(members: readonly TaskClient[], key: (m: TaskClient) => bigint[]): TaskClient {
  let best = members[0] as TaskClient;
  let bestKey = key(best);
  for (const m of members.slice(1)) {
    const k = key(m);
    const i = k.findIndex((v, j) => v !== bestKey[j]);
    if (i >= 0 && (k[i] as bigint) < (bestKey[i] as bigint)) {
      best = m;
      bestKey = k;
    }
  }
  return best;
}

/** Task ids `<subtopology>_<partition>` in numeric order. */
export function compareTaskIds(a: string, b: string): number {
  const [sa, pa] = a.split('_').map(Number) as [number, number];
  const [sb, pb] = b.split('_').map(Number) as [number, number];
  return sa - sb || pa - pb;
}
