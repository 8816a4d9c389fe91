import assert from 'node:assert/strict';
import { test } from 'node:test';
import { Branched } from '../../src/dsl/branched.js';
import { Named } from '../../src/dsl/named.js';
import { StreamsBuilder } from '../../src/dsl/streams-builder.js';
import { Serdes } from '../../src/serde/serdes.js';
import { TopologyTestDriver } from '../../src/test-utils/topology-test-driver.js';

const S = Serdes.String();

test('split: first matching branch wins, then the default; Java names the branches', () => {
  const builder = new StreamsBuilder();
  const branches = builder
    .stream<string, string>('in')
    .split()
    .branch((_k, v) => v.startsWith('a'))
    .branch((_k, v) => v.startsWith('ab'), Branched.as('-never'))
    .defaultBranch();
  // Java: KSTREAM-BRANCH-0000000001 + "1", + "-never", + "0" (the default).
  assert.deepEqual(
    [...branches.keys()],
    ['KSTREAM-BRANCH-00000000011', 'KSTREAM-BRANCH-0000000001-never', 'KSTREAM-BRANCH-00000000010'],
  );
  branches.get('KSTREAM-BRANCH-00000000011')?.to('a');
  branches.get('KSTREAM-BRANCH-0000000001-never')?.to('ab');
  branches.get('KSTREAM-BRANCH-00000000010')?.to('rest');
  const text = builder.build().describe().toString();
  // Each branch drew a number: the sinks after them are 5, 6 and 7.
  assert.match(text, /Sink: KSTREAM-SINK-0000000005 \(topic: a\)/);
  assert.match(text, /Sink: KSTREAM-SINK-0000000007 \(topic: rest\)/);

  const driver = new TopologyTestDriver(builder.build(), { 'default.key.serde': S, 'default.value.serde': S });
  try {
    const input = driver.createInputTopic('in', S.serializer(), S.serializer());
    for (const v of ['apple', 'abacus', 'banana']) input.pipeInput('k', v);
    const read = (t: string) => driver.createOutputTopic(t, S.deserializer(), S.deserializer()).readValuesToList();
    assert.deepEqual(read('a'), ['apple', 'abacus']);
    assert.deepEqual(read('ab'), []);
    assert.deepEqual(read('rest'), ['banana']);
  } finally {
    driver.close();
  }
});

test('split with a name, chained functions and consumers; no default drops the rest', () => {
  const builder = new StreamsBuilder();
  const branches = builder
    .stream<string, string>('in')
    .split(Named.as('sizes-'))
    .branch(
      (_k, v) => v.length > 5,
      Branched.withFunction((s) => s.mapValues((v) => v.toUpperCase()), 'long'),
    )
    .branch(
      (_k, v) => v.length > 3,
      Branched.withConsumer((s) => s.to('medium'), 'medium'),
    )
    .noDefaultBranch();
  assert.deepEqual([...branches.keys()], ['sizes-long']);
  branches.get('sizes-long')?.to('long');
  const driver = new TopologyTestDriver(builder.build(), { 'default.key.serde': S, 'default.value.serde': S });
  try {
    const input = driver.createInputTopic('in', S.serializer(), S.serializer());
    for (const v of ['banana', 'pear', 'fig']) input.pipeInput('k', v);
    const read = (t: string) => driver.createOutputTopic(t, S.deserializer(), S.deserializer()).readValuesToList();
    assert.deepEqual(read('long'), ['BANANA']);
    assert.deepEqual(read('medium'), ['pear']);
  } finally {
    driver.close();
  }
});
