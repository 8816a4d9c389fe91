import assert from 'node:assert/strict';
import { test } from 'node:test';
import { parseDistributedConfig } from '../../src/distributed/distributed-config.js';

const BASE = {
  'bootstrap.servers': 'localhost:9092',
  'group.id': 'connect-cluster',
  'key.converter': 'org.apache.kafka.connect.json.JsonConverter',
  'value.converter': 'org.apache.kafka.connect.json.JsonConverter',
  'config.storage.topic': 'connect-configs',
  'offset.storage.topic': 'connect-offsets',
  'status.storage.topic': 'connect-status',
};

test("Kafka's defaults: replication factors 3, 25 offset and 5 status partitions, config topic of one partition", () => {
  const warnings: string[] = [];
  const config = parseDistributedConfig(BASE, (m) => warnings.push(m));
  const settings = (t: { name: string; partitions: number; replicationFactor: number }) => ({
    name: t.name,
    partitions: t.partitions,
    replicationFactor: t.replicationFactor,
  });
  assert.deepEqual(settings(config.configTopic), { name: 'connect-configs', partitions: 1, replicationFactor: 3 });
  assert.deepEqual(settings(config.offsetTopic), { name: 'connect-offsets', partitions: 25, replicationFactor: 3 });
  assert.deepEqual(settings(config.statusTopic), { name: 'connect-status', partitions: 5, replicationFactor: 3 });
  assert.equal(config.sessionTimeoutMs, 10000);
  assert.equal(config.heartbeatIntervalMs, 3000);
  assert.equal(config.rebalanceTimeoutMs, 60000);
  assert.equal(config.scheduledRebalanceMaxDelayMs, 300000);
  assert.equal(config.connectProtocol, 'sessioned');
  assert.deepEqual(config.interWorker, {
    keyGenerationAlgorithm: 'HmacSHA256',
    keyBytes: 32,
    keyTtlMs: 3600000,
    signatureAlgorithm: 'HmacSHA256',
    verificationAlgorithms: ['HmacSHA256'],
  });
  assert.equal(config.worker.offsetFile, '');
  assert.deepEqual(warnings, []);
});

test('-1 means the broker default', () => {
  const warnings: string[] = [];
  const config = parseDistributedConfig(
    {
      ...BASE,
      'offset.storage.replication.factor': '-1',
      'offset.storage.partitions': '-1',
    },
    (m) => warnings.push(m),
  );
  assert.equal(config.offsetTopic.partitions, -1);
  assert.equal(config.offsetTopic.replicationFactor, -1);
  assert.deepEqual(warnings, []);
});

test("bad worker files get Kafka's messages naming the key", () => {
  const { 'group.id': _, ...noGroup } = BASE;
  assert.throws(() => parseDistributedConfig(noGroup), {
    message: 'Missing required configuration "group.id" which has no default value.',
  });
  const { 'status.storage.topic': __, ...noStatus } = BASE;
  assert.throws(() => parseDistributedConfig(noStatus), {
    message: 'Missing required configuration "status.storage.topic" which has no default value.',
  });
  assert.throws(() => parseDistributedConfig({ ...BASE, 'connect.protocol': 'fast' }), {
    message:
      'Invalid value fast for configuration connect.protocol: String must be one of: eager, compatible, sessioned',
  });
  assert.throws(() => parseDistributedConfig({ ...BASE, 'session.timeout.ms': 'soon' }), {
    message: 'Invalid value soon for configuration session.timeout.ms: Not a number of type INT',
  });
  assert.throws(() => parseDistributedConfig({ ...BASE, 'config.storage.replication.factor': '0' }), {
    message:
      'Invalid value 0 for configuration config.storage.replication.factor: must be -1 (the broker default) or a positive number',
  });
  assert.throws(
    () => parseDistributedConfig({ ...BASE, 'status.storage.topic': 'connect-offsets' }),
    /must be different/,
  );
  assert.throws(
    () =>
      parseDistributedConfig({
        ...BASE,
        'inter.worker.signature.algorithm': 'HmacSHA512',
        'inter.worker.verification.algorithms': 'HmacSHA256',
      }),
    {
      message:
        "Invalid value HmacSHA256 for configuration inter.worker.verification.algorithms: Signature algorithm 'HmacSHA512' must be present in the list of verification algorithms",
    },
  );
});
