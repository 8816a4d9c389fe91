import {
  ClientError,
  ClientErrorCode,
  Consumer,
  type ConsumerRecord,
  ErrorCode,
  KafkaError,
  type TopicPartition,
} from '@samsa/client';
import { exactlyOneOf, integerArgument, requireArguments } from '../options/argparse-arguments.js';
import { type ArgparseLayout, argparseError, formatArgparseHelp } from '../options/argparse-help.js';
import type { OptionSpec, ParsedOptions } from '../options/option-parser.js';
import { awaitBroker, connectTimeoutMs, validateBootstrapServer } from '../support/broker-connection.js';
import { clientSettings, loadProps } from '../support/client-properties.js';
import { UsageError } from '../support/command-errors.js';
import type { CommandIo } from '../support/command-io.js';
import { errorLine } from '../support/error-report.js';
import { eventLine } from '../support/json-event.js';
import type { Tool } from '../support/tool.js';

const BOOTSTRAP_METAVAR = 'HOST1:PORT1[,HOST2:PORT2[...]]';

/** Kafka's VerifiableConsumer arguments, in its declaration order, with its help texts. */
const specs: OptionSpec[] = [
  {
    name: 'bootstrap-server',
    description:
      'REQUIRED unless --broker-list(deprecated) is specified. The server(s) to connect to. Comma-separated list of Kafka brokers in the form HOST1:PORT1,HOST2:PORT2,...',
    arg: 'required',
    argName: BOOTSTRAP_METAVAR,
  },
  {
    name: 'broker-list',
    description:
      'DEPRECATED, use --bootstrap-server instead; ignored if --bootstrap-server is specified.  Comma-separated list of Kafka brokers in the form HOST1:PORT1,HOST2:PORT2,...',
    arg: 'required',
    argName: BOOTSTRAP_METAVAR,
  },
  { name: 'topic', description: 'Consumes messages from this topic.', arg: 'required', argName: 'TOPIC' },
  {
    name: 'group-protocol',
    description: 'Group protocol (must be one of CLASSIC, CONSUMER)',
    arg: 'required',
    argName: 'GROUP_PROTOCOL',
    defaultValue: 'classic',
  },
  {
    name: 'group-remote-assignor',
    description: 'Group remote assignor; only used if the group protocol is CONSUMER',
    arg: 'required',
    argName: 'GROUP_REMOTE_ASSIGNOR',
  },
  {
    name: 'group-id',
    description: 'The groupId shared among members of the consumer group',
    arg: 'required',
    argName: 'GROUP_ID',
  },
  {
    name: 'group-instance-id',
    description: 'A unique identifier of the consumer instance',
    arg: 'required',
    argName: 'GROUP_INSTANCE_ID',
  },
  {
    name: 'max-messages',
    description:
      'Consume this many messages. If -1 (the default), the consumer will consume until the process is killed externally',
    arg: 'required',
    argName: 'MAX-MESSAGES',
    defaultValue: '-1',
  },
  {
    name: 'session-timeout',
    description: "Set the consumer's session timeout",
    arg: 'required',
    argName: 'TIMEOUT_MS',
    defaultValue: '30000',
  },
  { name: 'verbose', description: 'Enable to log individual consumed records' },
  { name: 'enable-autocommit', description: 'Enable offset auto-commit on consumer' },
  {
    name: 'send-offset-for-times-data',
    description:
      "After each batch, look up with offsetsForTimes the offset of the timestamp of each partition's first record and print it as an offsets_for_times event (Samsa's event; Apache Kafka's tool has no such flag)",
  },
  {
    name: 'reset-policy',
    description: "Set reset policy (must be either 'earliest', 'latest', or 'none'",
    arg: 'required',
    argName: 'RESETPOLICY',
    defaultValue: 'earliest',
  },
  {
    name: 'assignment-strategy',
    description:
      'Set assignment strategy (e.g. org.apache.kafka.clients.consumer.RoundRobinAssignor); only used if the group protocol is CLASSIC',
    arg: 'required',
    argName: 'ASSIGNMENTSTRATEGY',
    defaultValue: 'org.apache.kafka.clients.consumer.RangeAssignor',
  },
  {
    name: 'consumer.config',
    description:
      'Consumer config properties file (config options shared with command line parameters will be overridden).',
    arg: 'required',
    argName: 'CONFIG_FILE',
  },
];

const layout: ArgparseLayout = {
  prog: 'verifiable-consumer',
  description:
    'This tool consumes messages from a specific topic and emits consumer events (e.g. group rebalances, received messages, and offsets committed) as JSON objects to STDOUT.',
  required: ['topic', 'group-id'],
  group: {
    title: 'Connection Group',
    description: 'Group of arguments for connection to brokers',
    names: ['bootstrap-server', 'broker-list'],
    required: true,
  },
};

type TextRecord = ConsumerRecord<string, string>;

/** One partition's share of a poll, as VerifiableConsumer's RecordSetSummary reports it. */
export interface PartitionRecords {
  readonly topic: string;
  readonly partition: number;
  readonly records: readonly TextRecord[];
}

/**
 * A poll's records by partition, partitions in the order their first record came (Java's
 * ConsumerRecords keeps the fetch order), each cut so that at most `remaining` records are taken
 * in all (VerifiableConsumer stops at --max-messages; negative: no limit).
 */
export function takeRecords(batch: readonly TextRecord[], remaining: number): PartitionRecords[] {
  const byPartition = new Map<string, { topic: string; partition: number; records: TextRecord[] }>();
  for (const record of batch) {
    const key = `${record.topic}\u0000${record.partition}`;
    let entry = byPartition.get(key);
    if (entry === undefined)
      byPartition.set(key, (entry = { topic: record.topic, partition: record.partition, records: [] }));
    entry.records.push(record);
  }
  const out: PartitionRecords[] = [];
  let left = remaining < 0 ? Number.POSITIVE_INFINITY : remaining;
  for (const entry of byPartition.values()) {
    if (left <= 0) break;
    const records = entry.records.length > left ? entry.records.slice(0, left) : entry.records;
    left -= records.length;
    out.push({ ...entry, records });
  }
  return out;
}

/** `records_consumed`: `count` is the whole poll's, as in Kafka, even when --max-messages cut it. */
export function recordsConsumedEvent(pollCount: number, taken: readonly PartitionRecords[]): string {
  return eventLine('records_consumed', {
    count: pollCount,
    partitions: taken.map((p) => {
      const first = p.records[0] as TextRecord;
      const last = p.records[p.records.length - 1] as TextRecord;
      return {
        topic: p.topic,
        partition: p.partition,
        count: p.records.length,
        minOffset: first.offset,
        maxOffset: last.offset,
      };
    }),
  });
}

export function recordDataEvent(record: TextRecord): string {
  return eventLine('record_data', {
    key: record.key,
    value: record.value,
    topic: record.topic,
    partition: record.partition,
    offset: record.offset,
  });
}

export function partitionsEvent(
  name: 'partitions_assigned' | 'partitions_revoked',
  partitions: TopicPartition[],
): string {
  return eventLine(name, { partitions: partitions.map((p) => ({ topic: p.topic, partition: p.partition })) });
}

/** The offsets committed for a batch: the next offset after each partition's last record. */
export function commitOffsets(
  taken: readonly PartitionRecords[],
): { topic: string; partition: number; offset: bigint }[] {
  return taken.map((p) => ({
    topic: p.topic,
    partition: p.partition,
    offset: (p.records[p.records.length - 1] as TextRecord).offset + 1n,
  }));
}

/** `offsets_committed`; `error` only on failure (Jackson's NON_NULL). */
export function offsetsCommittedEvent(
  offsets: readonly { topic: string; partition: number; offset: bigint }[],
  error: Error | undefined,
): string {
  return eventLine('offsets_committed', {
    offsets: offsets.map((o) => ({ topic: o.topic, partition: o.partition, offset: o.offset })),
    error: error === undefined ? undefined : commitErrorMessage(error),
    success: error === undefined,
  });
}

/** Java's exception message for a failed commit: the broker's words, without Samsa's context. */
function commitErrorMessage(error: Error): string {
  if (error instanceof KafkaError) return new KafkaError(error.errorCode).message;
  return errorLine(error);
}

function consumerProperties(options: ParsedOptions): Map<string, string> {
  const file = options.value('consumer.config');
  const props = file === undefined ? new Map<string, string>() : loadProps(file);
  // As Java's VerifiableConsumer: the assignor and session timeout are the broker's business
  // under the consumer protocol (KIP-848), which takes the remote assignor instead.
  const protocol = (options.value('group-protocol') as string).toLowerCase();
  props.set('group.protocol', protocol);
  if (protocol === 'consumer') {
    const remote = options.value('group-remote-assignor');
    if (remote !== undefined) props.set('group.remote.assignor', remote as string);
  } else {
    props.set('partition.assignment.strategy', options.value('assignment-strategy') as string);
    props.set('session.timeout.ms', String(integerArgument(options, 'session-timeout', 'Integer')));
  }
  props.set('group.id', options.value('group-id') as string);
  if (options.has('group-instance-id')) props.set('group.instance.id', options.value('group-instance-id') as string);
  props.set('bootstrap.servers', (options.value('bootstrap-server') ?? options.value('broker-list')) as string);
  props.set('enable.auto.commit', String(options.has('enable-autocommit')));
  props.set('auto.offset.reset', options.value('reset-policy') as string);
  // Java's consumer takes the deserializer instances over the configured classes.
  props.delete('key.deserializer');
  props.delete('value.deserializer');
  return props;
}

/**
 * `offsets_for_times` (--send-offset-for-times-data): for each partition of the batch, the offset
 * offsetsForTimes finds for the timestamp of the batch's first record there — the first offset
 * at or after that time, which a producer's acknowledged offsets can be checked against. One
 * ListOffsets round per batch. Apache Kafka's VerifiableConsumer has no such flag (Confluent's
 * has); the event is Samsa's.
 */
async function offsetsForTimesEvent(consumer: Consumer<string, string>, taken: readonly PartitionRecords[]) {
  const queries = taken.map((p) => ({
    topic: p.topic,
    partition: p.partition,
    timestamp: (p.records[0] as TextRecord).timestamp,
  }));
  const answers = await consumer.offsetsForTimes(queries);
  const offsetOf = new Map(answers.map((a) => [`${a.topic}\u0000${a.partition}`, a.offset]));
  return eventLine('offsets_for_times', {
    offsets: queries.map((q) => ({ ...q, offset: offsetOf.get(`${q.topic}\u0000${q.partition}`) ?? -1n })),
  });
}

async function run(options: ParsedOptions, io: CommandIo): Promise<number> {
  requireArguments(options, ['topic', 'group-id']);
  exactlyOneOf(options, ['bootstrap-server', 'broker-list']);
  const protocol = (options.value('group-protocol') as string).toLowerCase();
  if (protocol !== 'classic' && protocol !== 'consumer') {
    throw new UsageError(`argument --group-protocol: must be one of CLASSIC, CONSUMER (got ${protocol.toUpperCase()})`);
  }
  const topic = options.value('topic') as string;
  const maxMessages = integerArgument(options, 'max-messages', 'Integer') as number;
  const useAutoCommit = options.has('enable-autocommit');
  const verbose = options.has('verbose');
  const sendOffsetsForTimes = options.has('send-offset-for-times-data');
  const props = consumerProperties(options);
  const bootstrap = validateBootstrapServer(props.get('bootstrap.servers'));
  props.set('bootstrap.servers', bootstrap);
  const settings = clientSettings('consumer', props, (line) => io.stderr.write(`${line}\n`));
  const print = (line: string) => io.stdout.write(line);
  const consumer = new Consumer<string, string>({
    ...settings,
    keyDeserializer: 'string',
    valueDeserializer: 'string',
  });
  try {
    await awaitBroker(consumer.cluster, bootstrap, connectTimeoutMs(io.env));
  } catch (error) {
    await consumer.close().catch(() => {});
    throw error;
  }
  let consumed = 0;
  const finished = () => maxMessages >= 0 && consumed >= maxMessages;
  try {
    print(eventLine('startup_complete'));
    consumer.subscribe([topic], {
      onPartitionsAssigned: (partitions) => {
        print(partitionsEvent('partitions_assigned', partitions));
      },
      onPartitionsRevoked: (partitions) => {
        print(partitionsEvent('partitions_revoked', partitions));
      },
    });
    while (!finished() && !io.signal.aborted) {
      let batch: TextRecord[];
      try {
        batch = await consumer.poll({ timeoutMs: 1000, signal: io.signal });
      } catch (error) {
        if (io.signal.aborted) break;
        throw error;
      }
      // Java's poll with an unbounded timeout returns only with records.
      if (batch.length === 0) continue;
      const taken = takeRecords(batch, maxMessages < 0 ? -1 : maxMessages - consumed);
      for (const p of taken) {
        if (verbose) for (const record of p.records) print(recordDataEvent(record));
        consumed += p.records.length;
      }
      print(recordsConsumedEvent(batch.length, taken));
      if (sendOffsetsForTimes) print(await offsetsForTimesEvent(consumer, taken));
      if (!useAutoCommit) {
        // Kafka's tool commits synchronously after each batch; the commit is not aborted by a
        // signal (Kafka retries it after a wakeup), so what was reported consumed is committed.
        const offsets = commitOffsets(taken);
        try {
          await consumer.commitSync(offsets);
          print(offsetsCommittedEvent(offsets, undefined));
        } catch (error) {
          if (error instanceof KafkaError && error.errorCode === ErrorCode.FENCED_INSTANCE_ID) throw error;
          if (error instanceof ClientError && error.code === ClientErrorCode.CLOSED) throw error;
          print(offsetsCommittedEvent(offsets, error as Error));
        }
      }
    }
  } catch (error) {
    // Kafka's tool logs the failure (not to stdout) and shuts down as it would on a signal.
    io.stderr.write(`Error during processing, terminating consumer process: ${errorLine(error)}\n`);
  } finally {
    await consumer.close().catch(() => {});
    print(eventLine('shutdown_complete'));
  }
  return 0;
}

/** `kafka-verifiable-consumer.sh`: Kafka's VerifiableConsumer, the system tests' consumer. */
export const verifiableConsumerTool: Tool = {
  name: 'verifiable-consumer',
  script: 'kafka-verifiable-consumer.sh',
  purpose: 'consume in a group and print a JSON line for every rebalance, batch and commit, for end-to-end loss checks',
  specs,
  formatHelp: (all) => formatArgparseHelp(layout, all),
  formatUsageError: (message) => argparseError(layout, specs, message),
  run,
};
