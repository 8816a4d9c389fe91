import { ElectLeadersApi, ErrorCode, KafkaError } from '@samsa/protocol';
import { compareTopicPartitions, groupByTopic, type TopicPartition } from '../common/topic-partition.js';
import type { Connection } from '../connection/connection.js';
import type { Cluster } from '../metadata/cluster.js';
import { NOT_CONTROLLER, onActiveController } from './active-controller.js';
import { type ElectionResult, ElectionType, type ElectionTypeName } from './admin-types.js';

/**
 * ElectLeaders, on the active controller (only the controller elects; any other broker answers
 * NOT_CONTROLLER). `partitions` null asks for every partition; the controller then answers for
 * those it considered. Results come back sorted by topic and partition.
 */
export function electLeaders(
  cluster: Cluster,
  electionType: ElectionTypeName,
  partitions: readonly TopicPartition[] | null,
  timeoutMs: number,
): Promise<ElectionResult[]> {
  return onActiveController(cluster, timeoutMs, 'elect leaders', async (connection, deadline) => {
    const { version, response } = await send(connection, electionType, partitions, deadline);
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
    if (notController) return NOT_CONTROLLER;
    if (version >= 1 && response.errorCode !== ErrorCode.NONE) throw new KafkaError(response.errorCode);
    return results.sort(compareTopicPartitions);
  });
}

/** One ElectLeaders request. */
function send(
  connection: Connection,
  electionType: ElectionTypeName,
  partitions: readonly TopicPartition[] | null,
  deadline: number,
) {
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
