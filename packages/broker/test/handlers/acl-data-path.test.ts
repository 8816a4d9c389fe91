/**
 * ACLs on the data path: Produce, Fetch, ListOffsets, OffsetForLeaderEpoch (KafkaApis' rules).
 */
import assert from 'node:assert/strict';
import { after, before, beforeEach, describe, test } from 'node:test';
import {
  ApiKey,
  buildRecordBatch,
  type CreateTopicsResponse,
  ErrorCode,
  type FetchResponse,
  type ListOffsetsResponse,
  type OffsetForLeaderEpochResponse,
  type ProduceResponse,
} from '@samsa/protocol';
import { AclOperationCode as Op, ResourceType } from '../../src/security/authorizer.js';
import { AclHarness } from './support/acl-harness.js';

const records = () => buildRecordBatch({ records: [{ key: null, value: Buffer.from('v') }] });

function produceBody(topics: string[], extra: Record<string, unknown> = {}, batch = records) {
  return {
    acks: -1,
    timeoutMs: 5000,
    transactionalId: null,
    topicData: topics.map((name) => ({ name, partitionData: [{ index: 0, records: batch() }] })),
    ...extra,
  };
}

function fetchBody(topics: string[], replicaId = -1) {
  return {
    replicaId,
    maxWaitMs: 0,
    minBytes: 0,
    maxBytes: 1 << 20,
    isolationLevel: 0,
    sessionId: 0,
    sessionEpoch: -1,
    topics: topics.map((topic) => ({
      topic,
      partitions: [{ partition: 0, fetchOffset: 0n, logStartOffset: -1n, partitionMaxBytes: 1 << 20 }],
    })),
    forgottenTopicsData: [],
    rackId: '',
  };
}

describe('ACLs on Produce, Fetch, ListOffsets and OffsetForLeaderEpoch', () => {
  let h: AclHarness;
  before(async () => {
    h = await AclHarness.start({ 'auto.create.topics.enable': 'false' });
    const created = await h.setup<CreateTopicsResponse>(ApiKey.CreateTopics, 7, {
      topics: ['secret', 'open'].map((name) => ({ name, numPartitions: 1, replicationFactor: 1 })),
      timeoutMs: 5000,
    });
    assert.deepEqual(
      created.topics.map((t) => t.errorCode),
      [ErrorCode.NONE, ErrorCode.NONE],
    );
    const produced = await h.setup<ProduceResponse>(ApiKey.Produce, 9, produceBody(['secret', 'open']));
    assert.ok(produced.responses.every((t) => t.partitionResponses.every((p) => p.errorCode === ErrorCode.NONE)));
  });
  after(async () => {
    await h?.close();
  });
  beforeEach(() => {
    h.authorizer.reset();
  });

  test('Produce: WRITE per topic, one authorize call, unknown topics not told apart', async () => {
    h.authorizer.allow(Op.WRITE, ResourceType.TOPIC, 'open').allow(Op.WRITE, ResourceType.TOPIC, 'ghost-allowed');
    const response = await h.send<ProduceResponse>(
      ApiKey.Produce,
      9,
      produceBody(['secret', 'open', 'ghost', 'ghost-allowed']),
    );
    assert.deepEqual(
      response.responses.map((t) => [
        t.name,
        t.partitionResponses[0]?.errorCode,
        t.partitionResponses[0]?.logStartOffset,
      ]),
      [
        ['secret', ErrorCode.TOPIC_AUTHORIZATION_FAILED, -1n],
        ['open', ErrorCode.NONE, 0n],
        // Without WRITE, a topic that does not exist looks like one that does.
        ['ghost', ErrorCode.TOPIC_AUTHORIZATION_FAILED, -1n],
        ['ghost-allowed', ErrorCode.UNKNOWN_TOPIC_OR_PARTITION, -1n],
      ],
    );
    assert.equal(h.authorizer.calls.length, 1);
  });

  test('Produce: transactional batches need WRITE on the transactional id, for the whole request', async () => {
    h.authorizer.allow(Op.WRITE, ResourceType.TOPIC);
    const transactional = () =>
      buildRecordBatch({
        producerId: 1,
        producerEpoch: 0,
        baseSequence: 0,
        isTransactional: true,
        records: [{ key: null, value: Buffer.from('t') }],
      });
    for (const transactionalId of ['txn', null]) {
      const response = await h.send<ProduceResponse>(
        ApiKey.Produce,
        9,
        produceBody(['open'], { transactionalId }, transactional),
      );
      assert.equal(
        response.responses[0]?.partitionResponses[0]?.errorCode,
        ErrorCode.TRANSACTIONAL_ID_AUTHORIZATION_FAILED,
      );
    }
    // acks=0 has no response to carry it: the connection is closed, as Kafka does.
    assert.equal(
      await h.outcome(ApiKey.Produce, 9, produceBody(['open'], { acks: 0, transactionalId: 'txn' }, transactional)),
      'close',
    );
    // A denied topic with acks=0 closes it too.
    h.authorizer.reset();
    assert.equal(await h.outcome(ApiKey.Produce, 9, produceBody(['secret'], { acks: 0 })), 'close');
  });

  test('Produce: an idempotent batch needs only WRITE on the topic (KIP-679)', async () => {
    h.authorizer.allow(Op.WRITE, ResourceType.TOPIC, 'open');
    const idempotent = () =>
      buildRecordBatch({
        producerId: 77,
        producerEpoch: 0,
        baseSequence: 0,
        records: [{ key: null, value: Buffer.from('i') }],
      });
    const response = await h.send<ProduceResponse>(ApiKey.Produce, 9, produceBody(['open'], {}, idempotent));
    assert.equal(response.responses[0]?.partitionResponses[0]?.errorCode, ErrorCode.NONE);
  });

  test('Fetch: a consumer needs READ on each topic', async () => {
    h.authorizer.allow(Op.READ, ResourceType.TOPIC, 'open');
    const response = await h.send<FetchResponse>(ApiKey.Fetch, 12, fetchBody(['secret', 'open', 'ghost']));
    const byTopic = new Map(response.responses.map((t) => [t.topic, t.partitions[0]]));
    assert.equal(byTopic.get('secret')?.errorCode, ErrorCode.TOPIC_AUTHORIZATION_FAILED);
    assert.equal(byTopic.get('secret')?.highWatermark, -1n);
    assert.equal(byTopic.get('secret')?.records?.length ?? 0, 0);
    assert.equal(byTopic.get('open')?.errorCode, ErrorCode.NONE);
    assert.ok((byTopic.get('open')?.records?.length ?? 0) > 0);
    assert.equal(byTopic.get('ghost')?.errorCode, ErrorCode.TOPIC_AUTHORIZATION_FAILED);
    assert.equal(h.authorizer.calls.length, 1, 'one authorize call for the request');
  });

  test('Fetch: a follower needs CLUSTER_ACTION, READ on topics does not do', async () => {
    h.authorizer.allow(Op.READ, ResourceType.TOPIC);
    const denied = await h.send<FetchResponse>(ApiKey.Fetch, 12, fetchBody(['open'], 1));
    assert.equal(denied.responses[0]?.partitions[0]?.errorCode, ErrorCode.TOPIC_AUTHORIZATION_FAILED);
    h.authorizer.allow(Op.CLUSTER_ACTION, ResourceType.CLUSTER);
    const allowed = await h.send<FetchResponse>(ApiKey.Fetch, 12, fetchBody(['open'], 1));
    assert.notEqual(allowed.responses[0]?.partitions[0]?.errorCode, ErrorCode.TOPIC_AUTHORIZATION_FAILED);
  });

  test('ListOffsets: DESCRIBE per topic', async () => {
    h.authorizer.allow(Op.DESCRIBE, ResourceType.TOPIC, 'open');
    const body = {
      replicaId: -1,
      isolationLevel: 0,
      topics: ['secret', 'open', 'ghost'].map((name) => ({
        name,
        partitions: [{ partitionIndex: 0, currentLeaderEpoch: -1, timestamp: -1n }],
      })),
    };
    const response = await h.send<ListOffsetsResponse>(ApiKey.ListOffsets, 7, body);
    assert.deepEqual(
      response.topics.map((t) => [t.name, t.partitions[0]?.errorCode, (t.partitions[0]?.offset ?? -1n) > 0n]),
      [
        ['secret', ErrorCode.TOPIC_AUTHORIZATION_FAILED, false],
        ['open', ErrorCode.NONE, true],
        ['ghost', ErrorCode.TOPIC_AUTHORIZATION_FAILED, false],
      ],
    );
  });

  test('OffsetForLeaderEpoch: DESCRIBE per topic for consumers, CLUSTER_ACTION covers all', async () => {
    const body = {
      replicaId: -1,
      topics: ['secret', 'open'].map((topic) => ({
        topic,
        partitions: [{ partition: 0, currentLeaderEpoch: -1, leaderEpoch: 0 }],
      })),
    };
    h.authorizer.allow(Op.DESCRIBE, ResourceType.TOPIC, 'open');
    const consumer = await h.send<OffsetForLeaderEpochResponse>(ApiKey.OffsetForLeaderEpoch, 4, body);
    assert.deepEqual(
      consumer.topics.map((t) => [t.topic, t.partitions[0]?.errorCode]),
      [
        ['secret', ErrorCode.TOPIC_AUTHORIZATION_FAILED],
        ['open', ErrorCode.NONE],
      ],
    );
    h.authorizer.reset().allow(Op.CLUSTER_ACTION, ResourceType.CLUSTER);
    const follower = await h.send<OffsetForLeaderEpochResponse>(ApiKey.OffsetForLeaderEpoch, 4, body);
    assert.ok(follower.topics.every((t) => t.partitions[0]?.errorCode === ErrorCode.NONE));
  });
});
