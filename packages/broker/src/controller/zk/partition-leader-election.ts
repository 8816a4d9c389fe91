/**
 * Kafka's partition leader election algorithms (PartitionLeaderElectionAlgorithms), as pure
 * functions of a partition's assignment, ISR and the live brokers. Each returns the new leader
 * and ISR, or undefined when no replica may lead.
 *
 * Replicas are tried in assignment order, so the first replica — the preferred leader — wins
 * whenever it is eligible; that keeps leadership spread as the assignment spread it.
 */

export interface ElectionResult {
  readonly leader: number;
  readonly isr: readonly number[];
}

/**
 * The leader of an offline partition (its leader died, or it never had one): the first live
 * replica in the ISR; if none and unclean election is allowed, the first live replica at all,
 * alone in the new ISR (records it lacks are lost — what `unclean.leader.election.enable`
 * trades for availability). The ISR keeps its live members.
 */
export function offlinePartitionLeaderElection(
  assignment: readonly number[],
  isr: readonly number[],
  isLive: (brokerId: number) => boolean,
  uncleanLeaderElectionEnabled: boolean,
): ElectionResult | undefined {
  const clean = assignment.find((r) => isLive(r) && isr.includes(r));
  if (clean !== undefined) return { leader: clean, isr: isr.filter(isLive) };
  if (!uncleanLeaderElectionEnabled) return undefined;
  const unclean = assignment.find(isLive);
  return unclean === undefined ? undefined : { leader: unclean, isr: [unclean] };
}

/** The preferred replica (the first in the assignment), if it is live and in the ISR. */
export function preferredReplicaLeaderElection(
  assignment: readonly number[],
  isr: readonly number[],
  isLive: (brokerId: number) => boolean,
): ElectionResult | undefined {
  const preferred = assignment[0];
  if (preferred === undefined || !isLive(preferred) || !isr.includes(preferred)) return undefined;
  return { leader: preferred, isr };
}

/**
 * A new leader for a partition led by a broker that is shutting down: the first live ISR member
 * not shutting down; the shutting-down brokers leave the ISR.
 */
export function controlledShutdownLeaderElection(
  assignment: readonly number[],
  isr: readonly number[],
  isLive: (brokerId: number) => boolean,
  shuttingDown: ReadonlySet<number>,
): ElectionResult | undefined {
  const leader = assignment.find((r) => isLive(r) && isr.includes(r) && !shuttingDown.has(r));
  if (leader === undefined) return undefined;
  return { leader, isr: isr.filter((r) => !shuttingDown.has(r)) };
}

/** The leader during a reassignment: the first replica of the target assignment that is live and in the ISR. */
export function reassignPartitionLeaderElection(
  targetReplicas: readonly number[],
  isr: readonly number[],
  isLive: (brokerId: number) => boolean,
): ElectionResult | undefined {
  const leader = targetReplicas.find((r) => isLive(r) && isr.includes(r));
  return leader === undefined ? undefined : { leader, isr };
}

/**
 * The first leader and ISR of a new partition: the first live replica leads, every live replica is
 * in sync (an empty log is in sync by definition).
 */
export function initialLeaderAndIsr(
  assignment: readonly number[],
  isLive: (brokerId: number) => boolean,
): ElectionResult | undefined {
  const live = assignment.filter(isLive);
  const leader = live[0];
  return leader === undefined ? undefined : { leader, isr: live };
}
