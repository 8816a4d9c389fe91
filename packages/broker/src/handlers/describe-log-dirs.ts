/**
 * DescribeLogDirs (key 35), versions 0-4.
 * v1: same as v0. v2: flexible. v3: top-level error code. v4: total and usable bytes of each dir.
 * A null topic list describes every partition; a failed (offline) log dir has KAFKA_STORAGE_ERROR.
 * A replica being moved to another dir (AlterReplicaLogDirs) is also listed there, isFutureKey
 * true, with its copy's size and its lag behind the current log's end (Kafka's offsetLag).
 *
 * ACLs (KafkaApis.handleDescribeLogDirsRequest): DESCRIBE on the cluster, else no log dirs and
 * (v3+) CLUSTER_AUTHORIZATION_FAILED.
 */
import { statfsSync } from 'node:fs';
import { resolve } from 'node:path';
import { ApiKey, type DescribeLogDirsRequest, type DescribeLogDirsResponseInput, ErrorCode } from '@samsa/protocol';
import { AclOperationCode } from '../security/authorizer.js';
import { requireClusterOperation } from './authorization.js';
import { defineHandler } from './handler.js';

export const describeLogDirsHandler = defineHandler<DescribeLogDirsRequest, DescribeLogDirsResponseInput>({
  apiKey: ApiKey.DescribeLogDirs,
  minVersion: 0,
  maxVersion: 4,
  handle(request, ctx) {
    requireClusterOperation(ctx, AclOperationCode.DESCRIBE);
    const { logManager, replicaManager } = ctx.services;
    const wanted =
      request.topics === null ? undefined : new Map(request.topics.map((t) => [t.topic, new Set(t.partitions)]));
    const results = logManager.logDirs.map((dir) => {
      const absolute = resolve(dir);
      // A failed dir is listed with KAFKA_STORAGE_ERROR and nothing else, as Kafka does.
      if (logManager.offlineReason(dir) !== undefined) {
        return {
          errorCode: ErrorCode.KAFKA_STORAGE_ERROR,
          logDir: absolute,
          topics: [],
          totalBytes: -1n,
          usableBytes: -1n,
        };
      }
      const byTopic = new Map<
        string,
        { partitionIndex: number; partitionSize: bigint; offsetLag: bigint; isFutureKey: boolean }[]
      >();
      for (const partition of replicaManager.allPartitions()) {
        if (!resolve(partition.log.dir).startsWith(`${absolute}/`)) continue;
        if (wanted !== undefined && wanted.get(partition.topic)?.has(partition.partition) !== true) continue;
        let list = byTopic.get(partition.topic);
        if (list === undefined) {
          list = [];
          byTopic.set(partition.topic, list);
        }
        list.push({
          partitionIndex: partition.partition,
          partitionSize: BigInt(partition.log.size),
          offsetLag: 0n,
          isFutureKey: false,
        });
      }
      // A replica moving here (AlterReplicaLogDirs): its future log, with how far it still lags.
      for (const future of logManager.allFutureLogs()) {
        if (resolve(future.dir, '..') !== absolute) continue;
        if (wanted !== undefined && wanted.get(future.topic)?.has(future.partition) !== true) continue;
        const current = replicaManager.getPartition(future.topic, future.partition)?.log;
        let list = byTopic.get(future.topic);
        if (list === undefined) {
          list = [];
          byTopic.set(future.topic, list);
        }
        list.push({
          partitionIndex: future.partition,
          partitionSize: BigInt(future.size),
          offsetLag: current === undefined ? -1n : BigInt(Math.max(0, current.logEndOffset - future.logEndOffset)),
          isFutureKey: true,
        });
      }
      let totalBytes = -1n;
      let usableBytes = -1n;
      try {
        const stats = statfsSync(absolute);
        totalBytes = BigInt(stats.blocks) * BigInt(stats.bsize);
        usableBytes = BigInt(stats.bavail) * BigInt(stats.bsize);
      } catch {
        // Reported as unknown (-1), as Kafka does when the store cannot be queried.
      }
      return {
        errorCode: ErrorCode.NONE,
        logDir: absolute,
        topics: [...byTopic.entries()].map(([name, partitions]) => ({ name, partitions })),
        totalBytes,
        usableBytes,
      };
    });
    return { throttleTimeMs: 0, errorCode: ErrorCode.NONE, results };
  },
  // v0-2 have no top-level error code; Kafka then answers with no log dirs at all.
  errorResponse: () => ({ results: [] }),
});
