import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { parseClientProperties } from '../../src/config/parse-client-properties.js';
import { resolveConfig } from '../../src/config/resolve-config.js';

/** The Spring Boot producer and consumer settings of the seed document, comments and all. */
const SPRING_PROPERTIES = `
spring.kafka.bootstrap-servers=192.168.22.161:9092,192.168.22.162:9092,192.168.22.163:9092
#######################################【初始化生产者配置】#######################################
# 重试次数
spring.kafka.producer.retries=1
# 应答级别:多少个分区副本备份完成时向生产者发送ack确认(可选0、1、all/-1)
spring.kafka.producer.acks=-1
spring.kafka.admin.client-id=kun-117
spring.kafka.producer.batch-size=16384
spring.kafka.producer.properties.linger.ms=0
spring.kafka.producer.buffer-memory=33554432
spring.kafka.producer.key-serializer=org.apache.kafka.common.serialization.StringSerializer
spring.kafka.producer.value-serializer=org.springframework.kafka.support.serializer.JsonSerializer
# spring.kafka.producer.compression-type=snappy
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
`;

describe('parseClientProperties', () => {
  it('translates the seed Spring producer settings', () => {
    const props = parseClientProperties(SPRING_PROPERTIES, 'producer');
    assert.deepEqual(props, {
      'bootstrap.servers': '192.168.22.161:9092,192.168.22.162:9092,192.168.22.163:9092',
      retries: '1',
      acks: '-1',
      'batch.size': '16384',
      'linger.ms': '0',
      'buffer.memory': '33554432',
      'key.serializer': 'org.apache.kafka.common.serialization.StringSerializer',
      'value.serializer': 'org.springframework.kafka.support.serializer.JsonSerializer',
    });
    const config = resolveConfig('producer', props);
    assert.equal(config.keySerializer, 'string');
    assert.equal(config.valueSerializer, 'json');
    assert.equal(config.acks, -1);
    assert.equal(config.lingerMs, 0);
  });

  it('translates the seed Spring consumer settings, dropping container settings', () => {
    const props = parseClientProperties(SPRING_PROPERTIES, 'consumer');
    const config = resolveConfig('consumer', props);
    assert.equal(config.groupId, 'kun-117-consumerGroup');
    assert.equal(config.enableAutoCommit, true);
    assert.equal(config.maxPollRecords, 500);
    assert.equal(config.heartbeatIntervalMs, 3000);
    assert.equal(config.autoCommitIntervalMs, 5000);
    assert.equal(config.autoOffsetReset, 'latest');
    assert.equal(config.sessionTimeoutMs, 120000);
    assert.equal(config.requestTimeoutMs, 180000);
    assert.equal(config.fetchMinBytes, 1);
    assert.equal(config.fetchMaxWaitMs, 500);
    assert.equal(config.valueDeserializer, 'string');
    assert.equal('spring.kafka.listener.missing-topics-fatal' in props, false);
  });

  it('uses the admin client id for the admin role', () => {
    assert.equal(parseClientProperties(SPRING_PROPERTIES, 'admin')['client.id'], 'kun-117');
  });

  it('converts Spring durations and data sizes', () => {
    const props = parseClientProperties(
      'spring.kafka.consumer.heartbeat-interval=3s\nspring.kafka.consumer.fetch-max-wait=250ms',
      'consumer',
    );
    assert.equal(props['heartbeat.interval.ms'], '3000');
    assert.equal(props['fetch.max.wait.ms'], '250');
    assert.equal(parseClientProperties('spring.kafka.producer.batch-size=16KB', 'producer')['batch.size'], '16384');
  });

  it('fails on role-specific keys without a role and on unknown Spring keys', () => {
    assert.throws(() => parseClientProperties(SPRING_PROPERTIES), /pass the role/);
    assert.throws(
      () => parseClientProperties('spring.kafka.producer.batch-sise=1', 'producer'),
      /'spring.kafka.producer.batch-sise': unknown Spring Kafka producer setting/,
    );
  });

  it('passes plain Kafka keys through, so resolveConfig reports typos', () => {
    const props = parseClientProperties('bootstrap.servers=h:1\nlinger.msx=5\n');
    assert.throws(() => resolveConfig('producer', props), /'linger.msx': unknown setting/);
  });

  it("reads a Java client's SSL and SASL properties file as Kafka's tools are given it", () => {
    const props = parseClientProperties(
      [
        'bootstrap.servers=broker:9093',
        'security.protocol=SASL_SSL',
        'ssl.truststore.location=/etc/kafka/ca.pem',
        'ssl.truststore.type=PEM',
        'ssl.endpoint.identification.algorithm=',
        'sasl.mechanism=SCRAM-SHA-256',
        'sasl.jaas.config=org.apache.kafka.common.security.scram.ScramLoginModule required \\',
        '    username="alice" \\',
        '    password="alice-secret";',
      ].join('\n'),
    );
    const config = resolveConfig('producer', props);
    assert.equal(config.securityProtocol, 'SASL_SSL');
    assert.equal(config.sslTruststoreLocation, '/etc/kafka/ca.pem');
    assert.equal(config.sslEndpointIdentificationAlgorithm, '');
    assert.equal(config.saslMechanism, 'SCRAM-SHA-256');
    assert.equal(
      config.saslJaasConfig,
      'org.apache.kafka.common.security.scram.ScramLoginModule required username="alice" password="alice-secret";',
    );
  });

  it("translates Spring Boot's spring.kafka.security and spring.kafka.ssl settings, per role too", () => {
    const props = parseClientProperties(
      [
        'spring.kafka.security.protocol=SSL',
        'spring.kafka.ssl.trust-store-location=file:/etc/kafka/ca.pem',
        'spring.kafka.ssl.trust-store-type=PEM',
        'spring.kafka.consumer.ssl.key-store-location=file:///etc/kafka/consumer.p12',
        'spring.kafka.consumer.ssl.key-store-password=secret',
      ].join('\n'),
      'consumer',
    );
    assert.deepEqual(props, {
      'security.protocol': 'SSL',
      'ssl.truststore.location': '/etc/kafka/ca.pem',
      'ssl.truststore.type': 'PEM',
      'ssl.keystore.location': '/etc/kafka/consumer.p12',
      'ssl.keystore.password': 'secret',
    });
    assert.throws(
      () => parseClientProperties('spring.kafka.ssl.trust-store-location=classpath:ca.pem'),
      /classpath: resource/,
    );
  });
});
