import { ElectLeadersApi, ErrorCode, KafkaError } from '@samsa/protocol';
import { compareTopicPartitions, groupByTopic, type TopicPartition } from '../common/topic-partition.js';
import { sleep } from '../connection/connection-pool.js';
import type { Cluster } from '../metadata/cluster.js';
import { type ElectionResult, ElectionType, type ElectionTypeName } from './admin-types.js';

/**
 * ElectLeaders, sent where Java's AdminClient sends it: to the controller named by the latest
 * Metadata response (only the controller elects; any other broker answers NOT_CONTROLLER). A
 * controller that moved, or none elected yet, means fresh metadata and another try after
 * `retry.backoff.ms`, until `timeoutMs` has passed — then REQUEST_TIMED_OUT, as Java's call times
 * out.
 *
 * `partitions` null asks for every partition; the controller then answers for those it considered.
 * Results come back sorted by topic and partition.
 */
export async function electLeaders(
  cluster: Cluster,
  electionType: ElectionTypeName,
  partitions: readonly TopicPartition[] | null,
  timeoutMs: number,
): Promise<ElectionResult[]> {
  const deadline = Date.now() + timeoutMs;
  let lastError: KafkaError | undefined;
  for (;;) {
    // The first attempt trusts a controller already known; a retry always asks again.
    if (lastError !== undefined || cluster.controllerId < 0) await cluster.fetchMetadata([]);
    const controllerId = cluster.controllerId;
    if (controllerId >= 0) {
      const sent = await send(cluster, controllerId, electionType, partitions, deadline).catch((error: unknown) => {
        // The controller went away (connection refused or reset): ask the cluster again.
        if (error instanceof KafkaError && error.errorCode === ErrorCode.NETWORK_EXCEPTION) return error;
        throw error;
      });
      if (sent instanceof KafkaError) lastError = sent;
      else {
        const { version, response } = sent;
        const results = response.replicaElectionResults.flatMap((t) =>
          t.partitionResult.map((p) => ({
            topic: t.topic,
            partition: p.partitionId,
            error: p.errorCode === ErrorCode.NONE ? null : new KafkaError(p.errorCode, p.errorMessage ?? undefined),
          })),
        );
        // v0 has no top-level error: a request-wide error is on every partition.
        const notController =
          version >= 1
            ? response.errorCode === ErrorCode.NOT_CONTROLLER
            : results.length > 0 && results.every((r) => r.error?.errorCode === ErrorCode.NOT_CONTROLLER);
        if (version >= 1 && response.errorCode !== ErrorCode.NONE && !notController) {
          throw new KafkaError(response.errorCode);
        }
        if (!notController) return results.sort(compareTopicPartitions);
        lastError = new KafkaError(ErrorCode.NOT_CONTROLLER, `broker ${controllerId} is no longer the controller`);
      }
    } else {
      lastError = new KafkaError(ErrorCode.NOT_CONTROLLER, 'no controller is elected yet');
    }
    const waitMs = Math.min(cluster.config.retryBackoffMs, deadline - Date.now());
    if (waitMs <= 0) {
      throw new KafkaError(
        ErrorCode.REQUEST_TIMED_OUT,
        `Timed out after ${timeoutMs} ms waiting for the controller to elect leaders (last error: ${lastError.message})`,
      );
    }
    await sleep(waitMs);
  }
}

/** One ElectLeaders request to `controllerId`. */
async function send(
  cluster: Cluster,
  controllerId: number,
  electionType: ElectionTypeName,
  partitions: readonly TopicPartition[] | null,
  deadline: number,
) {
  const connection = await cluster.connectionTo(controllerId);
  return connection.requestVersioned(ElectLeadersApi, (v) => {
    // Version 0 predates unclean elections: its only kind is preferred.
    if (v === 0 && electionType !== 'PREFERRED') {
      throw new KafkaError(
        ErrorCode.UNSUPPORTED_VERSION,
        `${connection.broker} does not support unclean leader elections (ElectLeaders v0 only)`,
      );
    }
    return {
      electionType: ElectionType[electionType],
      topicPartitions:
        partitions === null
          ? null
          : groupByTopic(partitions).map((t) => ({ topic: t.topic, partitions: t.partitions })),
      timeoutMs: Math.max(0, deadline - Date.now()),
    };
  });
}
