import type { Admin } from '@samsa/client';
import type { OptionSpec, ParsedOptions } from '../../options/option-parser.js';
import { connectAdmin } from '../../support/admin-client.js';
import { UsageError } from '../../support/command-errors.js';
import type { CommandIo } from '../../support/command-io.js';
import { requireOption, type Tool } from '../../support/tool.js';
import { cancelAssignment } from './cancel-assignment.js';
import { checkExecuteArgs, executeAssignment } from './execute-assignment.js';
import { generateAssignment, parseGenerateArgs } from './generate-assignment.js';
import { asToolFailure } from './reassignment-failures.js';
import { parseReassignment, readTextFile } from './reassignment-json.js';
import { currentReassignmentsText } from './reassignment-status.js';
import { verifyAssignment } from './verify-assignment.js';

const specs: OptionSpec[] = [
  {
    name: 'verify',
    description:
      'Verify if the reassignment completed as specified by the --reassignment-json-file option. If there is a throttle engaged for the replicas specified, and the rebalance has completed, the throttle will be removed',
  },
  {
    name: 'generate',
    description:
      'Generate a candidate partition reassignment configuration. Note that this only generates a candidate assignment, it does not execute it.',
  },
  {
    name: 'execute',
    description: 'Kick off the reassignment as specified by the --reassignment-json-file option.',
  },
  { name: 'cancel', description: 'Cancel an active reassignment.' },
  { name: 'list', description: 'List all active partition reassignments.' },
  {
    name: 'bootstrap-server',
    description: 'REQUIRED: the server(s) to use for bootstrapping.',
    arg: 'required',
    argName: 'Server(s) to use for bootstrapping',
  },
  {
    name: 'command-config',
    description: 'Property file containing configs to be passed to Admin Client.',
    arg: 'required',
    argName: 'Admin client property file',
  },
  {
    name: 'reassignment-json-file',
    description:
      'The JSON file with the partition reassignment configurationThe format to use is - \n' +
      '{"partitions":\n\t[{"topic": "foo",\n\t  "partition": 1,\n\t  "replicas": [1,2,3],\n\t  "log_dirs": ["dir1","dir2","dir3"] }],\n"version":1\n}\n' +
      'Note that "log_dirs" is optional. When it is specified, its length must equal the length of the replicas list. The value in this list can be either "any" or the absolution path of the log directory on the broker. If absolute log directory path is specified, the replica will be moved to the specified log directory on the broker.',
    arg: 'required',
    argName: 'manual assignment json file path',
  },
  {
    name: 'topics-to-move-json-file',
    description:
      'Generate a reassignment configuration to move the partitions of the specified topics to the list of brokers specified by the --broker-list option. The format to use is - \n' +
      '{"topics":\n\t[{"topic": "foo"},{"topic": "foo1"}],\n"version":1\n}',
    arg: 'required',
    argName: 'topics to reassign json file path',
  },
  {
    name: 'broker-list',
    description:
      'The list of brokers to which the partitions need to be reassigned in the form "0,1,2". This is required if --topics-to-move-json-file is used to generate reassignment configuration',
    arg: 'required',
    argName: 'brokerlist',
  },
  { name: 'disable-rack-aware', description: 'Disable rack aware replica assignment' },
  {
    name: 'throttle',
    description:
      'The movement of partitions between brokers will be throttled to this value (bytes/sec). This option can be included with --execute when a reassignment is started, and it can be altered by resubmitting the current reassignment along with the --additional flag. The throttle rate should be at least 1 KB/s.',
    arg: 'required',
    argName: 'throttle',
    argType: 'Long',
    defaultValue: '-1',
  },
  {
    name: 'replica-alter-log-dirs-throttle',
    description:
      'The movement of replicas between log directories on the same broker will be throttled to this value (bytes/sec). This option can be included with --execute when a reassignment is started, and it can be altered by resubmitting the current reassignment along with the --additional flag. The throttle rate should be at least 1 KB/s.',
    arg: 'required',
    argName: 'replicaAlterLogDirsThrottle',
    argType: 'Long',
    defaultValue: '-1',
  },
  {
    name: 'timeout',
    description: 'The maximum time in ms to wait for log directory replica assignment to begin.',
    arg: 'required',
    argName: 'timeout',
    argType: 'Long',
    defaultValue: '10000',
  },
  {
    name: 'additional',
    description:
      'Execute this reassignment in addition to any other ongoing ones. This option can also be used to change the throttle of an ongoing reassignment.',
  },
  { name: 'preserve-throttles', description: 'Do not modify broker or topic throttles.' },
];

const ACTIONS = ['generate', 'execute', 'verify', 'cancel', 'list'] as const;
type Action = (typeof ACTIONS)[number];

/** What each action needs besides --bootstrap-server. */
const REQUIRED: Readonly<Record<Action, readonly string[]>> = {
  generate: ['topics-to-move-json-file', 'broker-list'],
  execute: ['reassignment-json-file'],
  verify: ['reassignment-json-file'],
  cancel: ['reassignment-json-file'],
  list: [],
};

/** What each action accepts besides its required options. */
const PERMITTED: Readonly<Record<Action, readonly string[]>> = {
  generate: ['bootstrap-server', 'broker-list', 'command-config', 'disable-rack-aware'],
  execute: [
    'additional',
    'bootstrap-server',
    'command-config',
    'throttle',
    'replica-alter-log-dirs-throttle',
    'timeout',
  ],
  verify: ['bootstrap-server', 'command-config', 'preserve-throttles'],
  cancel: ['bootstrap-server', 'command-config', 'preserve-throttles', 'timeout'],
  list: ['bootstrap-server', 'command-config'],
};

/** Kafka's `validateAndParseArgs` (3.x, `--bootstrap-server` only): one action and only its options. */
function actionOf(options: ParsedOptions): Action {
  const given = ACTIONS.filter((a) => options.has(a));
  const [action] = given;
  if (given.length !== 1 || action === undefined) {
    throw new UsageError(`Command must include exactly one action: ${ACTIONS.map((a) => `--${a}`).join(', ')}`);
  }
  if (!options.has('bootstrap-server')) throw new UsageError('Please specify --bootstrap-server');
  for (const name of REQUIRED[action]) requireOption(options, name);
  for (const name of options.givenNames()) {
    if (name !== action && !REQUIRED[action].includes(name) && !PERMITTED[action].includes(name)) {
      throw new UsageError(`Option "[${name}]" can't be used with action "[${action}]"`);
    }
  }
  return action;
}

/**
 * Everything the action needs from the command line and its files, checked before any broker is
 * asked, then the action itself on a connected admin client.
 */
function prepare(action: Action, options: ParsedOptions): (admin: Admin, io: CommandIo) => Promise<void> {
  const file = (name: string) => readTextFile(options.value(name) as string);
  switch (action) {
    case 'generate': {
      const args = parseGenerateArgs(file('topics-to-move-json-file'), options.value('broker-list') as string);
      const rackAware = !options.has('disable-rack-aware');
      return (admin, io) => generateAssignment(admin, { ...args, rackAware }, io);
    }
    case 'execute': {
      const interBrokerThrottle = options.bigint('throttle') as bigint;
      const logDirThrottle = options.bigint('replica-alter-log-dirs-throttle') as bigint;
      const timeoutMs = Number(options.bigint('timeout'));
      const data = parseReassignment(file('reassignment-json-file'));
      checkExecuteArgs(data);
      const additional = options.has('additional');
      return (admin, io) =>
        executeAssignment(admin, { data, additional, interBrokerThrottle, logDirThrottle, timeoutMs }, io);
    }
    case 'verify': {
      const data = parseReassignment(file('reassignment-json-file'));
      return (admin, io) => verifyAssignment(admin, data, options.has('preserve-throttles'), io);
    }
    case 'cancel': {
      options.bigint('timeout');
      const data = parseReassignment(file('reassignment-json-file'));
      return (admin, io) => cancelAssignment(admin, data, options.has('preserve-throttles'), io);
    }
    case 'list':
      return async (admin, io) => {
        io.stdout.write(`${await currentReassignmentsText(admin)}\n`);
      };
  }
}

/**
 * `kafka-reassign-partitions.sh` (Kafka 3.x's ReassignPartitionsCommand, `--bootstrap-server`
 * only; its ZooKeeper mode went in Kafka 3.0): propose an assignment of topics over brokers,
 * start moves (KIP-455, through the controller) with optional replication throttles, follow
 * them, cancel them, list them.
 */
export const reassignPartitionsTool: Tool = {
  name: 'reassign-partitions',
  script: 'kafka-reassign-partitions.sh',
  purpose: 'This tool helps to move topic partitions between replicas.',
  specs,
  errorPrefix: 'Error: ',
  async run(options, io) {
    const action = actionOf(options);
    const act = prepare(action, options);
    const admin = await connectAdmin(options.value('bootstrap-server'), options.value('command-config'), io);
    try {
      await act(admin, io);
      return 0;
    } catch (error) {
      throw asToolFailure(error);
    } finally {
      await admin.close();
    }
  },
};
