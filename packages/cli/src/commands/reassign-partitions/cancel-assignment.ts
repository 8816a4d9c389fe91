import { type Admin, compareTopicPartitions } from '@samsa/client';
import type { CommandIo } from '../../support/command-io.js';
import { terseFailure } from './reassignment-failures.js';
import { partitionName, type ReassignmentData } from './reassignment-json.js';
import { logDirMoveStates } from './reassignment-status.js';
import { clearAllThrottles } from './reassignment-throttles.js';

/**
 * `--cancel`: the file's partitions still moving go back to their original replicas (the
 * controller removes the replicas being added), then the throttles go unless
 * `--preserve-throttles`. Moves between log directories would be reverted here too; Samsa has
 * none (see `checkExecuteArgs`), so there is never one active.
 */
export async function cancelAssignment(
  admin: Admin,
  data: ReassignmentData,
  preserveThrottles: boolean,
  io: CommandIo,
): Promise<void> {
  const listed = data.partitions.length === 0 ? [] : await admin.listPartitionReassignments(data.partitions);
  const moving = listed
    .filter((r) => r.addingReplicas.length > 0 || r.removingReplicas.length > 0)
    .sort(compareTopicPartitions);
  if (moving.length > 0) {
    const results = await admin.alterPartitionReassignments(
      moving.map((r) => ({ topic: r.topic, partition: r.partition, replicas: null })),
    );
    const failed = results.filter((r) => r.error !== null).sort(compareTopicPartitions);
    if (failed.length > 0) {
      throw terseFailure(
        `Error cancelling partition reassignment${failed.length === 1 ? '' : 's'} for:\n` +
          failed.map((r) => `${partitionName(r)}: ${r.error?.message}`).join('\n'),
      );
    }
    io.stdout.write(
      `Successfully cancelled partition reassignment${moving.length === 1 ? '' : 's'} for: ${moving.map(partitionName).join(',')}\n`,
    );
  } else {
    io.stdout.write('None of the specified partition reassignments are active.\n');
  }
  const activeMoves = (await logDirMoveStates(admin, data.logDirs)).filter((s) => s.state.kind === 'active');
  if (activeMoves.length === 0) io.stdout.write('None of the specified partition moves are active.\n');
  if (!preserveThrottles) await clearAllThrottles(admin, data.partitions, io);
}
