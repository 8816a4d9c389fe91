/**
 * Client quotas against a real broker: AlterClientQuotas sets producer_byte_rate and
 * consumer_byte_rate for a client id, DescribeClientQuotas shows them, and a client over its quota
 * gets throttle_time_ms in its responses and a connection that reads nothing until the throttle
 * has passed (KIP-219) — while a client without a quota is never throttled.
 */
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import {
  AlterClientQuotasApi,
  buildRecordBatch,
  CreateTopicsApi,
  DescribeClientQuotasApi,
  ErrorCode,
  FetchApi,
  ProduceApi,
} from '@samsa/protocol';
import { BrokerProcess } from '@samsa/testkit';
import { RawClient } from '../support/raw-client.js';

// biome-ignore lint/suspicious/noExplicitAny: decoded bodies are checked field by field
type Body = any;

const RATE = 100_000;

describe('client quotas', () => {
  let broker: BrokerProcess;
  let admin: RawClient;

  before(async () => {
    broker = await BrokerProcess.start();
    admin = await RawClient.connect(broker.port);
    const created: Body = await admin.send(CreateTopicsApi, 5, {
      topics: [{ name: 'quota', numPartitions: 1, replicationFactor: 1, assignments: [], configs: [] }],
      timeoutMs: 10000,
      validateOnly: false,
    });
    assert.equal(created.topics[0].errorCode, ErrorCode.NONE);
  });
  after(async () => {
    admin?.close();
    await broker?.close();
  });

  test('AlterClientQuotas validates, sets and DescribeClientQuotas reads back', async () => {
    const bad: Body = await admin.send(AlterClientQuotasApi, 1, {
      entries: [
        {
          entity: [{ entityType: 'client-id', entityName: 'x' }],
          ops: [{ key: 'bogus_rate', value: 1, remove: false }],
        },
        {
          entity: [{ entityType: 'client-id', entityName: 'x' }],
          ops: [{ key: 'producer_byte_rate', value: -5, remove: false }],
        },
      ],
      validateOnly: false,
    });
    assert.deepEqual(
      bad.entries.map((e: Body) => e.errorCode),
      [ErrorCode.INVALID_REQUEST, ErrorCode.INVALID_REQUEST],
    );
    const set: Body = await admin.send(AlterClientQuotasApi, 1, {
      entries: [
        {
          entity: [{ entityType: 'client-id', entityName: 'throttled' }],
          ops: [
            { key: 'producer_byte_rate', value: RATE, remove: false },
            { key: 'consumer_byte_rate', value: RATE, remove: false },
          ],
        },
        {
          entity: [{ entityType: 'user', entityName: null }],
          ops: [{ key: 'request_percentage', value: 200, remove: false }],
        },
      ],
      validateOnly: false,
    });
    assert.deepEqual(
      set.entries.map((e: Body) => e.errorCode),
      [ErrorCode.NONE, ErrorCode.NONE],
    );
    const described: Body = await admin.send(DescribeClientQuotasApi, 1, {
      components: [{ entityType: 'client-id', matchType: 0, match: 'throttled' }],
      strict: false,
    });
    assert.equal(described.errorCode, ErrorCode.NONE);
    assert.deepEqual(described.entries, [
      {
        entity: [{ entityType: 'client-id', entityName: 'throttled' }],
        values: [
          { key: 'producer_byte_rate', value: RATE },
          { key: 'consumer_byte_rate', value: RATE },
        ],
      },
    ]);
    const defaults: Body = await admin.send(DescribeClientQuotasApi, 1, {
      components: [{ entityType: 'user', matchType: 1, match: null }],
      strict: true,
    });
    assert.deepEqual(defaults.entries[0].entity, [{ entityType: 'user', entityName: null }]);
  });

  test('a producer and a consumer over their byte rates are throttled; another client is not', async () => {
    const throttled = await RawClient.connect(broker.port);
    throttled.clientId = 'throttled';
    const free = await RawClient.connect(broker.port);
    free.clientId = 'free';
    try {
      const batch = buildRecordBatch({
        records: Array.from({ length: 200 }, () => ({ value: Buffer.alloc(1000, 7) })),
      });
      const produce = (client: RawClient): Promise<Body> =>
        client.send(ProduceApi, 9, {
          acks: 1,
          timeoutMs: 5000,
          topicData: [{ name: 'quota', partitionData: [{ index: 0, records: batch }] }],
        });
      // 200 kB per request against 100 kB/s measured over at least 10 s: the sixth request is over.
      let throttleMs = 0;
      for (let i = 0; i < 8 && throttleMs === 0; i++) {
        const r = await produce(throttled);
        assert.equal(r.responses[0].partitionResponses[0].errorCode, ErrorCode.NONE);
        throttleMs = r.throttleTimeMs;
      }
      assert.ok(throttleMs > 0, 'the producer over its quota was never throttled');
      // Muted: the broker reads the next request only once the throttle time has passed.
      const started = performance.now();
      await produce(throttled);
      assert.ok(performance.now() - started >= throttleMs - 50, 'the throttled connection was not muted');
      for (let i = 0; i < 8; i++) assert.equal((await produce(free)).throttleTimeMs, 0);

      const fetch = (client: RawClient): Promise<Body> =>
        client.send(FetchApi, 11, {
          replicaId: -1,
          maxWaitMs: 0,
          minBytes: 1,
          maxBytes: 50 * 1024 * 1024,
          isolationLevel: 0,
          sessionId: 0,
          sessionEpoch: -1,
          topics: [
            {
              topic: 'quota',
              partitions: [
                {
                  partition: 0,
                  currentLeaderEpoch: -1,
                  fetchOffset: 0n,
                  logStartOffset: -1n,
                  partitionMaxBytes: 50 * 1024 * 1024,
                },
              ],
            },
          ],
          forgottenTopicsData: [],
          rackId: '',
        });
      const consumer = await RawClient.connect(broker.port);
      consumer.clientId = 'throttled';
      try {
        const first: Body = await fetch(consumer);
        assert.ok(first.responses[0].partitions[0].records.length > 1_000_000);
        assert.ok(first.throttleTimeMs > 0, 'a 2 MB fetch at 100 kB/s was not throttled');
      } finally {
        consumer.close();
      }
      const unthrottled: Body = await fetch(free);
      assert.equal(unthrottled.throttleTimeMs, 0);
    } finally {
      throttled.close();
      free.close();
    }
  });
});
