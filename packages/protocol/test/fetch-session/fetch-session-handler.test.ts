import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { ErrorCode } from '../../src/errors/error-codes.js';
import {
  type FetchRequestPlan,
  FetchSessionHandler,
  fetchRequestTopics,
  type SessionPartitionData,
} from '../../src/fetch-session/fetch-session-handler.js';
import type { FetchResponseFetchableTopicResponse } from '../../src/generated/fetch.js';
import { ZERO_UUID } from '../../src/primitives/uuid.js';

function data(fetchOffset: number, extra: Partial<SessionPartitionData> = {}): SessionPartitionData {
  return {
    topicId: ZERO_UUID,
    fetchOffset: BigInt(fetchOffset),
    logStartOffset: 0n,
    partitionMaxBytes: 1024,
    currentLeaderEpoch: 3,
    lastFetchedEpoch: 3,
    ...extra,
  };
}

/** A response naming `partitions` ("topic:index"), by topic name. */
function response(sessionId: number, partitions: string[], errorCode: number = ErrorCode.NONE) {
  const responses = partitions.map((key) => {
    const [topic, index] = key.split(':');
    return {
      topic,
      topicId: ZERO_UUID,
      partitions: [{ partitionIndex: Number(index) }],
    } as unknown as FetchResponseFetchableTopicResponse;
  });
  return { errorCode, sessionId, responses };
}

function sent(plan: FetchRequestPlan): string[] {
  return plan.toSend.map((p) => `${p.topic}:${p.partition}@${p.data.fetchOffset}`);
}

describe('FetchSessionHandler (KIP-227, the fetching side)', () => {
  test('full first, then only the partitions that changed, joined or left', () => {
    const h = new FetchSessionHandler();
    let plan = h.newBuilder().add('a', 0, data(10)).add('a', 1, data(20)).add('b', 0, data(5)).build();
    assert.deepEqual(plan.metadata, { sessionId: 0, epoch: 0 });
    assert.deepEqual(sent(plan), ['a:0@10', 'a:1@20', 'b:0@5']);
    assert.equal(h.handleResponse(response(77, ['a:0', 'a:1', 'b:0']), 12), true);
    assert.deepEqual(h.nextMetadata, { sessionId: 77, epoch: 1 });

    // Nothing moved: an incremental request with no partitions at all.
    plan = h.newBuilder().add('a', 0, data(10)).add('a', 1, data(20)).add('b', 0, data(5)).build();
    assert.deepEqual(plan.metadata, { sessionId: 77, epoch: 1 });
    assert.deepEqual(sent(plan), []);
    assert.deepEqual(plan.toForget, []);
    assert.equal(h.handleResponse(response(77, []), 12), true);

    // a:1 moved, b:0 left, c:0 joined (added ones first, then changed ones, as Kafka sends them).
    plan = h.newBuilder().add('a', 0, data(10)).add('a', 1, data(25)).add('c', 0, data(0)).build();
    assert.deepEqual(plan.metadata, { sessionId: 77, epoch: 2 });
    assert.deepEqual(sent(plan), ['c:0@0', 'a:1@25']);
    assert.deepEqual(plan.toForget, [{ topic: 'b', topicId: ZERO_UUID, partition: 0 }]);
    assert.deepEqual([...plan.sessionPartitions.keys()], ['a:0', 'a:1', 'c:0']);
    const { topics, forgottenTopicsData } = fetchRequestTopics(plan, 12);
    assert.deepEqual(
      topics.map((t) => [t.topic, t.partitions?.map((p) => p.partition)]),
      [
        ['c', [0]],
        ['a', [1]],
      ],
    );
    assert.deepEqual(forgottenTopicsData, [{ topic: 'b', partitions: [0] }]);
    assert.equal(h.handleResponse(response(77, ['a:1']), 12), true);
    assert.deepEqual(h.nextMetadata, { sessionId: 77, epoch: 3 });

    // A change of leader epoch or max bytes is a change too.
    plan = h
      .newBuilder()
      .add('a', 0, data(10, { currentLeaderEpoch: 4 }))
      .add('a', 1, data(25))
      .add('c', 0, data(0))
      .build();
    assert.deepEqual(sent(plan), ['a:0@10']);
  });

  test('a broker without room (session id 0) keeps the fetcher on full requests', () => {
    const h = new FetchSessionHandler();
    h.newBuilder().add('a', 0, data(1)).build();
    assert.equal(h.handleResponse(response(0, ['a:0']), 12), true);
    assert.deepEqual(h.nextMetadata, { sessionId: 0, epoch: 0 });
    const plan = h.newBuilder().add('a', 0, data(1)).build();
    assert.deepEqual(sent(plan), ['a:0@1']);
  });

  test('session errors: an unknown id starts over, anything else closes the session first', () => {
    const h = new FetchSessionHandler();
    h.newBuilder().add('a', 0, data(1)).build();
    h.handleResponse(response(5, ['a:0']), 12);
    h.newBuilder().add('a', 0, data(2)).build();
    assert.equal(h.handleResponse(response(0, [], ErrorCode.INVALID_FETCH_SESSION_EPOCH), 12), false);
    assert.deepEqual(h.nextMetadata, { sessionId: 5, epoch: -1 });
    let plan = h.newBuilder().add('a', 0, data(2)).build();
    assert.deepEqual(sent(plan), ['a:0@2'], 'the closing request is full');
    assert.equal(h.handleResponse(response(0, ['a:0']), 12), true);
    assert.deepEqual(h.nextMetadata, { sessionId: 0, epoch: 0 });

    h.newBuilder().add('a', 0, data(2)).build();
    h.handleResponse(response(6, ['a:0']), 12);
    h.newBuilder().add('a', 0, data(2)).build();
    assert.equal(h.handleResponse(response(0, [], ErrorCode.FETCH_SESSION_ID_NOT_FOUND), 12), false);
    assert.deepEqual(h.nextMetadata, { sessionId: 0, epoch: 0 });

    h.newBuilder().add('a', 0, data(2)).build();
    h.handleResponse(response(7, ['a:0']), 12);
    plan = h.newBuilder().add('a', 0, data(2)).build();
    assert.equal(plan.metadata.epoch, 1);
    h.handleError();
    assert.deepEqual(h.nextMetadata, { sessionId: 7, epoch: 0 }, 'a lost request replaces the session');
  });

  test('responses that do not match the session are refused', () => {
    const h = new FetchSessionHandler();
    h.newBuilder().add('a', 0, data(1)).add('a', 1, data(1)).build();
    assert.equal(h.handleResponse(response(9, ['a:0']), 12), false, 'a full response must name every partition');
    assert.match(h.lastProblem ?? '', /omitted/);
    assert.deepEqual(h.nextMetadata, { sessionId: 0, epoch: 0 });
    h.newBuilder().add('a', 0, data(1)).add('a', 1, data(1)).build();
    assert.equal(h.handleResponse(response(9, ['a:0', 'a:1']), 12), true);
    h.newBuilder().add('a', 0, data(1)).add('a', 1, data(1)).build();
    assert.equal(
      h.handleResponse(response(9, ['z:0']), 12),
      false,
      'an incremental response names only session partitions',
    );
    assert.deepEqual(h.nextMetadata, { sessionId: 9, epoch: -1 });
  });

  test('topic ids (v13+): names resolved by id, a recreated topic forgotten under its old id', () => {
    const h = new FetchSessionHandler();
    let plan = h
      .newBuilder()
      .add('a', 0, data(1, { topicId: 'id-1' }))
      .build();
    assert.equal(plan.canUseTopicIds, true);
    assert.deepEqual(fetchRequestTopics(plan, 13).topics, [
      {
        topicId: 'id-1',
        partitions: [
          {
            partition: 0,
            currentLeaderEpoch: 3,
            fetchOffset: 1n,
            lastFetchedEpoch: 3,
            logStartOffset: 0n,
            partitionMaxBytes: 1024,
          },
        ],
      },
    ]);
    const byId = {
      errorCode: 0,
      sessionId: 3,
      responses: [
        { topic: '', topicId: 'id-1', partitions: [{ partitionIndex: 0 }] },
      ] as unknown as FetchResponseFetchableTopicResponse[],
    };
    assert.equal(h.handleResponse(byId, 13), true);
    plan = h
      .newBuilder()
      .add('a', 0, data(1, { topicId: 'id-2' }))
      .build();
    assert.deepEqual(plan.toReplace, [{ topic: 'a', topicId: 'id-1', partition: 0 }]);
    assert.deepEqual(fetchRequestTopics(plan, 13).forgottenTopicsData, [{ topicId: 'id-1', partitions: [0] }]);
    assert.deepEqual(fetchRequestTopics(plan, 12).forgottenTopicsData, []);
    const mixed = new FetchSessionHandler()
      .newBuilder()
      .add('a', 0, data(1, { topicId: 'x' }))
      .add('b', 0, data(1))
      .build();
    assert.equal(mixed.canUseTopicIds, false);
  });
});
