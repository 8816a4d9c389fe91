import assert from 'node:assert/strict';
import { test } from 'node:test';
import { Materialized } from '../../src/dsl/materialized.js';
import { StreamsBuilder } from '../../src/dsl/streams-builder.js';
import { Serdes } from '../../src/serde/serdes.js';
import { TopologyTestDriver } from '../../src/test-utils/topology-test-driver.js';

const S = Serdes.String();
const config = { 'default.key.serde': S, 'default.value.serde': S };

/**
 * One input record that becomes two updates of one key before the driver commits (it commits
 * after every record, as Java's): the source table's cache keeps only the last, as Java's does.
 */
function build(materialized: Materialized<string, string> | undefined): string[][] {
  const builder = new StreamsBuilder();
  builder
    .stream<string, string>('in')
    .flatMapValues((v) => v.split(','))
    .toTable(materialized)
    .toStream()
    .to('out');
  const driver = new TopologyTestDriver(builder.build(), config);
  try {
    const input = driver.createInputTopic('in', S.serializer(), S.serializer());
    input.pipeInput('k', 'a,b');
    input.pipeInput('k', 'c');
    return driver
      .createOutputTopic('out', S.deserializer(), S.deserializer())
      .readKeyValuesToList()
      .map((kv) => [String(kv.key), String(kv.value)]);
  } finally {
    driver.close();
  }
}

test('toTable/table stores are cached by default: updates of a key between commits collapse', () => {
  assert.deepEqual(build(undefined), [
    ['k', 'b'],
    ['k', 'c'],
  ]);
});

test('Materialized.withCachingDisabled forwards every update of a source table', () => {
  assert.deepEqual(build(Materialized.as<string, string>('t').withCachingDisabled()), [
    ['k', 'a'],
    ['k', 'b'],
    ['k', 'c'],
  ]);
});

test('builder.table(): a cached source table serves joins and the store after each record', () => {
  const builder = new StreamsBuilder();
  const table = builder.table<string, string>('users', undefined, Materialized.as('users-store'));
  builder
    .stream<string, string>('clicks')
    .join(table, (click, user) => `${click}@${user}`)
    .to('out');
  const driver = new TopologyTestDriver(builder.build(), config);
  try {
    const users = driver.createInputTopic('users', S.serializer(), S.serializer());
    const clicks = driver.createInputTopic('clicks', S.serializer(), S.serializer());
    users.pipeInput('u1', 'alice');
    clicks.pipeInput('u1', 'home');
    users.pipeInput('u1', null);
    clicks.pipeInput('u1', 'gone');
    const out = driver.createOutputTopic('out', S.deserializer(), S.deserializer()).readValuesToList();
    assert.deepEqual(out, ['home@alice']);
    assert.equal(driver.getKeyValueStore<string, string>('users-store').get('u1'), null);
  } finally {
    driver.close();
  }
});
