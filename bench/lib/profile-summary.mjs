#!/usr/bin/env node
/**
 * Summarises a V8 .cpuprofile (from `node --cpu-prof`): self time by function and by category
 * (GC, idle, program/native, our packages, node internals), plus inclusive time of the heaviest
 * call paths; with --replication, also what the replication paths cost and whether any frame
 * decodes records. Usage: node bench/lib/profile-summary.mjs <file.cpuprofile> [--top=30] [--replication]
 */
import { readFileSync } from 'node:fs';

export function summarizeProfile(profile, top = 30) {
  const nodes = new Map();
  for (const n of profile.nodes) nodes.set(n.id, n);
  const parent = new Map();
  for (const n of profile.nodes) for (const c of n.children ?? []) parent.set(c, n.id);
  const selfUs = new Map();
  const samples = profile.samples ?? [];
  const deltas = profile.timeDeltas ?? [];
  let totalUs = 0;
  for (let i = 0; i < samples.length; i++) {
    const dt = deltas[i + 1] ?? deltas[i] ?? 0;
    selfUs.set(samples[i], (selfUs.get(samples[i]) ?? 0) + dt);
    totalUs += dt;
  }
  const label = (n) => {
    const cf = n.callFrame;
    const url = cf.url
      .replace(/^file:\/\//, '')
      .replace(/.*\/packages\//, '')
      .replace(/.*node_modules\//, 'nm/');
    return `${cf.functionName || '(anonymous)'} ${url ? `${url}:${cf.lineNumber + 1}` : ''}`.trim();
  };
  const category = (n) => {
    const cf = n.callFrame;
    if (cf.functionName === '(garbage collector)') return 'gc';
    if (cf.functionName === '(idle)') return 'idle';
    if (cf.functionName === '(program)') return 'program';
    if (cf.url.includes('/packages/')) return cf.url.replace(/.*\/packages\/([^/]+)\/.*/, '$1');
    if (cf.url.startsWith('node:')) return 'node';
    if (cf.url === '') return 'native';
    return 'other';
  };
  const byFn = new Map();
  const byCat = new Map();
  const inclusive = new Map();
  for (const [id, us] of selfUs) {
    const n = nodes.get(id);
    const key = label(n);
    byFn.set(key, (byFn.get(key) ?? 0) + us);
    const cat = category(n);
    byCat.set(cat, (byCat.get(cat) ?? 0) + us);
    // inclusive: walk up, counting each label once per sample stack
    const seen = new Set();
    for (let cur = id; cur !== undefined; cur = parent.get(cur)) {
      const l = label(nodes.get(cur));
      if (seen.has(l)) continue;
      seen.add(l);
      inclusive.set(l, (inclusive.get(l) ?? 0) + us);
    }
  }
  const pct = (us) => ((100 * us) / totalUs).toFixed(1).padStart(5);
  const busyUs = totalUs - (byCat.get('idle') ?? 0);
  const lines = [];
  lines.push(`total ${(totalUs / 1e3).toFixed(0)} ms sampled, busy ${(busyUs / 1e3).toFixed(0)} ms (${pct(busyUs)}%)`);
  lines.push('self time by category:');
  for (const [k, v] of [...byCat].sort((a, b) => b[1] - a[1])) lines.push(`  ${pct(v)}%  ${k}`);
  lines.push(`self time, top ${top}:`);
  for (const [k, v] of [...byFn].sort((a, b) => b[1] - a[1]).slice(0, top)) lines.push(`  ${pct(v)}%  ${k}`);
  lines.push(`inclusive time, top ${top}:`);
  for (const [k, v] of [...inclusive].sort((a, b) => b[1] - a[1]).slice(0, top)) lines.push(`  ${pct(v)}%  ${k}`);
  return lines.join('\n');
}

/**
 * Frames that decode or walk individual records rather than batch headers: protocol's record
 * codec and batch iterator, storage's record iterator, decompression. Replication copies batches
 * byte for byte, so none of these should run on its path.
 */
const RECORD_LEVEL =
  /\/packages\/(protocol|storage)\/dist\/src\/(records\/(record|record-batch-iterator|batch-records|split-record-batches)|compression\/[^/]+)\.js$/;

const isModuleBody = (cf) => cf.functionName === '' && cf.lineNumber === 0;

/** The two ends of replication: the follower's fetch loop and client, the leader's Fetch handler. */
const REPLICATION_PATHS = [
  {
    name: 'follower fetch path (replica-fetcher, inter-broker-client)',
    frame: /\/broker\/dist\/src\/(replica\/replica-fetcher|network\/inter-broker-client)\.js$/,
  },
  {
    name: 'Fetch handler (serving the followers; no consumer runs)',
    frame: /\/broker\/dist\/src\/(handlers\/fetch|fetch-session\/[^/]+)\.js$/,
  },
];

/**
 * What replication costs in a broker's profile: for each path, the share of all samples whose
 * stack goes through it and its heaviest functions (self time), then any record-level frame
 * anywhere in the profile.
 */
export function summarizeReplicationPaths(profile, top = 8) {
  const nodes = new Map();
  for (const n of profile.nodes) nodes.set(n.id, n);
  const parent = new Map();
  for (const n of profile.nodes) for (const c of n.children ?? []) parent.set(c, n.id);
  const samples = profile.samples ?? [];
  const deltas = profile.timeDeltas ?? [];
  const url = (id) => nodes.get(id).callFrame.url;
  const name = (id) => {
    const cf = nodes.get(id).callFrame;
    const file = cf.url.replace(/.*\/packages\//, '');
    return `${cf.functionName || '(anonymous)'} ${file ? `${file}:${cf.lineNumber + 1}` : ''}`.trim();
  };
  let totalUs = 0;
  const perPath = REPLICATION_PATHS.map(() => ({ us: 0, byFn: new Map() }));
  const recordLevel = new Map();
  for (let i = 0; i < samples.length; i++) {
    const dt = deltas[i + 1] ?? deltas[i] ?? 0;
    totalUs += dt;
    const leaf = samples[i];
    const stack = [];
    for (let cur = leaf; cur !== undefined; cur = parent.get(cur)) stack.push(cur);
    REPLICATION_PATHS.forEach((path, k) => {
      if (!stack.some((id) => path.frame.test(url(id)))) return;
      perPath[k].us += dt;
      perPath[k].byFn.set(name(leaf), (perPath[k].byFn.get(name(leaf)) ?? 0) + dt);
    });
    // A module's top-level code (line 1, no name) runs once at import: loading, not decoding.
    const record = stack.find((id) => RECORD_LEVEL.test(url(id)) && !isModuleBody(nodes.get(id).callFrame));
    if (record !== undefined) recordLevel.set(name(record), (recordLevel.get(name(record)) ?? 0) + dt);
  }
  const pct = (us) => `${((100 * us) / totalUs).toFixed(1).padStart(5)}%`;
  const lines = [];
  REPLICATION_PATHS.forEach((path, k) => {
    lines.push(`${path.name}: ${pct(perPath[k].us)} of samples; self time there, top ${top}:`);
    for (const [f, us] of [...perPath[k].byFn].sort((a, b) => b[1] - a[1]).slice(0, top)) {
      lines.push(`  ${pct(us)}  ${f}`);
    }
  });
  const recordUs = [...recordLevel.values()].reduce((a, b) => a + b, 0);
  lines.push(
    recordLevel.size === 0
      ? 'record-level frames (record codec, record iterators, decompression): none in the whole profile'
      : `record-level frames (record codec, record iterators, decompression): ${pct(recordUs)} of samples:`,
  );
  for (const [f, us] of [...recordLevel].sort((a, b) => b[1] - a[1])) lines.push(`  ${pct(us)}  ${f}`);
  return lines.join('\n');
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const file = process.argv[2];
  if (file === undefined) {
    process.stderr.write('usage: profile-summary.mjs <file.cpuprofile> [--top=N] [--replication]\n');
    process.exit(2);
  }
  const topArg = process.argv.find((a) => a.startsWith('--top='));
  const top = topArg === undefined ? 30 : Number(topArg.slice(6));
  const profile = JSON.parse(readFileSync(file, 'utf8'));
  process.stdout.write(`${summarizeProfile(profile, top)}\n`);
  if (process.argv.includes('--replication')) process.stdout.write(`${summarizeReplicationPaths(profile)}\n`);
}
