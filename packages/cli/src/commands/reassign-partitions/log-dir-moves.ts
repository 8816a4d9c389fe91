import { type Admin, ErrorCode } from '@samsa/client';
import type { CommandIo } from '../../support/command-io.js';
import { javaExceptionClass } from '../../support/java-exception.js';
import { terseFailure, toolFailure } from './reassignment-failures.js';
import { type ReplicaLogDir, replicaName } from './reassignment-json.js';
import { LOG_DIR_THROTTLE } from './reassignment-throttles.js';

/**
 * Moving replicas between their brokers' log directories, the part of `--execute` that reads the
 * file's `log_dirs` (Kafka's `executeMoves` and `modifyLogDirThrottle`): AlterReplicaLogDirs to
 * each replica's broker, retried every 100 ms for replicas their broker does not have yet
 * (REPLICA_NOT_AVAILABLE: the partition reassignment has not reached it) until `--timeout`.
 */

/** Kafka's order for replicas: broker, then topic, then partition. */
function compareReplicas(a: ReplicaLogDir, b: ReplicaLogDir): number {
  return a.brokerId - b.brokerId || (a.topic < b.topic ? -1 : a.topic > b.topic ? 1 : a.partition - b.partition);
}

const plural = (n: number) => (n === 1 ? '' : 's');

/** `--replica-alter-log-dirs-throttle`: the rate on every broker whose replicas move between dirs. */
export async function setLogDirThrottle(
  admin: Admin,
  moves: readonly ReplicaLogDir[],
  rateBytesPerSec: bigint,
  io: CommandIo,
): Promise<void> {
  const brokers = [...new Set(moves.map((m) => m.brokerId))].sort((a, b) => a - b);
  await admin.incrementalAlterConfigs(
    brokers.map((broker) => ({
      type: 'broker' as const,
      name: String(broker),
      ops: [{ name: LOG_DIR_THROTTLE, op: 'set' as const, value: String(rateBytesPerSec) }],
    })),
  );
  io.stdout.write(`The replica-alter-dir throttle limit was set to ${rateBytesPerSec} B/s\n`);
}

/**
 * Starts every move, printing those started; fails with Kafka's message when a broker refuses one
 * for any reason but REPLICA_NOT_AVAILABLE, or when some could not be started within `timeoutMs`.
 */
export async function executeMoves(
  admin: Admin,
  moves: readonly ReplicaLogDir[],
  timeoutMs: number,
  io: CommandIo,
): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  let pending = [...moves];
  for (;;) {
    const results = await admin.alterReplicaLogDirs(pending);
    const started: ReplicaLogDir[] = [];
    for (const move of pending) {
      const result = results.find(
        (r) => r.brokerId === move.brokerId && r.topic === move.topic && r.partition === move.partition,
      );
      const error = result?.error;
      if (error === null) started.push(move);
      else if (error !== undefined && error.errorCode !== ErrorCode.REPLICA_NOT_AVAILABLE) {
        throw toolFailure(
          `Failed to alter dir for ${replicaName(move)}\nCaused by: ${javaExceptionClass(error.errorName)}: ${error.message}`,
        );
      }
    }
    if (started.length > 0) {
      const names = started.sort(compareReplicas).map(replicaName);
      io.stdout.write(`Successfully started log directory move${plural(names.length)} for: ${names.join(',')}\n`);
    }
    pending = pending.filter((m) => !started.includes(m));
    if (pending.length === 0) return;
    if (Date.now() >= deadline) {
      const names = pending.sort(compareReplicas).map(replicaName);
      throw terseFailure(
        `Timed out before log directory move${plural(names.length)} could be started for: ${names.join(',')}`,
      );
    }
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}
