/**
 * Kafka Streams' `KafkaStreams.State`, with Java's allowed transitions: CREATED → REBALANCING
 * (start) ⇄ RUNNING; any live state → PENDING_SHUTDOWN → NOT_RUNNING (close); a fatal error →
 * PENDING_ERROR → ERROR.
 */
export const State = {
  CREATED: 'CREATED',
  REBALANCING: 'REBALANCING',
  RUNNING: 'RUNNING',
  PENDING_SHUTDOWN: 'PENDING_SHUTDOWN',
  NOT_RUNNING: 'NOT_RUNNING',
  PENDING_ERROR: 'PENDING_ERROR',
  ERROR: 'ERROR',
} as const;
export type State = (typeof State)[keyof typeof State];

const VALID: { readonly [from in State]: readonly State[] } = {
  CREATED: ['REBALANCING', 'PENDING_ERROR', 'PENDING_SHUTDOWN'],
  REBALANCING: ['RUNNING', 'REBALANCING', 'PENDING_SHUTDOWN', 'PENDING_ERROR'],
  RUNNING: ['REBALANCING', 'PENDING_SHUTDOWN', 'PENDING_ERROR'],
  PENDING_SHUTDOWN: ['NOT_RUNNING'],
  NOT_RUNNING: [],
  PENDING_ERROR: ['ERROR'],
  ERROR: [],
};

export function isValidTransition(from: State, to: State): boolean {
  return VALID[from].includes(to);
}

/** Kafka Streams' `StateListener`. */
export type StateListener = (newState: State, oldState: State) => void;
