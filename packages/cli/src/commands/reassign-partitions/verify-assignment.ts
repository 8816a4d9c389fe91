import type { Admin } from '@samsa/client';
import type { CommandIo } from '../../support/command-io.js';
import type { ReassignmentData } from './reassignment-json.js';
import {
  isMoveDone,
  logDirMoveStates,
  partitionReassignmentStates,
  partitionStatesText,
  replicaMoveStatesText,
} from './reassignment-status.js';
import { clearAllThrottles } from './reassignment-throttles.js';

/**
 * `--verify`: where each partition of the file stands, then each replica bound for a log
 * directory (an empty line when there is none, as Kafka prints). Once nothing is moving in the
 * cluster the throttles go, unless `--preserve-throttles`. Exit status 0 either way.
 */
export async function verifyAssignment(
  admin: Admin,
  data: ReassignmentData,
  preserveThrottles: boolean,
  io: CommandIo,
): Promise<void> {
  const { states, ongoing } = await partitionReassignmentStates(admin, data.partitions);
  io.stdout.write(`${partitionStatesText(states)}\n`);
  const moves = await logDirMoveStates(admin, data.logDirs);
  io.stdout.write(`${replicaMoveStatesText(moves)}\n`);
  if (!ongoing && moves.every(isMoveDone) && !preserveThrottles) {
    await clearAllThrottles(admin, data.partitions, io);
  }
}
