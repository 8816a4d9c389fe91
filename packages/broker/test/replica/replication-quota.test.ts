import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { LONG_MAX } from '../../src/config/config-def.js';
import { parseThrottledPartitions, ReplicationQuota } from '../../src/replica/replication-quota.js';

function quota(bound: number, lists: Record<string, string>, brokerId = 1): ReplicationQuota {
  return new ReplicationQuota({
    brokerId,
    boundBytesPerSec: () => bound,
    throttledReplicas: (topic) => lists[topic],
    numSamples: 3,
    sampleWindowMs: 1000,
  });
}

describe('replication quota (KIP-73)', () => {
  test('throttled partitions are those listed with this broker, or all with *', () => {
    assert.deepEqual(parseThrottledPartitions('0:1,1:2,2:1', 1), new Set([0, 2]));
    assert.deepEqual(parseThrottledPartitions(' 0:1 , 3:1', 1), new Set([0, 3]));
    assert.equal(parseThrottledPartitions('*', 7), 'all');
    const q = quota(100, { a: '0:1,1:2', b: '*', c: '' });
    assert.equal(q.isThrottled('a', 0), true);
    assert.equal(q.isThrottled('a', 1), false);
    assert.equal(q.isThrottled('b', 5), true);
    assert.equal(q.isThrottled('c', 0), false);
    assert.equal(q.isThrottled('missing', 0), false);
  });

  test('a changed throttle list is parsed again', () => {
    const lists: Record<string, string> = { a: '0:1' };
    const q = quota(100, lists);
    assert.equal(q.isThrottled('a', 1), false);
    lists.a = '1:1';
    assert.equal(q.isThrottled('a', 1), true);
    assert.equal(q.isThrottled('a', 0), false);
  });

  test('the rate is measured over the samples, at least all windows but one', () => {
    const q = quota(1000, {});
    const t0 = 1_000_000;
    q.record(1500, t0);
    // 1500 bytes over the minimum of (3 - 1) windows = 2 s.
    assert.equal(q.rateBytesPerSec(t0 + 10), 750);
    assert.equal(q.isQuotaExceeded(t0 + 10), false);
    q.record(1000, t0 + 1500);
    assert.equal(q.rateBytesPerSec(t0 + 2000), 1250);
    assert.equal(q.isQuotaExceeded(t0 + 2000), true);
    // Samples older than all windows no longer count.
    assert.equal(q.rateBytesPerSec(t0 + 3600), (1000 * 1000) / 2100);
    assert.equal(q.rateBytesPerSec(t0 + 10_000), 0);
  });

  test('no configured rate: never exceeded, not enabled', () => {
    const q = quota(LONG_MAX, { a: '*' });
    q.record(10 ** 12, 5);
    assert.equal(q.enabled, false);
    assert.equal(q.isQuotaExceeded(6), false);
  });
});
