/**
 * Runs librdkafka's rdkafka_performance and reads its figures: the final summary line
 * (throughput), its statistics JSON (-T: request round-trip times = ack latency, request
 * counts), and per-message latencies (-l -A file, end-to-end).
 */
import { existsSync, readFileSync, rmSync } from 'node:fs';
import { runCommand } from './procs.mjs';
import { percentile } from './stats.mjs';

const PRODUCED =
  /% (\d+) messages produced \((\d+) bytes\), (\d+) delivered \(offset (-?\d+), (\d+) failed\) in (\d+)ms/g;
const CONSUMED = /% (\d+) messages \((\d+) bytes\) consumed in (\d+)ms/g;

function lastMatch(re, text) {
  let last;
  for (const m of text.matchAll(re)) last = m;
  return last;
}

/** `target` is { bootstrap } or { mock: true } (librdkafka's in-process mock cluster). */
export function targetArgs(target) {
  return target.mock ? ['-X', 'test.mock.num.brokers=1'] : ['-b', target.bootstrap];
}

/**
 * Produces `count` records of `size` bytes. Returns records/s, bytes/s and, from the statistics
 * JSON, the Produce round trip (ack latency) and request count of the busiest broker.
 */
export async function produce(perf, target, o) {
  const statsFile = `${o.tmpPrefix}-stats.json`;
  rmSync(statsFile, { force: true });
  const args = [
    '-P',
    '-t',
    o.topic,
    ...(o.partition === undefined ? [] : ['-p', String(o.partition)]),
    ...targetArgs(target),
    '-s',
    String(o.size),
    '-c',
    String(o.count),
    '-a',
    String(o.acks),
    '-X',
    `linger.ms=${o.lingerMs ?? 5}`,
    '-X',
    `batch.size=${o.batchSize ?? 1000000}`,
    ...(o.rate ? ['-r', String(o.rate)] : []),
    ...(o.latency ? ['-l'] : []),
    ...(o.extra ?? []),
    '-T',
    '500',
    '-Y',
    `cat > ${statsFile}`,
    '-i',
    '1000',
  ];
  const r = await runCommand(perf, args, { timeoutMs: o.timeoutMs ?? 180000 });
  const m = lastMatch(PRODUCED, r.stdout);
  if (!m || r.timedOut) {
    throw new Error(`rdkafka_performance ${args.join(' ')} failed${r.timedOut ? ' (timeout)' : ''}:\n${tail(r)}`);
  }
  const delivered = Number(m[3]);
  const failed = Number(m[5]);
  const ms = Number(m[6]);
  if (failed > 0) throw new Error(`${failed} messages failed delivery:\n${tail(r)}`);
  return {
    records: delivered,
    elapsedMs: ms,
    recordsPerSec: (delivered / ms) * 1000,
    bytesPerSec: ((delivered * o.size) / ms) * 1000,
    ...readStats(statsFile),
  };
}

/** Consumes `count` records from the beginning (or `offset`) of partition 0 (or all given). */
export async function consume(perf, target, o) {
  const args = [
    '-C',
    '-t',
    o.topic,
    ...(o.partitions ?? [0]).flatMap((p) => ['-p', String(p)]),
    ...targetArgs(target),
    '-o',
    o.offset ?? 'beginning',
    '-c',
    String(o.count),
    ...(o.latencyFile ? ['-l', '-A', o.latencyFile] : []),
    ...(o.extra ?? []),
    '-i',
    '1000',
  ];
  const r = await runCommand(perf, args, { timeoutMs: o.timeoutMs ?? 180000 });
  const m = lastMatch(CONSUMED, r.stdout);
  if (!m || r.timedOut) {
    throw new Error(`rdkafka_performance ${args.join(' ')} failed${r.timedOut ? ' (timeout)' : ''}:\n${tail(r)}`);
  }
  const records = Number(m[1]);
  const bytes = Number(m[2]);
  const ms = Math.max(1, Number(m[3]));
  if (records < o.count) throw new Error(`consumed ${records} of ${o.count} records:\n${tail(r)}`);
  return { records, bytes, elapsedMs: ms, recordsPerSec: (records / ms) * 1000, bytesPerSec: (bytes / ms) * 1000 };
}

/** End-to-end latencies (µs) written by a consumer run with -l -A. */
export function latencyPercentiles(file, skip = 0) {
  if (!existsSync(file)) return undefined;
  const us = readFileSync(file, 'utf8')
    .split('\n')
    .filter((l) => l !== '')
    .slice(skip)
    .map(Number)
    .sort((a, b) => a - b);
  if (us.length === 0) return undefined;
  return {
    samples: us.length,
    p50Ms: percentile(us, 50) / 1000,
    p99Ms: percentile(us, 99) / 1000,
    p999Ms: percentile(us, 99.9) / 1000,
    maxMs: us[us.length - 1] / 1000,
  };
}

/**
 * librdkafka's statistics (one JSON object per 0.5 s interval, each with a histogram of the
 * request round trips of that interval): for the broker that handled the most requests, the p50
 * and p99 of the round-trip time (for a producer: the ack latency) as the median over the
 * intervals with traffic, the worst interval's p99, how many intervals had a round trip beyond
 * the histogram's range, and the Produce requests sent.
 */
function readStats(file) {
  if (!existsSync(file)) return {};
  const p50s = [];
  const p99s = [];
  let produceRequests = 0;
  let outOfRangeIntervals = 0;
  for (const line of readFileSync(file, 'utf8').split('\n')) {
    if (!line.startsWith('{')) continue;
    let json;
    try {
      json = JSON.parse(line);
    } catch {
      continue;
    }
    let busiest;
    for (const b of Object.values(json.brokers ?? {})) {
      if (b.nodeid < 0 || b.rtt === undefined || b.rtt.cnt === 0) continue;
      if (busiest === undefined || b.rtt.cnt > busiest.rtt.cnt) busiest = b;
    }
    if (busiest === undefined) continue;
    // librdkafka's histogram has a range (500 ms configured, stretched by its buckets' rounding);
    // a longer round trip is only counted (`outofrange`), so the interval's percentiles describe
    // the faster requests alone, or read 0 when none was faster. There the interval's maximum
    // (tracked apart from the histogram) stands in: an upper bound, never an understatement.
    const { cnt, outofrange = 0, max, p50, p99 } = busiest.rtt;
    if (outofrange > 0) outOfRangeIntervals++;
    p50s.push(outofrange * 2 >= cnt ? max : p50);
    p99s.push(outofrange > 0 ? max : p99);
    produceRequests = Math.max(produceRequests, busiest.req?.Produce ?? 0);
  }
  rmSync(file, { force: true });
  const median = (v) => {
    const s = [...v].sort((a, b) => a - b);
    return s.length === 0 ? Number.NaN : s[(s.length - 1) >> 1];
  };
  return {
    ackP50Ms: median(p50s) / 1000,
    ackP99Ms: median(p99s) / 1000,
    ackP99WorstMs: p99s.length === 0 ? Number.NaN : Math.max(...p99s) / 1000,
    ackOutOfRangeIntervals: outOfRangeIntervals,
    produceRequests,
  };
}

function tail(r) {
  const text = `${r.stdout}\n${r.stderr}`
    .split('\n')
    .filter((l) => !l.includes('CONFWARN'))
    .slice(-15)
    .join('\n');
  return `exit ${r.signal ?? r.code}\n${text}`;
}
