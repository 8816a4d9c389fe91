import { AdminZkClient, isZkError, type KafkaZkClient, ZkCode, ZkData } from '@samsa/broker';
import { compareTopicPartitions, type TopicPartition } from '@samsa/client';
import type { OptionSpec, ParsedOptions } from '../options/option-parser.js';
import { connectAdmin } from '../support/admin-client.js';
import { CommandError, UsageError } from '../support/command-errors.js';
import type { CommandIo } from '../support/command-io.js';
import { readElectionPartitions } from '../support/election-partitions-file.js';
import { errorLine } from '../support/error-report.js';
import { javaThrowableText } from '../support/java-exception.js';
import { electLeaders, partitionNames } from '../support/leader-elections.js';
import { checkInvalidArgs, type Tool } from '../support/tool.js';
import { connectZooKeeper } from '../support/zookeeper-connection.js';

const specs: OptionSpec[] = [
  {
    name: 'path-to-json-file',
    description:
      'The JSON file with the list of partitions for which preferred replica leader election should be done, in the following format - \n{"partitions":\n\t[{"topic": "foo", "partition": 1},\n\t {"topic": "foobar", "partition": 2}]\n}\nDefaults to all existing partitions',
    arg: 'required',
    argName: 'list of partitions for which preferred replica leader election needs to be triggered',
  },
  {
    name: 'zookeeper',
    description:
      'DEPRECATED. The connection string for the zookeeper connection in the form host:port. Multiple URLS can be given to allow fail-over. Replaced by --bootstrap-server, REQUIRED unless --bootstrap-server is given.',
    arg: 'required',
    argName: 'urls',
  },
  {
    name: 'bootstrap-server',
    description:
      'A hostname and port for the broker to connect to, in the form host:port. Multiple comma-separated URLs can be given. REQUIRED unless --zookeeper is given.',
    arg: 'required',
    argName: 'host:port',
  },
  {
    name: 'admin.config',
    description: 'Admin client config properties file to pass to the admin client when --bootstrap-server is given.',
    arg: 'required',
    argName: 'config file',
  },
];

const LABEL = 'Preferred replica election data';

/** `t-0,t-1`, Scala's `mkString(",")` of TopicPartitions. */
const joined = (partitions: readonly TopicPartition[]) => partitions.map((p) => `${p.topic}-${p.partition}`).join(',');

/**
 * `--zookeeper`, as Kafka ≤ 2.x: the partitions (all partitions of all topics without a file) are
 * written to `/admin/preferred_replica_election`, which the controller watches; it moves each
 * partition's leadership to its preferred replica and deletes the znode when done. A znode
 * already there means an election is in progress, and the tool stops.
 */
async function electThroughZooKeeper(zk: KafkaZkClient, requested: TopicPartition[] | null, io: CommandIo) {
  const admin = new AdminZkClient(zk);
  const existing: TopicPartition[] = [];
  const topics = requested === null ? await admin.topicNames() : [...new Set(requested.map((p) => p.topic))];
  for (const topic of topics) {
    const found = await admin.topicAssignment(topic);
    for (const partition of found?.assignment.partitions.keys() ?? []) existing.push({ topic, partition });
  }
  const isKnown = (p: TopicPartition) => existing.some((e) => e.topic === p.topic && e.partition === p.partition);
  const valid = (requested ?? existing).filter(isKnown).sort(compareTopicPartitions);
  const invalid = (requested ?? []).filter((p) => !isKnown(p)).sort(compareTopicPartitions);
  const path = ZkData.PreferredReplicaElectionZNode.path;
  try {
    await zk.createRecursive(ZkData.AdminZNode.path);
    await zk.create(path, ZkData.PreferredReplicaElectionZNode.encode(valid), 'persistent');
  } catch (error) {
    if (!isZkError(error, ZkCode.NODE_EXISTS)) throw new CommandError(`Admin command failed: ${errorLine(error)}`);
    const current = await zk.getData(path);
    const inProgress = current === undefined ? [] : ZkData.PreferredReplicaElectionZNode.decode(current.data);
    throw new CommandError(
      `Admin command failed: Preferred replica leader election currently in progress for ${joined(inProgress)}. Aborting operation`,
    );
  }
  io.stdout.write(`Created preferred replica election path with ${joined(valid)}\n`);
  io.stdout.write(`Successfully started preferred replica election for partitions Set(${partitionNames(valid)})\n`);
  for (const p of invalid) {
    io.stdout.write(
      `Skipping preferred replica leader election for partition ${p.topic}-${p.partition} since it doesn't exist.\n`,
    );
  }
}

/** `--bootstrap-server`, as Kafka 2.4+: ElectLeaders (PREFERRED) through the controller. */
async function electThroughBroker(options: ParsedOptions, requested: TopicPartition[] | null, io: CommandIo) {
  const admin = await connectAdmin(options.value('bootstrap-server'), options.value('admin.config'), io);
  try {
    const { succeeded, noop, failed } = await electLeaders(admin, 'PREFERRED', requested, io);
    if (succeeded.length > 0) {
      io.stdout.write(`Successfully completed preferred leader election for partitions ${partitionNames(succeeded)}\n`);
    }
    if (noop.length > 0) io.stdout.write(`Preferred replica already elected for partitions ${partitionNames(noop)}\n`);
    for (const f of failed) {
      io.stdout.write(
        `Error completing preferred leader election for partition: ${f.topic}-${f.partition}: ${javaThrowableText(f.error)}\n`,
      );
    }
    if (failed.length > 0) throw new CommandError(`${failed.length} preferred replica(s) could not be elected`);
  } finally {
    await admin.close();
  }
}

/**
 * `kafka-preferred-replica-election.sh`, the tool of Kafka 0.8 to 2.8 (kafka-leader-election
 * replaced it): moves leadership back to each partition's preferred replica, through a broker or
 * by writing ZooKeeper.
 */
export const preferredReplicaElectionTool: Tool = {
  name: 'preferred-replica-election',
  script: 'kafka-preferred-replica-election.sh',
  purpose:
    "This tool helps to causes leadership for each partition to be transferred back to the 'preferred replica', it can be used to balance leadership among the servers.",
  specs,
  async run(options, io) {
    io.stdout.write('This tool is deprecated. Please use kafka-leader-election tool. Tracking issue: KAFKA-8405\n');
    if (options.has('bootstrap-server') === options.has('zookeeper')) {
      throw new UsageError("Exactly one of '[bootstrap-server]' or '[zookeeper]' must be provided");
    }
    checkInvalidArgs(options, 'admin.config', ['zookeeper']);
    const file = options.value('path-to-json-file');
    const requested = file === undefined ? null : readElectionPartitions(file, LABEL);
    if (!options.has('zookeeper')) {
      await electThroughBroker(options, requested, io);
      return 0;
    }
    io.stdout.write('Warning: --zookeeper is deprecated and will be removed in a future version of Kafka.\n');
    io.stdout.write('Use --bootstrap-server instead to specify a broker to connect to.\n');
    const zk = await connectZooKeeper(options.value('zookeeper'), io.env);
    try {
      await electThroughZooKeeper(zk, requested, io);
      return 0;
    } finally {
      zk.close();
    }
  },
};
