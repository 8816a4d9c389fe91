import assert from 'node:assert/strict';
import { afterEach, describe, it } from 'node:test';
import { ApiKey, ErrorCode } from '@samsa/protocol';
import { Connection } from '../../src/connection/connection.js';
import { fetchGroupOffsets, offsetFetchRequest, withoutErrorCode } from '../../src/metadata/offset-fetch.js';
import { FakeBroker, type ReceivedRequest } from '../support/fake-broker.js';

const partition = (partitionIndex: number, committedOffset: bigint, errorCode = 0) => ({
  partitionIndex,
  committedOffset,
  committedLeaderEpoch: 3,
  metadata: 'm',
  errorCode,
});

/** Answers OffsetFetch in the form of the version asked: a v8+ group entry, or the old top-level fields. */
function answer(request: ReceivedRequest, groupErrorCode: number, partitionErrorCode = 0) {
  const topics = [
    { name: 'a', partitions: [partition(0, 10n), partition(1, -1n, partitionErrorCode)] },
    { name: 'b', partitions: [partition(0, 7n)] },
  ];
  if (request.version >= 8)
    return { groups: [{ groupId: request.body.groups[0].groupId, topics, errorCode: groupErrorCode }] };
  return { topics, errorCode: groupErrorCode };
}

function connect(broker: FakeBroker): Connection {
  return new Connection({
    host: '127.0.0.1',
    port: broker.port,
    nodeId: 0,
    clientId: 'offset-fetch-test',
    requestTimeoutMs: 5000,
    connectionSetupTimeoutMs: 2000,
  });
}

describe('OffsetFetch', () => {
  let broker: FakeBroker | undefined;
  let connection: Connection | undefined;
  afterEach(async () => {
    connection?.close();
    await broker?.close();
    broker = undefined;
    connection = undefined;
  });

  it('builds the single-group form before v8 and the groups form from v8, topics grouped in order', () => {
    const partitions = [
      { topic: 'b', partition: 0 },
      { topic: 'a', partition: 1 },
      { topic: 'a', partition: 0 },
    ];
    const topics = [
      { name: 'a', partitionIndexes: [0, 1] },
      { name: 'b', partitionIndexes: [0] },
    ];
    assert.deepEqual(offsetFetchRequest(7, 'g', partitions, true), { groupId: 'g', topics, requireStable: true });
    assert.deepEqual(offsetFetchRequest(8, 'g', partitions, false), {
      groups: [{ groupId: 'g', memberId: null, memberEpoch: -1, topics }],
      requireStable: false,
    });
    assert.deepEqual(offsetFetchRequest(8, 'g', null, false), {
      groups: [{ groupId: 'g', memberId: null, memberEpoch: -1, topics: null }],
      requireStable: false,
    });
    assert.deepEqual(offsetFetchRequest(2, 'g', null, false), { groupId: 'g', topics: null, requireStable: false });
  });

  for (const version of [5, 7, 8, 9]) {
    it(`reads v${version} answers: group error, partitions in response order with their own errors`, async () => {
      broker = await FakeBroker.start((r) =>
        r.apiKey === ApiKey.OffsetFetch ? answer(r, 0, ErrorCode.UNSTABLE_OFFSET_COMMIT) : undefined,
      );
      connection = connect(broker);
      // requireStable exists from v7; the codec refuses it at older versions, as Java's builder does.
      const requireStable = version >= 7;
      const fetched = await fetchGroupOffsets(connection, 'g', [{ topic: 'a', partition: 0 }], requireStable, {
        version,
      });
      assert.ok(fetched !== undefined);
      const sent = broker.named('OffsetFetch')[0];
      assert.equal(sent?.version, version);
      assert.equal(sent?.body.requireStable, requireStable);
      assert.deepEqual(fetched, {
        errorCode: 0,
        partitions: [
          { topic: 'a', partition: 0, errorCode: 0, offset: 10n, leaderEpoch: 3, metadata: 'm' },
          {
            topic: 'a',
            partition: 1,
            errorCode: ErrorCode.UNSTABLE_OFFSET_COMMIT,
            offset: -1n,
            leaderEpoch: 3,
            metadata: 'm',
          },
          { topic: 'b', partition: 0, errorCode: 0, offset: 7n, leaderEpoch: 3, metadata: 'm' },
        ],
      });
      assert.deepEqual(withoutErrorCode(fetched.partitions[0] as (typeof fetched.partitions)[number]), {
        topic: 'a',
        partition: 0,
        offset: 10n,
        leaderEpoch: 3,
        metadata: 'm',
      });
    });
  }

  it('reports the group-level error of either form', async () => {
    for (const version of [7, 8]) {
      broker = await FakeBroker.start((r) =>
        r.apiKey === ApiKey.OffsetFetch ? answer(r, ErrorCode.GROUP_AUTHORIZATION_FAILED) : undefined,
      );
      connection = connect(broker);
      const fetched = await fetchGroupOffsets(connection, 'g', null, false, { version });
      assert.equal(fetched?.errorCode, ErrorCode.GROUP_AUTHORIZATION_FAILED, `v${version}`);
      connection.close();
      await broker.close();
    }
    broker = undefined;
    connection = undefined;
  });

  it('gives undefined when a v8+ answer has no group entry', async () => {
    broker = await FakeBroker.start((r) => (r.apiKey === ApiKey.OffsetFetch ? { groups: [] } : undefined));
    connection = connect(broker);
    assert.equal(await fetchGroupOffsets(connection, 'g', null, false, { version: 8 }), undefined);
  });
});
