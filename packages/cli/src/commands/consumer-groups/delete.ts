import { type Admin, KafkaError } from '@samsa/client';
import type { ParsedOptions } from '../../options/option-parser.js';
import type { CommandIo } from '../../support/command-io.js';
import { brokerMessage, errorLine } from '../../support/error-report.js';
import { listConsumerGroups } from './list.js';

/** `--delete`: deletes each group, reporting the ones that could not be deleted. */
export async function deleteGroups(admin: Admin, options: ParsedOptions, io: CommandIo): Promise<number> {
  const groupIds = options.has('all-groups')
    ? (await listConsumerGroups(admin)).map((g) => g.groupId)
    : options.values('group');
  const succeeded: string[] = [];
  const failed: [string, unknown][] = [];
  for (const group of groupIds) {
    try {
      await admin.deleteGroups([group]);
      succeeded.push(group);
    } catch (error) {
      failed.push([group, error]);
    }
  }
  if (failed.length === 0) {
    io.stdout.write(`Deletion of requested consumer groups ('${succeeded.join(', ')}') was successful.\n`);
    return 0;
  }
  io.stderr.write('\nError: Deletion of some consumer groups failed:\n');
  for (const [group, error] of failed) {
    const kafka =
      error instanceof KafkaError ? `${error.errorName}: ${brokerMessage(error.message)}` : errorLine(error);
    io.stderr.write(`* Group '${group}' could not be deleted due to: ${kafka}\n`);
  }
  if (succeeded.length > 0)
    io.stdout.write(`\nThese consumer groups were deleted successfully: '${succeeded.join("', '")}'\n`);
  return 1;
}
