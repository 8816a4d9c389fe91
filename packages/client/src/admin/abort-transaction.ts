import {
  ErrorCode,
  errorByCode,
  KafkaError,
  WriteTxnMarkersApi,
  type WriteTxnMarkersResponseWritableTxnMarkerResult,
} from '@samsa/protocol';
import { sleep } from '../connection/connection-pool.js';
import type { Cluster } from '../metadata/cluster.js';
import { type AbortTransactionSpec, abortTransactionSpecString } from './transaction-types.js';

/** Errors after which the partition's leader is looked up again and the marker resent (Java's `unmapped`). */
const LEADER_MOVED: ReadonlySet<number> = new Set([
  ErrorCode.NOT_LEADER_OR_FOLLOWER,
  ErrorCode.REPLICA_NOT_AVAILABLE,
  ErrorCode.BROKER_NOT_AVAILABLE,
  ErrorCode.UNKNOWN_TOPIC_OR_PARTITION,
]);

/**
 * Aborts a hanging transaction on one partition (Java's `Admin.abortTransaction`): a
 * WriteTxnMarkers request with one ABORT marker (`transactionResult: false`) for the producer,
 * sent to the partition's leader as its transaction coordinator would. The leader appends the
 * marker, which closes the transaction and lets the last stable offset move past it; the
 * coordinator is not involved, so this is for transactions it has forgotten.
 *
 * A leader that moved (NOT_LEADER_OR_FOLLOWER and the like, or its connection failing) means
 * fresh metadata and another try after `retry.backoff.ms`, until `timeoutMs`. Other errors reject
 * with Java's messages.
 */
export async function abortTransaction(cluster: Cluster, spec: AbortTransactionSpec, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  const partition = `${spec.topic}-${spec.partition}`;
  cluster.addTopics([spec.topic]);
  for (let attempt = 0; ; attempt++) {
    await cluster.refresh();
    const leader = cluster.leaderOf(spec.topic, spec.partition);
    let retryAfter: KafkaError;
    if (leader < 0) {
      retryAfter = new KafkaError(ErrorCode.LEADER_NOT_AVAILABLE, `no leader is known for ${partition}`);
      // A partition missing from metadata is not going to get a leader by waiting.
      if (cluster.topics.get(spec.topic)?.partitions[spec.partition] === undefined) {
        throw new KafkaError(ErrorCode.UNKNOWN_TOPIC_OR_PARTITION, `abort transaction on ${partition}`);
      }
    } else {
      try {
        const connection = await cluster.connectionTo(leader);
        const response = await connection.request(WriteTxnMarkersApi, {
          markers: [
            {
              producerId: spec.producerId,
              producerEpoch: spec.producerEpoch,
              transactionResult: false,
              topics: [{ name: spec.topic, partitionIndexes: [spec.partition] }],
              coordinatorEpoch: spec.coordinatorEpoch,
            },
          ],
        });
        const errorCode = partitionErrorCode(spec, response.markers);
        if (errorCode === ErrorCode.NONE) return;
        if (!LEADER_MOVED.has(errorCode)) throw markerError(spec, errorCode);
        retryAfter = new KafkaError(errorCode);
      } catch (error) {
        if (!(error instanceof KafkaError) || error.errorCode !== ErrorCode.NETWORK_EXCEPTION) throw error;
        retryAfter = error;
      }
    }
    cluster.requestUpdate();
    const waitMs = Math.min(cluster.config.retryBackoffMs * 2 ** attempt, 1000, deadline - Date.now());
    if (waitMs <= 0) {
      throw new KafkaError(
        ErrorCode.REQUEST_TIMED_OUT,
        `Timed out after ${timeoutMs} ms aborting the transaction on ${partition} (last error: ${retryAfter.message})`,
      );
    }
    await sleep(waitMs);
  }
}

/**
 * The partition's error code, once the response is checked to answer exactly the marker sent, as
 * Java's AbortTransactionHandler checks it (a broker answering something else is a bug to report,
 * not a result).
 */
function partitionErrorCode(
  spec: AbortTransactionSpec,
  markers: readonly WriteTxnMarkersResponseWritableTxnMarkerResult[],
): number {
  const unexpected = (entries: string, expected: string) =>
    new KafkaError(
      ErrorCode.UNKNOWN_SERVER_ERROR,
      `WriteTxnMarkers response included unexpected ${entries}: ` +
        `${JSON.stringify(markers, (_, v) => (typeof v === 'bigint' ? String(v) : v))}` +
        `(expected to find exactly one entry with ${expected})`,
    );
  const [marker] = markers;
  if (markers.length !== 1 || marker === undefined || marker.producerId !== spec.producerId) {
    throw unexpected('marker entries', `producerId ${spec.producerId}`);
  }
  const [topic] = marker.topics;
  if (marker.topics.length !== 1 || topic === undefined || topic.name !== spec.topic) {
    throw unexpected('topic entries', `topic partition ${spec.topic}-${spec.partition}`);
  }
  const [partition] = topic.partitions;
  if (topic.partitions.length !== 1 || partition === undefined || partition.partitionIndex !== spec.partition) {
    throw unexpected(`partition entries for topic ${spec.topic}`, `partition ${spec.partition}`);
  }
  return partition.errorCode;
}

/** Java's AbortTransactionHandler.handleError, for the errors that end the call. */
function markerError(spec: AbortTransactionSpec, errorCode: number): KafkaError {
  const request = `WriteTxnMarkers request with ${abortTransactionSpecString(spec)}`;
  switch (errorCode) {
    case ErrorCode.CLUSTER_AUTHORIZATION_FAILED:
      return new KafkaError(errorCode, `${request} failed due to cluster authorization error`);
    case ErrorCode.INVALID_PRODUCER_EPOCH:
      return new KafkaError(errorCode, `${request} failed due an invalid producer epoch`);
    case ErrorCode.TRANSACTION_COORDINATOR_FENCED:
      return new KafkaError(
        errorCode,
        `${request} failed since the provided coordinator epoch ${spec.coordinatorEpoch} has been fenced by the active coordinator`,
      );
    default:
      return new KafkaError(errorCode, `${request} failed due to unexpected error: ${errorByCode(errorCode).message}`);
  }
}
