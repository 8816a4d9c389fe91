import type { OptionSpec, ParsedOptions } from '../../options/option-parser.js';
import { UsageError } from '../../support/command-errors.js';
import { checkInvalidArgs, requireOption } from '../../support/tool.js';

const ALTER_CONFIGS_HINT = ' (To alter topic configurations, the kafka-configs tool can be used.)';
export const ACTIONS = ['create', 'list', 'alter', 'describe', 'delete'] as const;
export const REPORT_FILTERS = [
  'under-replicated-partitions',
  'under-min-isr-partitions',
  'at-min-isr-partitions',
  'unavailable-partitions',
] as const;

export const specs: OptionSpec[] = [
  {
    name: 'bootstrap-server',
    description: 'REQUIRED: The Kafka server to connect to.',
    arg: 'required',
    argName: 'server to connect to',
  },
  {
    name: 'zookeeper',
    description:
      'DEPRECATED, The connection string for the zookeeper connection in the form host:port. Multiple hosts can be given to allow fail-over.',
    arg: 'required',
    argName: 'hosts',
  },
  {
    name: 'command-config',
    description: 'Property file containing configs to be passed to Admin Client.',
    arg: 'required',
    argName: 'command config property file',
  },
  { name: 'list', description: 'List all available topics.' },
  { name: 'create', description: 'Create a new topic.' },
  { name: 'delete', description: 'Delete a topic.' },
  { name: 'alter', description: `Alter the number of partitions and replica assignment.${ALTER_CONFIGS_HINT}` },
  { name: 'describe', description: 'List details for the given topics.' },
  {
    name: 'topic',
    description:
      'The topic to create, alter, describe or delete. It also accepts a regular expression, except for --create option. Put topic name in double quotes and use the \'\\\' prefix to escape regular expression symbols; e.g. "test\\.topic".',
    arg: 'required',
    argName: 'topic',
  },
  { name: 'topic-id', description: 'The topic-id to describe.', arg: 'required', argName: 'topic-id' },
  {
    name: 'config',
    description: `A topic configuration override for the topic being created. It is supported only in combination with --create.${ALTER_CONFIGS_HINT}`,
    arg: 'required',
    argName: 'name=value',
  },
  {
    name: 'partitions',
    description:
      'The number of partitions for the topic being created or altered. If not supplied with --create, the topic uses the cluster default. (WARNING: If partitions are increased for a topic that has a key, the partition logic or ordering of the messages will be affected).',
    arg: 'required',
    argName: '# of partitions',
    argType: 'Integer',
  },
  {
    name: 'replication-factor',
    description:
      'The replication factor for each partition in the topic being created. If not supplied, the topic uses the cluster default.',
    arg: 'required',
    argName: 'replication factor',
    argType: 'Integer',
  },
  {
    name: 'replica-assignment',
    description: 'A list of manual partition-to-broker assignments for the topic being created or altered.',
    arg: 'required',
    argName:
      'broker_id_for_part1_replica1 : broker_id_for_part1_replica2 , broker_id_for_part2_replica1 : broker_id_for_part2_replica2 , ...',
  },
  {
    name: 'under-replicated-partitions',
    description: 'If set when describing topics, only show under-replicated partitions.',
  },
  {
    name: 'unavailable-partitions',
    description: 'If set when describing topics, only show partitions whose leader is not available.',
  },
  {
    name: 'under-min-isr-partitions',
    description:
      'If set when describing topics, only show partitions whose isr count is less than the configured minimum.',
  },
  {
    name: 'at-min-isr-partitions',
    description:
      'If set when describing topics, only show partitions whose isr count is equal to the configured minimum.',
  },
  {
    name: 'topics-with-overrides',
    description: 'If set when describing topics, only show topics that have overridden configs.',
  },
  {
    name: 'if-exists',
    description:
      'If set when altering or deleting or describing topics, the action will only execute if the topic exists.',
  },
  {
    name: 'if-not-exists',
    description: 'If set when creating topics, the action will only execute if the topic does not already exist.',
  },
  {
    name: 'exclude-internal',
    description:
      'Exclude internal topics when listing or describing topics. By default, the internal topics are included.',
  },
  {
    name: 'partition-size-limit-per-response',
    description: 'The maximum partition size to be included in one DescribeTopicPartitions response.',
    arg: 'required',
    argName: 'maximum number of partitions per response',
    argType: 'Integer',
  },
];

/** Kafka's `TopicCommandOptions.checkArgs`, with Kafka 2.x's `--zookeeper` rules beside `--bootstrap-server`'s. */
export function checkArgs(options: ParsedOptions): void {
  const actions = ACTIONS.filter((a) => options.has(a));
  if (actions.length !== 1) {
    throw new UsageError('Command must include exactly one action: --list, --describe, --create, --alter or --delete');
  }
  const zookeeper = options.has('zookeeper');
  if (options.has('bootstrap-server') === zookeeper) {
    throw new UsageError(
      zookeeper
        ? 'Only one of --bootstrap-server or --zookeeper must be specified'
        : 'One of --bootstrap-server or --zookeeper must be specified',
    );
  }
  if (zookeeper) {
    // What only a broker can do: admin client settings, topic IDs, paged partition listings.
    checkInvalidArgs(options, 'zookeeper', ['command-config', 'topic-id', 'partition-size-limit-per-response']);
    // No broker to supply num.partitions and default.replication.factor (Kafka 2.x's rule).
    if (options.has('create') && !options.has('replica-assignment')) {
      requireOption(options, 'partitions');
      requireOption(options, 'replication-factor');
    }
  }
  if (options.has('describe') && options.has('if-exists') && !options.has('topic') && !options.has('topic-id')) {
    throw new UsageError('--topic or --topic-id is required to describe a topic');
  }
  if (!options.has('list') && !options.has('describe')) requireOption(options, 'topic');
  if (options.has('alter')) {
    if (options.has('config'))
      throw new UsageError(`Option "[alter]" can't be used with option "[config]".${ALTER_CONFIGS_HINT}`);
    requireOption(options, 'partitions');
  }
  const others = (keep: readonly string[]) => ACTIONS.filter((a) => !keep.includes(a));
  checkInvalidArgs(options, 'config', others(['alter', 'create']));
  checkInvalidArgs(options, 'partitions', others(['alter', 'create']));
  checkInvalidArgs(options, 'replication-factor', others(['create']));
  checkInvalidArgs(options, 'replica-assignment', others(['alter', 'create']));
  if (options.has('create')) checkInvalidArgs(options, 'replica-assignment', ['partitions', 'replication-factor']);
  for (const filter of REPORT_FILTERS) {
    checkInvalidArgs(options, filter, [...others(['describe']), 'topics-with-overrides']);
  }
  checkInvalidArgs(options, 'topics-with-overrides', [...others(['describe']), ...REPORT_FILTERS]);
  checkInvalidArgs(options, 'if-exists', others(['alter', 'delete', 'describe']));
  checkInvalidArgs(options, 'if-not-exists', others(['create']));
  checkInvalidArgs(options, 'exclude-internal', others(['list', 'describe']));
}
