/**
 * The transaction protocol a client speaks (Kafka's `TransactionVersion`, the levels of the
 * `transaction.version` feature). Recorded per transactional id as `ClientTransactionVersion`,
 * because it decides how the coordinator reads a retried EndTxn: with version 2 every EndTxn bumps
 * the epoch (KIP-890 part 2), so a retry presents the epoch *before* the bump.
 *
 * Samsa does not advertise the feature; version 2 is used by clients that send EndTxn v5 (Samsa's
 * own), while the coordinator's own aborts (fencing, timeouts) stay at version 0.
 */
export const TransactionVersion = {
  /** Epoch fixed between InitProducerId calls. */
  TV_0: 0,
  /** Flexible `__transaction_state` records; same semantics as TV_0. */
  TV_1: 1,
  /** An epoch bump at every EndTxn (KIP-890 part 2). */
  TV_2: 2,
} as const;

export type TransactionVersion = (typeof TransactionVersion)[keyof typeof TransactionVersion];

export function supportsEpochBump(version: number): boolean {
  return version >= TransactionVersion.TV_2;
}

/** EndTxn v5 is only sent by clients speaking version 2 (Kafka's KafkaApis.handleEndTxnRequest). */
export function transactionVersionForEndTxn(apiVersion: number): TransactionVersion {
  return apiVersion >= 5 ? TransactionVersion.TV_2 : TransactionVersion.TV_0;
}

/** A recorded level as a known version; unknown (newer) levels read as the newest known one. */
export function transactionVersionFromLevel(level: number): TransactionVersion {
  if (level >= TransactionVersion.TV_2) return TransactionVersion.TV_2;
  return level === TransactionVersion.TV_1 ? TransactionVersion.TV_1 : TransactionVersion.TV_0;
}
