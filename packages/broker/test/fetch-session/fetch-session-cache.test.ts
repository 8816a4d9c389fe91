import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { CachedPartition } from '../../src/fetch-session/cached-partition.js';
import { FetchSessionCache } from '../../src/fetch-session/fetch-session-cache.js';

const EVICTION_MS = 120_000;

function partitions(count: number): () => Map<string, CachedPartition> {
  return () => {
    const map = new Map<string, CachedPartition>();
    for (let i = 0; i < count; i++) {
      map.set(`t:${i}`, new CachedPartition('AAAAAAAAAAAAAAAAAAAAAA', 't', i, data()));
    }
    return map;
  };
}

function data() {
  return { fetchOffset: 0, logStartOffset: -1, maxBytes: 1024, currentLeaderEpoch: -1, lastFetchedEpoch: -1 };
}

/** A cache handing out ids 1, 2, 3, … so that the order of EvictableKeys is predictable. */
function cache(maxEntries: number, ids: number[] = []): FetchSessionCache {
  let next = 1;
  return new FetchSessionCache({
    maxEntries,
    evictionMs: EVICTION_MS,
    randomSessionId: () => ids.shift() ?? next++,
  });
}

describe('FetchSessionCache (KIP-227)', () => {
  test('sessions get random non-zero ids, unique in the cache, and start at epoch 1', () => {
    const c = cache(10, [0, 7, 7, 9]);
    const a = c.maybeCreateSession(0, false, 2, false, partitions(2));
    const b = c.maybeCreateSession(0, false, 2, false, partitions(2));
    assert.equal(a, 7, 'id 0 is never handed out');
    assert.equal(b, 9, 'an id in use is drawn again');
    assert.equal(c.get(a)?.epoch, 1);
    assert.equal(c.size, 2);
    assert.equal(c.totalPartitions, 4);
    const real = new FetchSessionCache({ maxEntries: 100 });
    for (let i = 0; i < 50; i++) {
      const id = real.maybeCreateSession(0, false, 1, false, partitions(1));
      assert.ok(id > 0 && id <= 2147483647 && Number.isInteger(id));
    }
    assert.equal(real.size, 50);
  });

  test('a full cache refuses a session no bigger than the ones it holds (session id 0)', () => {
    const c = cache(2);
    c.maybeCreateSession(0, false, 3, false, partitions(3));
    c.maybeCreateSession(0, false, 3, false, partitions(3));
    // Not old enough to be evicted by a consumer, whatever the size.
    assert.equal(c.maybeCreateSession(1000, false, 10, false, partitions(10)), 0);
    assert.equal(c.size, 2);
    assert.equal(c.evictions, 0);
  });

  test('the least recently used session is evicted once it is stale, whoever asks', () => {
    const c = cache(2);
    const a = c.maybeCreateSession(0, true, 5, false, partitions(5));
    const b = c.maybeCreateSession(10, true, 5, false, partitions(5));
    const sessionB = c.get(b);
    assert.ok(sessionB);
    c.touch(sessionB, 50_000);
    // a was last used at 0: stale after EVICTION_MS, even for a small consumer session.
    assert.equal(c.maybeCreateSession(EVICTION_MS, false, 1, false, partitions(1)), 0);
    const d = c.maybeCreateSession(EVICTION_MS + 1, false, 1, false, partitions(1));
    assert.notEqual(d, 0);
    assert.equal(c.get(a), undefined);
    assert.ok(c.get(b));
    assert.equal(c.evictions, 1);
    assert.equal(c.totalPartitions, 6);
  });

  test('a follower (privileged) evicts the smallest consumer session at once', () => {
    const c = cache(3);
    const big = c.maybeCreateSession(0, false, 9, false, partitions(9));
    const small = c.maybeCreateSession(0, false, 2, false, partitions(2));
    const follower = c.maybeCreateSession(0, true, 1, false, partitions(1));
    const created = c.maybeCreateSession(5, true, 1, false, partitions(1));
    assert.notEqual(created, 0);
    assert.equal(c.get(small), undefined, 'the consumer session with the fewest partitions went');
    assert.ok(c.get(big));
    assert.ok(c.get(follower), 'a young follower session is not evictable');
  });

  test('followers evict each other only when older than the eviction time and smaller', () => {
    const c = cache(2);
    const f1 = c.maybeCreateSession(0, true, 4, false, partitions(4));
    const f2 = c.maybeCreateSession(0, true, 4, false, partitions(4));
    // Young follower sessions are safe even from followers.
    assert.equal(c.maybeCreateSession(1000, true, 100, false, partitions(100)), 0);
    // Once touched past the eviction age they rank by size; an equal size never evicts.
    const now = EVICTION_MS + 10;
    for (const id of [f1, f2]) {
      const s = c.get(id);
      assert.ok(s);
      c.touch(s, now);
    }
    assert.equal(c.maybeCreateSession(now, true, 4, false, partitions(4)), 0);
    const f3 = c.maybeCreateSession(now, true, 5, false, partitions(5));
    assert.notEqual(f3, 0);
    assert.equal(c.size, 2);
    assert.equal(c.evictions, 1);
  });

  test('consumers never evict a follower session unless it is stale, and evict old smaller consumer sessions', () => {
    const c = cache(2);
    const follower = c.maybeCreateSession(0, true, 1, false, partitions(1));
    const consumer = c.maybeCreateSession(0, false, 1, false, partitions(1));
    const now = EVICTION_MS + 5;
    for (const id of [follower, consumer]) {
      const s = c.get(id);
      assert.ok(s);
      c.touch(s, now);
    }
    // Both are old; the consumer's session ranks first, and is smaller than the new one.
    const created = c.maybeCreateSession(now + 1, false, 2, false, partitions(2));
    assert.notEqual(created, 0);
    assert.equal(c.get(consumer), undefined);
    assert.ok(c.get(follower));
    // Now only the follower's session and the new (young) consumer one: nothing a consumer may evict.
    assert.equal(c.maybeCreateSession(now + 2, false, 50, false, partitions(50)), 0);
  });

  test('a session not touched since it came of age is evictable only as stale (Kafka ranks sessions on touch)', () => {
    const c = cache(1);
    const old = c.maybeCreateSession(0, false, 1, false, partitions(1));
    const s = c.get(old);
    assert.ok(s);
    c.touch(s, 100_000); // used recently, but ranked while still young
    assert.equal(c.maybeCreateSession(EVICTION_MS + 1000, false, 5, false, partitions(5)), 0);
    c.touch(s, EVICTION_MS + 2000);
    assert.notEqual(c.maybeCreateSession(EVICTION_MS + 2000, false, 5, false, partitions(5)), 0);
  });

  test('remove and touch keep the partition count', () => {
    const c = cache(10);
    const a = c.maybeCreateSession(0, false, 3, false, partitions(3));
    const s = c.get(a);
    assert.ok(s);
    s.partitions.delete('t:0');
    c.touch(s, 1);
    assert.equal(c.totalPartitions, 2);
    assert.equal(c.remove(a), s);
    assert.equal(c.remove(a), undefined);
    assert.equal(c.totalPartitions, 0);
    assert.equal(c.size, 0);
  });

  test('zero slots: no session is ever created', () => {
    const c = cache(0);
    assert.equal(c.maybeCreateSession(0, true, 1, false, partitions(1)), 0);
  });
});
