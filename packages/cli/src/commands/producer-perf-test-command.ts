import { readFileSync } from 'node:fs';
import { Producer } from '@samsa/client';
import type { OptionSpec, ParsedOptions } from '../options/option-parser.js';
import { awaitBroker, connectTimeoutMs, validateBootstrapServer } from '../support/broker-connection.js';
import { clientSettings, loadProps, parseKeyValueArgs } from '../support/client-properties.js';
import { UsageError } from '../support/command-errors.js';
import type { CommandIo } from '../support/command-io.js';
import { fixed } from '../support/java-format.js';
import { Progress } from '../support/progress.js';
import { aliasedValues, deprecationWarning, type Tool } from '../support/tool.js';

const specs: OptionSpec[] = [
  {
    name: 'bootstrap-server',
    description:
      'The server(s) to connect to. This config takes precedence over bootstrap.servers specified via --command-property or --command-config.',
    arg: 'required',
    argName: 'BOOTSTRAP-SERVERS',
  },
  { name: 'topic', description: 'produce messages to this topic', arg: 'required', argName: 'TOPIC' },
  {
    name: 'num-records',
    description: 'number of messages to produce',
    arg: 'required',
    argName: 'NUM-RECORDS',
    argType: 'Long',
  },
  {
    name: 'record-size',
    description:
      'message size in bytes. Note that you must provide exactly one of --record-size or --payload-file or --payload-monotonic.',
    arg: 'required',
    argName: 'RECORD-SIZE',
    argType: 'Integer',
  },
  {
    name: 'payload-file',
    description:
      'file to read the message payloads from. This works only for UTF-8 encoded text files. Payloads will be read from this file and a payload will be randomly selected when sending messages. Note that you must provide exactly one of --record-size or --payload-file or --payload-monotonic.',
    arg: 'required',
    argName: 'PAYLOAD-FILE',
  },
  {
    name: 'payload-monotonic',
    description:
      'payload is monotonically increasing integer. Note that you must provide exactly one of --record-size or --payload-file or --payload-monotonic.',
  },
  {
    name: 'payload-delimiter',
    description:
      'provides delimiter to be used when --payload-file is provided. Defaults to new line. Note that this parameter will be ignored if --payload-file is not provided.',
    arg: 'required',
    argName: 'PAYLOAD-DELIMITER',
    defaultValue: '\\n',
  },
  {
    name: 'throughput',
    description:
      'throttle maximum message throughput to *approximately* THROUGHPUT messages/sec. Set this to -1 to disable throttling.',
    arg: 'required',
    argName: 'THROUGHPUT',
    argType: 'Double',
  },
  {
    name: 'command-property',
    description:
      'kafka producer related configuration properties like client.id. These configs take precedence over those passed via --command-config or --producer.config.',
    arg: 'required',
    argName: 'PROP-NAME=PROP-VALUE',
    variadic: true,
  },
  {
    name: 'producer-props',
    description:
      '(DEPRECATED) kafka producer related configuration properties like bootstrap.servers,client.id etc. Use --command-property instead.',
    arg: 'required',
    argName: 'PROP-NAME=PROP-VALUE',
    variadic: true,
  },
  { name: 'command-config', description: 'Producer config properties file.', arg: 'required', argName: 'CONFIG-FILE' },
  {
    name: 'producer.config',
    description: '(DEPRECATED) Producer config properties file. Use --command-config instead.',
    arg: 'required',
    argName: 'CONFIG-FILE',
  },
  { name: 'print-metrics', description: 'print out metrics at the end of the test.' },
  {
    name: 'transactional-id',
    description: 'The transactional id to use (transactions are not available in Samsa yet).',
    arg: 'required',
    argName: 'TRANSACTIONAL-ID',
  },
  {
    name: 'transaction-duration-ms',
    description: 'The max age of each transaction (transactions are not available in Samsa yet).',
    arg: 'required',
    argName: 'TRANSACTION-DURATION',
    argType: 'Long',
  },
  {
    name: 'reporting-interval',
    description: 'Interval in milliseconds at which to print progress info.',
    arg: 'required',
    argName: 'INTERVAL-MS',
    argType: 'Long',
    defaultValue: '5000',
  },
];

/**
 * Kafka's ProducerPerformance statistics: every acknowledged record's latency, a window report
 * every reporting interval and a total with percentiles from a sample of at most 500,000
 * latencies.
 */
export class PerfStats {
  private readonly start = Date.now();
  private windowStart = Date.now();
  private readonly sampling: number;
  private readonly latencies: number[] = [];
  private iteration = 0;
  count = 0;
  private bytes = 0;
  private maxLatency = 0;
  private totalLatency = 0;
  private windowCount = 0;
  private windowMaxLatency = 0;
  private windowTotalLatency = 0;
  private windowBytes = 0;

  constructor(
    numRecords: number,
    private readonly reportingIntervalMs: number,
    private readonly print: (line: string) => void,
  ) {
    this.sampling = Math.max(1, Math.floor(numRecords / Math.min(numRecords, 500000)));
  }

  record(latency: number, bytes: number, now: number): void {
    this.count++;
    this.bytes += bytes;
    this.totalLatency += latency;
    this.maxLatency = Math.max(this.maxLatency, latency);
    this.windowCount++;
    this.windowBytes += bytes;
    this.windowTotalLatency += latency;
    this.windowMaxLatency = Math.max(this.windowMaxLatency, latency);
    if (this.iteration % this.sampling === 0) this.latencies.push(latency);
    this.iteration++;
    if (now - this.windowStart >= this.reportingIntervalMs) {
      this.printWindow();
      this.newWindow();
    }
  }

  printWindow(): void {
    const elapsed = Math.max(1, Date.now() - this.windowStart);
    const recsPerSec = (1000 * this.windowCount) / elapsed;
    const mbPerSec = (1000 * this.windowBytes) / elapsed / (1024 * 1024);
    this.print(
      `${this.windowCount} records sent, ${fixed(recsPerSec, 1)} records/sec (${fixed(mbPerSec, 2)} MB/sec), ${fixed(this.windowTotalLatency / this.windowCount, 1)} ms avg latency, ${fixed(this.windowMaxLatency, 1)} ms max latency.`,
    );
  }

  private newWindow(): void {
    this.windowStart = Date.now();
    this.windowCount = 0;
    this.windowMaxLatency = 0;
    this.windowTotalLatency = 0;
    this.windowBytes = 0;
  }

  totalLine(): string {
    const elapsed = Math.max(1, Date.now() - this.start);
    const recsPerSec = (1000 * this.count) / elapsed;
    const mbPerSec = (1000 * this.bytes) / elapsed / (1024 * 1024);
    const sorted = [...this.latencies].sort((a, b) => a - b);
    const pct = (p: number) => sorted[Math.floor(p * sorted.length)] ?? 0;
    return `${this.count} records sent, ${fixed(recsPerSec, 1)} records/sec (${fixed(mbPerSec, 2)} MB/sec), ${fixed(this.totalLatency / this.count, 2)} ms avg latency, ${fixed(this.maxLatency, 2)} ms max latency, ${pct(0.5)} ms 50th, ${pct(0.95)} ms 95th, ${pct(0.99)} ms 99th, ${pct(0.999)} ms 99.9th.`;
  }
}

/** Kafka's ThroughputThrottler: sleeps so that sends stay near `throughput` records/sec. */
async function throttle(sent: number, startMs: number, throughput: number): Promise<void> {
  if (throughput <= 0) return;
  const expectedMs = (sent * 1000) / throughput;
  const elapsed = Date.now() - startMs;
  if (expectedMs > elapsed) await new Promise((r) => setTimeout(r, expectedMs - elapsed));
}

function payloads(options: ParsedOptions, io: CommandIo): Buffer[] {
  const file = options.value('payload-file');
  if (file === undefined) return [];
  const delimiter = (options.value('payload-delimiter') as string).replace(/\\n/g, '\n').replace(/\\t/g, '\t');
  io.stdout.write(`Reading payloads from: ${file}\n`);
  const list = readFileSync(file, 'utf8')
    .split(delimiter)
    .filter((p) => p !== '')
    .map((p) => Buffer.from(p, 'utf8'));
  io.stdout.write(`Number of messages read: ${list.length}\n`);
  if (list.length === 0) throw new UsageError(`File does not contain any payloads`);
  return list;
}

async function run(options: ParsedOptions, io: CommandIo): Promise<number> {
  for (const required of ['topic', 'num-records', 'throughput']) {
    if (!options.has(required)) throw new UsageError(`argument --${required} is required`);
  }
  const payloadOptions = ['record-size', 'payload-file', 'payload-monotonic'].filter((o) => options.has(o));
  if (payloadOptions.length !== 1) {
    throw new UsageError(
      payloadOptions.length === 0
        ? 'one of the arguments --record-size --payload-file --payload-monotonic is required'
        : `argument --${payloadOptions[1]}: not allowed with argument --${payloadOptions[0]}`,
    );
  }
  if (options.has('transactional-id') || options.has('transaction-duration-ms')) {
    throw new UsageError(
      'Transactions are not available in Samsa yet: drop --transactional-id and --transaction-duration-ms',
    );
  }
  const numRecords = options.number('num-records') as number;
  if (numRecords <= 0) throw new UsageError('--num-records should be greater than zero');
  const recordSize = options.number('record-size');
  if (recordSize !== undefined && recordSize <= 0) throw new UsageError('--record-size should be greater than zero');
  const reportingIntervalMs = options.number('reporting-interval') as number;
  if (reportingIntervalMs <= 0) throw new UsageError('--reporting-interval should be greater than zero');
  const throughput = options.number('throughput') as number;
  const file = options.value('command-config') ?? options.value('producer.config');
  const props = file === undefined ? new Map<string, string>() : loadProps(file);
  for (const [k, v] of parseKeyValueArgs(aliasedValues(options, 'command-property', 'producer-props'))) props.set(k, v);
  if (options.has('bootstrap-server')) props.set('bootstrap.servers', options.value('bootstrap-server') as string);
  if (!props.has('bootstrap.servers'))
    throw new UsageError(
      'Either --bootstrap-server or bootstrap.servers in --command-property or --command-config must be specified',
    );
  const bootstrap = validateBootstrapServer(props.get('bootstrap.servers'));
  props.set('bootstrap.servers', bootstrap);
  if (!props.has('client.id')) props.set('client.id', 'perf-producer-client');
  const settings = clientSettings('producer', props, (line) => io.stderr.write(`${line}\n`));
  const payloadList = payloads(options, io);
  const producer = new Producer<Buffer, Buffer>({ ...settings, keySerializer: 'buffer', valueSerializer: 'buffer' });
  const print = (line: string) => io.stdout.write(`${line}\n`);
  try {
    await awaitBroker(producer.cluster, bootstrap, connectTimeoutMs(io.env));
    const topic = options.value('topic') as string;
    const stats = new PerfStats(numRecords, reportingIntervalMs, print);
    const progress = new Progress(io, 'Records sent', numRecords);
    const fixedPayload = recordSize === undefined ? undefined : Buffer.alloc(recordSize);
    let inFlight = 0;
    let drained: (() => void) | undefined;
    const startMs = Date.now();
    let failure: Error | undefined;
    for (let i = 0; i < numRecords && !io.signal.aborted && failure === undefined; i++) {
      let payload: Buffer;
      if (payloadList.length > 0) payload = payloadList[Math.floor(Math.random() * payloadList.length)] as Buffer;
      else if (fixedPayload !== undefined) {
        for (let j = 0; j < fixedPayload.length; j++) fixedPayload[j] = 65 + Math.floor(Math.random() * 26);
        payload = Buffer.from(fixedPayload);
      } else payload = Buffer.from(String(i), 'utf8');
      const sendStart = Date.now();
      inFlight++;
      producer.send({ topic, value: payload }, (error) => {
        inFlight--;
        const now = Date.now();
        if (error === null) stats.record(now - sendStart, payload.length, now);
        else failure ??= error;
        if (drained !== undefined && inFlight < 10_000) {
          const d = drained;
          drained = undefined;
          d();
        }
      });
      // Java's send blocks when buffer.memory is full; here the loop waits for acknowledgements
      // instead, so a large run keeps memory bounded.
      if (inFlight >= 50_000) await new Promise<void>((r) => (drained = r));
      if (i % 1000 === 0) {
        progress.update(stats.count);
        await throttle(i + 1, startMs, throughput);
        await new Promise((r) => setImmediate(r));
      } else if (throughput > 0) await throttle(i + 1, startMs, throughput);
    }
    await producer.flush();
    progress.done();
    if (failure !== undefined) throw failure;
    print(stats.totalLine());
    if (options.has('print-metrics')) {
      const m = producer.metrics();
      const clientId = settings['client.id'] as string;
      const rows: [string, string][] = [
        [`producer-metrics:record-send-total:{client-id=${clientId}}`, fixed(m.recordsSent, 3)],
        [`producer-metrics:record-error-total:{client-id=${clientId}}`, fixed(m.recordsFailed, 3)],
        [`producer-metrics:batch-send-total:{client-id=${clientId}}`, fixed(m.batchesSent, 3)],
        [`producer-metrics:buffer-available-bytes:{client-id=${clientId}}`, fixed(m.bufferAvailableBytes, 3)],
        [`producer-metrics:buffer-total-bytes:{client-id=${clientId}}`, fixed(m.bufferTotalBytes, 3)],
      ];
      const width = Math.max(...rows.map(([n]) => n.length), 'Metric Name'.length);
      print(`\n${'Metric Name'.padEnd(width)} Value`);
      for (const [n, v] of rows) print(`${n.padEnd(width)} : ${v}`);
    }
  } finally {
    await producer.close({ timeoutMs: 5000 });
  }
  return 0;
}

/** `kafka-producer-perf-test.sh`. */
export const producerPerfTestTool: Tool = {
  name: 'producer-perf-test',
  script: 'kafka-producer-perf-test.sh',
  purpose: 'This tool is used to verify the producer performance.',
  specs,
  aliases: [
    {
      old: 'producer-props',
      current: 'command-property',
      warning: deprecationWarning('producer-props', 'command-property'),
      allowBoth: true,
    },
    {
      old: 'producer.config',
      current: 'command-config',
      warning: deprecationWarning('producer.config', 'command-config'),
    },
  ],
  run,
};
