import { readFileSync } from 'node:fs';
import { basename } from 'node:path';
import {
  CompressionType,
  compressionOf,
  computeBatchCrc,
  decodeRecordBatch,
  isControl,
  isTransactional,
  iterateRecordBatches,
  lastOffsetOf,
  type RecordBatchHeader,
  timestampTypeOf,
} from '@samsa/protocol';
import type { OptionSpec, ParsedOptions } from '../options/option-parser.js';
import { CommandError, UsageError } from '../support/command-errors.js';
import type { CommandIo } from '../support/command-io.js';
import { requireOption, type Tool } from '../support/tool.js';

const specs: OptionSpec[] = [
  {
    name: 'print-data-log',
    description:
      'If set, printing the messages content when dumping data logs. Automatically set if any decoder option is specified.',
  },
  { name: 'verify-index-only', description: 'If set, just verify the index log without printing its content.' },
  {
    name: 'index-sanity-check',
    description:
      'If set, just checks the index sanity without printing its content. This is the same check that is executed on broker startup to determine if an index needs rebuilding or not.',
  },
  {
    name: 'files',
    description: 'REQUIRED: The comma separated list of data and index log files to be dumped.',
    arg: 'required',
    argName: 'file1, file2, ...',
  },
  {
    name: 'max-message-size',
    description: 'Size of largest message.',
    arg: 'required',
    argName: 'size',
    argType: 'Integer',
    defaultValue: '5242880',
  },
  {
    name: 'max-bytes',
    description: 'Limit the amount of total batches read in bytes avoiding reading the whole .log file(s).',
    arg: 'required',
    argName: 'size',
    argType: 'Integer',
    defaultValue: '2147483647',
  },
  {
    name: 'deep-iteration',
    description: 'If set, uses deep instead of shallow iteration. Automatically set if print-data-log is enabled.',
  },
  { name: 'skip-record-metadata', description: 'Whether to skip printing metadata for each record.' },
];

const COMPRESSION_NAMES: Record<number, string> = {
  [CompressionType.NONE]: 'none',
  [CompressionType.GZIP]: 'gzip',
  [CompressionType.SNAPPY]: 'snappy',
  [CompressionType.LZ4]: 'lz4',
  [CompressionType.ZSTD]: 'zstd',
};
const CONTROL_TYPES: Record<number, string> = { 0: 'ABORT', 1: 'COMMIT' };

function timestampTypeName(attributes: number): string {
  return timestampTypeOf(attributes) === 1 ? 'LogAppendTime' : 'CreateTime';
}

/** The batch line of `kafka-dump-log.sh` (magic v2). */
export function formatBatchLine(h: RecordBatchHeader, position: number, crcValid: boolean): string {
  const lastSequence = h.baseSequence < 0 ? -1 : h.baseSequence + h.lastOffsetDelta;
  return (
    `baseOffset: ${h.baseOffset} lastOffset: ${lastOffsetOf(h)} count: ${h.recordsCount} baseSequence: ${h.baseSequence} lastSequence: ${lastSequence}` +
    ` producerId: ${h.producerId} producerEpoch: ${h.producerEpoch} partitionLeaderEpoch: ${h.partitionLeaderEpoch}` +
    ` isTransactional: ${isTransactional(h.attributes)} isControl: ${isControl(h.attributes)} deleteHorizonMs: ${deleteHorizon(h)}` +
    ` position: ${position} ${timestampTypeName(h.attributes)}: ${h.maxTimestamp} size: ${h.sizeInBytes} magic: ${h.magic}` +
    ` compresscodec: ${COMPRESSION_NAMES[compressionOf(h.attributes)] ?? 'unknown'} crc: ${h.crc >>> 0} isvalid: ${crcValid}`
  );
}

/** Java prints the batch's OptionalLong: set only when the delete-horizon attribute bit (6) is. */
function deleteHorizon(h: RecordBatchHeader): string {
  return (h.attributes & 0x40) !== 0 ? `OptionalLong[${h.baseTimestamp}]` : 'OptionalLong.empty';
}

function dumpLog(path: string, options: ParsedOptions, io: CommandIo): void {
  const name = basename(path);
  io.stdout.write(`Log starting offset: ${Number(name.split('.')[0])}\n`);
  const maxBytes = options.number('max-bytes') ?? 2147483647;
  const all = readFileSync(path);
  const data = all.subarray(0, Math.min(all.length, maxBytes));
  const deep = options.has('deep-iteration') || options.has('print-data-log');
  const printData = options.has('print-data-log');
  const skipMetadata = options.has('skip-record-metadata');
  let validBytes = 0;
  let lastOffset = -1;
  const gaps: [number, number][] = [];
  const iterator = iterateRecordBatches(data, { verifyCrc: false });
  for (;;) {
    let step: IteratorResult<{ position: number; header: RecordBatchHeader; bytes: Buffer }, number>;
    try {
      step = iterator.next();
    } catch (error) {
      io.stdout.write(`Found invalid batch at position ${validBytes} of ${name}: ${(error as Error).message}\n`);
      break;
    }
    if (step.done === true) break;
    const { position, header, bytes } = step.value;
    const crcValid = computeBatchCrc(bytes, 0, bytes.length) === header.crc >>> 0;
    const lines = [formatBatchLine(header, position, crcValid)];
    if (deep) {
      const batch = decodeRecordBatch(bytes, 0, { verifyCrc: false });
      for (const record of batch.records) {
        if (lastOffset !== -1 && record.offset !== lastOffset + 1) gaps.push([lastOffset, record.offset]);
        lastOffset = record.offset;
        let line = '|';
        let prefix = ' ';
        if (!skipMetadata) {
          const sequence = header.baseSequence < 0 ? -1 : header.baseSequence + record.offsetDelta;
          line +=
            ` offset: ${record.offset} ${timestampTypeName(header.attributes)}: ${record.timestamp} keySize: ${record.key?.length ?? -1} valueSize: ${record.value?.length ?? -1}` +
            ` sequence: ${sequence} headerKeys: [${record.headers.map((h) => h.key).join(',')}]`;
          if (isControl(header.attributes) && record.key !== null && record.key.length >= 4) {
            const type = record.key.readInt16BE(2);
            const control = CONTROL_TYPES[type];
            if (control !== undefined && record.value !== null && record.value.length >= 6) {
              line += ` endTxnMarker: ${control} coordinatorEpoch: ${record.value.readInt32BE(2)}`;
            } else line += ` controlType: ${control ?? 'UNKNOWN'}(${type})`;
          }
        } else prefix = ' ';
        if (printData && !isControl(header.attributes)) {
          if (record.key !== null) {
            line += `${skipMetadata ? prefix : ' '}key: ${record.key.toString('utf8')}`;
            prefix = ' ';
          }
          if (record.value !== null) line += ` payload: ${record.value.toString('utf8')}`;
        }
        lines.push(line);
      }
    }
    io.stdout.write(`${lines.join('\n')}\n`);
    validBytes += bytes.length;
  }
  const trailing = data.length - validBytes;
  if (trailing > 0 && maxBytes === 2147483647)
    io.stdout.write(`Found ${trailing} invalid bytes at the end of ${name}\n`);
  if (gaps.length > 0) {
    io.stderr.write(`Non-consecutive offsets in ${path}\n`);
    for (const [a, b] of gaps) io.stderr.write(`  ${a} is followed by ${b}\n`);
  }
}

/** `.index`: 8-byte entries (relative offset, position); a zero entry after the first ends it. */
function dumpIndex(path: string, options: ParsedOptions, io: CommandIo): void {
  const data = readFileSync(path);
  const baseOffset = Number(basename(path).split('.')[0]);
  if (options.has('index-sanity-check')) {
    io.stdout.write(`${path} passed sanity check.\n`);
    return;
  }
  if (data.length === 0) return;
  const lines: string[] = [];
  for (let i = 0; i + 8 <= data.length; i += 8) {
    const offset = baseOffset + data.readInt32BE(i);
    if (offset === baseOffset && i > 0) break;
    if (!options.has('verify-index-only')) lines.push(`offset: ${offset} position: ${data.readInt32BE(i + 4)}`);
  }
  if (lines.length > 0) io.stdout.write(`${lines.join('\n')}\n`);
}

/** `.timeindex`: 12-byte entries (timestamp, relative offset). */
function dumpTimeIndex(path: string, options: ParsedOptions, io: CommandIo): void {
  const data = readFileSync(path);
  const baseOffset = Number(basename(path).split('.')[0]);
  if (options.has('index-sanity-check')) {
    io.stdout.write(`${path} passed sanity check.\n`);
    return;
  }
  const lines: string[] = [];
  for (let i = 0; i + 12 <= data.length; i += 12) {
    const timestamp = data.readBigInt64BE(i);
    const offset = baseOffset + data.readInt32BE(i + 8);
    if (offset === baseOffset && i > 0) break;
    if (!options.has('verify-index-only')) lines.push(`timestamp: ${timestamp} offset: ${offset}`);
  }
  if (lines.length > 0) io.stdout.write(`${lines.join('\n')}\n`);
}

/** `kafka-dump-log.sh`: batches and records of segment files, and index entries. */
export const dumpLogTool: Tool = {
  name: 'dump-log',
  script: 'kafka-dump-log.sh',
  purpose:
    'This tool helps to parse a log file and dump its contents to the console, useful for debugging a seemingly corrupt log segment.',
  specs,
  async run(options, io) {
    const files = requireOption(options, 'files')
      .split(',')
      .map((f) => f.trim())
      .filter((f) => f !== '');
    if (files.length === 0) throw new UsageError('Missing required argument "[files]"');
    for (const file of files) {
      io.stdout.write(`Dumping ${file}\n`);
      try {
        if (file.endsWith('.log')) dumpLog(file, options, io);
        else if (file.endsWith('.index')) dumpIndex(file, options, io);
        else if (file.endsWith('.timeindex')) dumpTimeIndex(file, options, io);
        else io.stderr.write(`Ignoring unknown file ${file}\n`);
      } catch (error) {
        if ((error as NodeJS.ErrnoException).code === 'ENOENT')
          throw new CommandError(`Error: ${file} (No such file or directory)`);
        throw error;
      }
    }
    return 0;
  },
};
