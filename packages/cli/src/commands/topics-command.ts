import { type Admin, ErrorCode, KafkaError, type PartitionDescription } from '@samsa/client';
import type { OptionSpec, ParsedOptions } from '../options/option-parser.js';
import { connectAdmin } from '../support/admin-client.js';
import { UsageError } from '../support/command-errors.js';
import type { CommandIo } from '../support/command-io.js';
import { checkInvalidArgs, requireOption, type Tool } from '../support/tool.js';

const ALTER_CONFIGS_HINT = ' (To alter topic configurations, the kafka-configs tool can be used.)';
const ACTIONS = ['create', 'list', 'alter', 'describe', 'delete'] as const;
const REPORT_FILTERS = [
  'under-replicated-partitions',
  'under-min-isr-partitions',
  'at-min-isr-partitions',
  'unavailable-partitions',
] as const;

const specs: OptionSpec[] = [
  {
    name: 'bootstrap-server',
    description: 'REQUIRED: The Kafka server to connect to.',
    arg: 'required',
    argName: 'server to connect to',
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

/** Kafka's `TopicCommand.parseReplicaAssignment`: `0:1,1:2` → partition → broker IDs. */
export function parseReplicaAssignment(text: string): Map<number, number[]> {
  const out = new Map<number, number[]>();
  text.split(',').forEach((partition, i) => {
    const brokers = partition.split(':').map((s) => {
      const n = Number(s.trim());
      if (s.trim() === '' || !Number.isInteger(n)) throw new UsageError(`For input string: "${s.trim()}"`);
      return n;
    });
    const duplicates = brokers.filter((b, j) => brokers.indexOf(b) !== j);
    if (duplicates.length > 0) {
      throw new UsageError(
        `Partition replica lists may not contain duplicate entries: ${[...new Set(duplicates)].join(',')}`,
      );
    }
    out.set(i, brokers);
    if (brokers.length !== (out.get(0) as number[]).length) {
      throw new UsageError(`Partition ${i} has different replication factor: [${brokers.join(', ')}]`);
    }
  });
  return out;
}

/** Kafka's `--config k=v` parsing (split at `=` with surrounding spaces trimmed). */
export function parseTopicConfigs(values: readonly string[]): Record<string, string> {
  const out: Record<string, string> = {};
  for (const value of values) {
    const parts = value.split(/\s*=\s*/);
    if (parts.length !== 2) {
      throw new UsageError(
        'requirement failed: Invalid topic config: all configs to be added must be in the format "key=val".',
      );
    }
    out[(parts[0] as string).trim()] = (parts[1] as string).trim();
  }
  return out;
}

/**
 * Kafka's `IncludeList`: the `--topic` argument is a Java regex that must match the whole name;
 * commas separate alternatives and surrounding quotes are dropped.
 */
export function topicFilter(expression: string): (topic: string) => boolean {
  const source = expression
    .trim()
    .replace(/^["']|["']$/g, '')
    .replace(/,/g, '|');
  let pattern: RegExp;
  try {
    pattern = new RegExp(`^(?:${source})$`);
  } catch {
    throw new UsageError(`Illegal regular expression in --topic: ${expression}`);
  }
  return (topic) => pattern.test(topic);
}

const INTERNAL_TOPICS = new Set(['__consumer_offsets', '__transaction_state', '__share_group_state']);

/** The partition line of `--describe`, Kafka 4's layout (ELR columns are N/A: Samsa has no ELR). */
export function formatPartitionLine(topic: string, p: PartitionDescription): string {
  return (
    `\tTopic: ${topic}\tPartition: ${p.partition}\tLeader: ${p.leader >= 0 ? p.leader : 'none'}` +
    `\tReplicas: ${p.replicas.join(',')}\tIsr: ${p.isr.join(',')}\tElr: N/A\tLastKnownElr: N/A`
  );
}

/** The header line of `--describe`. */
export function formatTopicLine(
  topic: string,
  topicId: string,
  partitionCount: number,
  replicationFactor: number,
  configs: string,
): string {
  const id = topicId === 'AAAAAAAAAAAAAAAAAAAAAA' ? '' : `\tTopicId: ${topicId}`;
  return `Topic: ${topic}${id}\tPartitionCount: ${partitionCount}\tReplicationFactor: ${replicationFactor}\tConfigs: ${configs}`;
}

function checkArgs(options: ParsedOptions): void {
  const actions = ACTIONS.filter((a) => options.has(a));
  if (actions.length !== 1) {
    throw new UsageError('Command must include exactly one action: --list, --describe, --create, --alter or --delete');
  }
  if (!options.has('bootstrap-server')) throw new UsageError('--bootstrap-server must be specified');
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

async function getTopics(admin: Admin, topic: string | undefined, excludeInternal: boolean): Promise<string[]> {
  const all = await admin.listTopics({ listInternal: !excludeInternal });
  const matches = topic === undefined ? () => true : topicFilter(topic);
  return all.filter((t) => matches(t) && !(excludeInternal && INTERNAL_TOPICS.has(t))).sort();
}

function ensureTopicExists(found: readonly string[], requested: string | undefined, required: boolean): void {
  if (requested !== undefined && requested !== '' && required && found.length === 0) {
    throw new KafkaError(ErrorCode.UNKNOWN_TOPIC_OR_PARTITION, `Topic '${requested}' does not exist as expected`);
  }
}

async function createTopic(admin: Admin, options: ParsedOptions, io: CommandIo): Promise<void> {
  const name = options.value('topic') as string;
  const partitions = options.number('partitions');
  const replicationFactor = options.number('replication-factor');
  const assignment = options.has('replica-assignment')
    ? parseReplicaAssignment(options.value('replica-assignment') as string)
    : undefined;
  const configs = parseTopicConfigs(options.values('config'));
  if (name.includes('.') || name.includes('_')) {
    io.stdout.write(
      "WARNING: Due to limitations in metric names, topics with a period ('.') or underscore ('_') could collide. To avoid issues it is best to use either, but not both.\n",
    );
  }
  if (replicationFactor !== undefined && (replicationFactor > 32767 || replicationFactor < 1)) {
    throw new UsageError('The replication factor must be between 1 and 32767 inclusive');
  }
  if (partitions !== undefined && partitions < 1) throw new UsageError('The partitions must be greater than 0');
  try {
    await admin.createTopics([
      {
        name,
        ...(partitions === undefined ? {} : { numPartitions: partitions }),
        ...(replicationFactor === undefined ? {} : { replicationFactor }),
        ...(assignment === undefined ? {} : { assignments: Object.fromEntries(assignment) }),
        configs,
      },
    ]);
    io.stdout.write(`Created topic ${name}.\n`);
  } catch (error) {
    if (
      error instanceof KafkaError &&
      error.errorCode === ErrorCode.TOPIC_ALREADY_EXISTS &&
      options.has('if-not-exists')
    )
      return;
    throw error;
  }
}

async function alterTopic(admin: Admin, options: ParsedOptions): Promise<void> {
  const topics = await getTopics(admin, options.value('topic'), options.has('exclude-internal'));
  ensureTopicExists(topics, options.value('topic'), !options.has('if-exists'));
  if (topics.length === 0) return;
  const totalCount = options.number('partitions') as number;
  const assignment = options.has('replica-assignment')
    ? parseReplicaAssignment(options.value('replica-assignment') as string)
    : undefined;
  const descriptions = assignment === undefined ? [] : await admin.describeTopics(topics);
  await admin.createPartitions(
    topics.map((topic) => {
      if (assignment === undefined) return { topic, totalCount };
      const existing = descriptions.find((d) => d.name === topic)?.partitions.length ?? 0;
      const added = [...assignment.entries()].filter(([p]) => p >= existing).map(([, brokers]) => brokers);
      return { topic, totalCount, assignments: added };
    }),
  );
}

async function describeTopics(admin: Admin, options: ParsedOptions, io: CommandIo): Promise<void> {
  const excludeInternal = options.has('exclude-internal');
  let topics: string[];
  const topicId = options.value('topic-id');
  if (topicId !== undefined && topicId !== 'AAAAAAAAAAAAAAAAAAAAAA') {
    const all = await admin.describeTopics(await admin.listTopics({ listInternal: !excludeInternal }));
    topics = all.filter((t) => t.topicId === topicId).map((t) => t.name);
    if (topics.length === 0 && !options.has('if-exists')) {
      throw new KafkaError(ErrorCode.UNKNOWN_TOPIC_ID, `TopicId '${topicId}' does not exist as expected`);
    }
  } else {
    topics = await getTopics(admin, options.value('topic'), excludeInternal);
    ensureTopicExists(topics, options.value('topic'), !options.has('if-exists'));
  }
  if (topics.length === 0) return;
  const descriptions = await admin.describeTopics(topics);
  const configs = await admin.describeConfigs(topics.map((name) => ({ type: 'topic' as const, name })));
  const liveBrokers = new Set((await admin.describeCluster()).brokers.map((b) => b.nodeId));
  const reportOverrides = options.has('topics-with-overrides');
  const filters = REPORT_FILTERS.filter((f) => options.has(f));
  const describeConfigs = filters.length === 0;
  const lines: string[] = [];
  for (const td of descriptions.sort((a, b) => (a.name < b.name ? -1 : 1))) {
    const entries = configs.find((c) => c.name === td.name)?.configs ?? [];
    const nonDefault = entries.filter((e) => !e.isDefault);
    const minIsr = Number(entries.find((e) => e.name === 'min.insync.replicas')?.value ?? '1');
    const partitions = [...td.partitions].sort((a, b) => a.partition - b.partition);
    if (describeConfigs && (!reportOverrides || nonDefault.length > 0)) {
      const rf = partitions[0]?.replicas.length ?? 0;
      const configText = nonDefault.map((e) => `${e.name}=${e.value ?? 'null'}`).join(',');
      lines.push(formatTopicLine(td.name, td.topicId, partitions.length, rf, configText));
    }
    if (reportOverrides) continue;
    for (const p of partitions) {
      const hasLeader = p.leader >= 0;
      const show =
        describeConfigs ||
        (options.has('under-replicated-partitions') && p.replicas.length - p.isr.length > 0) ||
        (options.has('unavailable-partitions') && (!hasLeader || !liveBrokers.has(p.leader))) ||
        (options.has('under-min-isr-partitions') && (!hasLeader || p.isr.length < minIsr)) ||
        (options.has('at-min-isr-partitions') && p.isr.length === minIsr);
      if (show) lines.push(formatPartitionLine(td.name, p));
    }
  }
  if (lines.length > 0) io.stdout.write(`${lines.join('\n')}\n`);
}

async function deleteTopics(admin: Admin, options: ParsedOptions): Promise<void> {
  const topics = await getTopics(admin, options.value('topic'), options.has('exclude-internal'));
  ensureTopicExists(topics, options.value('topic'), !options.has('if-exists'));
  if (topics.length > 0) await admin.deleteTopics(topics);
}

/** `kafka-topics.sh`: create, list, describe, alter (partitions) and delete topics. */
export const topicsTool: Tool = {
  name: 'topics',
  script: 'kafka-topics.sh',
  purpose: 'This tool helps to create, delete, describe, or change a topic.',
  specs,
  errorPrefix: 'Error while executing topic command : ',
  async run(options, io) {
    checkArgs(options);
    const admin = await connectAdmin(options.value('bootstrap-server'), options.value('command-config'), io);
    try {
      if (options.has('create')) await createTopic(admin, options, io);
      else if (options.has('alter')) await alterTopic(admin, options);
      else if (options.has('list')) {
        const topics = await getTopics(admin, options.value('topic'), options.has('exclude-internal'));
        io.stdout.write(`${topics.join('\n')}\n`);
      } else if (options.has('describe')) await describeTopics(admin, options, io);
      else await deleteTopics(admin, options);
      return 0;
    } finally {
      await admin.close();
    }
  },
};
