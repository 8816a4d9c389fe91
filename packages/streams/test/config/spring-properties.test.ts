import assert from 'node:assert/strict';
import { test } from 'node:test';
import { Serdes } from '../../src/serde/serdes.js';
import { ConfigException, StreamsConfig } from '../../src/streams-config.js';

// The seed's Spring Boot properties, verbatim (a properties file: `F:\\dir` is `F:\dir`).
const SEED = String.raw`
spring.kafka.streams.bootstrap-servers=192.168.22.161:9092,192.168.22.162:9092,192.168.22.163:9092
spring.kafka.streams.application-id=stream-kun-117
spring.kafka.streams.properties.default.key.serde=org.apache.kafka.common.serialization.Serdes$StringSerde
spring.kafka.streams.properties.default.value.serde=org.apache.kafka.common.serialization.Serdes$StringSerde
# 缓存文件的目录,目录即使被删除数据依然累计,只是为了加快速度,数据存储在kafka主题中
spring.kafka.streams.state-dir=F:\\dir
spring.kafka.producer.acks=-1
`;

test("the seed's spring.kafka.streams.* properties become Kafka Streams' settings", () => {
  const props = StreamsConfig.fromSpringProperties(SEED);
  assert.deepEqual(props, {
    'bootstrap.servers': '192.168.22.161:9092,192.168.22.162:9092,192.168.22.163:9092',
    'application.id': 'stream-kun-117',
    'default.key.serde': 'org.apache.kafka.common.serialization.Serdes$StringSerde',
    'default.value.serde': 'org.apache.kafka.common.serialization.Serdes$StringSerde',
    'state.dir': 'F:\\dir',
  });
  const config = new StreamsConfig(props);
  assert.equal(config.applicationId, 'stream-kun-117');
  assert.equal(config.stateDir, 'F:\\dir');
  const bytes = config.defaultValueSerde.serializer().serialize('t', 'hé');
  assert.deepEqual(bytes, Serdes.String().serializer().serialize('t', 'hé'));
});

test('relaxed names, spring.kafka.* fallbacks and precedence', () => {
  const props = StreamsConfig.fromSpringProperties({
    'spring.application.name': 'orders',
    'spring.kafka.bootstrap-servers': 'global:9092',
    'spring.kafka.properties.commit.interval.ms': '5000',
    'spring.kafka.streams.properties.commit.interval.ms': '1000',
    'spring.kafka.streams.stateDir': '/var/lib/streams',
    'spring.kafka.streams.replication_factor': '3',
    'spring.kafka.consumer.max-poll-records': '10',
  });
  assert.deepEqual(props, {
    'application.id': 'orders',
    'bootstrap.servers': 'global:9092',
    'commit.interval.ms': '1000',
    'state.dir': '/var/lib/streams',
    'replication.factor': '3',
  });
  const map = new Map([
    ['spring.kafka.bootstrap-servers', 'global:9092'],
    ['spring.kafka.streams.bootstrap-servers', 'streams:9092'],
    ['spring.kafka.streams.application-id', 'a'],
  ]);
  assert.equal(StreamsConfig.fromSpringProperties(map)['bootstrap.servers'], 'streams:9092');
});

test('no application id and no spring.application.name: a ConfigException naming the property', () => {
  assert.throws(
    () => StreamsConfig.fromSpringProperties('spring.kafka.streams.bootstrap-servers=localhost:9092\n'),
    (e: unknown) => e instanceof ConfigException && /spring\.kafka\.streams\.application-id/.test(e.message),
  );
});
