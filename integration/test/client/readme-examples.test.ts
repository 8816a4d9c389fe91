/**
 * Runs every `js` code block of packages/client/README.md that starts with `// run: <name>` as
 * an ES module in its own process against a broker, in README order, and expects it to exit 0:
 * the README's examples are runnable and stay so.
 */
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { pathToFileURL } from 'node:url';
import { type BrokerProcess, run } from '@samsa/testkit';
import { startBroker } from './client-support.js';

const require = createRequire(import.meta.url);
const clientEntry = require.resolve('@samsa/client');
const kafkajsEntry = require.resolve('@samsa/client/kafkajs');
const readmePath = join(dirname(dirname(clientEntry)), '..', 'README.md');

const examples: { name: string; code: string }[] = [];
for (const match of readFileSync(readmePath, 'utf8').matchAll(/```js\n([\s\S]*?)```/g)) {
  const code = match[1] as string;
  const name = /^\/\/ run: (\S+)/.exec(code)?.[1];
  if (name !== undefined) examples.push({ name, code });
}

describe('README examples of @samsa/client', () => {
  let broker: BrokerProcess;
  let dir: string;
  before(async () => {
    broker = await startBroker();
    dir = mkdtempSync(join(tmpdir(), 'samsa-readme-'));
  });
  after(async () => {
    rmSync(dir, { recursive: true, force: true });
    await broker.close();
  });

  it('has examples to run', () => {
    assert.ok(examples.length >= 8, `found ${examples.length}`);
  });

  for (const example of examples) {
    it(example.name, async () => {
      const file = join(dir, `${example.name}.mjs`);
      const code = example.code
        .replaceAll("from '@samsa/client/kafkajs'", `from ${JSON.stringify(pathToFileURL(kafkajsEntry).href)}`)
        .replaceAll("from '@samsa/client'", `from ${JSON.stringify(pathToFileURL(clientEntry).href)}`);
      writeFileSync(file, code);
      const result = await run(process.execPath, [file], {
        env: { ...process.env, BOOTSTRAP: broker.bootstrap },
        timeoutMs: 30000,
      });
      assert.equal(result.code, 0, `${example.name} failed:\n${result.stderr}\n${result.stdout}`);
    });
  }
});
