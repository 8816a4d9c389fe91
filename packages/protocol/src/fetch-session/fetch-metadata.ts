/**
 * The session fields of a Fetch request (KIP-227), Kafka's `FetchMetadata`: which session a
 * request belongs to and where it stands in it.
 *
 * | sessionId | epoch | meaning                                                              |
 * | --------- | ----- | -------------------------------------------------------------------- |
 * | 0         | -1    | a sessionless full fetch (clients before KIP-227, or opting out)      |
 * | any       | 0     | a full fetch asking for a new session (closing `sessionId` if set)  |
 * | id        | -1    | a full fetch closing session `id`, answered without a session       |
 * | id        | > 0   | an incremental fetch: only what changed since the previous request |
 *
 * Epochs count requests within a session: the broker expects exactly the successor of the last
 * epoch it saw, so a duplicated or reordered request is refused, never silently applied twice.
 */
export interface FetchMetadata {
  readonly sessionId: number;
  readonly epoch: number;
}

/** "No session": what a broker answers when it did not (or could not) create one. */
export const INVALID_SESSION_ID = 0;
/** The epoch of a full fetch that asks for a new session. */
export const INITIAL_EPOCH = 0;
/** The epoch of a full fetch that wants no session (and closes the one named, if any). */
export const FINAL_EPOCH = -1;

/** A client's first request: full, asking for a session. */
export const INITIAL_FETCH_METADATA: FetchMetadata = { sessionId: INVALID_SESSION_ID, epoch: INITIAL_EPOCH };
/** What requests without session fields (Fetch v0-6) amount to. */
export const LEGACY_FETCH_METADATA: FetchMetadata = { sessionId: INVALID_SESSION_ID, epoch: FINAL_EPOCH };

/** The epoch after `epoch`: FINAL stays FINAL, and the int32 range wraps to 1 (0 means "new session"). */
export function nextFetchEpoch(epoch: number): number {
  if (epoch < 0) return FINAL_EPOCH;
  if (epoch === 2147483647) return 1;
  return epoch + 1;
}

/** Whether a request carries its whole partition list (epoch 0 or -1) rather than changes. */
export function isFullFetch(metadata: FetchMetadata): boolean {
  return metadata.epoch === INITIAL_EPOCH || metadata.epoch === FINAL_EPOCH;
}
