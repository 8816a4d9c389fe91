#!/usr/bin/env node
// Runs every compiled test file (`packages/*/dist/test/**/*.test.js`) with node's test runner,
// which prints the TAP summary CI reads. Arguments narrow the run to paths containing them:
//   npm test -- storage            only tests whose path contains "storage"
// A compiled test whose TypeScript source is gone (deleted or moved since the last build) is
// removed, not run: `tsc -b` never deletes outputs, and a stale test would keep passing or failing
// against code it no longer describes.
import { spawn } from 'node:child_process';
import { existsSync, readdirSync, rmSync, statSync } from 'node:fs';
import { dirname, join, relative } from 'node:path';
import { createInterface } from 'node:readline';
import { TapFailures } from './tap-failures.mjs';

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
// once its tests are done (test-exit-after-flush.mjs makes it wait for the file's report to be
// written first), and --test-timeout fails a test stuck on something that never comes, so that
// one failure never turns into a run that hangs until CI gives up.
const TEST_TIMEOUT_MS = 10 * 60 * 1000;
const child = spawn(
  process.execPath,
  [
    '--import',
    join(root, 'scripts', 'test-exit-after-flush.mjs'),
    '--test',
    '--test-reporter=tap',
    '--test-force-exit',
    `--test-timeout=${TEST_TIMEOUT_MS}`,
    ...selected,
  ],
  { stdio: ['ignore', 'pipe', 'inherit'] },
);
const failures = new TapFailures();
const summary = [];
createInterface({ input: child.stdout, crlfDelay: Number.POSITIVE_INFINITY }).on('line', (line) => {
  process.stdout.write(`${line}\n`);
  failures.push(line);
  if (/^# (tests|suites|pass|fail|cancelled|skipped|todo|duration_ms) /.test(line)) summary.push(line);
});
child.on('close', (code, signal) => {
  // Hundreds of files print thousands of lines: whoever reads only the end of the output (a CI
  // log's tail) still sees which tests failed and why, then the counts.
  const blocks = failures.blocks();
  if (blocks.length > 0) {
    process.stdout.write(`# ---- ${blocks.length} failed (repeated from above) ----\n`);
    for (const block of blocks) process.stdout.write(`${block.join('\n')}\n`);
    for (const line of summary) process.stdout.write(`${line}\n`);
  }
  if (signal) console.error(`the test runner was killed by ${signal}`);
  process.exitCode = code ?? 1;
});
