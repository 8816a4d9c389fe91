import assert from 'node:assert/strict';
import { test } from 'node:test';
import { formatHelp } from '../../src/options/help-formatter.js';
import { OptionParser } from '../../src/options/option-parser.js';
import { UsageError } from '../../src/support/command-errors.js';

const parser = new OptionParser([
  {
    name: 'bootstrap-server',
    description: 'REQUIRED: The Kafka server to connect to.',
    arg: 'required',
    argName: 'server to connect to',
  },
  { name: 'topic', description: 'The topic.', arg: 'required' },
  { name: 'compression-codec', description: 'Codec.', arg: 'optional' },
  { name: 'producer-props', description: 'Props.', arg: 'required', variadic: true },
  { name: 'list', description: 'List.' },
  { name: 'timeout', description: 'Timeout.', arg: 'required', argType: 'Long', defaultValue: '5000' },
]);

test('values with a space or =, repeated options, abbreviations and defaults, as joptsimple parses them', () => {
  const o = parser.parse([
    '--bootstrap',
    'h:1',
    '--topic=a',
    '--topic',
    'b',
    '--list',
    '--compression-codec',
    '--producer-props',
    'a=1',
    'b=2',
  ]);
  assert.equal(o.value('bootstrap-server'), 'h:1');
  assert.deepEqual(o.values('topic'), ['a', 'b']);
  assert.equal(o.value('compression-codec'), '');
  assert.deepEqual(o.values('producer-props'), ['a=1', 'b=2']);
  assert.equal(o.number('timeout'), 5000);
  assert.ok(o.has('list') && !o.has('timeout'));
});

test("unknown, ambiguous and malformed options fail with joptsimple's messages", () => {
  assert.throws(() => parser.parse(['--lst']), new UsageError('lst is not a recognized option'));
  assert.throws(() => parser.parse(['--t']), /Option 't' is ambiguous/);
  assert.throws(() => parser.parse(['--topic']), new UsageError('Option topic requires an argument'));
  assert.throws(
    () => parser.parse(['--timeout', 'x']).number('timeout'),
    new UsageError("Cannot parse argument 'x' of option timeout"),
  );
});

test("--help lays out options in Kafka's two columns, sorted, with defaults", () => {
  const help = formatHelp('Purpose.', parser.specs.values()).split('\n');
  assert.deepEqual(help.slice(0, 4), [
    'Purpose.',
    'Option                                   Description',
    '------                                   -----------',
    '--bootstrap-server <String: server to    REQUIRED: The Kafka server to connect',
  ]);
  assert.equal(help[4], '  connect to>                              to.');
  assert.ok(help.includes('--timeout <Long>                         Timeout. (default: 5000)'));
});
