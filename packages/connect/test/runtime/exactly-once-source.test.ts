import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { startStandalone } from '../../src/connect-standalone.js';
import { parseDistributedConfig } from '../../src/distributed/distributed-config.js';
import {
  sourceTransactionSettings,
  transactionalId,
  validateExactlyOnceSettings,
} from '../../src/runtime/exactly-once-source.js';

// KIP-618's settings and checks alone (no broker): names, defaults and Kafka's messages.

const DISTRIBUTED = {
  'bootstrap.servers': 'localhost:9092',
  'group.id': 'connect-cluster',
  'key.converter': 'org.apache.kafka.connect.json.JsonConverter',
  'value.converter': 'org.apache.kafka.connect.json.JsonConverter',
  'config.storage.topic': 'connect-configs',
  'offset.storage.topic': 'connect-offsets',
  'status.storage.topic': 'connect-status',
};

test('exactly.once.source.support: disabled by default; disabled, preparing or enabled', () => {
  assert.equal(parseDistributedConfig(DISTRIBUTED, () => {}).exactlyOnceSourceSupport, 'disabled');
  const enabled = { ...DISTRIBUTED, 'exactly.once.source.support': 'enabled' };
  assert.equal(parseDistributedConfig(enabled, () => {}).exactlyOnceSourceSupport, 'enabled');
  const upper = { ...DISTRIBUTED, 'exactly.once.source.support': 'PREPARING' };
  assert.equal(parseDistributedConfig(upper, () => {}).exactlyOnceSourceSupport, 'preparing');
  assert.throws(() => parseDistributedConfig({ ...DISTRIBUTED, 'exactly.once.source.support': 'always' }, () => {}), {
    message:
      'Invalid value always for configuration exactly.once.source.support: String must be one of (case insensitive): DISABLED, PREPARING, ENABLED',
  });
});

test("a source task's transactional ID is <group.id>-<connector>-<task>", () => {
  assert.equal(transactionalId('connect-cluster', 'file-source', 3), 'connect-cluster-file-source-3');
});

test('transaction.boundary: poll by default; interval defaults to the worker’s flush interval', () => {
  assert.deepEqual(sourceTransactionSettings({}, 'offsets', 60000), {
    offsetTopic: 'offsets',
    boundary: 'poll',
    intervalMs: 60000,
  });
  assert.deepEqual(
    sourceTransactionSettings(
      { 'transaction.boundary': 'INTERVAL', 'transaction.boundary.interval.ms': '250' },
      'offsets',
      60000,
    ),
    { offsetTopic: 'offsets', boundary: 'interval', intervalMs: 250 },
  );
});

test('validation: Kafka’s messages for required support and connector-defined boundaries', () => {
  const silent = {};
  assert.deepEqual(validateExactlyOnceSettings({}, 'disabled', silent), {});
  assert.deepEqual(validateExactlyOnceSettings({ 'exactly.once.support': 'required' }, 'disabled', silent), {
    'exactly.once.support': [
      'This worker does not have exactly-once source support enabled.',
      'The connector does not implement the API required for preflight validation of exactly-once source support. Please consult the documentation for the connector to determine whether it supports exactly-once semantics, and then consider reconfiguring the connector to use the value "requested" for this property (which will disable this preflight check and allow the connector to be created).',
    ],
  });
  const supported = { exactlyOnceSupport: () => 'SUPPORTED' as const };
  assert.deepEqual(validateExactlyOnceSettings({ 'exactly.once.support': 'required' }, 'enabled', supported), {});
  const unsupported = { exactlyOnceSupport: () => 'UNSUPPORTED' as const };
  assert.deepEqual(validateExactlyOnceSettings({ 'exactly.once.support': 'required' }, 'enabled', unsupported), {
    'exactly.once.support': ['The connector does not support exactly-once semantics with the provided configuration.'],
  });
  assert.deepEqual(validateExactlyOnceSettings({ 'transaction.boundary': 'connector' }, 'enabled', silent), {
    'transaction.boundary': [
      'The connector does not support connector-defined transaction boundaries with the given configuration. Please reconfigure it to use a different transaction boundary definition.',
    ],
  });
  assert.deepEqual(validateExactlyOnceSettings({ 'transaction.boundary.interval.ms': '-1' }, 'enabled', silent), {
    'transaction.boundary.interval.ms': ['Must be non-negative'],
  });
});

test('a standalone worker refuses exactly.once.source.support other than disabled', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'samsa-connect-eos-standalone-'));
  try {
    const file = join(dir, 'worker.properties');
    writeFileSync(
      file,
      [
        'bootstrap.servers=127.0.0.1:1',
        'key.converter=org.apache.kafka.connect.storage.StringConverter',
        'value.converter=org.apache.kafka.connect.storage.StringConverter',
        `offset.storage.file.filename=${join(dir, 'offsets')}`,
        'exactly.once.source.support=enabled',
      ].join('\n'),
    );
    await assert.rejects(startStandalone(file, []), {
      name: 'ConfigException',
      message:
        'Invalid value enabled for configuration exactly.once.source.support: exactly-once source support is only available in distributed mode; standalone workers accept only disabled',
    });
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
