import { KafkaError, Producer, type RecordMetadata } from '@samsa/client';
import { checkChoice, exactlyOneOf, integerArgument, requireArguments } from '../options/argparse-arguments.js';
import { type ArgparseLayout, argparseError, formatArgparseHelp } from '../options/argparse-help.js';
import type { OptionSpec, ParsedOptions } from '../options/option-parser.js';
import { awaitBroker, connectTimeoutMs, validateBootstrapServer } from '../support/broker-connection.js';
import { clientSettings, loadProps } from '../support/client-properties.js';
import { UsageError } from '../support/command-errors.js';
import type { CommandIo } from '../support/command-io.js';
import { javaExceptionName } from '../support/java-exception.js';
import { doubleField, eventLine } from '../support/json-event.js';
import { ThroughputThrottler } from '../support/throughput-throttler.js';
import type { Tool } from '../support/tool.js';

const BOOTSTRAP_METAVAR = 'HOST1:PORT1[,HOST2:PORT2[...]]';

/** Kafka's VerifiableProducer arguments, in its declaration order, with its help texts. */
const specs: OptionSpec[] = [
  { name: 'topic', description: 'Produce messages to this topic.', arg: 'required', argName: 'TOPIC' },
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
  {
    name: 'max-messages',
    description: 'Produce this many messages. If -1, produce messages until the process is killed externally.',
    arg: 'required',
    argName: 'MAX-MESSAGES',
    defaultValue: '-1',
  },
  {
    name: 'throughput',
    description: 'If set >= 0, throttle maximum message throughput to *approximately* THROUGHPUT messages/sec.',
    arg: 'required',
    argName: 'THROUGHPUT',
    defaultValue: '-1',
  },
  {
    name: 'acks',
    description: 'Acks required on each produced message. See Kafka docs on acks for details.',
    arg: 'required',
    argName: 'ACKS',
    defaultValue: '-1',
  },
  {
    name: 'producer.config',
    description:
      '(DEPRECATED) Producer config properties file. This option will be removed in a future version. Use --command-config instead.',
    arg: 'required',
    argName: 'CONFIG-FILE',
  },
  {
    name: 'message-create-time',
    description: 'Send messages with creation time starting at the arguments value, in milliseconds since epoch',
    arg: 'required',
    argName: 'CREATE-TIME',
    defaultValue: '-1',
  },
  {
    name: 'value-prefix',
    description: 'If specified, each produced value will have this prefix with a dot separator',
    arg: 'required',
    argName: 'VALUE-PREFIX',
  },
  {
    name: 'repeating-keys',
    description:
      'If specified, each produced record will have a key starting at 0 increment by 1 up to the number specified (exclusive), then the key is set to 0 again',
    arg: 'required',
    argName: 'REPEATING-KEYS',
  },
  {
    name: 'command-config',
    description: 'Config properties file (config options shared with command line parameters will be overridden).',
    arg: 'required',
    argName: 'CONFIG-FILE',
  },
];

const layout: ArgparseLayout = {
  prog: 'verifiable-producer',
  description:
    'This tool produces increasing integers to the specified topic and prints JSON metadata to stdout on each "send" request, making externally visible which messages have been acked and which have not.',
  required: ['topic'],
  group: {
    title: 'Connection Group',
    description: 'Group of arguments for connection to brokers',
    names: ['bootstrap-server', 'broker-list'],
    required: true,
  },
};

/** Records sent but not yet acknowledged before the send loop waits (Java's send blocks on a full buffer). */
const MAX_IN_FLIGHT = 10_000;

/** VerifiableProducer's `getValue`: `<prefix>.<n>` or `<n>`. */
export function verifiableValue(n: number, valuePrefix: number | undefined): string {
  return valuePrefix === undefined ? String(n) : `${valuePrefix}.${n}`;
}

/**
 * VerifiableProducer's `getKey`: null, or with `--repeating-keys N` the keys 0..N-1 over and over
 * (the counter is compared after the increment, so N = 0 never wraps — as in Kafka).
 */
export class RepeatingKeys {
  private counter = 0;
  constructor(private readonly repeatingKeys: number | undefined) {}

  next(): string | null {
    if (this.repeatingKeys === undefined) return null;
    const key = String(this.counter++);
    if (this.counter === this.repeatingKeys) this.counter = 0;
    return key;
  }
}

/**
 * The `message` of producer_send_error: what Java's exception would say — the broker's message
 * when it sent one, else the error's standard text (a lost connection: "The server disconnected
 * before a response was received.") — without the context Samsa's client puts in its messages
 * (`producing to t-0: ...`, the broker's address).
 */
export function sendErrorMessage(error: Error): string {
  if (error instanceof KafkaError) {
    const detail = /^producing to \S+?: (.*)$/s.exec(error.message)?.[1];
    return detail ?? new KafkaError(error.errorCode).message;
  }
  return error.message.split('\n')[0] ?? '';
}

export function sendSuccessEvent(key: string | null, value: string, metadata: RecordMetadata): string {
  return eventLine('producer_send_success', {
    key,
    value,
    topic: metadata.topic,
    partition: metadata.partition,
    offset: metadata.offset,
  });
}

export function sendErrorEvent(topic: string, key: string | null, value: string, error: Error): string {
  return eventLine('producer_send_error', {
    topic,
    key,
    value,
    exception: `class ${javaExceptionName(error)}`,
    message: sendErrorMessage(error),
  });
}

export function toolDataEvent(sent: number, acked: number, targetThroughput: number, elapsedMs: number): string {
  return eventLine('tool_data', {
    sent,
    acked,
    target_throughput: targetThroughput,
    avg_throughput: doubleField(1000 * (acked / elapsedMs)),
  });
}

/** Producer properties as VerifiableProducer builds them: its own settings, then the files over them. */
function producerProperties(options: ParsedOptions, acks: number, io: CommandIo): Map<string, string> {
  const props = new Map<string, string>();
  props.set('bootstrap.servers', (options.value('bootstrap-server') ?? options.value('broker-list')) as string);
  props.set('acks', String(acks));
  // No producer retries: a record is acknowledged by the first attempt or reported failed.
  props.set('retries', '0');
  const legacyFile = options.value('producer.config');
  const commandFile = options.value('command-config');
  if (legacyFile !== undefined && commandFile !== undefined) {
    throw new UsageError('Options --producer.config and --command-config are mutually exclusive.');
  }
  if (legacyFile !== undefined) {
    io.stdout.write(
      'Option --producer.config has been deprecated and will be removed in a future version. Use --command-config instead.\n',
    );
  }
  for (const file of [legacyFile, commandFile]) {
    if (file !== undefined) for (const [k, v] of loadProps(file)) props.set(k, v);
  }
  // Java's producer takes the serializer instances over the configured classes.
  props.delete('key.serializer');
  props.delete('value.serializer');
  // Java's producer turns idempotence off when retries=0 and idempotence was not asked for.
  if (!props.has('enable.idempotence') && props.get('retries') === '0') props.set('enable.idempotence', 'false');
  return props;
}

async function run(options: ParsedOptions, io: CommandIo): Promise<number> {
  requireArguments(options, ['topic']);
  exactlyOneOf(options, ['bootstrap-server', 'broker-list']);
  const topic = options.value('topic') as string;
  const maxMessages = integerArgument(options, 'max-messages', 'Integer') as number;
  const throughput = integerArgument(options, 'throughput', 'Integer') as number;
  const acks = integerArgument(options, 'acks', 'Integer') as number;
  checkChoice('acks', acks, [0, 1, -1]);
  const createTimeArg = integerArgument(options, 'message-create-time', 'Long') as number;
  const valuePrefix = integerArgument(options, 'value-prefix', 'Integer');
  const keys = new RepeatingKeys(integerArgument(options, 'repeating-keys', 'Integer'));
  const props = producerProperties(options, acks, io);
  const bootstrap = validateBootstrapServer(props.get('bootstrap.servers'));
  props.set('bootstrap.servers', bootstrap);
  const settings = clientSettings('producer', props, (line) => io.stderr.write(`${line}\n`));
  const producer = new Producer<string, string>({ ...settings, keySerializer: 'string', valueSerializer: 'string' });
  const print = (line: string) => io.stdout.write(line);
  try {
    await awaitBroker(producer.cluster, bootstrap, connectTimeoutMs(io.env));
  } catch (error) {
    await producer.close({ timeoutMs: 0 }).catch(() => {});
    throw error;
  }
  const startMs = Date.now();
  const throttler = new ThroughputThrottler(throughput, startMs);
  let createTime = createTimeArg === -1 ? undefined : createTimeArg;
  let sent = 0;
  let acked = 0;
  let inFlight = 0;
  let drained: (() => void) | undefined;
  print(eventLine('startup_complete'));
  const limit = maxMessages < 0 ? Number.POSITIVE_INFINITY : maxMessages;
  for (let i = 0; i < limit && !io.signal.aborted; i++) {
    const sendStartMs = Date.now();
    const key = keys.next();
    const value = verifiableValue(i, valuePrefix);
    let timestamp: number | undefined;
    if (createTime !== undefined) {
      timestamp = createTime;
      // Kafka's arithmetic: each record's time moves on by the time since the producer started.
      createTime += Date.now() - startMs;
    }
    sent++;
    inFlight++;
    const record = timestamp === undefined ? { topic, key, value } : { topic, key, value, timestamp };
    producer.send(record, (error, metadata) => {
      inFlight--;
      if (error === null) {
        acked++;
        print(sendSuccessEvent(key, value, metadata as RecordMetadata));
      } else print(sendErrorEvent(topic, key, value, error));
      if (drained !== undefined && inFlight < MAX_IN_FLIGHT / 2) {
        const wake = drained;
        drained = undefined;
        wake();
      }
    });
    if (throttler.shouldThrottle(i, sendStartMs)) await throttler.throttle(i, io.signal);
    if (inFlight >= MAX_IN_FLIGHT) {
      await new Promise<void>((resolve) => {
        drained = resolve;
        io.signal.addEventListener('abort', () => resolve(), { once: true });
      });
    } else if (i % 500 === 499) {
      // Let responses, callbacks and signals in between sends.
      await new Promise((resolve) => setImmediate(resolve));
    }
  }
  // Java's shutdown hook: close (which waits for every record sent), then the summary.
  await producer.close();
  print(eventLine('shutdown_complete'));
  print(toolDataEvent(sent, acked, throughput, Date.now() - startMs));
  return 0;
}

/** `kafka-verifiable-producer.sh`: Kafka's VerifiableProducer, the system tests' producer. */
export const verifiableProducerTool: Tool = {
  name: 'verifiable-producer',
  script: 'kafka-verifiable-producer.sh',
  purpose: 'produce increasing integers and print a JSON line for every acknowledgement, for end-to-end loss checks',
  specs,
  formatHelp: (all) => formatArgparseHelp(layout, all),
  formatUsageError: (message) => argparseError(layout, specs, message),
  run,
};
