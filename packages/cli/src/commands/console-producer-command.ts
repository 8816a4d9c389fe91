import { createInterface } from 'node:readline';
import { Producer } from '@samsa/client';
import type { OptionSpec, ParsedOptions } from '../options/option-parser.js';
import { awaitBroker, connectTimeoutMs, validateBootstrapServer } from '../support/broker-connection.js';
import { clientSettings, loadProps, parseKeyValueArgs } from '../support/client-properties.js';
import { UsageError } from '../support/command-errors.js';
import type { CommandIo } from '../support/command-io.js';
import { errorLine } from '../support/error-report.js';
import { aliasedValues, deprecationWarning, requireOption, type Tool } from '../support/tool.js';
import { LineMessageReader } from './line-message-reader.js';

const READER_PROPERTY_DOC =
  'A mechanism to pass user-defined properties in the form key=value to the message reader. This allows custom configuration for a user-defined message reader.' +
  '\nDefault properties include:\n parse.key=false\n parse.headers=false\n ignore.error=false\n key.separator=\\t\n headers.delimiter=\\t\n headers.separator=,\n headers.key.separator=:\n null.marker=   When set, any fields (key, value and headers) equal to this will be replaced by null' +
  '\nDefault parsing pattern when:\n parse.headers=true and parse.key=true:\n  "h1:v1,h2:v2...\\tkey\\tvalue"\n parse.key=true:\n  "key\\tvalue"\n parse.headers=true:\n  "h1:v1,h2:v2...\\tvalue"';

const specs: OptionSpec[] = [
  { name: 'topic', description: 'REQUIRED: The topic name to produce messages to.', arg: 'required', argName: 'topic' },
  {
    name: 'bootstrap-server',
    description:
      'REQUIRED unless --broker-list(deprecated) is specified. The server(s) to connect to. The broker list string in the form HOST1:PORT1,HOST2:PORT2.',
    arg: 'required',
    argName: 'server to connect to',
  },
  {
    name: 'broker-list',
    description:
      'DEPRECATED, use --bootstrap-server instead; ignored if --bootstrap-server is specified. The broker list string in the form HOST1:PORT1,HOST2:PORT2.',
    arg: 'required',
    argName: 'broker-list',
  },
  {
    name: 'sync',
    description: 'If set message send requests to the brokers are synchronously, one at a time as they arrive.',
  },
  {
    name: 'compression-codec',
    description:
      "The compression codec: either 'none', 'gzip', 'snappy', 'lz4', or 'zstd'.If specified without value, then it defaults to 'gzip'",
    arg: 'optional',
    argName: 'compression-codec',
  },
  {
    name: 'batch-size',
    description:
      'Number of messages to send in a single batch if they are not being sent synchronously. please note that this option will be replaced if max-partition-memory-bytes is also set',
    arg: 'required',
    argName: 'size',
    argType: 'Integer',
    defaultValue: '16384',
  },
  {
    name: 'message-send-max-retries',
    description:
      'Brokers can fail receiving the message for multiple reasons, and being unavailable transiently is just one of them. This property specifies the number of retries before the producer give up and drop this message. This is the option to control `retries` in producer configs.',
    arg: 'required',
    argType: 'Integer',
    defaultValue: '3',
  },
  {
    name: 'retry-backoff-ms',
    description:
      'Before each retry, the producer refreshes the metadata of relevant topics. Since leader election takes a bit of time, this property specifies the amount of time that the producer waits before refreshing the metadata. This is the option to control `retry.backoff.ms` in producer configs.',
    arg: 'required',
    argType: 'Long',
    defaultValue: '100',
  },
  {
    name: 'timeout',
    description:
      'If set and the producer is running in asynchronous mode, this gives the maximum amount of time a message will queue awaiting sufficient batch size. The value is given in ms. This is the option to control `linger.ms` in producer configs.',
    arg: 'required',
    argName: 'timeout_ms',
    argType: 'Long',
    defaultValue: '1000',
  },
  {
    name: 'request-required-acks',
    description: 'The required `acks` of the producer requests',
    arg: 'required',
    argName: 'request required acks',
    defaultValue: '-1',
  },
  {
    name: 'request-timeout-ms',
    description: 'The ack timeout of the producer requests. Value must be non-negative and non-zero.',
    arg: 'required',
    argName: 'request timeout ms',
    argType: 'Integer',
    defaultValue: '1500',
  },
  {
    name: 'metadata-expiry-ms',
    description:
      "The period of time in milliseconds after which we force a refresh of metadata even if we haven't seen any leadership changes. This is the option to control `metadata.max.age.ms` in producer configs.",
    arg: 'required',
    argName: 'metadata expiration interval',
    argType: 'Long',
    defaultValue: '300000',
  },
  {
    name: 'max-block-ms',
    description: 'The max time that the producer will block for during a send request.',
    arg: 'required',
    argName: 'max block on send',
    argType: 'Long',
    defaultValue: '60000',
  },
  {
    name: 'max-memory-bytes',
    description:
      'The total memory used by the producer to buffer records waiting to be sent to the server. This is the option to control `buffer.memory` in producer configs.',
    arg: 'required',
    argName: 'total memory in bytes',
    argType: 'Long',
    defaultValue: '33554432',
  },
  {
    name: 'max-partition-memory-bytes',
    description:
      '(DEPRECATED) The buffer size allocated for a partition. When records are received which are smaller than this size the producer will attempt to optimistically group them together until this size is reached. This is the option to control `batch.size` in producer configs. Use --batch-size instead.',
    arg: 'required',
    argName: 'memory in bytes per partition',
    argType: 'Integer',
  },
  {
    name: 'line-reader',
    description:
      'The class name of the class to use for reading lines from standard in. By default each line is read as a separate message.',
    arg: 'required',
    argName: 'reader_class',
    defaultValue: 'org.apache.kafka.tools.LineMessageReader',
  },
  {
    name: 'socket-buffer-size',
    description:
      'The size of the tcp RECV size. This is the option to control `send.buffer.bytes` in producer configs.',
    arg: 'required',
    argName: 'size',
    argType: 'Integer',
    defaultValue: '102400',
  },
  { name: 'reader-property', description: READER_PROPERTY_DOC, arg: 'required', argName: 'prop' },
  { name: 'property', description: '(DEPRECATED) Use --reader-property instead.', arg: 'required', argName: 'prop' },
  {
    name: 'reader-config',
    description:
      'Config properties file for the message reader. Note that [reader-property] takes precedence over this config.',
    arg: 'required',
    argName: 'config file',
  },
  {
    name: 'command-property',
    description: 'A mechanism to pass user-defined properties in the form key=value to the producer.',
    arg: 'required',
    argName: 'producer_prop',
  },
  {
    name: 'producer-property',
    description: '(DEPRECATED) Use --command-property instead.',
    arg: 'required',
    argName: 'producer_prop',
  },
  {
    name: 'command-config',
    description: 'Producer config properties file. Note that [command-property] takes precedence over this config.',
    arg: 'required',
    argName: 'config file',
  },
  {
    name: 'producer.config',
    description: '(DEPRECATED) Use --command-config instead.',
    arg: 'required',
    argName: 'config file',
  },
];

const READERS = new Set([
  'org.apache.kafka.tools.LineMessageReader',
  'kafka.tools.ConsoleProducer$LineMessageReader',
  'LineMessageReader',
]);

/** Java-only producer settings the tool sets by default; Samsa's client has no use for them. */
const JAVA_ONLY = new Set(['send.buffer.bytes']);

/** Kafka's `ConsoleProducerOptions.producerProps()`: the file, then properties, then the tool's flags. */
export function producerProperties(options: ParsedOptions, bootstrap: string): Map<string, string> {
  const file = options.value('command-config') ?? options.value('producer.config');
  const props = file === undefined ? new Map<string, string>() : loadProps(file);
  for (const [k, v] of parseKeyValueArgs(aliasedValues(options, 'command-property', 'producer-property')))
    props.set(k, v);
  props.set('bootstrap.servers', bootstrap);
  const codec = options.has('compression-codec') ? options.value('compression-codec') || 'gzip' : 'none';
  props.set('compression.type', codec);
  if (!props.has('client.id')) props.set('client.id', 'console-producer');
  // CommandLineUtils.maybeMergeOptions: a flag given explicitly wins, else its default unless the properties set the key.
  const merge = (key: string, option: string) => {
    const value = options.value(option);
    if (value !== undefined && (options.has(option) || !props.has(key))) props.set(key, value);
  };
  merge('linger.ms', 'timeout');
  merge('acks', 'request-required-acks');
  merge('request.timeout.ms', 'request-timeout-ms');
  merge('retries', 'message-send-max-retries');
  merge('retry.backoff.ms', 'retry-backoff-ms');
  merge('send.buffer.bytes', 'socket-buffer-size');
  merge('buffer.memory', 'max-memory-bytes');
  merge('batch.size', 'batch-size');
  if (options.has('max-partition-memory-bytes')) merge('batch.size', 'max-partition-memory-bytes');
  merge('metadata.max.age.ms', 'metadata-expiry-ms');
  merge('max.block.ms', 'max-block-ms');
  return props;
}

/** The reader's properties: `--reader-config`, then the topic, then `--reader-property`. */
export function readerProperties(options: ParsedOptions): Map<string, string> {
  const file = options.value('reader-config');
  const props = file === undefined ? new Map<string, string>() : loadProps(file);
  props.set('topic', options.value('topic') as string);
  for (const [k, v] of parseKeyValueArgs(aliasedValues(options, 'reader-property', 'property'))) props.set(k, v);
  return props;
}

async function produce(options: ParsedOptions, io: CommandIo): Promise<number> {
  const topic = requireOption(options, 'topic');
  const bootstrap = validateBootstrapServer(options.value('bootstrap-server') ?? options.value('broker-list'));
  const readerClass = options.value('line-reader') as string;
  if (!READERS.has(readerClass))
    throw new UsageError(`${readerClass}: only Kafka's LineMessageReader is available in Samsa`);
  const reader = new LineMessageReader(readerProperties(options));
  const warn = (line: string) => io.stderr.write(`${line}\n`);
  const settings = clientSettings('producer', producerProperties(options, bootstrap), warn, JAVA_ONLY);
  const producer = new Producer<Buffer, Buffer>({ ...settings, keySerializer: 'buffer', valueSerializer: 'buffer' });
  let failures = 0;
  try {
    await awaitBroker(producer.cluster, bootstrap, connectTimeoutMs(io.env));
    const sync = options.has('sync');
    const lines = createInterface({ input: io.stdin, crlfDelay: Number.POSITIVE_INFINITY, terminal: false });
    const onAbort = () => lines.close();
    io.signal.addEventListener('abort', onAbort, { once: true });
    const prompt = () => {
      if (io.interactive) io.stdout.write('>');
    };
    prompt();
    try {
      for await (const line of lines) {
        const record = reader.read(line);
        const sent = producer.send({ topic, key: record.key, value: record.value, headers: record.headers });
        const logFailure = (error: unknown) => {
          failures++;
          const key = record.key === null ? 'null' : `${record.key.length} bytes`;
          const value = record.value === null ? 'null' : `${record.value.length} bytes`;
          io.stderr.write(
            `ERROR Error when sending message to topic ${topic} with key: ${key}, value: ${value} with error: ${errorLine(error)}\n`,
          );
        };
        if (sync) await sent.catch(logFailure);
        else sent.catch(logFailure);
        if (io.signal.aborted) break;
        prompt();
      }
    } finally {
      io.signal.removeEventListener('abort', onAbort);
    }
    await producer.flush();
  } finally {
    await producer.close();
  }
  return failures > 0 ? 1 : 0;
}

/** `kafka-console-producer.sh`: one record per line of standard input. */
export const consoleProducerTool: Tool = {
  name: 'console-producer',
  script: 'kafka-console-producer.sh',
  purpose: 'This tool helps to read data from standard input and publish it to Kafka.',
  specs,
  aliases: [
    { old: 'property', current: 'reader-property', warning: deprecationWarning('property', 'reader-property') },
    {
      old: 'producer-property',
      current: 'command-property',
      warning: deprecationWarning('producer-property', 'command-property'),
    },
    {
      old: 'producer.config',
      current: 'command-config',
      warning: deprecationWarning('producer.config', 'command-config'),
    },
    {
      old: 'max-partition-memory-bytes',
      current: 'batch-size',
      warning:
        'Warning: --max-partition-memory-bytes is deprecated and will be removed in Apache Kafka 5.0. Use --batch-size instead.',
      allowBoth: true,
    },
  ],
  run: produce,
};
