import assert from 'node:assert/strict';
import { test } from 'node:test';
import { ConfigDef, ConfigException, Password, Validators } from '../src/config/config-def.js';

const def = new ConfigDef()
  .define({
    name: 'topic',
    type: 'STRING',
    validator: Validators.nonEmptyString(),
    importance: 'HIGH',
    documentation: 'Topic',
  })
  .define({
    name: 'batch.size',
    type: 'INT',
    defaultValue: 2000,
    validator: Validators.atLeast(1),
    importance: 'LOW',
    documentation: 'Batch',
  })
  .define({ name: 'big', type: 'LONG', defaultValue: 1, importance: 'LOW', documentation: '' })
  .define({ name: 'enabled', type: 'BOOLEAN', defaultValue: true, importance: 'LOW', documentation: '' })
  .define({ name: 'topics', type: 'LIST', defaultValue: '', importance: 'LOW', documentation: '' })
  .define({ name: 'secret', type: 'PASSWORD', defaultValue: null, importance: 'LOW', documentation: '' })
  .define({ name: 'klass', type: 'CLASS', defaultValue: 'a.B', importance: 'LOW', documentation: '' })
  .define({
    name: 'mode',
    type: 'STRING',
    defaultValue: 'a',
    validator: Validators.validString('a', 'b'),
    importance: 'LOW',
    documentation: '',
  });

test('parse: strings to typed values, defaults filled in', () => {
  const v = def.parse({ topic: 't', 'batch.size': ' 10 ', enabled: 'FALSE', topics: 'a, b,c', secret: 'pw' });
  assert.equal(v.topic, 't');
  assert.equal(v['batch.size'], 10);
  assert.equal(v.big, 1);
  assert.equal(v.enabled, false);
  assert.deepEqual(v.topics, ['a', 'b', 'c']);
  assert.ok(v.secret instanceof Password);
  assert.equal(String(v.secret), '[hidden]');
  assert.equal(v.klass, 'a.B');
});

test('parse throws Kafka messages naming the key', () => {
  const cases: [Record<string, string>, string][] = [
    [{}, 'Missing required configuration "topic" which has no default value.'],
    [{ topic: '' }, 'Invalid value  for configuration topic: String must be non-empty'],
    [{ topic: 't', 'batch.size': 'x' }, 'Invalid value x for configuration batch.size: Not a number of type INT'],
    [{ topic: 't', 'batch.size': '0' }, 'Invalid value 0 for configuration batch.size: Value must be at least 1'],
    [
      { topic: 't', 'batch.size': '3000000000' },
      'Invalid value 3000000000 for configuration batch.size: Not a number of type INT',
    ],
    [
      { topic: 't', enabled: 'yes' },
      'Invalid value yes for configuration enabled: Expected value to be either true or false',
    ],
    [{ topic: 't', mode: 'c' }, 'Invalid value c for configuration mode: String must be one of: a, b'],
  ];
  for (const [props, message] of cases) {
    assert.throws(
      () => def.parse(props),
      (e: Error) => e instanceof ConfigException && e.message === message,
      message,
    );
  }
});

test('validate collects every error per key without throwing', () => {
  const values = def.validate({ 'batch.size': '-1', enabled: 'maybe' });
  assert.deepEqual(values.get('topic')?.errors, ['Missing required configuration "topic" which has no default value.']);
  assert.deepEqual(values.get('batch.size')?.errors, [
    'Invalid value -1 for configuration batch.size: Value must be at least 1',
  ]);
  assert.deepEqual(values.get('enabled')?.errors, [
    'Invalid value maybe for configuration enabled: Expected value to be either true or false',
  ]);
  assert.deepEqual(values.get('big')?.errors, []);
  assert.equal(values.get('big')?.value, 1);
});

test('defining a key twice or with an invalid default fails', () => {
  assert.throws(
    () =>
      new ConfigDef()
        .define({ name: 'a', type: 'INT', importance: 'LOW', documentation: '' })
        .define({ name: 'a', type: 'INT', importance: 'LOW', documentation: '' }),
    /defined twice/,
  );
  assert.throws(
    () =>
      new ConfigDef().define({
        name: 'a',
        type: 'INT',
        defaultValue: 0,
        validator: Validators.atLeast(1),
        importance: 'LOW',
        documentation: '',
      }),
    /Value must be at least 1/,
  );
});
