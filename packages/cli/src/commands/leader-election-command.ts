import type { ElectionTypeName, TopicPartition } from '@samsa/client';
import type { OptionSpec, ParsedOptions } from '../options/option-parser.js';
import { connectAdmin } from '../support/admin-client.js';
import { CommandError, UsageError } from '../support/command-errors.js';
import { readElectionPartitions } from '../support/election-partitions-file.js';
import { javaThrowableText } from '../support/java-exception.js';
import { electLeaders, partitionNames } from '../support/leader-elections.js';
import { aliased, type Tool } from '../support/tool.js';

const specs: OptionSpec[] = [
  {
    name: 'bootstrap-server',
    description:
      'A hostname and port for the broker to connect to, in the form host:port. Multiple comma separated URLs can be given. REQUIRED.',
    arg: 'required',
    argName: 'host:port',
  },
  {
    name: 'admin.config',
    description:
      '(DEPRECATED) Configuration properties files to pass to the admin client. This option will be removed in a future version. Use --command-config instead.',
    arg: 'required',
    argName: 'config file',
  },
  {
    name: 'command-config',
    description: 'Config properties file to pass to the admin client.',
    arg: 'required',
    argName: 'Config file',
  },
  {
    name: 'path-to-json-file',
    description:
      'The JSON file with the list  of partition for which leader elections should be performed. This is an example format. \n{"partitions":\n\t[{"topic": "foo", "partition": 1},\n\t {"topic": "foobar", "partition": 2}]\n}\nNot allowed if --all-topic-partitions or --topic flags are specified.',
    arg: 'required',
    argName: 'Path to JSON file',
  },
  {
    name: 'topic',
    description:
      'Name of topic for which to perform an election. Not allowed if --path-to-json-file or --all-topic-partitions is specified.',
    arg: 'required',
    argName: 'topic name',
  },
  {
    name: 'partition',
    description: 'Partition id for which to perform an election. REQUIRED if --topic is specified.',
    arg: 'required',
    argName: 'partition id',
    argType: 'Integer',
  },
  {
    name: 'all-topic-partitions',
    description:
      'Perform election on all of the eligible topic partitions based on the type of election (see the --election-type flag). Not allowed if --topic or --path-to-json-file is specified.',
  },
  {
    name: 'election-type',
    description:
      'Type of election to attempt. Possible values are "preferred" for preferred leader election or "unclean" for unclean leader election. If preferred election is selection, the election is only performed if the current leader is not the preferred leader for the topic partition. If unclean election is selected, the election is only performed if there are no leader for the topic partition. REQUIRED.',
    arg: 'required',
    argName: 'election type',
  },
];

const TARGETS = ['topic', 'all-topic-partitions', 'path-to-json-file'] as const;

/** joptsimple's EnumConverter: the enum constant's name, in any case. */
function electionTypeOf(options: ParsedOptions): ElectionTypeName {
  const raw = options.value('election-type') as string;
  const upper = raw.toUpperCase();
  if (upper !== 'PREFERRED' && upper !== 'UNCLEAN') {
    throw new UsageError(`Cannot parse argument '${raw}' of option election-type`);
  }
  return upper;
}

/** Kafka's LeaderElectionCommandOptions.validate. */
function validate(options: ParsedOptions): void {
  const missing = ['bootstrap-server', 'election-type'].filter((o) => !options.has(o));
  if (missing.length > 0) throw new UsageError(`Missing required option(s): ${missing.join(', ')}`);
  if (TARGETS.filter((t) => options.has(t)).length !== 1) {
    throw new UsageError(`One and only one of the following options is required: ${TARGETS.join(', ')}`);
  }
  if (options.has('topic') && !options.has('partition')) throw new UsageError('Missing required option(s): partition');
  if (!options.has('topic') && options.has('partition')) {
    throw new UsageError('Option partition is only allowed if topic is used');
  }
}

/**
 * `kafka-leader-election.sh`: preferred or unclean leader elections through the controller, for
 * one partition, the partitions of a JSON file, or all. Exit status 1 when any partition could not
 * get its leader (ELECTION_NOT_NEEDED is not a failure).
 */
export const leaderElectionTool: Tool = {
  name: 'leader-election',
  script: 'kafka-leader-election.sh',
  purpose:
    'This tool attempts to elect a new leader for a set of topic partitions. The type of elections supported are preferred replicas and unclean replicas.',
  specs,
  // Kafka 4.2 (KIP-1147) renamed --admin.config; its warning goes to stdout, printed in run.
  aliases: [{ old: 'admin.config', current: 'command-config' }],
  async run(options, io) {
    validate(options);
    const electionType = electionTypeOf(options);
    const partitions: TopicPartition[] | null = options.has('path-to-json-file')
      ? readElectionPartitions(options.value('path-to-json-file') as string, 'Replica election data')
      : options.has('topic')
        ? [{ topic: options.value('topic') as string, partition: options.number('partition') as number }]
        : null;
    if (options.has('admin.config')) {
      io.stdout.write(
        'Option --admin.config has been deprecated and will be removed in a future version. Use --command-config instead.\n',
      );
    }
    const admin = await connectAdmin(
      options.value('bootstrap-server'),
      aliased(options, 'command-config', 'admin.config'),
      io,
    );
    try {
      const { succeeded, noop, failed } = await electLeaders(admin, electionType, partitions, io);
      if (succeeded.length > 0) {
        io.stdout.write(
          `Successfully completed leader election (${electionType}) for partitions ${partitionNames(succeeded)}\n`,
        );
      }
      if (noop.length > 0) io.stdout.write(`Valid replica already elected for partitions ${partitionNames(noop)}\n`);
      for (const f of failed) {
        io.stdout.write(
          `Error completing leader election (${electionType}) for partition: ${f.topic}-${f.partition}: ${javaThrowableText(f.error)}\n`,
        );
      }
      if (failed.length > 0) throw new CommandError(`${failed.length} replica(s) could not be elected`);
      return 0;
    } finally {
      await admin.close();
    }
  },
};
