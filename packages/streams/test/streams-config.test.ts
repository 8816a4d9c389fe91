import assert from 'node:assert/strict';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { Serdes } from '../src/serde/serdes.js';
import { ConfigException, StreamsConfig } from '../src/streams-config.js';

test("Kafka Streams' defaults", () => {
  const config = new StreamsConfig({ 'application.id': 'app', 'bootstrap.servers': 'localhost:9092' });
  assert.equal(config.stateDir, join(tmpdir(), 'kafka-streams'));
  assert.equal(config.commitIntervalMs, 30000);
  assert.equal(config.processingGuarantee, 'at_least_once');
  assert.equal(config.replicationFactor, -1);
  assert.equal(config.acceptableRecoveryLag, 10_000n);
  assert.equal(config.maxWarmupReplicas, 2);
  assert.equal(config.probingRebalanceIntervalMs, 600_000);
  const eos = new StreamsConfig({ 'application.id': 'app', 'processing.guarantee': 'exactly_once_v2' });
  assert.equal(eos.commitIntervalMs, 100);
  assert.equal(new StreamsConfig({ 'application.id': 'a', 'commit.interval.ms': '250' }).commitIntervalMs, 250);
});

test('serdes by object or Java class name; client overrides by prefix', () => {
  const config = new StreamsConfig({
    'application.id': 'app',
    'default.key.serde': 'org.apache.kafka.common.serialization.Serdes$StringSerde',
    'default.value.serde': Serdes.Long(),
    'consumer.max.poll.records': 50,
    'producer.linger.ms': 5,
  });
  assert.equal(config.defaultKeySerde, Serdes.String());
  assert.equal(config.defaultValueSerde, Serdes.Long());
  assert.deepEqual(config.clientOverrides.consumer, { 'max.poll.records': 50 });
  assert.deepEqual(config.clientOverrides.producer, { 'linger.ms': 5 });
});

test('missing or invalid settings are ConfigExceptions naming them', () => {
  assert.throws(
    () => new StreamsConfig({}),
    (e: unknown) => e instanceof ConfigException && /"application.id"/.test(e.message),
  );
  assert.throws(
    () => new StreamsConfig({ 'application.id': 'a', 'processing.guarantee': 'twice' }),
    /Invalid value twice for configuration processing.guarantee/,
  );
  assert.throws(
    () => new StreamsConfig({ 'application.id': 'a', 'default.key.serde': 'com.example.Nope' }),
    /default.key.serde/,
  );
  assert.throws(() => new StreamsConfig({ 'application.id': 'a', 'num.stream.threads': 2 }), /num.stream.threads/);
});

test('KIP-441 settings: ranges as in Java; the internal probing interval takes any value (tests)', () => {
  const base = { 'application.id': 'app' };
  assert.throws(
    () => new StreamsConfig({ ...base, 'probing.rebalance.interval.ms': 1000 }),
    /Invalid value 1000 for configuration probing.rebalance.interval.ms: Value must be at least 60000/,
  );
  assert.throws(
    () => new StreamsConfig({ ...base, 'max.warmup.replicas': 0 }),
    /Invalid value 0 for configuration max.warmup.replicas: Value must be at least 1/,
  );
  assert.throws(
    () => new StreamsConfig({ ...base, 'acceptable.recovery.lag': 'lots' }),
    /Invalid value lots for configuration acceptable.recovery.lag/,
  );
  const config = new StreamsConfig({
    ...base,
    'acceptable.recovery.lag': '500',
    'max.warmup.replicas': 4,
    '__probing.rebalance.interval.ms__': 1500,
  });
  assert.equal(config.acceptableRecoveryLag, 500n);
  assert.equal(config.maxWarmupReplicas, 4);
  assert.equal(config.probingRebalanceIntervalMs, 1500);
});
