import assert from 'node:assert/strict';
import { readFileSync, rmSync, writeFileSync } from 'node:fs';
import { test } from 'node:test';
import { inspect } from 'node:util';

// The README's join example, run as written (it is plain JavaScript importing @samsa/streams),
// its console output compared with the `// prints` line under it.

const readme = readFileSync(new URL('../../README.md', import.meta.url), 'utf8');

test("the README's join example prints what it says", async () => {
  const section = readme.slice(readme.indexOf('## Joins and GlobalKTable'));
  const code = /```js\n([\s\S]*?)```/.exec(section)?.[1];
  assert.ok(code, 'README has the join example');
  const promised = /\/\/ prints (.*)\n/.exec(code)?.[1];
  const file = new URL('./readme-joins-example.mjs', import.meta.url);
  writeFileSync(file, code);
  const printed: string[] = [];
  const log = console.log;
  console.log = (...args: unknown[]) => printed.push(args.map((a) => inspect(a)).join(' '));
  try {
    await import(file.href);
  } finally {
    console.log = log;
    rmSync(file, { force: true });
  }
  assert.deepEqual(printed, [promised]);
});
