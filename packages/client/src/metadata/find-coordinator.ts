import { type CoordinatorType, ErrorCode, FindCoordinatorApi, KafkaError } from '@samsa/protocol';
import { sleep } from '../connection/connection-pool.js';
import type { Cluster } from './cluster.js';

export interface CoordinatorInfo {
  readonly nodeId: number;
  readonly host: string;
  readonly port: number;
}

/**
 * Finds the coordinator of a group or transactional ID, retrying while the broker answers with
 * a retriable error (COORDINATOR_NOT_AVAILABLE while __consumer_offsets is being created,
 * COORDINATOR_LOAD_IN_PROGRESS), until `timeoutMs`. v4+ batches keys; one key is asked here.
 */
export async function findCoordinator(
  cluster: Cluster,
  keyType: CoordinatorType,
  key: string,
  timeoutMs: number,
  signal?: AbortSignal,
): Promise<CoordinatorInfo> {
  const deadline = Date.now() + timeoutMs;
  let backoffMs = cluster.config.retryBackoffMs;
  for (;;) {
    let error: KafkaError | undefined;
    try {
      const connection = await cluster.anyConnection(signal);
      const { version, response } = await connection.requestVersioned(
        FindCoordinatorApi,
        (v) => (v >= 4 ? { keyType, coordinatorKeys: [key] } : { key, keyType }),
        signal === undefined ? {} : { signal },
      );
      if (version >= 4) {
        const c = response.coordinators[0];
        if (c === undefined)
          throw new KafkaError(ErrorCode.UNKNOWN_SERVER_ERROR, `FindCoordinator returned no coordinator for '${key}'`);
        if (c.errorCode === 0) return { nodeId: c.nodeId, host: c.host, port: c.port };
        error = new KafkaError(c.errorCode, `coordinator for '${key}': ${c.errorMessage ?? ''}`);
      } else {
        if (response.errorCode === 0) return { nodeId: response.nodeId, host: response.host, port: response.port };
        error = new KafkaError(response.errorCode, `coordinator for '${key}': ${response.errorMessage ?? ''}`);
      }
    } catch (caught) {
      if (!(caught instanceof KafkaError) || !caught.retriable) throw caught;
      error = caught;
    }
    if (!error.retriable || Date.now() + backoffMs > deadline) throw error;
    await sleep(backoffMs, signal);
    backoffMs = Math.min(backoffMs * 2, cluster.config.retryBackoffMaxMs);
  }
}
