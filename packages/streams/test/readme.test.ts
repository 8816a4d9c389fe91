import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { test } from 'node:test';
import { Produced } from '../src/dsl/produced.js';
import { StreamsBuilder } from '../src/dsl/streams-builder.js';
import { Serdes } from '../src/serde/serdes.js';

// The README's promise — "prints, character for character, what Java prints" — checked against
// the README's own text block, so the two cannot drift apart.

const readme = readFileSync(new URL('../../README.md', import.meta.url), 'utf8');

test("the README's describe() output is what the word count prints", () => {
  const block = /```text\n(Topologies:[\s\S]*?)```/.exec(readme)?.[1];
  assert.ok(block, 'README has the describe() block');
  const builder = new StreamsBuilder();
  builder
    .stream<string, string>('word-topic')
    .flatMapValues((v) => v.toLowerCase().split(/\W+/))
    .groupBy((_k, v) => v)
    .count()
    .toStream()
    .to('result-topic', Produced.with(Serdes.String(), Serdes.Long()));
  // Java's toString ends with a blank line after the last sub-topology; the README drops it.
  assert.equal(builder.build().describe().toString(), `${block}\n`);
});

test("the README's TypeScript word count is the program the tests run", () => {
  assert.match(readme, /\.flatMapValues\(\(v\) => v\.toLowerCase\(\)\.split\(\/\\W\+\/\)\)/);
  assert.match(readme, /\.to\('result-topic', Produced\.with\(Serdes\.String\(\), Serdes\.Long\(\)\)\);/);
});
