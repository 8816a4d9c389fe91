/**
 * The broker's APIs at exact versions, through a bare protocol connection: what Kafka answers in
 * each case — offsets by time and the special timestamps, config sources and synonyms, topic
 * admin errors, record validation errors, idempotent-producer state across restarts, and the
 * smaller describe APIs.
 */
import assert from 'node:assert/strict';
import { rmSync } from 'node:fs';
import { after, before, describe, test } from 'node:test';
import {
  ApiVersionsApi,
  buildRecordBatch,
  CompressionType,
  CreatePartitionsApi,
  CreateTopicsApi,
  DeleteRecordsApi,
  DescribeClusterApi,
  DescribeConfigsApi,
  DescribeLogDirsApi,
  DescribeProducersApi,
  ErrorCode,
  FetchApi,
  IncrementalAlterConfigsApi,
  InitProducerIdApi,
  ListOffsetsApi,
  MetadataApi,
  OffsetForLeaderEpochApi,
  ProduceApi,
} from '@samsa/protocol';
import { BrokerProcess } from '@samsa/testkit';
import { RawClient } from '../support/raw-client.js';

// biome-ignore lint/suspicious/noExplicitAny: decoded responses are checked field by field; their exact types add nothing here
type Body = Record<string, any>;

describe('broker APIs at exact versions', () => {
  let broker: BrokerProcess;
  let client: RawClient;
  let dataDir: string;

  before(async () => {
    broker = await BrokerProcess.start({
      properties: { 'log.retention.hours': 100, 'auto.create.topics.enable': false },
    });
    dataDir = broker.dataDir;
    client = await RawClient.connect(broker.port);
  });
  after(async () => {
    client?.close();
    await broker?.stop();
    rmSync(dataDir, { recursive: true, force: true });
  });

  async function createTopic(name: string, partitions = 1, configs: Record<string, string> = {}): Promise<Body> {
    const res = await client.send<Body>(CreateTopicsApi, 7, {
      topics: [
        {
          name,
          numPartitions: partitions,
          replicationFactor: 1,
          configs: Object.entries(configs).map(([n, v]) => ({ name: n, value: v })),
        },
      ],
      timeoutMs: 10000,
    });
    return res.topics[0];
  }

  async function produce(topic: string, records: Buffer, version = 9, acks = -1): Promise<Body> {
    const res = await client.send<Body>(ProduceApi, version, {
      acks,
      timeoutMs: 10000,
      topicData: [{ name: topic, partitionData: [{ index: 0, records }] }],
    });
    return res.responses[0].partitionResponses[0];
  }

  test('ApiVersions lists every served API once, with Produce from v0 and Fetch from v4', async () => {
    const res = await client.send<Body>(ApiVersionsApi, 3, {
      clientSoftwareName: 'raw-test',
      clientSoftwareVersion: '1.0',
    });
    assert.equal(res.errorCode, 0);
    const keys = res.apiKeys as { apiKey: number; minVersion: number; maxVersion: number }[];
    assert.equal(new Set(keys.map((k) => k.apiKey)).size, keys.length);
    // Share groups (KIP-932) only with group.share.enable=true.
    assert.deepEqual(
      keys.filter((k) => k.apiKey >= 76 && k.apiKey <= 79),
      [],
    );
    assert.deepEqual(
      keys.find((k) => k.apiKey === 0),
      { apiKey: 0, minVersion: 0, maxVersion: 11 },
    );
    assert.deepEqual(
      keys.find((k) => k.apiKey === 1),
      { apiKey: 1, minVersion: 4, maxVersion: 17 },
    );
    const bad = await client.send<Body>(ApiVersionsApi, 3, {
      clientSoftwareName: '-bad name-',
      clientSoftwareVersion: '1',
    });
    assert.equal(bad.errorCode, ErrorCode.INVALID_REQUEST);
  });

  test('CreateTopics: defaults, validate-only, errors, and the created configs in the answer', async () => {
    const created = await createTopic('apis-created', 3, { 'retention.ms': '1000' });
    assert.equal(created.errorCode, 0);
    assert.equal(created.numPartitions, 3);
    assert.equal(created.replicationFactor, 1);
    assert.equal(created.configs.find((c: Body) => c.name === 'retention.ms').value, '1000');
    assert.notEqual(created.topicId, 'AAAAAAAAAAAAAAAAAAAAAA');
    assert.equal((await createTopic('apis-created')).errorCode, ErrorCode.TOPIC_ALREADY_EXISTS);
    assert.equal((await createTopic('bad/name')).errorCode, ErrorCode.INVALID_TOPIC_EXCEPTION);
    assert.equal((await createTopic('apis_dots')).errorCode, 0);
    const collision = await createTopic('apis.dots');
    assert.equal(collision.errorCode, ErrorCode.INVALID_TOPIC_EXCEPTION);
    assert.match(collision.errorMessage, /collides with existing topic: apis_dots/);
    assert.equal((await createTopic('zero', 0)).errorCode, ErrorCode.INVALID_PARTITIONS);
    const rf = await client.send<Body>(CreateTopicsApi, 7, {
      topics: [{ name: 'rf3', numPartitions: 1, replicationFactor: 3 }],
    });
    assert.equal(rf.topics[0].errorCode, ErrorCode.INVALID_REPLICATION_FACTOR);
    const badConfig = await createTopic('bad-config', 1, { 'retention.ms': 'soon' });
    assert.equal(badConfig.errorCode, ErrorCode.INVALID_CONFIG);
    assert.match(badConfig.errorMessage, /retention\.ms/);
    const validate = await client.send<Body>(CreateTopicsApi, 7, {
      topics: [{ name: 'validate-only', numPartitions: 2, replicationFactor: 1 }],
      validateOnly: true,
    });
    assert.equal(validate.topics[0].errorCode, 0);
    const metadata = await client.send<Body>(MetadataApi, 12, {
      topics: [{ name: 'validate-only', topicId: 'AAAAAAAAAAAAAAAAAAAAAA' }],
    });
    assert.equal(metadata.topics[0].errorCode, ErrorCode.UNKNOWN_TOPIC_OR_PARTITION);
    const defaults = await client.send<Body>(CreateTopicsApi, 7, {
      topics: [{ name: 'defaults', numPartitions: -1, replicationFactor: -1 }],
    });
    assert.equal(defaults.topics[0].numPartitions, 1);
  });

  test("CreatePartitions only grows a topic, with Kafka's messages", async () => {
    await createTopic('grow', 2);
    const shrink = await client.send<Body>(CreatePartitionsApi, 3, {
      topics: [{ name: 'grow', count: 1, assignments: null }],
      timeoutMs: 5000,
    });
    assert.equal(shrink.results[0].errorCode, ErrorCode.INVALID_PARTITIONS);
    assert.equal(
      shrink.results[0].errorMessage,
      'Topic currently has 2 partitions, which is higher than the requested 1.',
    );
    const same = await client.send<Body>(CreatePartitionsApi, 3, {
      topics: [{ name: 'grow', count: 2, assignments: null }],
      timeoutMs: 5000,
    });
    assert.equal(same.results[0].errorMessage, 'Topic already has 2 partitions.');
    const grow = await client.send<Body>(CreatePartitionsApi, 3, {
      topics: [{ name: 'grow', count: 4, assignments: null }],
      timeoutMs: 5000,
    });
    assert.equal(grow.results[0].errorCode, 0);
    const md = await client.send<Body>(MetadataApi, 9, { topics: [{ name: 'grow' }] });
    assert.equal(md.topics[0].partitions.length, 4);
  });

  test('Produce: v0-2 unsupported, bad CRC, two batches, oversized batch, unknown topic, bad acks', async () => {
    await createTopic('validation', 1, { 'max.message.bytes': '2000' });
    const batch = buildRecordBatch({ records: [{ key: Buffer.from('k'), value: Buffer.from('v') }] });
    const v2 = await client.send<Body>(ProduceApi, 2, {
      acks: 1,
      timeoutMs: 1000,
      topicData: [{ name: 'validation', partitionData: [{ index: 0, records: batch }] }],
    });
    assert.equal(v2.responses[0].partitionResponses[0].errorCode, ErrorCode.UNSUPPORTED_VERSION);
    const corrupt = Buffer.from(batch);
    corrupt.writeUInt8((corrupt.at(-1) as number) ^ 0xff, corrupt.length - 1);
    assert.equal((await produce('validation', corrupt)).errorCode, ErrorCode.CORRUPT_MESSAGE);
    assert.equal((await produce('validation', Buffer.concat([batch, batch]))).errorCode, ErrorCode.INVALID_RECORD);
    const big = buildRecordBatch({ records: [{ value: Buffer.alloc(3000, 1) }] });
    assert.equal((await produce('validation', big)).errorCode, ErrorCode.MESSAGE_TOO_LARGE);
    assert.equal((await produce('no-such-topic', batch)).errorCode, ErrorCode.UNKNOWN_TOPIC_OR_PARTITION);
    const acks = await client.send<Body>(ProduceApi, 9, {
      acks: 2,
      timeoutMs: 1000,
      topicData: [{ name: 'validation', partitionData: [{ index: 0, records: batch }] }],
    });
    assert.equal(acks.responses[0].partitionResponses[0].errorCode, ErrorCode.INVALID_REQUIRED_ACKS);
    const ok = await produce('validation', batch);
    assert.equal(ok.errorCode, 0);
    assert.equal(ok.baseOffset, 0n);
    assert.ok(!client.isClosed);
  });

  test('Produce to a compacted topic: keyless records are named in recordErrors (v8+), the batch is rejected', async () => {
    await createTopic('compacted-keys', 1, { 'cleanup.policy': 'compact' });
    const keys = ['a', null, 'b', null];
    const batch = buildRecordBatch({
      records: keys.map((k) => ({ key: k === null ? null : Buffer.from(k), value: Buffer.from('v') })),
    });
    const res = await produce('compacted-keys', batch, 8);
    assert.equal(res.errorCode, ErrorCode.INVALID_RECORD);
    assert.deepEqual(
      res.recordErrors.map((e: Body) => e.batchIndex),
      [1, 3],
    );
    assert.match(res.recordErrors[0].batchIndexErrorMessage, /without key/);
    assert.match(res.errorMessage, /2 record errors/);
    const keyed = buildRecordBatch({ records: [{ key: Buffer.from('k'), value: Buffer.from('v') }] });
    assert.equal((await produce('compacted-keys', keyed, 8)).baseOffset, 0n, 'nothing of the rejected batch was kept');
  });

  test('ListOffsets: earliest, latest, by timestamp, max timestamp; DeleteRecords moves the start', async () => {
    await createTopic('times');
    const t0 = Date.now() - 60000;
    const stamps = [t0, t0 + 5000, t0 + 2000, t0 + 9000, t0 + 7000];
    for (const ts of stamps)
      assert.equal(
        (await produce('times', buildRecordBatch({ records: [{ value: Buffer.from(String(ts)), timestamp: ts }] })))
          .errorCode,
        0,
      );
    const list = async (timestamp: bigint, version = 7) => {
      const res = await client.send<Body>(ListOffsetsApi, version, {
        replicaId: -1,
        isolationLevel: 0,
        topics: [{ name: 'times', partitions: [{ partitionIndex: 0, timestamp }] }],
      });
      return res.topics[0].partitions[0];
    };
    assert.equal((await list(-2n)).offset, 0n);
    assert.equal((await list(-1n)).offset, 5n);
    const byTime = await list(BigInt(t0 + 4000));
    assert.equal(byTime.offset, 1n);
    assert.equal(byTime.timestamp, BigInt(t0 + 5000));
    const max = await list(-3n);
    assert.equal(max.offset, 3n);
    assert.equal(max.timestamp, BigInt(t0 + 9000));
    assert.equal((await list(BigInt(Date.now() + 100000))).offset, -1n);
    const v0 = await client.send<Body>(ListOffsetsApi, 0, {
      replicaId: -1,
      topics: [{ name: 'times', partitions: [{ partitionIndex: 0, timestamp: -1n, maxNumOffsets: 1 }] }],
    });
    assert.deepEqual(v0.topics[0].partitions[0].oldStyleOffsets, [5n]);

    const deleted = await client.send<Body>(DeleteRecordsApi, 2, {
      topics: [{ name: 'times', partitions: [{ partitionIndex: 0, offset: 2n }] }],
      timeoutMs: 5000,
    });
    assert.equal(deleted.topics[0].partitions[0].lowWatermark, 2n);
    assert.equal((await list(-2n)).offset, 2n);
    const beyond = await client.send<Body>(DeleteRecordsApi, 2, {
      topics: [{ name: 'times', partitions: [{ partitionIndex: 0, offset: 99n }] }],
      timeoutMs: 5000,
    });
    assert.equal(beyond.topics[0].partitions[0].errorCode, ErrorCode.OFFSET_OUT_OF_RANGE);
    const fetch = await client.send<Body>(FetchApi, 12, {
      replicaId: -1,
      maxWaitMs: 0,
      minBytes: 1,
      maxBytes: 1 << 20,
      isolationLevel: 0,
      sessionEpoch: -1,
      topics: [{ topic: 'times', partitions: [{ partition: 0, fetchOffset: 0n, partitionMaxBytes: 1 << 20 }] }],
    });
    assert.equal(fetch.responses[0].partitions[0].errorCode, ErrorCode.OFFSET_OUT_OF_RANGE);
    assert.equal(fetch.responses[0].partitions[0].logStartOffset, 2n);
  });

  test('DescribeConfigs: topic overrides, broker synonyms and sources; IncrementalAlterConfigs', async () => {
    await createTopic('configs', 1, { 'cleanup.policy': 'compact' });
    const describe = async () =>
      (
        await client.send<Body>(DescribeConfigsApi, 4, {
          resources: [{ resourceType: 2, resourceName: 'configs', configurationKeys: null }],
          includeSynonyms: true,
          includeDocumentation: false,
        })
      ).results[0];
    let res = await describe();
    assert.equal(res.errorCode, 0);
    const byName = (name: string) => res.configs.find((c: Body) => c.name === name);
    assert.equal(byName('cleanup.policy').value, 'compact');
    assert.equal(byName('cleanup.policy').configSource, 1); // TOPIC_CONFIG
    // retention.ms falls back to the static log.retention.hours=100 of this broker.
    assert.equal(byName('retention.ms').value, String(100 * 3600000));
    assert.equal(byName('retention.ms').configSource, 4); // STATIC_BROKER_CONFIG
    assert.deepEqual(
      byName('retention.ms').synonyms.map((s: Body) => [s.name, s.source]),
      [
        ['log.retention.hours', 4],
        ['log.retention.hours', 5],
      ],
    );
    assert.equal(byName('segment.bytes').configSource, 5); // DEFAULT_CONFIG
    const alter = await client.send<Body>(IncrementalAlterConfigsApi, 1, {
      resources: [
        {
          resourceType: 2,
          resourceName: 'configs',
          configs: [
            { name: 'retention.ms', configOperation: 0, value: '5000' },
            { name: 'cleanup.policy', configOperation: 2, value: 'delete' },
          ],
        },
      ],
      validateOnly: false,
    });
    assert.equal(alter.responses[0].errorCode, 0);
    res = await describe();
    assert.equal(byName('retention.ms').value, '5000');
    assert.equal(byName('cleanup.policy').value, 'compact,delete');
    const broker0 = await client.send<Body>(DescribeConfigsApi, 4, {
      resources: [{ resourceType: 4, resourceName: '0', configurationKeys: ['log.retention.hours', 'num.partitions'] }],
      includeSynonyms: false,
    });
    const entries = broker0.results[0].configs;
    assert.deepEqual(
      entries.map((c: Body) => [c.name, c.value, c.configSource]),
      [
        ['log.retention.hours', '100', 4],
        ['num.partitions', '1', 5],
      ],
    );
    const missing = await client.send<Body>(DescribeConfigsApi, 4, {
      resources: [{ resourceType: 2, resourceName: 'nope', configurationKeys: null }],
    });
    assert.equal(missing.results[0].errorCode, ErrorCode.UNKNOWN_TOPIC_OR_PARTITION);
  });

  test('the idempotent producer: duplicates return the original offset, gaps are rejected, state survives restarts', async () => {
    await createTopic('idempotent');
    const init = await client.send<Body>(InitProducerIdApi, 4, { transactionalId: null, transactionTimeoutMs: 60000 });
    assert.equal(init.errorCode, 0);
    const producerId = Number(init.producerId);
    const batch = (seq: number) =>
      buildRecordBatch({
        producerId,
        producerEpoch: 0,
        baseSequence: seq,
        records: [{ value: Buffer.from(`s${seq}`) }, { value: Buffer.from(`s${seq + 1}`) }],
      });
    assert.equal((await produce('idempotent', batch(0))).baseOffset, 0n);
    assert.equal((await produce('idempotent', batch(2))).baseOffset, 2n);
    const dup = await produce('idempotent', batch(2));
    assert.equal(dup.errorCode, 0);
    assert.equal(dup.baseOffset, 2n);
    assert.equal((await produce('idempotent', batch(10))).errorCode, ErrorCode.OUT_OF_ORDER_SEQUENCE_NUMBER);
    const producers = await client.send<Body>(DescribeProducersApi, 0, {
      topics: [{ name: 'idempotent', partitionIndexes: [0] }],
    });
    const active = producers.topics[0].partitions[0].activeProducers;
    assert.deepEqual(
      active.map((p: Body) => [Number(p.producerId), p.lastSequence]),
      [[producerId, 3]],
    );

    for (const restart of ['clean', 'kill -9']) {
      client.close();
      if (restart === 'clean') assert.equal(await broker.stop(), 0);
      else await broker.kill();
      broker = await BrokerProcess.start({ dataDir, port: broker.port });
      client = await RawClient.connect(broker.port);
      const again = await produce('idempotent', batch(2));
      assert.equal(again.baseOffset, 2n, `duplicate detected after a ${restart} restart`);
    }
    assert.equal((await produce('idempotent', batch(4))).baseOffset, 4n);
  });

  test('OffsetForLeaderEpoch, DescribeCluster (authorized operations), DescribeLogDirs', async () => {
    await createTopic('epochs');
    await produce(
      'epochs',
      buildRecordBatch({
        compression: CompressionType.GZIP,
        records: [{ value: Buffer.from('a') }, { value: Buffer.from('b') }],
      }),
    );
    const epochs = await client.send<Body>(OffsetForLeaderEpochApi, 4, {
      replicaId: -1,
      topics: [{ topic: 'epochs', partitions: [{ partition: 0, currentLeaderEpoch: -1, leaderEpoch: 0 }] }],
    });
    assert.deepEqual(
      [
        epochs.topics[0].partitions[0].errorCode,
        epochs.topics[0].partitions[0].leaderEpoch,
        epochs.topics[0].partitions[0].endOffset,
      ],
      [0, 0, 2n],
    );
    const fenced = await client.send<Body>(OffsetForLeaderEpochApi, 4, {
      replicaId: -1,
      topics: [{ topic: 'epochs', partitions: [{ partition: 0, currentLeaderEpoch: 5, leaderEpoch: 0 }] }],
    });
    assert.equal(fenced.topics[0].partitions[0].errorCode, ErrorCode.UNKNOWN_LEADER_EPOCH);
    const cluster = await client.send<Body>(DescribeClusterApi, 1, {
      includeClusterAuthorizedOperations: false,
      endpointType: 1,
    });
    assert.equal(cluster.controllerId, 0);
    assert.deepEqual(
      cluster.brokers.map((b: Body) => [b.brokerId, b.host, b.port]),
      [[0, '127.0.0.1', broker.port]],
    );
    // Without an authorizer, every operation the resource type supports (librdkafka's 0081):
    // cluster CREATE, ALTER, DESCRIBE, CLUSTER_ACTION, DESCRIBE_CONFIGS, ALTER_CONFIGS,
    // IDEMPOTENT_WRITE; topic READ, WRITE, CREATE, DELETE, ALTER, DESCRIBE, *_CONFIGS.
    const bits = (...ops: number[]) => ops.reduce((f, op) => f | (1 << op), 0);
    const clusterOps = bits(5, 7, 8, 9, 10, 11, 12);
    const withOps = await client.send<Body>(DescribeClusterApi, 1, {
      includeClusterAuthorizedOperations: true,
      endpointType: 1,
    });
    assert.equal(withOps.clusterAuthorizedOperations, clusterOps);
    const metadata = await client.send<Body>(MetadataApi, 12, {
      topics: [{ name: 'epochs' }],
      allowAutoTopicCreation: false,
      includeTopicAuthorizedOperations: true,
    });
    assert.equal(metadata.topics[0].topicAuthorizedOperations, bits(3, 4, 5, 6, 7, 8, 10, 11));
    const metadataV10 = await client.send<Body>(MetadataApi, 10, {
      topics: [],
      allowAutoTopicCreation: false,
      includeClusterAuthorizedOperations: true,
    });
    assert.equal(metadataV10.clusterAuthorizedOperations, clusterOps);
    const dirs = await client.send<Body>(DescribeLogDirsApi, 4, { topics: [{ topic: 'epochs', partitions: [0] }] });
    const topic = dirs.results[0].topics.find((t: Body) => t.name === 'epochs');
    assert.ok(topic.partitions[0].partitionSize > 0n);
    assert.ok(dirs.results[0].totalBytes > 0n);
  });
});
