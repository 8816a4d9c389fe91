import { type Admin, compareTopicPartitions } from '@samsa/client';
import type { CommandIo } from '../../support/command-io.js';
import { replicaAssignmentForPartitions, verifyBrokerIds } from './current-assignment.js';
import { executeMoves, setLogDirThrottle } from './log-dir-moves.js';
import { terseFailure } from './reassignment-failures.js';
import { checkExecutable, partitionName, type ReassignmentData, reassignmentJson } from './reassignment-json.js';
import { proposedMoveMap, setReassignmentThrottles } from './reassignment-throttles.js';

const CANNOT_EXECUTE_BECAUSE_OF_EXISTING =
  'Cannot execute because there is an existing partition assignment.  Use --additional to override this and ' +
  'create a new partition assignment in addition to the existing one. The --additional flag can also be used ' +
  'to change the throttle by resubmitting the current reassignment.';

const RUN_VERIFY_PERIODICALLY =
  'Warning: You must run --verify periodically, until the reassignment completes, to ensure the throttle is removed.';

export interface ExecuteArgs {
  readonly data: ReassignmentData;
  readonly additional: boolean;
  /** Bytes per second between brokers; negative for none. */
  readonly interBrokerThrottle: bigint;
  /** Bytes per second between a broker's log directories; negative for none. */
  readonly logDirThrottle: bigint;
  /** `--timeout`: how long moves between log directories may take to start, in ms. */
  readonly timeoutMs: number;
}

/** Kafka's `parseExecuteAssignmentArgs`: what `--execute` refuses before asking anything. */
export function checkExecuteArgs(data: ReassignmentData): void {
  checkExecutable(data);
}

/**
 * `--execute`: prints the current assignment of the partitions (the file to roll back with),
 * sets the throttles when asked, starts the moves on the controller (AlterPartitionReassignments),
 * then moves the replicas the file's `log_dirs` place in a particular directory
 * (AlterReplicaLogDirs, retried until their broker has them or `--timeout` passes).
 * Refuses while other moves are under way unless `--additional`.
 */
export async function executeAssignment(admin: Admin, args: ExecuteArgs, io: CommandIo): Promise<void> {
  const proposed = args.data.partitions;
  const ongoing = await admin.listPartitionReassignments();
  if (!args.additional && ongoing.length > 0) throw terseFailure(CANNOT_EXECUTE_BECAUSE_OF_EXISTING);
  await verifyBrokerIds(
    admin,
    proposed.flatMap((p) => p.replicas),
  );
  const current = await replicaAssignmentForPartitions(admin, proposed);
  io.stdout.write(
    `Current partition replica assignment\n\n${reassignmentJson(current)}\n\n` +
      'Save this to use as the --reassignment-json-file option during rollback\n',
  );
  if (args.interBrokerThrottle >= 0n || args.logDirThrottle >= 0n) {
    io.stdout.write(`${RUN_VERIFY_PERIODICALLY}\n`);
    if (args.interBrokerThrottle >= 0n) {
      await setReassignmentThrottles(admin, proposedMoveMap(ongoing, proposed, current), args.interBrokerThrottle, io);
    }
    if (args.logDirThrottle >= 0n) await setLogDirThrottle(admin, args.data.logDirs, args.logDirThrottle, io);
  }
  const results = await admin.alterPartitionReassignments(proposed);
  const failed = results.filter((r) => r.error !== null).sort(compareTopicPartitions);
  if (failed.length > 0) {
    throw terseFailure(
      `Error reassigning partition(s):\n${failed.map((r) => `${partitionName(r)}: ${r.error?.message}`).join('\n')}`,
    );
  }
  const names = [...proposed].sort(compareTopicPartitions).map(partitionName);
  io.stdout.write(
    `Successfully started partition reassignment${names.length === 1 ? '' : 's'} for ${names.join(',')}\n`,
  );
  if (args.data.logDirs.length > 0) await executeMoves(admin, args.data.logDirs, args.timeoutMs, io);
}
