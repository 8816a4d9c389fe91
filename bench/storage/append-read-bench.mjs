#!/usr/bin/env node
// Storage hot-path benchmark: appendAsLeader throughput, read (fetch) throughput and group-commit
// flush latency. Run after `npx tsc -b packages/storage`:
//   node bench/storage/append-read-bench.mjs [totalMiB=256]
// Uses a temp dir under os.tmpdir() and removes it afterwards.
import * as fs from 'node:fs';
import * as os from 'node:os';
import { join } from 'node:path';
import { buildRecordBatch } from '../../packages/protocol/dist/src/index.js';
import { Log, logConfig, SystemTime } from '../../packages/storage/dist/src/index.js';
import { defaultFdatasync } from '../../packages/storage/dist/src/util/file-ops.js';

const totalMiB = Number(process.argv[2] ?? 256);
const RECORD = 1024;

function makeBatch(batchBytes) {
  const count = Math.max(1, Math.floor(batchBytes / (RECORD + 20)));
  const value = Buffer.alloc(RECORD, 0x61);
  const records = Array.from({ length: count }, (_, i) => ({ key: Buffer.from(`key-${i}`), value }));
  return buildRecordBatch({ defaultTimestamp: Date.now(), records });
}

async function openLog(dir, fsync) {
  return Log.open({
    dir,
    topic: 'bench',
    partition: 0,
    config: logConfig({ segmentBytes: 512 * 1024 * 1024 }),
    time: SystemTime,
    hadCleanShutdown: false,
    ...(fsync ? { fsync } : {}),
  });
}

function mbps(bytes, ns) {
  return (bytes / (1024 * 1024) / (Number(ns) / 1e9)).toFixed(0);
}

async function appendRead(label, batchBytes) {
  const root = fs.mkdtempSync(join(os.tmpdir(), 'samsa-bench-'));
  try {
    const log = await openLog(join(root, 'bench-0'));
    const template = makeBatch(batchBytes);
    const n = Math.max(1, Math.floor((totalMiB * 1024 * 1024) / template.length));
    // Each append gets its own buffer, as a produce request would; copying is outside the timing.
    const buffers = Array.from({ length: Math.min(n, 64) }, () => Buffer.from(template));
    let t = process.hrtime.bigint();
    for (let i = 0; i < n; i++) log.appendAsLeader(buffers[i % buffers.length], 0);
    const appendNs = process.hrtime.bigint() - t;
    const bytes = log.size;
    t = process.hrtime.bigint();
    await log.flush();
    const flushNs = process.hrtime.bigint() - t;
    log.updateHighWatermark(log.logEndOffset);

    t = process.hrtime.bigint();
    let offset = 0;
    let readBytes = 0;
    let reads = 0;
    const maxBytes = Math.max(1024 * 1024, template.length);
    while (offset < log.logEndOffset) {
      const r = await log.read(offset, { maxBytes, maxOffset: log.highWatermark, minOneMessage: true });
      readBytes += r.records.length;
      reads++;
      // Next offset: after the last batch returned (header only).
      let pos = 0;
      let last = offset;
      while (pos < r.records.length) {
        const base = r.records.readInt32BE(pos) * 2 ** 32 + r.records.readUInt32BE(pos + 4);
        last = base + r.records.readInt32BE(pos + 23);
        pos += r.records.readInt32BE(pos + 8) + 12;
      }
      offset = last + 1;
    }
    const readNs = process.hrtime.bigint() - t;
    await log.close();
    console.log(
      `${label}: ${n} batches of ${template.length} B (${log.logEndOffset} records, ${(bytes / 2 ** 20).toFixed(0)} MiB)` +
        `\n  append ${mbps(bytes, appendNs)} MB/s (${(Number(appendNs) / n / 1000).toFixed(1)} µs/batch), ` +
        `final fsync ${(Number(flushNs) / 1e6).toFixed(1)} ms` +
        `\n  read   ${mbps(readBytes, readNs)} MB/s (${reads} reads of ≤ ${maxBytes} B, page cache)`,
    );
  } finally {
    fs.rmSync(root, { recursive: true, force: true });
  }
}

async function groupCommit(producers, rounds) {
  const root = fs.mkdtempSync(join(os.tmpdir(), 'samsa-bench-'));
  try {
    let syncs = 0;
    const log = await openLog(join(root, 'bench-0'), async (fd) => {
      syncs++;
      await defaultFdatasync(fd);
    });
    const template = makeBatch(16 * 1024);
    const latencies = [];
    syncs = 0;
    const start = process.hrtime.bigint();
    await Promise.all(
      Array.from({ length: producers }, async () => {
        for (let r = 0; r < rounds; r++) {
          const t = process.hrtime.bigint();
          log.appendAsLeader(Buffer.from(template), 0);
          await log.flush();
          latencies.push(Number(process.hrtime.bigint() - t) / 1e6);
          await new Promise((res) => setImmediate(res));
        }
      }),
    );
    const totalMs = Number(process.hrtime.bigint() - start) / 1e6;
    latencies.sort((a, b) => a - b);
    const pct = (p) => latencies[Math.min(latencies.length - 1, Math.floor(latencies.length * p))].toFixed(2);
    const ops = producers * rounds;
    console.log(
      `group commit, ${producers} concurrent producers × ${rounds} (append 16 KiB + flush): ` +
        `${ops} acks with ${syncs} fdatasyncs (${(ops / syncs).toFixed(1)} acks/sync), ` +
        `${((ops / totalMs) * 1000).toFixed(0)} acks/s, latency p50 ${pct(0.5)} ms, p99 ${pct(0.99)} ms`,
    );
    await log.close();
  } finally {
    fs.rmSync(root, { recursive: true, force: true });
  }
}

console.log(`node ${process.version}, ${os.cpus().length} cpus, ${os.cpus()[0]?.model ?? ''}, ${totalMiB} MiB per run`);
await appendRead('16 KiB batches', 16 * 1024);
await appendRead('1 MiB batches', 1024 * 1024);
await groupCommit(1, 200);
await groupCommit(16, 50);
await groupCommit(64, 20);
