/**
 * Runs every `js` block of this package's README that starts with `// run: <name>`, and the
 * scripts in examples/, each as an ES module in its own process against a real broker, and
 * expects exit code 0: the README's copy-paste examples keep working.
 */
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { fileURLToPath } from 'node:url';
import { type BrokerProcess, run } from '@samsa/testkit';
import { startBroker } from './support/app-harness.js';

const packageDir = fileURLToPath(new URL('../..', import.meta.url));
const entries = {
  '@samsa/app': import.meta.resolve('@samsa/app'),
  '@samsa/client': import.meta.resolve('@samsa/client'),
};
const examples: { name: string; code: string }[] = [];
for (const match of readFileSync(join(packageDir, 'README.md'), 'utf8').matchAll(/```js\n([\s\S]*?)```/g)) {
  const code = match[1] as string;
  const name = /^\/\/ run: (\S+)/.exec(code)?.[1];
  if (name !== undefined) examples.push({ name, code });
}

describe('README examples of @samsa/app', () => {
  let broker: BrokerProcess;
  let dir: string;
  before(async () => {
    broker = await startBroker();
    dir = mkdtempSync(join(tmpdir(), 'samsa-app-readme-'));
  });
  after(async () => {
    rmSync(dir, { recursive: true, force: true });
    await broker?.stop();
  });

  it('has examples to run', () => {
    assert.deepEqual(
      examples.map((e) => e.name),
      ['listen', 'dead-letters', 'request-reply'],
    );
  });

  for (const example of examples) {
    it(example.name, async () => {
      let code = example.code;
      for (const [name, url] of Object.entries(entries)) code = code.replaceAll(`from '${name}'`, `from '${url}'`);
      const file = join(dir, `${example.name}.mjs`);
      writeFileSync(file, code);
      const result = await run(process.execPath, [file], {
        env: { ...process.env, BOOTSTRAP: broker.bootstrap },
        timeoutMs: 60_000,
      });
      assert.equal(result.code, 0, `${example.name} failed:\n${result.stderr}\n${result.stdout}`);
    });
  }

  it('examples/orders.mjs: retries, then dead-letters order 4', async () => {
    const result = await run(process.execPath, [join(packageDir, 'examples', 'orders.mjs')], {
      env: { ...process.env, BOOTSTRAP: broker.bootstrap },
      timeoutMs: 60_000,
    });
    assert.equal(result.code, 0, result.stderr);
    assert.match(result.stdout, /handled 1, 2, 3, 5, 6; dead-lettered 4/);
    assert.match(result.stdout, /order 4 \(-10\) on orders-\d+-retry-1-\d@0/);
  });
});
