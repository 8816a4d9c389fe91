#!/usr/bin/env node
// Runs every compiled test file (`packages/*/dist/test/**/*.test.js`) with node's test runner,
// which prints the TAP summary CI reads. Arguments narrow the run to paths containing them:
//   npm test -- storage            only tests whose path contains "storage"
// A compiled test whose TypeScript source is gone (deleted or moved since the last build) is
// removed, not run: `tsc -b` never deletes outputs, and a stale test would keep passing or failing
// against code it no longer describes.
import { spawnSync } from 'node:child_process';
import { existsSync, readdirSync, rmSync, statSync } from 'node:fs';
import { dirname, join, relative } from 'node:path';

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

/** `<project>/dist/test/x.test.js` → `<project>/test/x.test.ts`. */
function sourceOf(compiled, project) {
  return join(project, relative(join(project, 'dist'), compiled)).replace(/\.js$/, '.ts');
}

const files = [];
const projects = readdirSync(join(root, 'packages')).map((pkg) => join(root, 'packages', pkg));
projects.push(join(root, 'integration'));
for (const project of projects) {
  const dir = join(project, 'dist', 'test');
  if (!existsSync(dir)) continue;
  for (const compiled of collect(dir, [])) {
    if (existsSync(sourceOf(compiled, project))) {
      files.push(compiled);
      continue;
    }
    console.error(`removing stale ${relative(root, compiled)} (its source is gone)`);
    const base = compiled.replace(/\.js$/, '');
    for (const suffix of ['.js', '.js.map', '.d.ts', '.d.ts.map']) rmSync(base + suffix, { force: true });
    if (readdirSync(dirname(compiled)).length === 0) rmSync(dirname(compiled), { recursive: true });
  }
}
const selected = files.filter((f) => filters.length === 0 || filters.some((x) => f.includes(x))).sort();
if (selected.length === 0) {
  console.error(`no test files matched ${filters.join(' ') || '(all)'}; did the build run?`);
  process.exit(1);
}
// A failed test may leave a client, a timer or a child running: --test-force-exit ends each file
// once its tests are done, and --test-timeout fails a test stuck on something that never comes,
// so that one failure never turns into a run that hangs until CI gives up.
const TEST_TIMEOUT_MS = 10 * 60 * 1000;
const result = spawnSync(
  process.execPath,
  ['--test', '--test-force-exit', `--test-timeout=${TEST_TIMEOUT_MS}`, ...selected],
  { stdio: 'inherit' },
);
process.exit(result.status ?? 1);
