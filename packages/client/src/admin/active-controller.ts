import { ErrorCode, KafkaError } from '@samsa/protocol';
import type { Connection } from '../connection/connection.js';
import { sleep } from '../connection/connection-pool.js';
import type { Cluster } from '../metadata/cluster.js';

/** What an attempt returns when the broker it asked is not (or no longer) the controller. */
export const NOT_CONTROLLER = Symbol('NOT_CONTROLLER');

/**
 * Runs a request that only the active controller serves (ElectLeaders, partition reassignments),
 * where Java's AdminClient sends it: to the controller named by the latest Metadata response. A
 * controller that moved (NOT_CONTROLLER, or its connection failing) or none elected yet means
 * fresh metadata and another try after `retry.backoff.ms`, until `timeoutMs` has passed — then
 * REQUEST_TIMED_OUT, as Java's call times out.
 */
export async function onActiveController<T>(
  cluster: Cluster,
  timeoutMs: number,
  what: string,
  attempt: (connection: Connection, deadline: number) => Promise<T | typeof NOT_CONTROLLER>,
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  let lastError: KafkaError | undefined;
  for (;;) {
    // The first attempt trusts a controller already known; a retry always asks again.
    if (lastError !== undefined || cluster.controllerId < 0) await cluster.fetchMetadata([]);
    const controllerId = cluster.controllerId;
    if (controllerId >= 0) {
      const answer = await cluster
        .connectionTo(controllerId)
        .then((connection) => attempt(connection, deadline))
        .catch((error: unknown) => {
          // The controller went away (connection refused or reset): ask the cluster again.
          if (error instanceof KafkaError && error.errorCode === ErrorCode.NETWORK_EXCEPTION) return error;
          throw error;
        });
      if (answer instanceof KafkaError) lastError = answer;
      else if (answer === NOT_CONTROLLER) {
        lastError = new KafkaError(ErrorCode.NOT_CONTROLLER, `broker ${controllerId} is no longer the controller`);
      } else return answer;
    } else {
      lastError = new KafkaError(ErrorCode.NOT_CONTROLLER, 'no controller is elected yet');
    }
    const waitMs = Math.min(cluster.config.retryBackoffMs, deadline - Date.now());
    if (waitMs <= 0) {
      throw new KafkaError(
        ErrorCode.REQUEST_TIMED_OUT,
        `Timed out after ${timeoutMs} ms waiting for the controller to ${what} (last error: ${lastError.message})`,
      );
    }
    await sleep(waitMs);
  }
}
