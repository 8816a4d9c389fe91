/**
 * Which replica a consumer should read a partition from (KIP-392, `replica.selector.class`).
 * Kafka ships two: LeaderSelector (the default: always the leader) and RackAwareReplicaSelector
 * (a replica in the consumer's `client.rack` if one is caught up, preferring the leader, else the
 * one furthest ahead). The leader answers a fetch with the choice as `preferredReadReplica` and no
 * records; the consumer then fetches from that replica.
 */
export interface ReplicaView {
  readonly brokerId: number;
  readonly rack: string | null;
  readonly logEndOffset: number;
  /** Milliseconds since the replica was last caught up (0 for the leader). */
  readonly timeSinceLastCaughtUpMs: number;
}

export type ReplicaSelector = (
  clientRack: string,
  leader: ReplicaView,
  replicas: readonly ReplicaView[],
) => ReplicaView;

export const LEADER_SELECTOR_CLASS = 'org.apache.kafka.common.replica.LeaderSelector';
export const RACK_AWARE_REPLICA_SELECTOR_CLASS = 'org.apache.kafka.common.replica.RackAwareReplicaSelector';

/** Kafka's RackAwareReplicaSelector. */
export const rackAwareReplicaSelector: ReplicaSelector = (clientRack, leader, replicas) => {
  if (clientRack === '') return leader;
  const sameRack = replicas.filter((r) => r.rack === clientRack);
  if (sameRack.length === 0 || sameRack.some((r) => r.brokerId === leader.brokerId)) return leader;
  return sameRack.reduce((best, r) =>
    r.logEndOffset > best.logEndOffset ||
    (r.logEndOffset === best.logEndOffset && r.timeSinceLastCaughtUpMs < best.timeSinceLastCaughtUpMs)
      ? r
      : best,
  );
};

/** The selector a `replica.selector.class` names; undefined for the default (the leader only). */
export function replicaSelectorFor(className: string | null): ReplicaSelector | undefined {
  if (className === null || className === '' || className === LEADER_SELECTOR_CLASS) return undefined;
  if (className === RACK_AWARE_REPLICA_SELECTOR_CLASS) return rackAwareReplicaSelector;
  throw new Error(
    `replica.selector.class ${className} is not available: Samsa provides ${LEADER_SELECTOR_CLASS} and ${RACK_AWARE_REPLICA_SELECTOR_CLASS}`,
  );
}
