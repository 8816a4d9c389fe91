import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { resolveConfig } from '../../src/config/resolve-config.js';
import { Consumer } from '../../src/consumer/consumer.js';
import { ConfigError } from '../../src/errors/client-errors.js';
import { Producer } from '../../src/producer/producer.js';

describe('resolveConfig', () => {
  it('accepts Kafka names and camelCase, and fills in Kafka defaults', () => {
    const a = resolveConfig('producer', { 'bootstrap.servers': 'a:1,b:2', 'linger.ms': '7', acks: 'all' });
    const b = resolveConfig('producer', { bootstrapServers: ['a:1', 'b:2'], lingerMs: 7, acks: -1 });
    assert.deepEqual(a, b);
    assert.deepEqual(a.bootstrapServers, ['a:1', 'b:2']);
    assert.equal(a.lingerMs, 7);
    assert.equal(a.batchSize, 16384);
    assert.equal(a.enableIdempotence, true);
    assert.equal(a.maxInFlightRequestsPerConnection, 5);
    assert.equal(a.deliveryTimeoutMs, 120000);
  });

  it('parses .properties strings into typed values', () => {
    const c = resolveConfig('consumer', {
      'bootstrap.servers': 'x:9092',
      'enable.auto.commit': 'false',
      'max.poll.records': '10',
      'auto.offset.reset': 'EARLIEST',
      'partition.assignment.strategy': 'org.apache.kafka.clients.consumer.CooperativeStickyAssignor',
      'key.deserializer': 'org.apache.kafka.common.serialization.StringDeserializer',
    });
    assert.equal(c.enableAutoCommit, false);
    assert.equal(c.maxPollRecords, 10);
    assert.equal(c.autoOffsetReset, 'earliest');
    assert.deepEqual(c.partitionAssignmentStrategy, ['cooperative-sticky']);
    assert.equal(c.keyDeserializer, 'string');
  });

  it('maps acks spellings to -1, 0 and 1', () => {
    for (const [input, expected] of [
      ['all', -1],
      ['-1', -1],
      [-1, -1],
      ['0', 0],
      [1, 1],
    ] as const) {
      assert.equal(resolveConfig('producer', { 'bootstrap.servers': 'x:1', acks: input }).acks, expected);
    }
  });

  it('rejects unknown keys, naming them (with a hint for near misses)', () => {
    assert.throws(
      () => resolveConfig('producer', { 'bootstrap.servers': 'x:1', 'linger.msec': 5 }),
      (e: unknown) => e instanceof ConfigError && e.key === 'linger.msec' && /unknown setting/.test(e.message),
    );
    assert.throws(
      () => resolveConfig('producer', { 'bootstrap.servers': 'x:1', LINGER_MS: 5 }),
      /did you mean 'linger.ms'/,
    );
  });

  it('rejects ill-typed and out-of-range values with the key in the message', () => {
    assert.throws(
      () => resolveConfig('producer', { 'bootstrap.servers': 'x:1', 'batch.size': 'big' }),
      /'batch.size': expected an integer/,
    );
    assert.throws(
      () => resolveConfig('producer', { 'bootstrap.servers': 'x:1', 'linger.ms': -1 }),
      /'linger.ms': -1 is below the minimum 0/,
    );
    assert.throws(
      () => resolveConfig('producer', { 'bootstrap.servers': 'x:1', acks: 2 }),
      /'acks': expected 0, 1, all or -1/,
    );
    assert.throws(
      () => resolveConfig('producer', { 'bootstrap.servers': 'x:1', 'compression.type': 'brotli' }),
      /'compression.type': expected one of none, gzip, snappy, lz4, zstd/,
    );
    assert.throws(
      () => resolveConfig('consumer', { 'bootstrap.servers': 'x:1', 'enable.auto.commit': 'yes' }),
      /'enable.auto.commit': expected true or false/,
    );
    assert.throws(
      () => resolveConfig('consumer', { 'bootstrap.servers': 'x:1', 'partition.assignment.strategy': 'fair' }),
      /unknown assignor 'fair'/,
    );
  });

  it('rejects settings of another client role', () => {
    assert.throws(
      () => resolveConfig('consumer', { 'bootstrap.servers': 'x:1', 'linger.ms': 5 }),
      /'linger.ms': is a producer setting, not valid for a consumer/,
    );
    assert.throws(
      () => resolveConfig('admin', { 'bootstrap.servers': 'x:1', 'group.id': 'g' }),
      /is a consumer setting/,
    );
  });

  it('rejects the same setting given twice with different values', () => {
    assert.throws(
      () => resolveConfig('producer', { 'bootstrap.servers': 'x:1', 'linger.ms': 5, lingerMs: 6 }),
      /conflicts with 'linger.ms'/,
    );
    assert.equal(resolveConfig('producer', { 'bootstrap.servers': 'x:1', 'linger.ms': 5, lingerMs: '5' }).lingerMs, 5);
  });

  it('requires bootstrap.servers', () => {
    assert.throws(() => resolveConfig('admin', {}), /'bootstrap.servers': is required/);
  });

  it('accepts functions for serializers and partitioners, and names for built-ins', () => {
    const fn = (v: unknown) => Buffer.from(String(v));
    const p = resolveConfig('producer', {
      'bootstrap.servers': 'x:1',
      'value.serializer': fn,
      keySerializer: 'json',
      partitioner: 'round-robin',
    });
    assert.equal(p.valueSerializer, fn);
    assert.equal(p.keySerializer, 'json');
    assert.equal(p.partitioner, 'round-robin');
    assert.throws(
      () => resolveConfig('producer', { 'bootstrap.servers': 'x:1', 'key.serializer': 'avro' }),
      /'key.serializer'/,
    );
  });
});

describe('client constructors', () => {
  it('fail at construction on invalid combinations', () => {
    assert.throws(
      () => new Producer({ 'bootstrap.servers': 'x:1', 'enable.idempotence': true, acks: 1 }),
      /'acks': must be all/,
    );
    assert.throws(
      () => new Producer({ 'bootstrap.servers': 'x:1', 'transactional.id': 't', 'enable.idempotence': false }),
      /'transactional.id'/,
    );
    assert.throws(
      () => new Producer({ 'bootstrap.servers': 'x:1', 'delivery.timeout.ms': 1000 }),
      /'delivery.timeout.ms'/,
    );
    assert.throws(
      () => new Consumer({ 'bootstrap.servers': 'x:1', 'group.instance.id': 'i' }),
      /'group.instance.id': needs a group.id/,
    );
    assert.throws(
      () =>
        new Consumer({
          'bootstrap.servers': 'x:1',
          'group.id': 'g',
          'heartbeat.interval.ms': 10000,
          'session.timeout.ms': 6000,
        }),
      /'heartbeat.interval.ms'/,
    );
  });

  it('turns idempotence off silently for acks=1 when it was not asked for (as Java does)', async () => {
    const p = new Producer({ 'bootstrap.servers': '127.0.0.1:1', acks: 1 });
    assert.equal(p.config.enableIdempotence, false);
    await p.close({ timeoutMs: 0 });
  });

  it('accepts the four security protocols, case-insensitively, and refuses others naming the key', () => {
    for (const protocol of ['PLAINTEXT', 'SSL', 'SASL_PLAINTEXT', 'sasl_ssl']) {
      const c = resolveConfig('admin', { 'bootstrap.servers': 'x:1', 'security.protocol': protocol });
      assert.equal(c.securityProtocol, protocol.toUpperCase());
    }
    assert.throws(
      () => resolveConfig('admin', { 'bootstrap.servers': 'x:1', 'security.protocol': 'TLS' }),
      /'security.protocol': expected one of PLAINTEXT, SSL, SASL_PLAINTEXT, SASL_SSL/,
    );
    assert.throws(
      () => resolveConfig('admin', { 'bootstrap.servers': 'x:1', 'ssl.keystore.type': 'BKS' }),
      /'ssl.keystore.type': expected one of PEM, PKCS12, JKS/,
    );
  });
});
