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
