import { Consumer, type ConsumerRecord } from '@samsa/client';
import type { OptionSpec, ParsedOptions } from '../options/option-parser.js';
import { awaitBroker, connectTimeoutMs, validateBootstrapServer } from '../support/broker-connection.js';
import { clientSettings, loadProps, parseKeyValueArgs } from '../support/client-properties.js';
import { CommandError, UsageError } from '../support/command-errors.js';
import type { CommandIo } from '../support/command-io.js';
import { Progress } from '../support/progress.js';
import { aliasedValues, deprecationWarning, type Tool } from '../support/tool.js';
import { DefaultMessageFormatter } from './default-message-formatter.js';

const FORMATTER_PROPERTY_DOC =
  'The properties to initialize the message formatter. Default properties include: \n print.timestamp=true|false\n print.key=true|false\n print.offset=true|false\n print.epoch=true|false\n print.partition=true|false\n print.headers=true|false\n print.value=true|false\n key.separator=<key.separator>\n line.separator=<line.separator>\n headers.separator=<line.separator>\n null.literal=<null.literal>\n key.deserializer=<key.deserializer>\n value.deserializer=<value.deserializer>\n header.deserializer=<header.deserializer>\n' +
  "\nUsers can also pass in customized properties for their formatter; more specifically, users can pass in properties keyed with 'key.deserializer.', 'value.deserializer.' and 'headers.deserializer.' prefixes to configure their deserializers.";

const specs: OptionSpec[] = [
  { name: 'topic', description: 'The topic to consume on.', arg: 'required', argName: 'topic' },
  {
    name: 'include',
    description: 'Regular expression specifying list of topics to include for consumption.',
    arg: 'required',
    argName: 'Java regex (String)',
  },
  {
    name: 'partition',
    description:
      "The partition to consume from. Consumption starts from the end of the partition unless '--offset' is specified.",
    arg: 'required',
    argName: 'partition',
    argType: 'Integer',
  },
  {
    name: 'offset',
    description:
      "The offset to consume from (a non-negative number), or 'earliest' which means from beginning, or 'latest' which means from end",
    arg: 'required',
    argName: 'consume offset',
    defaultValue: 'latest',
  },
  {
    name: 'command-property',
    description: 'A mechanism to pass user-defined properties in the form key=value to the consumer.',
    arg: 'required',
    argName: 'consumer_prop',
  },
  {
    name: 'consumer-property',
    description: '(DEPRECATED) Use --command-property instead.',
    arg: 'required',
    argName: 'consumer_prop',
  },
  {
    name: 'command-config',
    description: 'Consumer config properties file. Note that [command-property] takes precedence over this config.',
    arg: 'required',
    argName: 'config file',
  },
  {
    name: 'consumer.config',
    description: '(DEPRECATED) Use --command-config instead.',
    arg: 'required',
    argName: 'config file',
  },
  {
    name: 'formatter',
    description: 'The name of a class to use for formatting kafka messages for display.',
    arg: 'required',
    argName: 'class',
    defaultValue: 'org.apache.kafka.tools.consumer.DefaultMessageFormatter',
  },
  { name: 'formatter-property', description: FORMATTER_PROPERTY_DOC, arg: 'required', argName: 'prop' },
  { name: 'property', description: '(DEPRECATED) Use --formatter-property instead.', arg: 'required', argName: 'prop' },
  {
    name: 'formatter-config',
    description:
      'Config properties file to initialize the message formatter. Note that [formatter-property] takes precedence over this config.',
    arg: 'required',
    argName: 'config file',
  },
  {
    name: 'from-beginning',
    description:
      'If the consumer does not already have an established offset to consume from, start with the earliest message present in the log rather than the latest message.',
  },
  {
    name: 'max-messages',
    description: 'The maximum number of messages to consume before exiting. If not set, consumption is continual.',
    arg: 'required',
    argName: 'num_messages',
    argType: 'Integer',
  },
  {
    name: 'timeout-ms',
    description: 'If specified, exit if no message is available for consumption for the specified interval.',
    arg: 'required',
    argName: 'timeout_ms',
    argType: 'Long',
  },
  {
    name: 'skip-message-on-error',
    description: 'If there is an error when processing a message, skip it instead of halt.',
  },
  {
    name: 'bootstrap-server',
    description: 'REQUIRED: The server(s) to connect to.',
    arg: 'required',
    argName: 'server to connect to',
  },
  { name: 'key-deserializer', description: '', arg: 'required', argName: 'deserializer for key' },
  { name: 'value-deserializer', description: '', arg: 'required', argName: 'deserializer for values' },
  {
    name: 'enable-systest-events',
    description:
      'Log lifecycle events of the consumer in addition to logging consumed messages. (This is specific for system tests.)',
  },
  {
    name: 'isolation-level',
    description:
      'Set to read_committed in order to filter out transactional messages which are not committed. Set to read_uncommitted to read all messages.',
    arg: 'required',
    defaultValue: 'read_uncommitted',
  },
  {
    name: 'group',
    description: 'The consumer group id of the consumer.',
    arg: 'required',
    argName: 'consumer group id',
  },
];

const FORMATTERS = new Set([
  'org.apache.kafka.tools.consumer.DefaultMessageFormatter',
  'kafka.tools.DefaultMessageFormatter',
  'DefaultMessageFormatter',
]);

interface ConsumerPlan {
  readonly settings: Record<string, string>;
  readonly partition: number | undefined;
  /** 'earliest', 'latest' or an offset; only with --partition. */
  readonly offset: 'earliest' | 'latest' | bigint;
}

/** Kafka's `ConsoleConsumerOptions` checks and consumer properties. */
export function planConsumer(options: ParsedOptions, io: CommandIo): ConsumerPlan {
  const topicOrInclude = ['topic', 'include'].filter((o) => options.has(o));
  if (topicOrInclude.length !== 1) throw new UsageError('Exactly one of --include/--topic is required. ');
  const partition = options.number('partition');
  if (partition !== undefined) {
    if (!options.has('topic')) throw new UsageError('The topic is required when partition is specified.');
    if (options.has('from-beginning') && options.has('offset'))
      throw new UsageError('Options from-beginning and offset cannot be specified together.');
  } else if (options.has('offset')) {
    throw new UsageError('The partition is required when offset is specified.');
  }
  if (!options.has('bootstrap-server')) throw new UsageError('Missing required argument "[bootstrap-server]"');
  const bootstrap = validateBootstrapServer(options.value('bootstrap-server'));
  const file = options.value('command-config') ?? options.value('consumer.config');
  const fromFile = file === undefined ? new Map<string, string>() : loadProps(file);
  const extra = parseKeyValueArgs(aliasedValues(options, 'command-property', 'consumer-property'));
  const groups = new Set<string>();
  if (options.has('group')) groups.add(options.value('group') as string);
  const fileGroup = fromFile.get('group.id');
  if (fileGroup !== undefined) groups.add(fileGroup);
  const extraGroup = extra.get('group.id');
  if (extraGroup !== undefined) groups.add(extraGroup);
  if (groups.size > 1) {
    throw new UsageError(
      `The group ids provided in different places (directly using '--group', via '--consumer-property', or via '--consumer.config') do not match. Detected group ids: ${[...groups].map((g) => `'${g}'`).join(', ')}`,
    );
  }
  if (groups.size > 0 && partition !== undefined)
    throw new UsageError('Options group and partition cannot be specified together.');
  const props = new Map([...fromFile, ...extra]);
  const reset = props.get('auto.offset.reset');
  if (reset !== undefined) {
    if (options.has('from-beginning') && reset !== 'earliest') {
      throw new CommandError(
        `Can't simultaneously specify --from-beginning and 'auto.offset.reset=${reset}', please remove one option`,
      );
    }
  } else props.set('auto.offset.reset', options.has('from-beginning') ? 'earliest' : 'latest');
  props.set('bootstrap.servers', bootstrap);
  if (!props.has('client.id')) props.set('client.id', 'console-consumer');
  if (options.has('isolation-level') || !props.has('isolation.level'))
    props.set('isolation.level', options.value('isolation-level') as string);
  if (groups.size === 0) {
    props.set('group.id', `console-consumer-${Math.floor(Math.random() * 100000)}`);
    // The generated group is never used again: do not fill the coordinator with its offsets.
    if (!props.has('enable.auto.commit')) props.set('enable.auto.commit', 'false');
  } else props.set('group.id', [...groups][0] as string);
  // Deserializers are the formatter's business; the consumer hands it raw bytes.
  props.delete('key.deserializer');
  props.delete('value.deserializer');
  let offset: ConsumerPlan['offset'] = options.has('from-beginning') ? 'earliest' : 'latest';
  if (options.has('offset')) {
    const raw = (options.value('offset') as string).toLowerCase();
    if (raw === 'earliest' || raw === 'latest') offset = raw;
    else if (/^\d+$/.test(raw)) offset = BigInt(raw);
    else {
      throw new UsageError(
        `The provided offset value '${options.value('offset')}' is incorrect. Valid values are 'earliest', 'latest', or a non-negative long.`,
      );
    }
  }
  const settings = clientSettings('consumer', props, (line) => io.stderr.write(`${line}\n`));
  return { settings, partition, offset };
}

/** The formatter's properties: `--formatter-config`, then `--formatter-property`, then the deserializer flags. */
function formatterProperties(options: ParsedOptions): Map<string, string> {
  const file = options.value('formatter-config');
  const props = file === undefined ? new Map<string, string>() : loadProps(file);
  for (const [k, v] of parseKeyValueArgs(aliasedValues(options, 'formatter-property', 'property'))) props.set(k, v);
  const key = options.value('key-deserializer');
  if (key !== undefined) props.set('key.deserializer', key);
  const value = options.value('value-deserializer');
  if (value !== undefined) props.set('value.deserializer', value);
  return props;
}

async function consume(options: ParsedOptions, io: CommandIo): Promise<number> {
  const plan = planConsumer(options, io);
  const formatterClass = options.value('formatter') as string;
  if (!FORMATTERS.has(formatterClass))
    throw new UsageError(`${formatterClass}: only Kafka's DefaultMessageFormatter is available in Samsa`);
  const formatter = new DefaultMessageFormatter(formatterProperties(options));
  const maxMessages = options.number('max-messages') ?? -1;
  const timeoutMs = options.number('timeout-ms');
  const consumer = new Consumer<Buffer, Buffer>({
    ...plan.settings,
    keyDeserializer: 'buffer',
    valueDeserializer: 'buffer',
  });
  const progress = new Progress(io, 'Consumed', maxMessages > 0 ? maxMessages : undefined);
  let count = 0;
  try {
    await awaitBroker(consumer.cluster, plan.settings['bootstrap.servers'] as string, connectTimeoutMs(io.env));
    const topic = options.value('topic');
    if (plan.partition !== undefined && topic !== undefined) {
      const tp = { topic, partition: plan.partition };
      await consumer.cluster.waitForTopic(topic, 10_000);
      consumer.assign([tp]);
      if (plan.offset === 'earliest') consumer.seekToBeginning([tp]);
      else if (plan.offset === 'latest') consumer.seekToEnd([tp]);
      else consumer.seek(tp, plan.offset);
    } else if (topic !== undefined) {
      consumer.subscribe([topic]);
    } else {
      consumer.subscribe(new RegExp(`^(?:${options.value('include') as string})$`));
    }
    let lastRecordMs = Date.now();
    const unprinted = new Set<string>();
    const showProgress = progress.enabled && io.stdoutIsTTY !== true;
    while (!io.signal.aborted && (maxMessages < 0 || count < maxMessages)) {
      const waitMs =
        timeoutMs === undefined ? 1000 : Math.max(0, Math.min(1000, lastRecordMs + timeoutMs - Date.now()));
      let records: ConsumerRecord<Buffer, Buffer>[];
      try {
        records = await consumer.poll({ timeoutMs: waitMs, signal: io.signal });
      } catch (error) {
        if (io.signal.aborted) break;
        throw error;
      }
      if (records.length > 0) lastRecordMs = Date.now();
      else if (timeoutMs !== undefined && Date.now() - lastRecordMs >= timeoutMs) break;
      const chunks: Buffer[] = [];
      for (const record of records) {
        if (maxMessages >= 0 && count >= maxMessages) {
          // Records fetched beyond --max-messages were not printed: rewind so closing the
          // consumer commits only what was printed.
          const tp = { topic: record.topic, partition: record.partition };
          if (!unprinted.has(`${tp.topic}-${tp.partition}`)) {
            unprinted.add(`${tp.topic}-${tp.partition}`);
            consumer.seek(tp, record.offset);
          }
          continue;
        }
        count++;
        try {
          chunks.push(formatter.format(record));
        } catch (error) {
          if (!options.has('skip-message-on-error')) throw error;
          io.stderr.write(`ERROR Error processing message, skipping this message: ${(error as Error).message}\n`);
        }
      }
      if (chunks.length > 0) io.stdout.write(Buffer.concat(chunks));
      if (showProgress) progress.update(count);
    }
  } finally {
    progress.done();
    await consumer.close().catch(() => {});
    io.stderr.write(`Processed a total of ${count} messages\n`);
  }
  return 0;
}

/** `kafka-console-consumer.sh`: prints records to standard output. */
export const consoleConsumerTool: Tool = {
  name: 'console-consumer',
  script: 'kafka-console-consumer.sh',
  purpose: 'This tool helps to read data from Kafka topics and outputs it to standard output.',
  specs,
  aliases: [
    { old: 'property', current: 'formatter-property', warning: deprecationWarning('property', 'formatter-property') },
    {
      old: 'consumer-property',
      current: 'command-property',
      warning: deprecationWarning('consumer-property', 'command-property'),
    },
    {
      old: 'consumer.config',
      current: 'command-config',
      warning: deprecationWarning('consumer.config', 'command-config'),
    },
  ],
  run: consume,
};
