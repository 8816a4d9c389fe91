#!/usr/bin/env node
// Runs every compiled test file (`packages/*/dist/test/**/*.test.js`) with node's test runner,
// which prints the TAP summary CI reads. Arguments narrow the run to paths containing them:
//   npm test -- storage            only tests whose path contains "storage"
import { spawnSync } from 'node:child_process';
import { existsSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';

const root = new URL('..', import.meta.url).pathname;
const filters = process.argv.slice(2);

function collect(dir, out) {
  for (const name of readdirSync(dir)) {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) collect(path, out);
    else if (name.endsWith('.test.js')) out.push(path);
  }
  return out;
}

const files = [];
const roots = readdirSync(join(root, 'packages')).map((pkg) => join(root, 'packages', pkg, 'dist', 'test'));
roots.push(join(root, 'integration', 'dist', 'test'));
for (const dir of roots) {
  if (existsSync(dir)) collect(dir, files);
}
const selected = files.filter((f) => filters.length === 0 || filters.some((x) => f.includes(x))).sort();
if (selected.length === 0) {
  console.error(`no test files matched ${filters.join(' ') || '(all)'}; did the build run?`);
  process.exit(1);
}
const result = spawnSync(process.execPath, ['--test', ...selected], { stdio: 'inherit' });
process.exit(result.status ?? 1);
