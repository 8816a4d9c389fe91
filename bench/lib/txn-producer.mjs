/**
 * Transactional produce: bench/lib/txn-producer.c (rdkafka_performance has no transactions),
 * compiled on first use against the installed librdkafka-dev — the library rdkafka_performance
 * is built against (tools.mjs installs it) — into bench/.cache/bin, and rebuilt when the source or
 * the library changes.
 */

import { spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { runCommand } from './procs.mjs';

/** Returns the path of the txn-producer binary, compiling it if needed. */
export function ensureTxnProducer(cacheDir, benchDir, librdkafkaVersion, log) {
  const binDir = join(cacheDir, 'bin');
  const bin = join(binDir, 'txn-producer');
  const stamp = join(binDir, 'txn-producer.stamp');
  const source = join(benchDir, 'lib', 'txn-producer.c');
  const hash = createHash('sha256').update(readFileSync(source)).digest('hex').slice(0, 16);
  const wanted = `librdkafka-dev ${librdkafkaVersion}\n${hash}`;
  if (existsSync(bin) && existsSync(stamp) && readFileSync(stamp, 'utf8') === wanted) return bin;
  mkdirSync(binDir, { recursive: true });
  const argv = ['gcc', '-O2', '-Wall', '-o', bin, source, '-lrdkafka'];
  log(`$ ${argv.join(' ')}`);
  const r = spawnSync(argv[0], argv.slice(1), { encoding: 'utf8' });
  if (r.status !== 0) throw new Error(`${argv.join(' ')} failed (exit ${r.status}):\n${r.stdout}${r.stderr}`);
  writeFileSync(stamp, wanted);
  return bin;
}

/**
 * Produces `count` records of `size` bytes in transactions of `perTxn` records, with the
 * settings the idempotent rdkafka_performance run gets (linger.ms, batch.size, `extra`).
 * `target` is { bootstrap } or { mock: true }. Returns records/s, bytes/s and per-transaction
 * timings (ms): the whole transaction (p50, p99), its produce loop (p50), commit_transaction
 * (p50, p99).
 */
export async function produceTransactions(bin, target, o) {
  const args = [
    ...(target.mock ? ['-M'] : ['-b', target.bootstrap]),
    '-t',
    o.topic,
    ...(o.partition === undefined ? [] : ['-p', String(o.partition)]),
    '-s',
    String(o.size),
    '-c',
    String(o.count),
    '-n',
    String(o.perTxn),
    '-X',
    `linger.ms=${o.lingerMs ?? 5}`,
    '-X',
    `batch.size=${o.batchSize ?? 1000000}`,
    ...(o.extra ?? []),
  ];
  const r = await runCommand(bin, args, { timeoutMs: o.timeoutMs ?? 180000 });
  const json = r.stdout.split('\n').find((l) => l.startsWith('{'));
  if (r.code !== 0 || r.timedOut || json === undefined) {
    const tail = `${r.stdout}\n${r.stderr}`.trim().split('\n').slice(-15).join('\n');
    throw new Error(
      `txn-producer ${args.join(' ')} failed${r.timedOut ? ' (timeout)' : ` (exit ${r.code})`}:\n${tail}`,
    );
  }
  const result = JSON.parse(json);
  if (result.delivered !== result.records) {
    throw new Error(`txn-producer: ${result.delivered} of ${result.records} records delivered`);
  }
  return result;
}
