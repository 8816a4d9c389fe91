import type { OptionSpec, ParsedOptions } from '../../options/option-parser.js';
import { UsageError } from '../../support/command-errors.js';
import { checkInvalidArgs, requireOption } from '../../support/tool.js';

/** The actions of `kafka-consumer-groups.sh`; exactly one per run. */
const ACTIONS = ['list', 'describe', 'delete', 'reset-offsets', 'delete-offsets'] as const;

/** The `--reset-offsets` scenarios; exactly one per run. */
const SCENARIOS = [
  'to-offset',
  'to-datetime',
  'by-duration',
  'to-earliest',
  'to-latest',
  'to-current',
  'shift-by',
  'from-file',
] as const;

/** Kafka's options of the tool, with its descriptions (the help text is compared with Kafka's). */
export const specs: OptionSpec[] = [
  {
    name: 'bootstrap-server',
    description: 'REQUIRED: The server(s) to connect to.',
    arg: 'required',
    argName: 'server to connect to',
  },
  { name: 'group', description: 'The consumer group we wish to act on.', arg: 'required', argName: 'consumer group' },
  {
    name: 'topic',
    description:
      'The topic whose consumer group information should be deleted or topic whose should be included in the reset offset process. In `reset-offsets` case, partitions can be specified using this format: `topic1:0,1,2`, where 0,1,2 are the partition to be included in the process. Reset-offsets also supports multiple topic inputs.',
    arg: 'required',
    argName: 'topic',
  },
  { name: 'all-topics', description: 'Consider all topics assigned to a group in the `reset-offsets` process.' },
  { name: 'list', description: 'List all consumer groups.' },
  {
    name: 'describe',
    description:
      'Describe consumer group and list offset lag (number of messages not yet processed) related to given group.',
  },
  { name: 'all-groups', description: 'Apply to all consumer groups.' },
  {
    name: 'delete',
    description:
      'Pass in groups to delete topic partition offsets and ownership information over the entire consumer group. For instance --group g1 --group g2',
  },
  {
    name: 'timeout',
    description:
      'The timeout that can be set for some use cases. For example, it can be used when describing the group to specify the maximum amount of time in milliseconds to wait before the group stabilizes (when the group is just created, or is going through some changes).',
    arg: 'required',
    argName: 'timeout (ms)',
    argType: 'Long',
    defaultValue: '5000',
  },
  {
    name: 'command-config',
    description: 'Property file containing configs to be passed to Admin Client and Consumer.',
    arg: 'required',
    argName: 'command config property file',
  },
  {
    name: 'reset-offsets',
    description:
      "Reset offsets of consumer group. Supports one consumer group at the time, and instances should be inactive\nHas 2 execution options: --dry-run (the default) to plan which offsets to reset, and --execute to update the offsets. Additionally, the --export option is used to export the results to a CSV format.\nYou must choose one of the following reset specifications: --to-datetime, --by-duration, --to-earliest, --to-latest, --shift-by, --from-file, --to-current, --to-offset.\nTo define the scope use --all-topics or --topic. One scope must be specified unless you use '--from-file'.",
  },
  {
    name: 'delete-offsets',
    description: 'Delete offsets of consumer group. Supports one consumer group at the time, and multiple topics.',
  },
  {
    name: 'dry-run',
    description: 'Only show results without executing changes on Consumer Groups. Supported operations: reset-offsets.',
  },
  { name: 'execute', description: 'Execute operation. Supported operations: reset-offsets.' },
  { name: 'export', description: 'Export operation execution to a CSV file. Supported operations: reset-offsets.' },
  {
    name: 'to-offset',
    description: 'Reset offsets to a specific offset.',
    arg: 'required',
    argName: 'offset',
    argType: 'Long',
  },
  {
    name: 'from-file',
    description: 'Reset offsets to values defined in CSV file.',
    arg: 'required',
    argName: 'path to CSV file',
  },
  {
    name: 'to-datetime',
    description: "Reset offsets to offset from datetime. Format: 'YYYY-MM-DDTHH:mm:SS.sss'",
    arg: 'required',
    argName: 'datetime',
  },
  {
    name: 'by-duration',
    description: "Reset offsets to offset by duration from current timestamp. Format: 'PnDTnHnMnS'",
    arg: 'required',
    argName: 'duration',
  },
  { name: 'to-earliest', description: 'Reset offsets to earliest offset.' },
  { name: 'to-latest', description: 'Reset offsets to latest offset.' },
  { name: 'to-current', description: 'Reset offsets to current offset.' },
  {
    name: 'shift-by',
    description: "Reset offsets shifting current offset by 'n', where 'n' can be positive or negative.",
    arg: 'required',
    argName: 'number-of-offsets',
    argType: 'Long',
  },
  {
    name: 'members',
    description:
      "Describe members of the group. This option may be used with '--describe' and '--bootstrap-server' options only.\nExample: --bootstrap-server localhost:9092 --describe --group group1 --members",
  },
  {
    name: 'verbose',
    description:
      "Provide additional information, if any, when describing the group. This option may be used with '--offsets'/'--members'/'--state' and '--bootstrap-server' options only.\nExample: --bootstrap-server localhost:9092 --describe --group group1 --members --verbose",
  },
  {
    name: 'offsets',
    description:
      "Describe the group and list all topic partitions in the group along with their offset lag. This is the default sub-action of and may be used with '--describe' and '--bootstrap-server' options only.\nExample: --bootstrap-server localhost:9092 --describe --group group1 --offsets",
  },
  {
    name: 'state',
    description:
      "When specified with '--describe', includes the state of the group.\nExample: --bootstrap-server localhost:9092 --describe --group group1 --state\nWhen specified with '--list', it displays the state of all groups. It can also be used to list groups with specific states.\nExample: --bootstrap-server localhost:9092 --list --state stable,empty\nThis option may be used with '--describe', '--list' and '--bootstrap-server' options only.",
    arg: 'optional',
  },
  {
    name: 'type',
    description:
      "When specified with '--list', it displays the types of all the groups. It can also be used to list groups with specific types.\nExample: --bootstrap-server localhost:9092 --list --type classic,consumer\nThis option may be used with the '--list' option only.",
    arg: 'optional',
  },
];

/** Kafka's ConsumerGroupCommandOptions.checkArgs: the combinations Kafka refuses, with its messages. */
export function checkArgs(options: ParsedOptions): void {
  if (ACTIONS.filter((a) => options.has(a)).length !== 1) {
    throw new UsageError(
      'Command must include exactly one action: --list, --describe, --delete, --reset-offsets, --delete-offsets',
    );
  }
  requireOption(options, 'bootstrap-server');
  const scopes = '[group], [all-groups]';
  if (options.has('describe')) {
    if (!options.has('group') && !options.has('all-groups'))
      throw new UsageError(`Option [describe] takes one of these options: ${scopes}`);
    if (['members', 'offsets', 'state'].filter((o) => options.has(o)).length > 1) {
      throw new UsageError('Option [describe] takes at most one of these options: [members], [offsets], [state]');
    }
    if (options.has('state') && options.value('state') !== '')
      throw new UsageError('Option [describe] does not take a value for [state]');
  }
  if (options.has('delete')) {
    if (!options.has('group') && !options.has('all-groups'))
      throw new UsageError(`Option [delete] takes one of these options: ${scopes}`);
    if (options.has('topic'))
      throw new UsageError('The consumer does not support topic-specific offset deletion from a consumer group.');
  }
  if (options.has('delete-offsets') && (!options.has('group') || !options.has('topic'))) {
    throw new UsageError('Option [delete-offsets] takes the following options: [topic], [group]');
  }
  if (options.has('reset-offsets')) {
    if (options.has('dry-run') && options.has('execute'))
      throw new UsageError('Option [reset-offsets] only accepts one of [execute] and [dry-run]');
    if (!options.has('group') && !options.has('all-groups'))
      throw new UsageError(`Option [reset-offsets] takes one of these options: ${scopes}`);
    for (const scenario of SCENARIOS)
      checkInvalidArgs(
        options,
        scenario,
        SCENARIOS.filter((s) => s !== scenario),
      );
    if (!SCENARIOS.some((s) => options.has(s))) {
      throw new UsageError(
        `Option '[reset-offsets]' requires one of the following scenarios: [${SCENARIOS.join(', ')}]`,
      );
    }
    checkInvalidArgs(options, 'all-topics', ['topic']);
  }
  checkInvalidArgs(options, 'group', ['all-groups']);
  const others = (keep: readonly string[]) => ACTIONS.filter((a) => !keep.includes(a));
  checkInvalidArgs(options, 'group', others(['describe', 'delete', 'reset-offsets', 'delete-offsets']));
  checkInvalidArgs(options, 'topic', others(['delete', 'reset-offsets', 'delete-offsets']));
  checkInvalidArgs(options, 'members', [...others(['describe']), 'offsets', 'state']);
  checkInvalidArgs(options, 'verbose', others(['describe']));
  checkInvalidArgs(options, 'type', others(['list']));
  checkInvalidArgs(options, 'export', others(['reset-offsets']));
  checkInvalidArgs(options, 'dry-run', others(['reset-offsets']));
  checkInvalidArgs(options, 'execute', others(['reset-offsets']));
}
