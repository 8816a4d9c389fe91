#!/usr/bin/env node
/**
 * Summarises a V8 .cpuprofile (from `node --cpu-prof`): self time by function and by category
 * (GC, idle, program/native, our packages, node internals), plus inclusive time of the heaviest
 * call paths. Usage: node bench/lib/profile-summary.mjs <file.cpuprofile> [--top=30]
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

if (import.meta.url === `file://${process.argv[1]}`) {
  const file = process.argv[2];
  if (file === undefined) {
    process.stderr.write('usage: profile-summary.mjs <file.cpuprofile> [--top=N]\n');
    process.exit(2);
  }
  const topArg = process.argv.find((a) => a.startsWith('--top='));
  const top = topArg === undefined ? 30 : Number(topArg.slice(6));
  process.stdout.write(`${summarizeProfile(JSON.parse(readFileSync(file, 'utf8')), top)}\n`);
}
