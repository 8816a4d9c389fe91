import type { CoordinatorRecord, TransactionalProducer } from '../coordinator-log.js';

/**
 * A request waiting for its response: a JoinGroup or SyncGroup parked in a group until the
 * rebalance moves on. The state machine only keeps the handle; the runtime owns what answers the
 * client. `T` is the response type (phantom, for type-checking `complete`).
 */
export interface Responder<T> {
  readonly id: number;
  /** Never set; carries the response type. */
  readonly _response?: T;
}

/** "Answer this parked request with this response" — decided by an operation, sent by the runtime. */
export interface Completion {
  // biome-ignore lint/suspicious/noExplicitAny: a completion pairs any responder with its own response type.
  readonly responder: Responder<any>;
  readonly response: unknown;
}

export function completion<T>(responder: Responder<T>, response: T): Completion {
  return { responder, response };
}

/** What one state-machine operation decided. */
export interface OperationResult<R> {
  /** To append to the shard's `__consumer_offsets` partition as one batch, in order. */
  readonly records: readonly CoordinatorRecord[];
  /**
   * Set for TxnOffsetCommit: the records are that producer's, appended as its transactional batch,
   * and stay pending in the shard until its transaction ends.
   */
  readonly transactional: TransactionalProducer | undefined;
  /** The answer to the request that started the operation (undefined for parked requests and timers). */
  readonly response: R;
  /** Answers to parked requests (including the origin's, when it completes within the operation). */
  readonly completions: readonly Completion[];
}

/**
 * An operation whose effects are applied to the state machine but not yet acknowledged: the
 * runtime must call exactly one of `commit` (the records are durable) or `abort` (the append
 * failed) before the shard runs its next operation. Responses must not leave before `commit`.
 */
export interface PendingOperation<R> extends OperationResult<R> {
  commit(): void;
  /**
   * Restores the shard to its state before the operation (groups, offsets, timers, parked
   * requests) and returns what to answer instead, `errorCode` being the append error already
   * mapped to what clients expect (NOT_COORDINATOR, COORDINATOR_NOT_AVAILABLE, ...).
   */
  abort(errorCode: number): FailedOperation<R>;
}

export interface FailedOperation<R> {
  readonly response: R;
  readonly completions: readonly Completion[];
}
