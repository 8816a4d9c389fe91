import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { ErrorCode, type FetchMetadata } from '@samsa/protocol';
import { type RequestedPartition, sessionPartitionKey } from '../../src/fetch-session/cached-partition.js';
import type { FetchContext } from '../../src/fetch-session/fetch-context.js';
import { FetchManager } from '../../src/fetch-session/fetch-manager.js';
import { FetchSessionCache } from '../../src/fetch-session/fetch-session-cache.js';
import type { FetchPartitionResult } from '../../src/replica/replica-manager.js';

const ZERO = 'AAAAAAAAAAAAAAAAAAAAAA';

function requested(topic: string, partition: number, fetchOffset = 0): [string, RequestedPartition] {
  return [
    sessionPartitionKey(false, ZERO, topic, partition),
    {
      topicId: ZERO,
      topic,
      partition,
      data: { fetchOffset, logStartOffset: -1, maxBytes: 1 << 20, currentLeaderEpoch: -1, lastFetchedEpoch: -1 },
    },
  ];
}

function result(highWatermark: number, records = 0, extra: Partial<FetchPartitionResult> = {}): FetchPartitionResult {
  return {
    errorCode: ErrorCode.NONE,
    highWatermark,
    lastStableOffset: highWatermark,
    logStartOffset: 0,
    records: Buffer.alloc(records),
    abortedTransactions: null,
    ...extra,
  };
}

function manager(slots = 10): FetchManager {
  return new FetchManager(new FetchSessionCache({ maxEntries: slots }));
}

function context(
  m: FetchManager,
  metadata: FetchMetadata,
  partitions: [string, RequestedPartition][] = [],
  toForget: string[] = [],
  apiVersion = 12,
): FetchContext {
  return m.newContext({
    apiVersion,
    metadata,
    isFromFollower: false,
    fetchData: new Map(partitions),
    toForget,
    nowMs: 1000,
  });
}

/** Answers every partition of a context from `results` (by "topic:partition"), as the handler does. */
function respond(ctx: FetchContext, results: Record<string, FetchPartitionResult>) {
  const map = new Map<string, FetchPartitionResult>();
  for (const key of ctx.partitions.keys()) map.set(key, results[key] ?? result(0));
  const answer = ctx.respond(map, 1000);
  return {
    ...answer,
    keys: answer.partitions.map((p) => `${p.requested.topic}:${p.requested.partition}`),
  };
}

describe('FetchManager (KIP-227 contexts)', () => {
  test('epoch -1 without a session: sessionless, every partition answered, session id 0', () => {
    const m = manager();
    const ctx = context(m, { sessionId: 0, epoch: -1 }, [requested('a', 0), requested('a', 1)]);
    const answer = respond(ctx, { 'a:0': result(5), 'a:1': result(0) });
    assert.equal(answer.sessionId, 0);
    assert.deepEqual(answer.keys, ['a:0', 'a:1']);
    assert.equal(m.cache.size, 0);
  });

  test('a session: full, then incremental answers only what changed, in the session order', () => {
    const m = manager();
    const full = respond(
      context(m, { sessionId: 0, epoch: 0 }, [requested('a', 0), requested('a', 1), requested('b', 0)]),
      {
        'a:0': result(5),
        'a:1': result(7),
        'b:0': result(0),
      },
    );
    assert.ok(full.sessionId > 0);
    assert.deepEqual(full.keys, ['a:0', 'a:1', 'b:0']);
    const id = full.sessionId;

    // Nothing moved: an empty incremental answer; the session id stays.
    const nothing = context(m, { sessionId: id, epoch: 1 });
    assert.deepEqual([...nothing.partitions.keys()], ['a:0', 'a:1', 'b:0'], 'every session partition is read');
    const empty = respond(nothing, { 'a:0': result(5), 'a:1': result(7), 'b:0': result(0) });
    assert.equal(empty.errorCode, ErrorCode.NONE);
    assert.equal(empty.sessionId, id);
    assert.deepEqual(empty.keys, []);

    // Records on a:1 and a high watermark move on b:0; a:1 then goes to the end of the order.
    const moved = respond(context(m, { sessionId: id, epoch: 2 }, [requested('a', 1, 7)]), {
      'a:0': result(5),
      'a:1': result(9, 100),
      'b:0': result(1),
    });
    assert.deepEqual(moved.keys, ['a:1', 'b:0']);
    const after = context(m, { sessionId: id, epoch: 3 });
    assert.deepEqual([...after.partitions.keys()], ['a:0', 'b:0', 'a:1']);
    assert.equal(after.partitions.get('a:1')?.data.fetchOffset, 7, 'the request data of a changed partition is cached');
  });

  test('every reason to answer a partition: records, offsets, error, preferred replica, diverging epoch', () => {
    const m = manager();
    const keys = ['p:0', 'p:1', 'p:2', 'p:3', 'p:4', 'p:5', 'p:6'];
    const base = Object.fromEntries(keys.map((k) => [k, result(10)]));
    const full = respond(
      context(
        m,
        { sessionId: 0, epoch: 0 },
        keys.map((_, i) => requested('p', i)),
      ),
      base,
    );
    let epoch = 1;
    const next = (results: Record<string, FetchPartitionResult>) =>
      respond(context(m, { sessionId: full.sessionId, epoch: epoch++ }), { ...base, ...results }).keys;
    assert.deepEqual(
      next({
        'p:0': result(10, 1),
        'p:1': result(11),
        'p:2': result(10, 0, { lastStableOffset: 9 }),
        'p:3': result(10, 0, { logStartOffset: 3 }),
        'p:4': result(10, 0, { errorCode: ErrorCode.NOT_LEADER_OR_FOLLOWER }),
        'p:5': result(10, 0, { preferredReadReplica: 2 }),
        'p:6': result(10, 0, { divergingEpoch: { epoch: 1, endOffset: 4 } }),
      }),
      keys,
    );
    // The moved offsets were told and are not answered again; p:4 is, once its error clears (the
    // cached high watermark was reset); the preferred replica and the divergence every time.
    assert.deepEqual(
      next({
        'p:1': result(11),
        'p:2': result(10, 0, { lastStableOffset: 9 }),
        'p:3': result(10, 0, { logStartOffset: 3 }),
        'p:5': result(10, 0, { preferredReadReplica: 2 }),
        'p:6': result(10, 0, { divergingEpoch: { epoch: 1, endOffset: 4 } }),
      }),
      ['p:4', 'p:5', 'p:6'],
    );
  });

  test('forgotten partitions leave; a session left empty is closed and the request answered without one', () => {
    const m = manager();
    const full = respond(context(m, { sessionId: 0, epoch: 0 }, [requested('a', 0), requested('a', 1)]), {});
    const id = full.sessionId;
    const ctx = context(m, { sessionId: id, epoch: 1 }, [requested('c', 0)], ['a:0']);
    assert.deepEqual([...ctx.partitions.keys()], ['a:1', 'c:0']);
    respond(ctx, {});
    assert.equal(m.cache.totalPartitions, 2);
    const last = context(m, { sessionId: id, epoch: 2 }, [], ['a:1', 'c:0']);
    const answer = respond(last, {});
    assert.equal(answer.sessionId, 0);
    assert.equal(m.cache.get(id), undefined);
  });

  test('session errors: unknown id, wrong epoch, topic ids switched; epoch -1 closes, epoch 0 replaces', () => {
    const m = manager();
    const error = (ctx: FetchContext) => respond(ctx, {});
    assert.equal(error(context(m, { sessionId: 42, epoch: 1 })).errorCode, ErrorCode.FETCH_SESSION_ID_NOT_FOUND);
    assert.equal(error(context(m, { sessionId: 0, epoch: 5 })).errorCode, ErrorCode.FETCH_SESSION_ID_NOT_FOUND);
    const id = respond(context(m, { sessionId: 0, epoch: 0 }, [requested('a', 0)]), {}).sessionId;
    const stale = error(context(m, { sessionId: id, epoch: 2 }));
    assert.equal(stale.errorCode, ErrorCode.INVALID_FETCH_SESSION_EPOCH);
    assert.equal(stale.sessionId, 0);
    assert.deepEqual(stale.keys, []);
    assert.equal(
      error(context(m, { sessionId: id, epoch: 1 }, [], [], 13)).errorCode,
      ErrorCode.FETCH_SESSION_TOPIC_ID_ERROR,
    );
    // The errors did not move the session: epoch 1 still works.
    assert.equal(error(context(m, { sessionId: id, epoch: 1 })).errorCode, ErrorCode.NONE);

    const replaced = respond(context(m, { sessionId: id, epoch: 0 }, [requested('b', 0)]), {});
    assert.notEqual(replaced.sessionId, 0);
    assert.notEqual(replaced.sessionId, id);
    assert.equal(m.cache.get(id), undefined, 'a full fetch naming a session closes it');

    const closed = respond(context(m, { sessionId: replaced.sessionId, epoch: -1 }, [requested('b', 0)]), {});
    assert.equal(closed.sessionId, 0);
    assert.deepEqual(closed.keys, ['b:0']);
    assert.equal(m.cache.size, 0);
    assert.equal(
      error(context(m, { sessionId: replaced.sessionId, epoch: 1 })).errorCode,
      ErrorCode.FETCH_SESSION_ID_NOT_FOUND,
    );
  });

  test('a duplicate request is refused while the first waits; the first is refused if overtaken', () => {
    const m = manager();
    const id = respond(context(m, { sessionId: 0, epoch: 0 }, [requested('a', 0)]), {}).sessionId;
    const first = context(m, { sessionId: id, epoch: 1 });
    // The same request again (a retry) while the first is parked in a delayed fetch.
    assert.equal(respond(context(m, { sessionId: id, epoch: 1 }), {}).errorCode, ErrorCode.INVALID_FETCH_SESSION_EPOCH);
    // The next request of the session gets in before the first answers.
    const second = context(m, { sessionId: id, epoch: 2 });
    const late = respond(first, { 'a:0': result(3, 10) });
    assert.equal(late.errorCode, ErrorCode.INVALID_FETCH_SESSION_EPOCH);
    assert.equal(late.sessionId, id);
    assert.deepEqual(respond(second, { 'a:0': result(3, 10) }).keys, ['a:0']);
  });

  test('a full cache answers epoch 0 with session id 0 and every partition', () => {
    const m = manager(0);
    const answer = respond(context(m, { sessionId: 0, epoch: 0 }, [requested('a', 0)]), {});
    assert.equal(answer.sessionId, 0);
    assert.equal(answer.errorCode, ErrorCode.NONE);
    assert.deepEqual(answer.keys, ['a:0']);
  });

  test('v13+ sessions key partitions by topic id: the same name under a new id is another partition', () => {
    const m = manager();
    const byId = (topicId: string, name: string | undefined): [string, RequestedPartition] => [
      sessionPartitionKey(true, topicId, name, 0),
      {
        topicId,
        topic: name,
        partition: 0,
        data: { fetchOffset: 0, logStartOffset: -1, maxBytes: 100, currentLeaderEpoch: -1, lastFetchedEpoch: -1 },
      },
    ];
    const ctx = context(m, { sessionId: 0, epoch: 0 }, [byId('old-id', 't')], [], 13);
    const id = ctx.respond(new Map([['old-id:0', result(1)]]), 0).sessionId;
    const next = context(m, { sessionId: id, epoch: 1 }, [byId('new-id', 't')], ['old-id:0'], 13);
    assert.deepEqual([...next.partitions.keys()], ['new-id:0']);
    assert.equal(context(m, { sessionId: id, epoch: 2 }, [], [], 12).partitions.size, 0, 'v12 may not use it');
  });
});
