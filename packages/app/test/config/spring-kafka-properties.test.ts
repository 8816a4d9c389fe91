// biome-ignore-all lint/suspicious/noTemplateCurlyInString: ${...} here are Spring placeholders, not template slips.
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import { Admin, ConfigError, Consumer, Producer } from '@samsa/client';
import { loadSpringKafkaConfig, parseSpringKafkaConfig } from '../../src/config/spring-kafka-properties.js';
import { springSerdes } from '../../src/config/spring-serdes.js';
import { isDeserializationException } from '../../src/serde/deserialization-exception.js';
import { isJsonSerializer } from '../../src/serde/json-serializer.js';
import { JsonTypeMapper } from '../../src/serde/json-type-mapper.js';

/** The second seed's application.properties, verbatim. */
const SEED = `
spring.kafka.bootstrap-servers=192.168.22.161:9092,192.168.22.162:9092,192.168.22.163:9092
spring.kafka.producer.retries=1
spring.kafka.producer.acks=-1
spring.kafka.admin.client-id=kun-117
spring.kafka.producer.batch-size=16384
spring.kafka.producer.properties.linger.ms=0
spring.kafka.producer.buffer-memory=33554432
spring.kafka.producer.key-serializer=org.apache.kafka.common.serialization.StringSerializer
spring.kafka.producer.value-serializer=org.springframework.kafka.support.serializer.JsonSerializer
# spring.kafka.producer.transaction-id-prefix=\${spring.kafka.admin.client-id}
spring.kafka.consumer.properties.group.id=kun-117-consumerGroup
spring.kafka.consumer.enable-auto-commit=true
spring.kafka.consumer.max-poll-records=500
spring.kafka.consumer.heartbeat-interval=3000
spring.kafka.consumer.auto-commit-interval=5000
spring.kafka.consumer.auto-offset-reset=latest
spring.kafka.consumer.properties.session.timeout.ms=120000
spring.kafka.consumer.properties.request.timeout.ms=180000
spring.kafka.consumer.key-deserializer=org.apache.kafka.common.serialization.StringDeserializer
spring.kafka.consumer.value-deserializer=org.apache.kafka.common.serialization.StringDeserializer
spring.kafka.listener.missing-topics-fatal=true
spring.kafka.consumer.fetch-min-size=1
spring.kafka.consumer.fetch-max-wait=500
# spring.kafka.listener.type=batch
`;

/** The same configuration as application.yml, with Boot's other spellings of the same values. */
const SEED_YAML = `
spring:
  kafka:
    bootstrap-servers:
      - 192.168.22.161:9092
      - 192.168.22.162:9092
      - 192.168.22.163:9092
    producer:
      retries: 1
      acks: -1
      batchSize: 16KB
      buffer-memory: 32MB
      key-serializer: org.apache.kafka.common.serialization.StringSerializer
      value-serializer: org.springframework.kafka.support.serializer.JsonSerializer
      properties:
        linger.ms: 0
    admin:
      client-id: kun-117
    consumer:
      enable-auto-commit: true
      max_poll_records: 500
      heartbeat-interval: 3s
      auto-commit-interval: PT5S
      auto-offset-reset: latest
      key-deserializer: org.apache.kafka.common.serialization.StringDeserializer
      value-deserializer: org.apache.kafka.common.serialization.StringDeserializer
      fetch-min-size: 1B
      fetch-max-wait: 500ms
      properties:
        group:
          id: kun-117-consumerGroup
        session.timeout.ms: 120000
        "[request.timeout.ms]": 180000
    listener:
      missing-topics-fatal: true
`;

const SERVERS = '192.168.22.161:9092,192.168.22.162:9092,192.168.22.163:9092';
const EXPECTED_PRODUCER = {
  'bootstrap.servers': SERVERS,
  'key.serializer': 'string',
  'value.serializer': 'json',
  retries: '1',
  acks: '-1',
  'batch.size': '16384',
  'buffer.memory': '33554432',
  'linger.ms': '0',
};
const EXPECTED_CONSUMER = {
  'bootstrap.servers': SERVERS,
  'isolation.level': 'read_uncommitted',
  'key.deserializer': 'string',
  'value.deserializer': 'string',
  'group.id': 'kun-117-consumerGroup',
  'enable.auto.commit': 'true',
  'max.poll.records': '500',
  'heartbeat.interval.ms': '3000',
  'auto.commit.interval.ms': '5000',
  'auto.offset.reset': 'latest',
  'session.timeout.ms': '120000',
  'request.timeout.ms': '180000',
  'fetch.min.bytes': '1',
  'fetch.max.wait.ms': '500',
};
const noEnv = { env: {} };

describe('parseSpringKafkaConfig', () => {
  it('binds the seed application.properties to client settings', () => {
    const config = parseSpringKafkaConfig(SEED, noEnv);
    assert.deepEqual(config.producer, EXPECTED_PRODUCER);
    assert.deepEqual(config.consumer, EXPECTED_CONSUMER);
    assert.deepEqual(config.admin, { 'bootstrap.servers': SERVERS, 'client.id': 'kun-117' });
    assert.deepEqual(config.common, { 'bootstrap.servers': SERVERS });
    assert.equal(config.serdes.producerValue.name, 'spring-json');
    assert.equal(config.serdes.consumerValue.name, 'string');
    assert.equal(config.producerTransactionIdPrefix, undefined);
    assert.equal(config.streams, undefined);
    assert.deepEqual(config.listener, {
      type: 'single',
      ackMode: 'BATCH',
      concurrency: 1,
      pollTimeoutMs: 5000,
      idleBetweenPollsMs: 0,
      missingTopicsFatal: true,
      immediateStop: false,
      autoStartup: true,
      observationEnabled: false,
    });
    assert.deepEqual(config.kafkaAdmin, { failFast: false, autoCreate: true, modifyTopicConfigs: false });
    assert.deepEqual(config.template, { observationEnabled: false });
  });

  it('binds the YAML equivalent (lists, relaxed names, units, nested and bracketed map keys) the same way', () => {
    const config = parseSpringKafkaConfig(SEED_YAML, { format: 'yaml', env: {} });
    assert.deepEqual(config.producer, { ...EXPECTED_PRODUCER, 'batch.size': '16384', 'buffer.memory': '33554432' });
    assert.deepEqual(config.consumer, EXPECTED_CONSUMER);
    assert.equal(config.listener.missingTopicsFatal, true);
  });

  it('the commented-out lines of the seed: placeholders and a batch listener', () => {
    const text = SEED.replace('# spring.kafka.producer.transaction', 'spring.kafka.producer.transaction').replace(
      '# spring.kafka.listener.type=batch',
      'spring.kafka.listener.type=batch',
    );
    const config = parseSpringKafkaConfig(text, noEnv);
    assert.equal(config.producerTransactionIdPrefix, 'kun-117');
    assert.equal(config.producer['transactional.id'], undefined);
    assert.equal(config.listener.type, 'batch');
  });

  it('resolves ${key:default}, nested placeholders and environment variables', () => {
    const config = parseSpringKafkaConfig(
      [
        'app.prefix=tx-',
        'spring.kafka.template.default-topic=${app.topic:orders}',
        'spring.kafka.template.transaction-id-prefix=${app.prefix}${spring.application.name:${APP_NAME}}',
        'spring.kafka.bootstrap-servers=${KAFKA_HOST}:9092',
        'spring.kafka.client-id=${spring.kafka.admin.client-id}',
        'spring.kafka.admin.client-id=${KAFKA_CLIENT_ID:admin-1}',
      ].join('\n'),
      { env: { APP_NAME: 'billing', KAFKA_HOST: 'k1', SPRING_KAFKA_ADMIN_CLIENTID: 'from-env' } },
    );
    assert.equal(config.template.defaultTopic, 'orders');
    assert.equal(config.template.transactionIdPrefix, 'tx-billing');
    assert.equal(config.common['bootstrap.servers'], 'k1:9092');
    assert.equal(config.admin['client.id'], 'admin-1');
    assert.equal(config.producer['client.id'], 'admin-1');
  });

  it('an unresolvable or circular placeholder names the key', () => {
    assert.throws(
      () => parseSpringKafkaConfig('spring.kafka.client-id=${nowhere}', noEnv),
      (e: Error) =>
        e instanceof ConfigError &&
        e.key === 'spring.kafka.client-id' &&
        e.message.includes(`Could not resolve placeholder 'nowhere' in value "\${nowhere}"`),
    );
    assert.throws(
      () => parseSpringKafkaConfig('a=${spring.kafka.client-id}\nspring.kafka.client-id=${a}', noEnv),
      /Circular placeholder reference/,
    );
    // An unrelated broken placeholder is never read, as in Spring.
    assert.doesNotThrow(() => parseSpringKafkaConfig('other.key=${nowhere}', noEnv));
  });

  it('layers as Boot does: role typed settings over shared properties, role properties over both', () => {
    const config = parseSpringKafkaConfig(
      [
        'spring.kafka.client-id=shared',
        'spring.kafka.properties.client.id=from-properties',
        'spring.kafka.properties.key.serializer=org.apache.kafka.common.serialization.ByteArraySerializer',
        'spring.kafka.consumer.client-id=consumer-typed',
        'spring.kafka.consumer.group-id=typed-group',
        'spring.kafka.consumer.properties.group.id=properties-group',
        'spring.kafka.security.protocol=SSL',
        'spring.kafka.producer.security.protocol=PLAINTEXT',
        'spring.kafka.ssl.trust-store-location=file:/etc/ca.pem',
        'spring.kafka.ssl.trust-store-type=PEM',
      ].join('\n'),
      noEnv,
    );
    assert.equal(config.common['client.id'], 'from-properties');
    assert.equal(config.consumer['client.id'], 'consumer-typed');
    assert.equal(config.consumer['group.id'], 'properties-group');
    assert.equal(config.admin['client.id'], 'from-properties');
    // Boot's typed default (StringSerializer) wins over spring.kafka.properties, a known Boot trait.
    assert.equal(config.producer['key.serializer'], 'string');
    assert.equal(config.consumer['security.protocol'], 'SSL');
    assert.equal(config.producer['security.protocol'], 'PLAINTEXT');
    assert.equal(config.consumer['ssl.truststore.location'], '/etc/ca.pem');
  });

  it('types the listener, admin, template and retry settings, with Boot\u2019s relaxed enums', () => {
    const config = parseSpringKafkaConfig(
      [
        'spring.kafka.listener.ack-mode=manual-immediate',
        'spring.kafka.listener.ack-count=10',
        'spring.kafka.listener.ack-time=2s',
        'spring.kafka.listener.concurrency=3',
        'spring.kafka.listener.poll-timeout=PT1.5S',
        'spring.kafka.listener.idle-event-interval=1m',
        'spring.kafka.listener.monitor-interval=30',
        'spring.kafka.listener.client-id=orders',
        'spring.kafka.listener.immediate-stop=yes',
        'spring.kafka.admin.fail-fast=true',
        'spring.kafka.admin.auto-create=off',
        'spring.kafka.admin.operation-timeout=10s',
        'spring.kafka.retry.topic.enabled=true',
        'spring.kafka.retry.topic.backoff.delay=500ms',
        'spring.kafka.consumer.isolation-level=read-committed',
        'spring.kafka.streams.application-id=app',
        'spring.kafka.streams.cleanup.on-startup=true',
      ].join('\n'),
      noEnv,
    );
    assert.equal(config.listener.ackMode, 'MANUAL_IMMEDIATE');
    assert.equal(config.listener.ackCount, 10);
    assert.equal(config.listener.ackTimeMs, 2000);
    assert.equal(config.listener.concurrency, 3);
    assert.equal(config.listener.pollTimeoutMs, 1500);
    assert.equal(config.listener.idleEventIntervalMs, 60000);
    assert.equal(config.listener.monitorIntervalMs, 30000);
    assert.equal(config.listener.clientIdPrefix, 'orders');
    assert.equal(config.listener.immediateStop, true);
    assert.deepEqual(config.kafkaAdmin, {
      failFast: true,
      autoCreate: false,
      modifyTopicConfigs: false,
      operationTimeoutMs: 10000,
    });
    assert.equal(config.retryTopic.enabled, true);
    assert.equal(config.retryTopic.delayMs, 500);
    assert.equal(config.retryTopic.attempts, 3);
    assert.equal(config.consumer['isolation.level'], 'read_committed');
    assert.equal(config.streams?.['application.id'], 'app');
    assert.deepEqual(config.streamsOptions, { autoStartup: true, cleanupOnStartup: true, cleanupOnShutdown: false });
  });

  it('bad values and unknown keys throw, naming the key', () => {
    const cases: [string, string][] = [
      ['spring.kafka.consumer.heartbeat-interval=3 seconds', 'spring.kafka.consumer.heartbeat-interval'],
      ['spring.kafka.consumer.auto-commit-interval=PT', 'spring.kafka.consumer.auto-commit-interval'],
      ['spring.kafka.producer.batch-size=16kb', 'spring.kafka.producer.batch-size'],
      ['spring.kafka.producer.batch-size=4GB', 'spring.kafka.producer.batch-size'],
      ['spring.kafka.listener.ack-mode=SOMETIMES', 'spring.kafka.listener.ack-mode'],
      ['spring.kafka.listener.concurrency=many', 'spring.kafka.listener.concurrency'],
      ['spring.kafka.listener.missing-topics-fatal=maybe', 'spring.kafka.listener.missing-topics-fatal'],
      ['spring.kafka.producer.linger=5', 'spring.kafka.producer.linger'],
      ['spring.kafka.consumer.transaction-id-prefix=x', 'spring.kafka.consumer.transaction-id-prefix'],
      ['spring.kafka.bogus=1', 'spring.kafka.bogus'],
      ['spring.kafka.jaas.enabled=true', 'spring.kafka.jaas.enabled'],
      ['spring.kafka.ssl.bundle=client', 'spring.kafka.ssl.bundle'],
      ['spring.kafka.producer.value-serializer=com.acme.AvroSerializer', 'spring.kafka.producer.value-serializer'],
    ];
    for (const [line, key] of cases) {
      assert.throws(
        () => parseSpringKafkaConfig(line, noEnv),
        (e: Error) => e instanceof ConfigError && e.key === key && e.message.includes(key),
        line,
      );
    }
  });

  it('ErrorHandlingDeserializer with a Spring JSON delegate: serde settings leave the client map', () => {
    const config = parseSpringKafkaConfig(
      [
        'spring.kafka.consumer.value-deserializer=org.springframework.kafka.support.serializer.ErrorHandlingDeserializer',
        'spring.kafka.consumer.properties.spring.deserializer.value.delegate.class=org.springframework.kafka.support.serializer.JsonDeserializer',
        'spring.kafka.consumer.properties[spring.json.trusted.packages]=com.kun.kafka.bean, com.acme',
        'spring.kafka.producer.properties.spring.json.add.type.headers=true',
      ].join('\n'),
      noEnv,
    );
    assert.equal(config.consumer['value.deserializer'], 'json');
    assert.equal(config.consumer['spring.json.trusted.packages'], undefined);
    assert.equal(config.consumer['spring.deserializer.value.delegate.class'], undefined);
    assert.equal(config.producer['spring.json.add.type.headers'], undefined);
    assert.deepEqual(config.serdes.consumerValue.name, 'spring-json');
    assert.equal(config.serdes.consumerValue.errorHandling, true);
    assert.deepEqual(config.jsonTrustedPackages, ['com.kun.kafka.bean', 'com.acme']);

    class UserBean {
      name = '';
    }
    const mapper = new JsonTypeMapper().register('com.kun.kafka.bean.UserBean', UserBean);
    const serdes = springSerdes(config.serdes, mapper);
    const typed = [{ key: '__TypeId__', value: Buffer.from('com.kun.kafka.bean.UserBean') }];
    assert.ok(serdes.consumer.valueDeserializer(Buffer.from('{"name":"kun"}'), 't', typed) instanceof UserBean);
    assert.throws(() => serdes.consumer.valueDeserializer(Buffer.from('{'), 't', typed), isDeserializationException);
    assert.ok(isJsonSerializer(serdes.producer.valueSerializer) === false);

    assert.throws(
      () =>
        parseSpringKafkaConfig(
          'spring.kafka.consumer.value-deserializer=org.springframework.kafka.support.serializer.ErrorHandlingDeserializer',
          noEnv,
        ),
      (e: Error) => e instanceof ConfigError && e.key === 'spring.deserializer.value.delegate.class',
    );
  });

  it('shared spring.json.* properties reach the serdes, not any client', async () => {
    const config = parseSpringKafkaConfig(
      [
        'spring.kafka.properties.spring.json.trusted.packages=*',
        'spring.kafka.consumer.value-deserializer=org.springframework.kafka.support.serializer.JsonDeserializer',
      ].join('\n'),
      noEnv,
    );
    assert.deepEqual(config.jsonTrustedPackages, ['*']);
    assert.equal(config.serdes.consumerValue.properties['spring.json.trusted.packages'], '*');
    for (const settings of [config.common, config.admin, config.producer, config.consumer]) {
      assert.equal(settings['spring.json.trusted.packages'], undefined);
    }
    await new Admin(config.admin).close();
  });

  it('Spring Boot defaults: localhost bootstrap and String serdes', () => {
    const config = parseSpringKafkaConfig({}, noEnv);
    assert.deepEqual(config.producer, {
      'bootstrap.servers': 'localhost:9092',
      'key.serializer': 'string',
      'value.serializer': 'string',
    });
    const seed = parseSpringKafkaConfig(SEED, noEnv);
    assert.ok(isJsonSerializer(springSerdes(seed.serdes).producer.valueSerializer));
  });

  it('accepts a plain object, nested or dotted', () => {
    const config = parseSpringKafkaConfig(
      { spring: { kafka: { 'bootstrap-servers': ['a:1', 'b:2'], consumer: { 'group-id': 'g' } } } },
      noEnv,
    );
    assert.equal(config.consumer['bootstrap.servers'], 'a:1,b:2');
    assert.equal(config.consumer['group.id'], 'g');
    const dotted = parseSpringKafkaConfig(
      { 'spring.kafka.bootstrap-servers[0]': 'x:1', 'spring.kafka.bootstrap-servers[1]': 'y:2' },
      noEnv,
    );
    assert.equal(dotted.common['bootstrap.servers'], 'x:1,y:2');
  });
});

describe('loadSpringKafkaConfig', () => {
  const dir = mkdtempSync(join(tmpdir(), 'spring-config-'));
  after(() => rmSync(dir, { recursive: true, force: true }));

  it('reads .properties, .yml and .yaml files by extension', () => {
    writeFileSync(join(dir, 'application.properties'), SEED);
    writeFileSync(join(dir, 'application.yml'), SEED_YAML);
    writeFileSync(join(dir, 'application.yaml'), SEED_YAML);
    const fromProperties = loadSpringKafkaConfig(join(dir, 'application.properties'), noEnv);
    assert.deepEqual(fromProperties.consumer, EXPECTED_CONSUMER);
    for (const name of ['application.yml', 'application.yaml']) {
      assert.deepEqual(loadSpringKafkaConfig(join(dir, name), noEnv).consumer, EXPECTED_CONSUMER);
    }
  });

  it('skips YAML documents that a profile activates', () => {
    const yaml = `${SEED_YAML}\n---\nspring:\n  config:\n    activate:\n      on-profile: prod\n  kafka:\n    bootstrap-servers: prod:9092\n`;
    writeFileSync(join(dir, 'profiles.yml'), yaml);
    assert.equal(loadSpringKafkaConfig(join(dir, 'profiles.yml'), noEnv).common['bootstrap.servers'], SERVERS);
  });
});

describe('the bound settings are accepted by the client', () => {
  it('constructs a Producer, a Consumer and an Admin from the seed without connecting', async () => {
    const config = parseSpringKafkaConfig(SEED, noEnv);
    const serdes = springSerdes(config.serdes);
    const producer = new Producer({ ...config.producer, 'value.serializer': serdes.producer.valueSerializer });
    const consumer = new Consumer(config.consumer);
    const admin = new Admin(config.admin);
    assert.equal(producer.config.batchSize, 16384);
    assert.equal(producer.config.lingerMs, 0);
    assert.equal(producer.config.acks, -1);
    assert.equal(consumer.config.groupId, 'kun-117-consumerGroup');
    assert.equal(consumer.config.sessionTimeoutMs, 120000);
    assert.equal(admin.config.clientId, 'kun-117');
    await producer.close();
    await consumer.close();
    await admin.close();
  });
});
