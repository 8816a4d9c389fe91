// Micro-benchmarks of the protocol package's hot paths, on the compiled output:
//
//   npx tsc -b packages/protocol && node bench/protocol/codec-bench.mjs [--ms=1000]
//
// Prints a markdown table of operations per second and throughput. Measures, never asserts.
import { cpus } from 'node:os';
import {
  ApiKey,
  apiCodec,
  buildRecordBatch,
  decodeRecordBatch,
  decodeRequest,
  decodeResponse,
  encodeRequest,
  encodeResponse,
  validateBatch,
} from '../../packages/protocol/dist/src/index.js';

const msArg = process.argv.find((a) => a.startsWith('--ms='));
const RUN_MS = msArg === undefined ? 1000 : Number(msArg.slice(5));
const KiB = 1024;
const MiB = 1024 * KiB;

let sink = 0; // results flow here so the work cannot be optimized away

function size(chunks) {
  let n = 0;
  for (const c of chunks) n += c.length;
  return n;
}

/** Runs `fn` in growing batches until RUN_MS have passed; returns ops/s. */
function measure(fn) {
  for (let i = 0; i < 20; i++) fn(); // warm-up, lets V8 optimize
  let batch = 1;
  for (;;) {
    const t0 = performance.now();
    for (let i = 0; i < batch; i++) fn();
    if (performance.now() - t0 > 20) break;
    batch *= 2;
  }
  let ops = 0;
  const start = performance.now();
  let elapsed = 0;
  do {
    for (let i = 0; i < batch; i++) fn();
    ops += batch;
    elapsed = performance.now() - start;
  } while (elapsed < RUN_MS);
  return ops / (elapsed / 1000);
}

/** The largest uncompressed batch of at most `bytes` made of `recordBytes`-byte values. */
function batchOf(bytes, recordBytes) {
  const value = Buffer.alloc(recordBytes, 0x61);
  const build = (count) =>
    buildRecordBatch({
      records: Array.from({ length: count }, () => ({ value })),
      defaultTimestamp: 1_700_000_000_000,
    });
  let count = Math.floor(bytes / recordBytes);
  let batch = build(count);
  while (batch.length > bytes) {
    count -= Math.ceil((batch.length - bytes) / recordBytes);
    batch = build(count);
  }
  return batch;
}

const produce = apiCodec(ApiKey.Produce);
const fetch = apiCodec(ApiKey.Fetch);

// ProduceRequest v9: one topic, one partition, a 16 KiB batch.
const produceBody = {
  transactionalId: null,
  acks: -1,
  timeoutMs: 30_000,
  topicData: [{ name: 'orders', partitionData: [{ index: 0, records: batchOf(16 * KiB, 100) }] }],
};
const produceFrame = Buffer.concat(encodeRequest(produce, 9, 1, 'bench', produceBody)).subarray(4);

// FetchResponse v12: ten partitions of one topic, 64 KiB of records each.
const fetchRecords = batchOf(64 * KiB, 100);
const fetchBody = {
  throttleTimeMs: 0,
  errorCode: 0,
  sessionId: 0,
  responses: [
    {
      topic: 'orders',
      partitions: Array.from({ length: 10 }, (_, i) => ({
        partitionIndex: i,
        errorCode: 0,
        highWatermark: 1_000_000n,
        lastStableOffset: 1_000_000n,
        logStartOffset: 0n,
        abortedTransactions: null,
        preferredReadReplica: -1,
        records: fetchRecords,
      })),
    },
  ],
};
const fetchChunks = encodeResponse(fetch, 12, 1, fetchBody);
const fetchFrame = Buffer.concat(fetchChunks).subarray(4);

// validateBatch: 1 MiB uncompressed batch of 100-byte records.
const bigBatch = batchOf(MiB, 100);
const bigBatchRecords = validateBatch(bigBatch, 0).recordsCount;

const cases = [
  [
    'ProduceRequest v9 encode (1 × 16 KiB batch)',
    produceFrame.length,
    () => {
      sink += size(encodeRequest(produce, 9, 1, 'bench', produceBody));
    },
  ],
  [
    'ProduceRequest v9 decode',
    produceFrame.length,
    () => {
      sink += decodeRequest(produceFrame).header.correlationId;
    },
  ],
  [
    'FetchResponse v12 encode (10 × 64 KiB batches)',
    fetchFrame.length,
    () => {
      sink += size(encodeResponse(fetch, 12, 1, fetchBody));
    },
  ],
  [
    'FetchResponse v12 decode',
    fetchFrame.length,
    () => {
      sink += decodeResponse(fetch, 12, fetchFrame).correlationId;
    },
  ],
  [
    `validateBatch, 1 MiB uncompressed (${bigBatchRecords} × 100 B records)`,
    bigBatch.length,
    () => {
      sink += validateBatch(bigBatch, 0).recordsCount;
    },
  ],
  [
    'decodeRecordBatch, same 1 MiB batch (every record)',
    bigBatch.length,
    () => {
      sink += decodeRecordBatch(bigBatch).records.length;
    },
  ],
];

const rows = [];
for (const [name, bytes, fn] of cases) {
  const opsPerSec = measure(fn);
  rows.push([name, `${bytes.toLocaleString('en-US')}`, opsPerSec.toFixed(0), ((opsPerSec * bytes) / 1e6).toFixed(0)]);
}

const cpu = cpus();
console.log(
  `Node ${process.version}, ${cpu.length} × ${cpu[0]?.model.trim() ?? 'unknown CPU'}, ${RUN_MS} ms per case\n`,
);
console.log('| case | bytes/op | ops/s | MB/s |');
console.log('| --- | ---: | ---: | ---: |');
for (const row of rows) console.log(`| ${row.join(' | ')} |`);
if (sink === 0.5) console.log(sink); // never true; keeps `sink` observable
