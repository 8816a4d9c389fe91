import type { RequestContext } from './handler.js';

/**
 * Whether a transactional write of `producerId` at `producerEpoch` to a partition must first be
 * verified with the transaction coordinator (KIP-890 part 1): only when it would start the
 * producer's transaction on that partition. Once the partition's producer state holds an ongoing
 * transaction at that epoch, the first write was verified and later ones go straight to the log
 * (Kafka's `UnifiedLog.maybeStartTransactionVerification`). A partition this broker does not
 * lead is left to the append, which refuses it with the right error.
 */
export function needsTxnVerification(
  ctx: RequestContext,
  topic: string,
  partition: number,
  producerId: number,
  producerEpoch: number,
): boolean {
  const log = ctx.services.replicaManager.getPartition(topic, partition)?.log;
  if (log === undefined) return false;
  const producer = log.producerState.lastEntry(producerId);
  return !(producer !== undefined && producer.currentTxnFirstOffset >= 0 && producer.producerEpoch === producerEpoch);
}
