/**
 * The states of a transactional id at its coordinator (Kafka's `TransactionState`). The ids are
 * the `TransactionStatus` byte of `__transaction_state` values; the names are what
 * DescribeTransactions and ListTransactions report.
 *
 *   Empty ──AddPartitions──▶ Ongoing ──EndTxn──▶ PrepareCommit ──markers──▶ CompleteCommit
 *                              │                 PrepareAbort  ──markers──▶ CompleteAbort
 *                              └─(fence/timeout)▶ PrepareEpochFence ──▶ PrepareAbort
 *   Complete* ──AddPartitions──▶ Ongoing;  Empty/Complete* ──expiry──▶ Dead
 */
export const TransactionState = {
  Empty: 0,
  Ongoing: 1,
  PrepareCommit: 2,
  PrepareAbort: 3,
  CompleteCommit: 4,
  CompleteAbort: 5,
  Dead: 6,
  PrepareEpochFence: 7,
} as const;

export type TransactionState = (typeof TransactionState)[keyof typeof TransactionState];

const NAMES: Record<TransactionState, string> = {
  0: 'Empty',
  1: 'Ongoing',
  2: 'PrepareCommit',
  3: 'PrepareAbort',
  4: 'CompleteCommit',
  5: 'CompleteAbort',
  6: 'Dead',
  7: 'PrepareEpochFence',
};

export function transactionStateName(state: TransactionState): string {
  return NAMES[state];
}

/** The state named `name` (ListTransactions' state filters), undefined for an unknown name. */
export function transactionStateByName(name: string): TransactionState | undefined {
  for (const [id, n] of Object.entries(NAMES)) if (n === name) return Number(id) as TransactionState;
  return undefined;
}

export function transactionStateFromId(id: number): TransactionState {
  if (!Number.isInteger(id) || id < 0 || id > 7) throw new RangeError(`unknown transaction status ${id}`);
  return id as TransactionState;
}

/** The states a transition into `state` may start from (Kafka's `validPreviousStates`). */
const VALID_PREVIOUS: Record<TransactionState, readonly TransactionState[]> = {
  0: [TransactionState.Empty, TransactionState.CompleteCommit, TransactionState.CompleteAbort],
  1: [
    TransactionState.Ongoing,
    TransactionState.Empty,
    TransactionState.CompleteCommit,
    TransactionState.CompleteAbort,
  ],
  2: [TransactionState.Ongoing],
  3: [TransactionState.Ongoing, TransactionState.PrepareEpochFence],
  4: [TransactionState.PrepareCommit],
  5: [TransactionState.PrepareAbort],
  6: [TransactionState.Empty, TransactionState.CompleteCommit, TransactionState.CompleteAbort],
  7: [TransactionState.Ongoing],
};

export function isValidTransition(from: TransactionState, to: TransactionState): boolean {
  return VALID_PREVIOUS[to].includes(from);
}

/** States in which the transaction's partitions may hold undecided records. */
export function isPreparing(state: TransactionState): boolean {
  return state === TransactionState.PrepareCommit || state === TransactionState.PrepareAbort;
}

/** States from which a producer may start a new transaction or get a new epoch. */
export function isComplete(state: TransactionState): boolean {
  return (
    state === TransactionState.Empty ||
    state === TransactionState.CompleteCommit ||
    state === TransactionState.CompleteAbort
  );
}
