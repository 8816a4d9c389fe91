#!/usr/bin/env node
// Persistent key-value stores for Kafka Streams state, measured on this machine (issue 18 asks
// for the choice to be measured): the package's SQLite store (better-sqlite3, what
// Stores.persistentKeyValueStore uses), lmdb and classic-level (LevelDB), under a Streams-like
// workload: 20-byte keys, 8–100-byte values, random puts with a flush (a Streams commit) per 1,000
// writes, random gets, get-then-put (what count/aggregate do per record) and range scans of 100
// keys. Prints a Markdown table (ops/s and p99 per operation) and one JSON line.
//   node bench/streams/store-bench.mjs [--keys 100000] [--ops 200000] [--scans 2000]
// Not part of `npm run bench` nor of CI: run it by hand when the store choice is revisited.
// lmdb and classic-level are root devDependencies for this script only, never @samsa/streams'.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { ClassicLevel } from 'classic-level';
import { open as openLmdb } from 'lmdb';
import { SqliteKeyValueStore } from '../../packages/streams/dist/src/state/sqlite-key-value-store.js';

const args = process.argv.slice(2);
const arg = (name, fallback) => {
  const i = args.indexOf(name);
  return i >= 0 ? Number(args[i + 1]) : fallback;
};
const KEYS = arg('--keys', 100_000);
const OPS = arg('--ops', 200_000);
const SCANS = arg('--scans', 2_000);
const SCAN_LENGTH = 100;
const COMMIT_EVERY_WRITES = 1_000;

// A fixed pseudo-random sequence, so that every store sees the same keys and values.
let seed = 42;
const random = () => {
  seed = (seed * 1103515245 + 12345) & 0x7fffffff;
  return seed;
};
/** 20-byte keys in an order unrelated to insertion (as serialized Strings or Longs would be). */
const key = (i) => Buffer.from(`k${String((i * 7919) % KEYS).padStart(19, '0')}`);
const value = () => {
  const v = Buffer.allocUnsafe(8 + (random() % 93));
  for (let i = 0; i < v.length; i++) v[i] = random() & 0xff;
  return v;
};

/** Each adapter gives Streams' synchronous store calls; flush() is the commit. */
function sqliteAdapter(dir) {
  const store = new SqliteKeyValueStore('bench');
  store.open(dir);
  return {
    name: 'SQLite (better-sqlite3 12, WAL, synchronous=NORMAL)',
    put: (k, v) => store.put(k, v),
    get: (k) => store.get(k),
    range: async (from, to) => store.range(from, to).slice(0, SCAN_LENGTH).length,
    flush: async () => store.flush(),
    close: async () => store.close(),
  };
}

/**
 * lmdb: the writes of one commit are kept in memory (an overlay that gets read first, as a Streams
 * store over lmdb would need) and written in one synchronous write transaction by flush(): lmdb-js
 * cannot hold a write transaction open across calls, and its async put() is invisible to get()
 * until its batch commits.
 */
function lmdbAdapter(dir) {
  const db = openLmdb({ path: join(dir, 'lmdb'), keyEncoding: 'binary', encoding: 'binary' });
  let pending = [];
  const writeAll = () => {
    if (pending.length === 0) return;
    const writes = pending;
    pending = [];
    db.transactionSync(() => {
      for (const [k, v] of writes) db.putSync(k, v);
    });
  };
  const overlay = new Map();
  return {
    name: 'lmdb 3.5 (default durability: msync per commit)',
    put: (k, v) => {
      pending.push([k, v]);
      overlay.set(k.toString('latin1'), v);
    },
    get: (k) => overlay.get(k.toString('latin1')) ?? db.getBinary(k) ?? null,
    range: async (from, to) => {
      let n = 0;
      // getRange's end is exclusive: the smallest key after `to` makes it Streams' inclusive range.
      const end = Buffer.concat([to, Buffer.of(0)]);
      for (const _ of db.getRange({ start: from, end, limit: SCAN_LENGTH })) n++;
      return n;
    },
    flush: async () => {
      writeAll();
      overlay.clear();
    },
    close: async () => {
      writeAll();
      await db.close();
    },
  };
}

/** classic-level: gets are synchronous (getSync), writes only asynchronous: an overlay and a batch per commit. */
async function levelAdapter(dir) {
  const db = new ClassicLevel(join(dir, 'level'), { keyEncoding: 'buffer', valueEncoding: 'buffer' });
  await db.open();
  let batch = db.batch();
  const overlay = new Map();
  return {
    name: 'classic-level 3 (LevelDB, sync: false)',
    put: (k, v) => {
      batch.put(k, v);
      overlay.set(k.toString('latin1'), v);
    },
    get: (k) => overlay.get(k.toString('latin1')) ?? db.getSync(k) ?? null,
    range: async (from, to) => (await db.keys({ gte: from, lte: to, limit: SCAN_LENGTH }).all()).length,
    flush: async () => {
      await batch.write();
      batch = db.batch();
      overlay.clear();
    },
    close: async () => {
      if (batch.length > 0) await batch.write();
      await db.close();
    },
  };
}

function stats(samplesMs, totalMs) {
  const sorted = Float64Array.from(samplesMs).sort();
  const p99 = sorted[Math.min(sorted.length - 1, Math.floor(sorted.length * 0.99))];
  return { opsPerSec: Math.round((samplesMs.length / totalMs) * 1000), p99Us: Math.round(p99 * 1000 * 10) / 10 };
}

async function run(makeAdapter) {
  const dir = mkdtempSync(join(tmpdir(), 'samsa-store-bench-'));
  const store = await makeAdapter(dir);
  const result = { store: store.name };
  try {
    // Puts: fill the key space, then random overwrites; the flush counts in the phase's time.
    seed = 42;
    let samples = [];
    let commits = [];
    let start = performance.now();
    for (let i = 0; i < OPS; i++) {
      const k = key(i < KEYS ? i : random() % KEYS);
      const t = performance.now();
      store.put(k, value());
      samples.push(performance.now() - t);
      if ((i + 1) % COMMIT_EVERY_WRITES === 0) {
        const c = performance.now();
        await store.flush();
        commits.push(performance.now() - c);
      }
    }
    await store.flush();
    result.put = stats(samples, performance.now() - start);
    result.commit = stats(
      commits,
      commits.reduce((a, b) => a + b, 0),
    );

    samples = [];
    start = performance.now();
    for (let i = 0; i < OPS; i++) {
      const k = key(random() % KEYS);
      const t = performance.now();
      store.get(k);
      samples.push(performance.now() - t);
    }
    result.get = stats(samples, performance.now() - start);

    // Get-then-put, as a count or aggregate processor does per record; a commit per 1,000 writes.
    samples = [];
    commits = [];
    start = performance.now();
    for (let i = 0; i < OPS; i++) {
      const k = key(random() % KEYS);
      const t = performance.now();
      const old = store.get(k);
      store.put(k, old === null ? value() : Buffer.from(old));
      samples.push(performance.now() - t);
      if ((i + 1) % COMMIT_EVERY_WRITES === 0) {
        const c = performance.now();
        await store.flush();
        commits.push(performance.now() - c);
      }
    }
    await store.flush();
    result.getThenPut = stats(samples, performance.now() - start);

    samples = [];
    start = performance.now();
    for (let i = 0; i < SCANS; i++) {
      const first = random() % (KEYS - SCAN_LENGTH);
      const from = Buffer.from(`k${String(first).padStart(19, '0')}`);
      const to = Buffer.from(`k${String(first + SCAN_LENGTH - 1).padStart(19, '0')}`);
      const t = performance.now();
      const n = await store.range(from, to);
      samples.push(performance.now() - t);
      if (n !== SCAN_LENGTH) throw new Error(`${store.name}: a range scan returned ${n} keys, not ${SCAN_LENGTH}`);
    }
    result.range100 = stats(samples, performance.now() - start);
  } finally {
    await store.close();
    rmSync(dir, { recursive: true, force: true });
  }
  return result;
}

const results = [];
for (const adapter of [sqliteAdapter, lmdbAdapter, levelAdapter]) results.push(await run(adapter));

const cell = (s) => `${s.opsPerSec.toLocaleString('en-US')} /s, p99 ${s.p99Us} µs`;
console.log(`${KEYS} keys, ${OPS} ops per phase, ${SCANS} scans of ${SCAN_LENGTH} keys, Node ${process.version}\n`);
console.log('| store | put (commit per 1,000) | commit p99 | get | get then put | range scan of 100 |');
console.log('|---|---|---|---|---|---|');
for (const r of results) {
  console.log(
    `| ${r.store} | ${cell(r.put)} | ${r.commit.p99Us} µs | ${cell(r.get)} | ${cell(r.getThenPut)} | ${cell(r.range100)} |`,
  );
}
console.log(JSON.stringify({ keys: KEYS, ops: OPS, scans: SCANS, results }));
