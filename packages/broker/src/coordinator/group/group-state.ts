/**
 * The states of a classic group, named as Kafka names them on the wire (DescribeGroups,
 * ListGroups filters).
 *
 * - Empty: no members; offsets may remain. A JoinGroup starts the first rebalance.
 * - PreparingRebalance: JoinGroups are parked until every known member rejoined or the rebalance
 *   timeout passed; heartbeats answer REBALANCE_IN_PROGRESS.
 * - CompletingRebalance: the new generation exists; SyncGroups are parked until the leader sends
 *   the assignment; offset commits answer REBALANCE_IN_PROGRESS.
 * - Stable: the assignment is stored; members heartbeat and commit.
 * - Dead: the group is being removed (deleted, expired, or its partition unloaded).
 */
export const GroupState = {
  Empty: 'Empty',
  PreparingRebalance: 'PreparingRebalance',
  CompletingRebalance: 'CompletingRebalance',
  Stable: 'Stable',
  Dead: 'Dead',
} as const;

export type GroupState = (typeof GroupState)[keyof typeof GroupState];

const validPreviousStates: Readonly<Record<GroupState, readonly GroupState[]>> = {
  [GroupState.PreparingRebalance]: [GroupState.Stable, GroupState.CompletingRebalance, GroupState.Empty],
  [GroupState.CompletingRebalance]: [GroupState.PreparingRebalance],
  [GroupState.Stable]: [GroupState.CompletingRebalance],
  [GroupState.Empty]: [GroupState.PreparingRebalance],
  [GroupState.Dead]: [
    GroupState.Stable,
    GroupState.PreparingRebalance,
    GroupState.CompletingRebalance,
    GroupState.Empty,
    GroupState.Dead,
  ],
};

export function isValidTransition(from: GroupState, to: GroupState): boolean {
  return validPreviousStates[to].includes(from);
}
