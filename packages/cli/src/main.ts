import { runDistributed, runStandalone } from '@samsa/connect';
import { runConsole } from '@samsa/console';
import { aclsTool } from './commands/acls/acls-command.js';
import { brokerApiVersionsTool } from './commands/broker-api-versions-command.js';
import { configsTool } from './commands/configs-command.js';
import { consoleConsumerTool } from './commands/console-consumer-command.js';
import { consoleProducerTool } from './commands/console-producer-command.js';
import { consumerGroupsTool } from './commands/consumer-groups/consumer-groups-command.js';
import { consumerPerfTestTool } from './commands/consumer-perf-test-command.js';
import { deleteRecordsTool } from './commands/delete-records-command.js';
import { dumpLogTool } from './commands/dump-log-command.js';
import { getOffsetsTool } from './commands/get-offsets-command.js';
import { leaderElectionTool } from './commands/leader-election-command.js';
import { logDirsTool } from './commands/log-dirs-command.js';
import { preferredReplicaElectionTool } from './commands/preferred-replica-election-command.js';
import { producerPerfTestTool } from './commands/producer-perf-test-command.js';
import { reassignPartitionsTool } from './commands/reassign-partitions/reassign-partitions-command.js';
import { runServer } from './commands/server-command.js';
import { topicsTool } from './commands/topics/topics-command.js';
import { transactionsTool } from './commands/transactions/transactions-command.js';
import { verifiableConsumerTool } from './commands/verifiable-consumer-command.js';
import { verifiableProducerTool } from './commands/verifiable-producer-command.js';
import { runZooKeeper } from './commands/zookeeper-command.js';
import type { CommandIo } from './support/command-io.js';
import { runTool, SAMSA_VERSION, type Tool } from './support/tool.js';

/** Every Kafka tool `samsa` provides, by subcommand name. */
export const TOOLS: readonly Tool[] = [
  topicsTool,
  consoleProducerTool,
  consoleConsumerTool,
  consumerGroupsTool,
  configsTool,
  producerPerfTestTool,
  consumerPerfTestTool,
  dumpLogTool,
  brokerApiVersionsTool,
  logDirsTool,
  deleteRecordsTool,
  getOffsetsTool,
  leaderElectionTool,
  preferredReplicaElectionTool,
  reassignPartitionsTool,
  transactionsTool,
  aclsTool,
  verifiableProducerTool,
  verifiableConsumerTool,
];

/** The `bin/kafka-*.sh` script names and the subcommand each forwards to. */
export function toolByScript(script: string): Tool | undefined {
  return TOOLS.find((t) => t.script === script);
}

function usage(): string {
  const width = Math.max(...TOOLS.map((t) => t.name.length), 'connect-distributed'.length) + 2;
  const rows = [
    `  ${'server'.padEnd(width)}start or stop a broker (kafka-server-start.sh, kafka-server-stop.sh)`,
    `  ${'console'.padEnd(width)}serve the web console for a cluster (samsa-console.sh)`,
    `  ${'connect-standalone'.padEnd(width)}run a standalone Kafka Connect worker (connect-standalone.sh)`,
    `  ${'connect-distributed'.padEnd(width)}run a worker of a Kafka Connect cluster (connect-distributed.sh)`,
    `  ${'zookeeper'.padEnd(width)}start, stop or query ZooKeeper (zookeeper-server-start.sh, zookeeper-server-stop.sh, zookeeper-shell.sh)`,
    ...TOOLS.map((t) => `  ${t.name.padEnd(width)}${t.purpose} (${t.script})`),
  ];
  return [
    'Usage: samsa <command> [options]',
    '',
    "Kafka's command-line tools for Samsa, with Kafka's flags and output.",
    '',
    'Commands:',
    ...rows,
    '',
    "Run 'samsa <command> --help' for a command's options.",
    '',
  ].join('\n');
}

/** Runs `samsa <command> ...` and resolves with the exit status. */
export async function main(argv: readonly string[], io: CommandIo): Promise<number> {
  const [command, ...rest] = argv;
  if (command === undefined) {
    io.stderr.write(usage());
    return 1;
  }
  if (command === '--help' || command === '-h' || command === 'help') {
    io.stdout.write(usage());
    return 0;
  }
  if (command === '--version' || command === '-v') {
    io.stdout.write(`${SAMSA_VERSION}\n`);
    return 0;
  }
  if (command === 'server') return runServer(rest, io);
  if (command === 'zookeeper') return runZooKeeper(rest, io);
  if (command === 'console') return runConsole(rest, io);
  if (command === 'connect-standalone' || command === 'connect-standalone.sh') return runStandalone(rest, io.signal);
  if (command === 'connect-distributed' || command === 'connect-distributed.sh') return runDistributed(rest, io.signal);
  const tool = TOOLS.find((t) => t.name === command) ?? toolByScript(command);
  if (tool === undefined) {
    io.stderr.write(`Unknown command '${command}'. Run 'samsa --help' for the list of commands.\n`);
    return 1;
  }
  return runTool(tool, rest, io);
}
