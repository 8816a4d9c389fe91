import { ErrorCode, type LogDirDescription } from '@samsa/client';
import { errorByCode } from '@samsa/protocol';
import type { OptionSpec, ParsedOptions } from '../options/option-parser.js';
import { connectAdmin } from '../support/admin-client.js';
import { CommandError, UsageError } from '../support/command-errors.js';
import { javaExceptionClass } from '../support/java-exception.js';
import { requireOption, type Tool } from '../support/tool.js';

const specs: OptionSpec[] = [
  {
    name: 'bootstrap-server',
    description: 'REQUIRED: the server(s) to use for bootstrapping',
    arg: 'required',
    argName: 'The server(s) to use for bootstrapping',
  },
  {
    name: 'command-config',
    description: 'Property file containing configs to be passed to Admin Client.',
    arg: 'required',
    argName: 'Admin client property file',
  },
  { name: 'describe', description: 'Describe the specified log directories on the specified brokers.' },
  {
    name: 'topic-list',
    description:
      'The list of topics to be queried in the form "topic1,topic2,topic3". All topics will be queried if no topic list is specified',
    arg: 'required',
    argName: 'Topic list',
    defaultValue: '',
  },
  {
    name: 'broker-list',
    description:
      'The list of brokers to be queried in the form "0,1,2". All brokers in the cluster will be queried if no broker list is specified',
    arg: 'required',
    argName: 'Broker list',
    defaultValue: '',
  },
];

function splitList(options: ParsedOptions, name: string): string[] {
  return (options.value(name) ?? '').split(',').filter((s) => s !== '');
}

/** `--broker-list` as Java's Integer.valueOf reads each entry. */
function brokerList(options: ParsedOptions): number[] {
  return splitList(options, 'broker-list').map((s) => {
    if (!/^[-+]?\d+$/.test(s) || Math.abs(Number(s)) >= 2 ** 31) throw new UsageError(`For input string: "${s}"`);
    return Number(s);
  });
}

/**
 * The JSON line of `kafka-log-dirs.sh --describe`, keys in the order Kafka's Scala tool wrote
 * them (Kafka 1.1 to 3.4): version, then per broker its log dirs, each with its error (Java's
 * exception class, or null) and the partitions of the topics asked for (all without
 * `--topic-list`), sorted by topic and partition.
 */
export function logDirsJson(
  byBroker: ReadonlyMap<number, readonly LogDirDescription[]>,
  topics: ReadonlySet<string>,
): string {
  return JSON.stringify({
    version: 1,
    brokers: [...byBroker].map(([broker, logDirs]) => ({
      broker,
      logDirs: logDirs.map((d) => ({
        logDir: d.logDir,
        error: d.errorCode === ErrorCode.NONE ? null : javaExceptionClass(errorByCode(d.errorCode).name),
        partitions: d.partitions
          .filter((p) => topics.size === 0 || topics.has(p.topic))
          .sort((a, b) => (a.topic === b.topic ? a.partition - b.partition : a.topic < b.topic ? -1 : 1))
          .map((p) => ({
            partition: `${p.topic}-${p.partition}`,
            size: Number(p.size),
            offsetLag: Number(p.offsetLag),
            isFuture: p.isFuture,
          })),
      })),
    })),
  });
}

/** `kafka-log-dirs.sh --describe`: the log directories of brokers, with each partition's size. */
export const logDirsTool: Tool = {
  name: 'log-dirs',
  script: 'kafka-log-dirs.sh',
  purpose: 'This tool helps to query log directory usage on the specified brokers.',
  specs,
  async run(options, io) {
    requireOption(options, 'bootstrap-server');
    if (!options.has('describe')) throw new UsageError('Missing required argument "[describe]"');
    const topics = new Set(splitList(options, 'topic-list'));
    const requested = [...new Set(brokerList(options))].sort((a, b) => a - b);
    const admin = await connectAdmin(options.value('bootstrap-server'), options.value('command-config'), io);
    try {
      const cluster = (await admin.describeCluster()).brokers.map((b) => b.nodeId).sort((a, b) => a - b);
      const missing = requested.filter((id) => !cluster.includes(id));
      if (missing.length > 0) {
        throw new CommandError(
          `ERROR: The given brokers do not exist from --broker-list: ${missing.join(',')}. Current existent brokers: ${cluster.join(',')}`,
        );
      }
      const brokers = requested.length > 0 ? requested : cluster;
      io.stdout.write('Querying brokers for log directories information\n');
      const byBroker = new Map<number, LogDirDescription[]>(brokers.map((b) => [b, []]));
      for (const dir of await admin.describeLogDirs(brokers)) byBroker.get(dir.broker)?.push(dir);
      io.stdout.write(`Received log directory information from brokers ${brokers.join(',')}\n`);
      io.stdout.write(`${logDirsJson(byBroker, topics)}\n`);
      return 0;
    } finally {
      await admin.close();
    }
  },
};
