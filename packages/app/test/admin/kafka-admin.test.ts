import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { Admin } from '@samsa/client';
import { BrokerProcess, freePort } from '@samsa/testkit';
import { KafkaAdmin } from '../../src/admin/kafka-admin.js';
import { NewTopic, TopicBuilder } from '../../src/admin/new-topic.js';
import { parseSpringKafkaConfig } from '../../src/config/spring-kafka-properties.js';
import { silentLogger } from '../../src/support/logger.js';

describe('NewTopic and TopicBuilder', () => {
  it('builds what Spring builds, broker defaults when unset', () => {
    const topic = TopicBuilder.name('orders')
      .partitions(8)
      .replicas(2)
      .config('retention.ms', '1000')
      .compact()
      .build();
    assert.ok(topic instanceof NewTopic);
    assert.equal(topic.name, 'orders');
    assert.equal(topic.numPartitions, 8);
    assert.equal(topic.replicationFactor, 2);
    assert.deepEqual(topic.configs, { 'retention.ms': '1000', 'cleanup.policy': 'compact' });
    const defaults = TopicBuilder.name('d').build();
    assert.equal(defaults.numPartitions, -1);
    assert.equal(defaults.replicationFactor, -1);
    const assigned = TopicBuilder.name('a').partitions(3).assignReplica(0, [1, 2]).assignReplica(1, [2, 1]).build();
    assert.deepEqual(assigned.assignments, { 0: [1, 2], 1: [2, 1] });
    assert.equal(assigned.numPartitions, -1);
    assert.deepEqual(new NewTopic('x', 1, 1).withConfigs({ a: 'b' }).configs, { a: 'b' });
    assert.throws(() => new NewTopic('x', 0, 1), /numPartitions/);
    assert.throws(() => new NewTopic('x', 1, -2), /replicationFactor/);
  });
});

describe('KafkaAdmin against a broker', () => {
  let broker: BrokerProcess;
  let admin: Admin;

  before(async () => {
    broker = await BrokerProcess.start();
    admin = new Admin({ 'bootstrap.servers': broker.bootstrap });
  });
  after(async () => {
    await admin.close();
    await broker.stop();
  });

  const kafkaAdmin = (options = {}) =>
    new KafkaAdmin({ 'bootstrap.servers': broker.bootstrap }, { logger: silentLogger, ...options });
  const partitions = async (topic: string) => (await admin.describeTopics([topic]))[0]?.partitions.length;

  it('creates a missing topic with its partitions, replicas and configs', async () => {
    const result = await kafkaAdmin().initialize([
      new NewTopic('test-topic', 8, 1),
      TopicBuilder.name('compacted').partitions(2).replicas(1).compact().build(),
    ]);
    assert.deepEqual([...result.created].sort(), ['compacted', 'test-topic']);
    assert.equal(await partitions('test-topic'), 8);
    const [configs] = await admin.describeConfigs([{ type: 'topic', name: 'compacted', keys: ['cleanup.policy'] }]);
    assert.equal(configs?.configs[0]?.value, 'compact');
  });

  it('refuses the seed\u2019s replication factor 2 on one broker, naming INVALID_REPLICATION_FACTOR', async () => {
    // The seed's `new NewTopic("test-topic", 8, (short) 2)` on a cluster of one broker.
    await assert.rejects(kafkaAdmin().initialize([new NewTopic('rf-two', 8, 2)]), (e: Error) => {
      assert.match(e.message, /Could not configure topics: Failed to create topics: INVALID_REPLICATION_FACTOR/);
      assert.match(e.message, /rf-two/);
      return true;
    });
    assert.deepEqual(await admin.listTopics().then((t) => t.includes('rf-two')), false);
  });

  it('grows a topic from 3 to 8 partitions, never shrinks, and re-running is idempotent', async () => {
    const k = kafkaAdmin();
    assert.deepEqual((await k.initialize([new NewTopic('grow', 3, 1)])).created, ['grow']);
    assert.equal(await partitions('grow'), 3);

    const grown = await k.initialize([new NewTopic('grow', 8, 1)]);
    assert.deepEqual(grown.created, []);
    assert.deepEqual(grown.partitionsIncreased, [{ topic: 'grow', from: 3, to: 8 }]);
    assert.equal(await partitions('grow'), 8);

    const again = await k.initialize([new NewTopic('grow', 8, 1)]);
    assert.deepEqual(again, { created: [], partitionsIncreased: [], configsChanged: [], notes: [] });

    const smaller = await k.initialize([new NewTopic('grow', 4, 1)]);
    assert.deepEqual(smaller.partitionsIncreased, []);
    assert.deepEqual(smaller.notes, ["Topic 'grow' exists but has a different partition count: 8 not 4"]);
    assert.equal(await partitions('grow'), 8);
  });

  it('uses a given Admin without closing it, and describes topics', async () => {
    const k = new KafkaAdmin(admin, { logger: silentLogger });
    await k.createOrModifyTopics(new NewTopic('described', 2, 1));
    const descriptions = await k.describeTopics('described');
    assert.equal(descriptions.get('described')?.partitions.length, 2);
    assert.equal(typeof (await k.clusterId()), 'string');
    assert.ok((await admin.listTopics()).includes('described'));
    await assert.rejects(
      k.describeTopics('no-such-topic'),
      /Failed to obtain topic descriptions: UNKNOWN_TOPIC_OR_PART/,
    );
  });

  it('modifyTopicConfigs sets declared configs that differ', async () => {
    const k = kafkaAdmin({ modifyTopicConfigs: true });
    await k.initialize([
      TopicBuilder.name('configured').partitions(1).replicas(1).config('retention.ms', '1000').build(),
    ]);
    const changed = await k.initialize([
      TopicBuilder.name('configured').partitions(1).replicas(1).config('retention.ms', '2000').build(),
    ]);
    assert.deepEqual(changed.configsChanged, [{ topic: 'configured', configs: { 'retention.ms': '2000' } }]);
    const [configs] = await admin.describeConfigs([{ type: 'topic', name: 'configured', keys: ['retention.ms'] }]);
    assert.equal(configs?.configs[0]?.value, '2000');
    // Without the option, a differing config is left as it is.
    const untouched = await kafkaAdmin().initialize([
      TopicBuilder.name('configured').partitions(1).replicas(1).config('retention.ms', '3000').build(),
    ]);
    assert.deepEqual(untouched.configsChanged, []);
  });

  it('built from Spring Boot settings', async () => {
    const config = parseSpringKafkaConfig(
      `spring.kafka.bootstrap-servers=${broker.bootstrap}\nspring.kafka.admin.client-id=kun-117\nspring.kafka.admin.fail-fast=true`,
      { env: {} },
    );
    const k = KafkaAdmin.fromSpringConfig(config, silentLogger);
    const result = await k.start([new NewTopic('from-spring', 1, 1)]);
    assert.deepEqual(result?.created, ['from-spring']);
  });
});

describe('KafkaAdmin without a broker', () => {
  let port: number;
  before(async () => {
    port = await freePort();
  });
  const config = () => ({
    'bootstrap.servers': `127.0.0.1:${port}`,
    'default.api.timeout.ms': 2000,
    'socket.connection.setup.timeout.ms': 500,
  });

  it('fail-fast: start throws', async () => {
    const k = new KafkaAdmin(config(), {
      fatalIfBrokerNotAvailable: true,
      operationTimeoutMs: 5000,
      logger: silentLogger,
    });
    await assert.rejects(k.start([new NewTopic('t', 1, 1)]), /Could not configure topics/);
  });

  it('without fail-fast: start logs and returns undefined; autoCreate=false does nothing', async () => {
    const logged: string[] = [];
    const logger = { ...silentLogger, error: (message: string) => void logged.push(message) };
    const k = new KafkaAdmin(config(), { operationTimeoutMs: 5000, logger });
    assert.equal(await k.start([new NewTopic('t', 1, 1)]), undefined);
    assert.deepEqual(logged, ['Could not configure topics']);
    const off = new KafkaAdmin(config(), { autoCreate: false, fatalIfBrokerNotAvailable: true, logger });
    assert.equal(await off.start([new NewTopic('t', 1, 1)]), undefined);
    // An explicit initialize always reports the failure.
    await assert.rejects(off.initialize([new NewTopic('t', 1, 1)]), /Could not configure topics/);
  });
});
