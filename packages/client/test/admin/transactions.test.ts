import assert from 'node:assert/strict';
import { afterEach, describe, it } from 'node:test';
import { type ApiCodec, ApiKey, ErrorCode, GENERATED_APIS, type KafkaError } from '@samsa/protocol';
import { Admin } from '../../src/admin/admin.js';
import { FakeBroker, type FakeHandler } from '../support/fake-broker.js';

describe('Admin transactions', () => {
  let broker: FakeBroker | undefined;
  let admin: Admin | undefined;
  afterEach(async () => {
    await admin?.close();
    await broker?.close();
  });

  async function start(handler: FakeHandler): Promise<Admin> {
    broker = await FakeBroker.start(handler);
    broker.topics.set('t', 2);
    admin = new Admin({ 'bootstrap.servers': broker.bootstrap, 'retry.backoff.ms': 10 });
    return admin;
  }

  it('listTransactions sends the filters and names the broker that listed each transaction', async () => {
    const a = await start((r) => {
      if (r.apiKey !== ApiKey.ListTransactions) return undefined;
      return {
        errorCode: 0,
        unknownStateFilters: [],
        transactionStates: [
          { transactionalId: 'a', producerId: 7n, transactionState: 'Ongoing' },
          { transactionalId: 'b', producerId: 8n, transactionState: 'SomethingNew' },
        ],
      };
    });
    const listed = await a.listTransactions({
      stateFilters: ['Ongoing'],
      producerIdFilters: [7n, 8n],
      durationFilterMs: 1000,
    });
    assert.deepEqual(listed, [
      { transactionalId: 'a', producerId: 7n, state: 'Ongoing', coordinatorId: 0 },
      { transactionalId: 'b', producerId: 8n, state: 'Unknown', coordinatorId: 0 },
    ]);
    const [request] = broker?.named('ListTransactions') ?? [];
    assert.equal(request?.version, 1);
    assert.deepEqual(request?.body, { stateFilters: ['Ongoing'], producerIdFilters: [7n, 8n], durationFilter: 1000n });
  });

  it('listTransactions asks again while the coordinator loads, and refuses a duration filter on v0', async () => {
    let loading = 2;
    const a = await start((r) => {
      if (r.apiKey === ApiKey.ApiVersions) {
        // A broker from before KIP-994: ListTransactions v0 only.
        return {
          errorCode: 0,
          apiKeys: (GENERATED_APIS as readonly ApiCodec[]).map((api) => ({
            apiKey: api.apiKey,
            minVersion: api.request.minVersion,
            maxVersion: api.apiKey === ApiKey.ListTransactions ? 0 : api.request.maxVersion,
          })),
        };
      }
      if (r.apiKey !== ApiKey.ListTransactions) return undefined;
      if (loading-- > 0) return { errorCode: ErrorCode.COORDINATOR_LOAD_IN_PROGRESS };
      return { errorCode: 0, transactionStates: [] };
    });
    assert.deepEqual(await a.listTransactions(), []);
    assert.equal(broker?.named('ListTransactions').length, 3);
    await assert.rejects(a.listTransactions({ durationFilterMs: 0 }), (e: KafkaError) => {
      assert.equal(e.errorName, 'UNSUPPORTED_VERSION');
      assert.match(e.message, /^Duration filter can be set only when using API version 1 or higher/);
      return true;
    });
  });

  it("listTransactions fails on any other error, with Java's message", async () => {
    const a = await start((r) =>
      r.apiKey === ApiKey.ListTransactions ? { errorCode: ErrorCode.COORDINATOR_NOT_AVAILABLE } : undefined,
    );
    await assert.rejects(a.listTransactions(), {
      name: 'KafkaError',
      message: 'ListTransactions request sent to broker 0 failed because the coordinator is shutting down',
    });
  });

  it('describeTransactions asks the coordinator and gives each id its own outcome', async () => {
    let notCoordinator = 1;
    const a = await start((r) => {
      if (r.apiKey !== ApiKey.DescribeTransactions) return undefined;
      return {
        transactionStates: r.body.transactionalIds.map((id: string) => {
          if (id === 'moving' && notCoordinator-- > 0)
            return { errorCode: ErrorCode.NOT_COORDINATOR, transactionalId: id };
          if (id === 'unknown') return { errorCode: ErrorCode.TRANSACTIONAL_ID_NOT_FOUND, transactionalId: id };
          return {
            errorCode: 0,
            transactionalId: id,
            transactionState: 'Ongoing',
            transactionTimeoutMs: 60000,
            transactionStartTimeMs: id === 'moving' ? -1n : 1700000000000n,
            producerId: 5n,
            producerEpoch: 2,
            topics: [
              { topic: 't', partitions: [1, 0] },
              { topic: 'a', partitions: [3] },
            ],
          };
        }),
      };
    });
    const results = await a.describeTransactions(['payments', 'unknown', 'moving', 'payments']);
    assert.deepEqual(
      results.map((r) => r.transactionalId),
      ['payments', 'unknown', 'moving'],
    );
    assert.deepEqual(results[0]?.description, {
      transactionalId: 'payments',
      coordinatorId: 0,
      state: 'Ongoing',
      producerId: 5n,
      producerEpoch: 2,
      transactionTimeoutMs: 60000,
      transactionStartTimeMs: 1700000000000n,
      topicPartitions: [
        { topic: 'a', partition: 3 },
        { topic: 't', partition: 0 },
        { topic: 't', partition: 1 },
      ],
    });
    assert.equal(results[1]?.error?.errorName, 'TRANSACTIONAL_ID_NOT_FOUND');
    assert.equal(
      results[1]?.error?.message,
      'DescribeTransactions request for transactionalId `unknown` failed because the ID could not be found',
    );
    assert.equal(results[2]?.description?.transactionStartTimeMs, null);
    // The coordinator was looked up with key type 1 (transaction), once more after NOT_COORDINATOR.
    const lookups = broker?.named('FindCoordinator') ?? [];
    assert.ok(lookups.every((l) => l.body.keyType === 1));
    assert.equal(lookups.length, 4);
    assert.deepEqual(
      broker?.named('DescribeTransactions').map((r) => r.body.transactionalIds),
      [['payments', 'unknown', 'moving'], ['moving']],
    );
  });

  it('abortTransaction writes one ABORT marker to the leader, retrying when leadership moved', async () => {
    let notLeader = 1;
    const a = await start((r) => {
      if (r.apiKey !== ApiKey.WriteTxnMarkers) return undefined;
      const marker = r.body.markers[0];
      const errorCode = notLeader-- > 0 ? ErrorCode.NOT_LEADER_OR_FOLLOWER : 0;
      return {
        markers: [
          {
            producerId: marker.producerId,
            topics: [{ name: 't', partitions: [{ partitionIndex: 1, errorCode }] }],
          },
        ],
      };
    });
    await a.abortTransaction({ topic: 't', partition: 1, producerId: 9n, producerEpoch: 3, coordinatorEpoch: 4 });
    const sent = broker?.named('WriteTxnMarkers') ?? [];
    assert.equal(sent.length, 2);
    assert.deepEqual(sent[0]?.body.markers, [
      {
        producerId: 9n,
        producerEpoch: 3,
        transactionResult: false,
        topics: [{ name: 't', partitionIndexes: [1] }],
        coordinatorEpoch: 4,
      },
    ]);
  });

  it('abortTransaction rejects a fenced coordinator epoch and an unknown partition', async () => {
    const a = await start((r) => {
      if (r.apiKey !== ApiKey.WriteTxnMarkers) return undefined;
      return {
        markers: [
          {
            producerId: 9n,
            topics: [
              { name: 't', partitions: [{ partitionIndex: 0, errorCode: ErrorCode.TRANSACTION_COORDINATOR_FENCED }] },
            ],
          },
        ],
      };
    });
    const spec = { topic: 't', partition: 0, producerId: 9n, producerEpoch: 3, coordinatorEpoch: 4 };
    await assert.rejects(a.abortTransaction(spec), {
      message:
        'WriteTxnMarkers request with AbortTransactionSpec(topicPartition=t-0, producerId=9, producerEpoch=3, ' +
        'coordinatorEpoch=4) failed since the provided coordinator epoch 4 has been fenced by the active coordinator',
    });
    await assert.rejects(a.abortTransaction({ ...spec, topic: 'missing' }), (e: KafkaError) => {
      assert.equal(e.errorName, 'UNKNOWN_TOPIC_OR_PARTITION');
      return true;
    });
  });

  it('describeProducers asks the broker named by brokerId, where not leading is final', async () => {
    const a = await start((r) => {
      if (r.apiKey !== ApiKey.DescribeProducers) return undefined;
      return {
        topics: [
          {
            name: 't',
            partitions: [{ partitionIndex: 0, errorCode: ErrorCode.NOT_LEADER_OR_FOLLOWER, activeProducers: [] }],
          },
        ],
      };
    });
    await assert.rejects(a.describeProducers([{ topic: 't', partition: 0 }], { brokerId: 0 }), {
      message: 'Failed to describe active producers for partition t-0 on brokerId 0',
    });
  });
});
