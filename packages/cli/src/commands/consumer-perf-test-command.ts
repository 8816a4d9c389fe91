import { Consumer } from '@samsa/client';
import type { OptionSpec, ParsedOptions } from '../options/option-parser.js';
import { awaitBroker, connectTimeoutMs, validateBootstrapServer } from '../support/broker-connection.js';
import { clientSettings, loadProps, parseKeyValueArgs } from '../support/client-properties.js';
import { UsageError } from '../support/command-errors.js';
import type { CommandIo } from '../support/command-io.js';
import { fixed, simpleDateFormat } from '../support/java-format.js';
import { Progress } from '../support/progress.js';
import { checkInvalidArgs, type Tool } from '../support/tool.js';

const specs: OptionSpec[] = [
  {
    name: 'bootstrap-server',
    description: 'REQUIRED: The server(s) to connect to.',
    arg: 'required',
    argName: 'server to connect to',
  },
  { name: 'topic', description: 'The topic to consume from.', arg: 'required', argName: 'topic' },
  {
    name: 'include',
    description: 'Regular expression specifying list of topics to include for consumption.',
    arg: 'required',
    argName: 'Java regex (String)',
  },
  {
    name: 'group',
    description: 'The group id to consume on.',
    arg: 'required',
    argName: 'gid',
    defaultValue: 'perf-consumer-<random>',
  },
  {
    name: 'fetch-size',
    description: 'The maximum amount of data to fetch from a single partition per request.',
    arg: 'required',
    argName: 'size',
    argType: 'Integer',
    defaultValue: '1048576',
  },
  {
    name: 'command-property',
    description:
      'Kafka consumer related configuration properties like client.id. These configs take precedence over those passed via --command-config or --consumer.config.',
    arg: 'required',
    argName: 'prop1=val1',
  },
  {
    name: 'from-latest',
    description:
      'If the consumer does not already have an established offset to consume from, start with the latest record present in the log rather than the earliest record.',
  },
  {
    name: 'socket-buffer-size',
    description: 'The size of the tcp RECV size.',
    arg: 'required',
    argName: 'size',
    argType: 'Integer',
    defaultValue: '2097152',
  },
  {
    name: 'consumer.config',
    description:
      '(DEPRECATED) Consumer config properties file. This option will be removed in a future version. Use --command-config instead.',
    arg: 'required',
    argName: 'config file',
  },
  { name: 'command-config', description: 'Config properties file.', arg: 'required', argName: 'config file' },
  { name: 'print-metrics', description: 'Print out the metrics.' },
  {
    name: 'show-detailed-stats',
    description: 'If set, stats are reported for each reporting interval as configured by reporting-interval.',
  },
  {
    name: 'timeout',
    description: 'The maximum allowed time in milliseconds between returned records.',
    arg: 'optional',
    argName: 'milliseconds',
    argType: 'Long',
    defaultValue: '10000',
  },
  {
    name: 'messages',
    description:
      '(DEPRECATED) The number of records to consume. This option will be removed in a future version. Use --num-records instead.',
    arg: 'required',
    argName: 'count',
    argType: 'Long',
  },
  {
    name: 'num-records',
    description: 'REQUIRED: The number of records to consume.',
    arg: 'required',
    argName: 'count',
    argType: 'Long',
  },
  {
    name: 'reporting-interval',
    description: 'Interval in milliseconds at which to print progress info.',
    arg: 'required',
    argName: 'interval_ms',
    argType: 'Long',
    defaultValue: '5000',
  },
  {
    name: 'date-format',
    description: 'The date format to use for formatting the time field. See java.text.SimpleDateFormat for options.',
    arg: 'required',
    argName: 'date format',
    defaultValue: 'yyyy-MM-dd HH:mm:ss:SSS',
  },
  { name: 'hide-header', description: 'If set, skips printing the header for the stats.' },
];

/** ConsumerPerformance's CSV header. */
export function consumerPerfHeader(detailed: boolean): string {
  const extra = ', rebalance.time.ms, fetch.time.ms, fetch.MB.sec, fetch.nMsg.sec';
  return detailed
    ? `time, threadId, data.consumed.in.MB, MB.sec, data.consumed.in.nMsg, nMsg.sec${extra}`
    : `start.time, end.time, data.consumed.in.MB, MB.sec, data.consumed.in.nMsg, nMsg.sec${extra}`;
}

/** ConsumerPerformance's final CSV line. */
export function consumerPerfTotal(
  dateFormat: string,
  startMs: number,
  endMs: number,
  bytes: number,
  records: number,
  joinTimeMs: number,
): string {
  const elapsedSec = (endMs - startMs) / 1000;
  const fetchTimeMs = endMs - startMs - joinTimeMs;
  const mb = bytes / (1024 * 1024);
  return [
    simpleDateFormat(dateFormat, startMs),
    simpleDateFormat(dateFormat, endMs),
    fixed(mb, 4),
    fixed(mb / elapsedSec, 4),
    String(records),
    fixed(records / elapsedSec, 4),
    String(joinTimeMs),
    String(fetchTimeMs),
    fixed(mb / (fetchTimeMs / 1000), 4),
    fixed(records / (fetchTimeMs / 1000), 4),
  ].join(', ');
}

async function run(options: ParsedOptions, io: CommandIo): Promise<number> {
  if (!options.has('bootstrap-server')) throw new UsageError('Missing required argument "[bootstrap-server]"');
  const topics = ['topic', 'include'].filter((o) => options.has(o));
  if (topics.length !== 1)
    throw new UsageError('Exactly one of the following arguments is required: [topic], [include]');
  const counts = ['messages', 'num-records'].filter((o) => options.has(o));
  if (counts.length !== 1)
    throw new UsageError('Exactly one of the following arguments is required: [messages], [num-records]');
  checkInvalidArgs(options, 'consumer.config', ['command-config']);
  if (options.has('messages')) io.stdout.write('Warning: --messages is deprecated. Use --num-records instead.\n');
  if (options.has('consumer.config'))
    io.stdout.write('Warning: --consumer.config is deprecated. Use --command-config instead.\n');
  const numRecords = (options.number('messages') ?? options.number('num-records')) as number;
  const reportingIntervalMs = options.number('reporting-interval') as number;
  if (reportingIntervalMs <= 0) throw new UsageError('Reporting interval must be greater than 0.');
  const timeoutRaw = options.value('timeout');
  const timeoutMs = timeoutRaw === undefined || timeoutRaw === '' ? 10_000 : (options.number('timeout') as number);
  const dateFormat = options.value('date-format') as string;
  const detailed = options.has('show-detailed-stats');
  const bootstrap = validateBootstrapServer(options.value('bootstrap-server'));
  const file = options.value('command-config') ?? options.value('consumer.config');
  const props = file === undefined ? new Map<string, string>() : loadProps(file);
  for (const [k, v] of parseKeyValueArgs(options.values('command-property'))) props.set(k, v);
  props.set('bootstrap.servers', bootstrap);
  props.set(
    'group.id',
    options.has('group') ? (options.value('group') as string) : `perf-consumer-${Math.floor(Math.random() * 100000)}`,
  );
  props.set('max.partition.fetch.bytes', options.value('fetch-size') as string);
  props.set('auto.offset.reset', options.has('from-latest') ? 'latest' : 'earliest');
  props.set('check.crcs', 'false');
  if (!props.has('client.id')) props.set('client.id', 'perf-consumer-client');
  props.delete('key.deserializer');
  props.delete('value.deserializer');
  const settings = clientSettings(
    'consumer',
    props,
    (line) => io.stderr.write(`${line}\n`),
    new Set(['receive.buffer.bytes']),
  );
  if (!options.has('hide-header')) io.stdout.write(`${consumerPerfHeader(detailed)}\n`);
  let joinStartMs = Date.now();
  let joinTimeMs = 0;
  let joinTimeInRound = 0;
  const assigned = new Set<string>();
  const consumer = new Consumer<Buffer, Buffer>({
    ...settings,
    keyDeserializer: 'buffer',
    valueDeserializer: 'buffer',
    rebalanceListener: {
      onPartitionsRevoked(partitions) {
        for (const p of partitions) assigned.delete(`${p.topic}-${p.partition}`);
        if (assigned.size === 0) joinStartMs = Date.now();
      },
      onPartitionsAssigned(partitions) {
        if (assigned.size === 0) {
          const elapsed = Date.now() - joinStartMs;
          joinTimeMs += elapsed;
          joinTimeInRound += elapsed;
        }
        for (const p of partitions) assigned.add(`${p.topic}-${p.partition}`);
      },
    },
  });
  const progress = new Progress(io, 'Records consumed', numRecords);
  try {
    await awaitBroker(consumer.cluster, bootstrap, connectTimeoutMs(io.env));
    const startMs = Date.now();
    joinStartMs = startMs;
    if (options.has('topic')) consumer.subscribe([options.value('topic') as string]);
    else consumer.subscribe(new RegExp(`^(?:${options.value('include') as string})$`));
    let records = 0;
    let bytes = 0;
    let lastRecords = 0;
    let lastBytes = 0;
    let now = Date.now();
    let lastReportMs = now;
    let lastConsumedMs = now;
    while (records < numRecords && now - lastConsumedMs <= timeoutMs && !io.signal.aborted) {
      const batch = await consumer.poll({ timeoutMs: 100, signal: io.signal }).catch((error: unknown) => {
        if (io.signal.aborted) return [];
        throw error;
      });
      now = Date.now();
      if (batch.length > 0) lastConsumedMs = now;
      for (const record of batch) {
        records++;
        bytes += (record.key?.length ?? 0) + (record.value?.length ?? 0);
        if (now - lastReportMs >= reportingIntervalMs) {
          if (detailed) {
            const elapsedMs = now - lastReportMs;
            const fetchMs = elapsedMs - joinTimeInRound;
            const intervalMb = (bytes - lastBytes) / (1024 * 1024);
            io.stdout.write(
              `${[
                simpleDateFormat(dateFormat, now),
                '0',
                fixed(bytes / (1024 * 1024), 4),
                fixed((1000 * intervalMb) / elapsedMs, 4),
                String(records),
                fixed(((records - lastRecords) / elapsedMs) * 1000, 4),
                String(joinTimeInRound),
                String(fetchMs),
                fixed(fetchMs <= 0 ? 0 : (1000 * intervalMb) / fetchMs, 4),
                fixed(fetchMs <= 0 ? 0 : (1000 * (records - lastRecords)) / fetchMs, 4),
              ].join(', ')}\n`,
            );
          }
          joinTimeInRound = 0;
          lastReportMs = now;
          lastRecords = records;
          lastBytes = bytes;
        }
      }
      progress.update(records);
    }
    progress.done();
    if (records < numRecords) {
      io.stdout.write(
        `WARNING: Exiting before consuming the expected number of records: timeout (${timeoutMs} ms) exceeded. You can use the --timeout option to increase the timeout.\n`,
      );
    }
    const endMs = Date.now();
    if (!detailed) io.stdout.write(`${consumerPerfTotal(dateFormat, startMs, endMs, bytes, records, joinTimeMs)}\n`);
  } finally {
    progress.done();
    await consumer.close().catch(() => {});
  }
  return 0;
}

/** `kafka-consumer-perf-test.sh`. */
export const consumerPerfTestTool: Tool = {
  name: 'consumer-perf-test',
  script: 'kafka-consumer-perf-test.sh',
  purpose: 'This tool is used to verify the consumer performance.',
  specs,
  run,
};
