import {
  type Admin,
  KafkaError,
  type ListedOffset,
  type OffsetQuery,
  OffsetSpec,
  type TopicPartition,
} from '@samsa/client';
import type { OptionSpec, ParsedOptions } from '../options/option-parser.js';
import { connectAdmin } from '../support/admin-client.js';
import { UsageError } from '../support/command-errors.js';
import type { CommandIo } from '../support/command-io.js';
import { errorLine } from '../support/error-report.js';
import { javaThrowableText } from '../support/java-exception.js';
import { aliased, type Tool } from '../support/tool.js';
import {
  parseTopicPartitionRules,
  TOPIC_PARTITION_PATTERN,
  type TopicPartitionFilter,
  topicAndPartitionsFilter,
} from '../support/topic-partition-filter.js';

const SERVERS = 'The server(s) to connect to in the form HOST1:PORT1,HOST2:PORT2.';

const specs: OptionSpec[] = [
  {
    name: 'bootstrap-server',
    description: `REQUIRED. ${SERVERS}`,
    arg: 'required',
    argName: 'HOST1:PORT1,...,HOST3:PORT3',
  },
  {
    name: 'broker-list',
    description: `DEPRECATED, use --bootstrap-server instead; ignored if --bootstrap-server is specified. ${SERVERS}`,
    arg: 'required',
    argName: 'HOST1:PORT1,...,HOST3:PORT3',
  },
  {
    name: 'topic-partitions',
    description: `Comma separated list of topic-partition patterns to get the offsets for, with the format of '${TOPIC_PARTITION_PATTERN}'. The first group is an optional regex for the topic name, if omitted, it matches any topic name. The section after ':' describes a 'partition' pattern, which can be: a number, a range in the format of 'NUMBER-NUMBER' (lower inclusive, upper exclusive), an inclusive lower bound in the format of 'NUMBER-', an exclusive upper bound in the format of '-NUMBER' or may be omitted to accept all partitions.`,
    arg: 'required',
    argName: 'topic1:1,topic2:0-3,topic3,topic4:5-,topic5:-3',
  },
  {
    name: 'topic',
    description:
      'The topic to get the offsets for. It also accepts a regular expression. If not present, all authorized topics are queried. Cannot be used if --topic-partitions is present.',
    arg: 'required',
    argName: 'topic',
  },
  {
    name: 'partitions',
    description:
      'Comma separated list of partition ids to get the offsets for. If not present, all partitions of the authorized topics are queried. Cannot be used if --topic-partitions is present.',
    arg: 'required',
    argName: 'partition ids',
  },
  {
    name: 'time',
    description:
      'timestamp of the offsets before that. [Note: No offset is returned, if the timestamp greater than recently committed record timestamp is given.]',
    arg: 'required',
    argName:
      '<timestamp> / -1 or latest / -2 or earliest / -3 or max-timestamp / -4 or earliest-local / -5 or latest-tiered',
    defaultValue: 'latest',
  },
  {
    name: 'command-config',
    description: 'Property file containing configs to be passed to Admin Client.',
    arg: 'required',
    argName: 'config file',
  },
  // Kafka 2.x's flags, still in tutorials' command lines; Kafka ignored them already.
  {
    name: 'offsets',
    description: 'DEPRECATED AND IGNORED: Always one offset is returned for each partition. Number of offsets returned',
    arg: 'required',
    argName: 'count',
    argType: 'Integer',
  },
  {
    name: 'max-wait-ms',
    description: 'DEPRECATED AND IGNORED: The max amount of time each fetch request waits.',
    arg: 'required',
    argName: 'ms',
    argType: 'Integer',
  },
  {
    name: 'exclude-internal-topics',
    description: 'By default, internal topics are included. If specified, internal topics are excluded.',
  },
];

/** ListOffsets' special timestamps by their GetOffsetShell names (-4 and -5 are for tiered storage). */
const NAMED: Readonly<Record<string, bigint>> = {
  latest: OffsetSpec.LATEST,
  earliest: OffsetSpec.EARLIEST,
  'max-timestamp': OffsetSpec.MAX_TIMESTAMP,
  'earliest-local': -4n,
  'latest-tiered': -5n,
};

/** `--time`: a name, one of the special values -1 to -5, or a timestamp in ms. */
export function parseOffsetSpec(text: string): bigint {
  const named = NAMED[text];
  if (named !== undefined) return named;
  const value = /^[-+]?\d+$/.test(text) ? BigInt(text) : undefined;
  if (value === undefined || value < -5n || value >= 2n ** 63n) {
    throw new Error(
      `Malformed time argument ${text}. Please use -1 or latest / -2 or earliest / -3 or max-timestamp / -4 or earliest-local / -5 or latest-tiered, or a specified long format timestamp`,
    );
  }
  return value;
}

function filterOf(options: ParsedOptions): TopicPartitionFilter {
  const spec = options.value('topic-partitions');
  if (spec !== undefined) {
    if (options.has('topic') || options.has('partitions')) {
      throw new Error('--topic-partitions cannot be used with --topic or --partitions');
    }
    return parseTopicPartitionRules(spec);
  }
  return topicAndPartitionsFilter(options.value('topic'), options.value('partitions'));
}

async function matchingPartitions(
  admin: Admin,
  filter: TopicPartitionFilter,
  excludeInternal: boolean,
): Promise<TopicPartition[]> {
  const topics = (await admin.listTopics({ listInternal: !excludeInternal })).filter((t) => filter.isTopicAllowed(t));
  if (topics.length === 0) return [];
  return (await admin.describeTopics(topics)).flatMap((t) =>
    t.partitions
      .map((p) => ({ topic: t.name, partition: p.partition }))
      .filter((tp) => filter.isTopicPartitionAllowed(tp.topic, tp.partition)),
  );
}

/**
 * The offsets of every partition; when the batch fails, each partition is asked alone so that the
 * ones that fail are skipped with Kafka's message and the others still print.
 */
async function listEach(admin: Admin, queries: readonly OffsetQuery[], io: CommandIo): Promise<ListedOffset[]> {
  try {
    return await admin.listOffsets(queries);
  } catch (error) {
    if (!(error instanceof KafkaError) || queries.length === 1) throw error;
  }
  const out: ListedOffset[] = [];
  for (const query of queries) {
    try {
      out.push(...(await admin.listOffsets([query])));
    } catch (error) {
      const text = error instanceof KafkaError ? javaThrowableText(error) : errorLine(error);
      io.stderr.write(
        `Skip getting offsets for topic-partition ${query.topic}-${query.partition} due to error: ${text}\n`,
      );
    }
  }
  return out;
}

/**
 * Failures print as Kafka's TerseExceptions do, after "Error occurred: " (plain Errors here get the
 * tool's prefix).
 *
 * `kafka-get-offsets.sh` (Kafka's GetOffsetShell, also run as `kafka-run-class.sh
 * kafka.tools.GetOffsetShell --broker-list ...`): `topic:partition:offset` for every partition
 * matched, in the order of Kafka's TreeMap (by `topic-partition` as text). Partitions without an
 * offset for the time asked (a timestamp after the last record) print nothing.
 */
export const getOffsetsTool: Tool = {
  name: 'get-offsets',
  script: 'kafka-get-offsets.sh',
  purpose: 'An interactive shell for getting topic-partition offsets.',
  specs,
  aliases: [{ old: 'broker-list', current: 'bootstrap-server', allowBoth: true }],
  errorPrefix: 'Error occurred: ',
  async run(options, io) {
    const servers = aliased(options, 'bootstrap-server', 'broker-list');
    if (servers === undefined) throw new UsageError('Missing required argument "[bootstrap-server]"');
    const filter = filterOf(options);
    const timestamp = parseOffsetSpec(options.value('time') as string);
    const admin = await connectAdmin(servers, options.value('command-config'), io);
    try {
      const partitions = await matchingPartitions(admin, filter, options.has('exclude-internal-topics'));
      if (partitions.length === 0) {
        throw new Error('Could not match any topic-partitions with the specified filters');
      }
      const listed = await listEach(
        admin,
        partitions.map((p) => ({ ...p, timestamp })),
        io,
      );
      const lines = listed
        .filter((l) => l.offset !== -1n)
        .map((l) => ({ key: `${l.topic}-${l.partition}`, line: `${l.topic}:${l.partition}:${l.offset}` }))
        .sort((a, b) => (a.key < b.key ? -1 : a.key > b.key ? 1 : 0));
      io.stdout.write(lines.map((l) => `${l.line}\n`).join(''));
      return 0;
    } finally {
      await admin.close();
    }
  },
};
