/**
 * Topic-wide message browsing through the console against a real broker: all partitions merged
 * by timestamp, from a timestamp, paging by cursor (each record once), and search in keys,
 * values and headers with a bounded scan.
 */
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { Producer } from '@samsa/client';
import { type ConsoleFixture, startConsole } from './support/console-fixture.js';

interface View {
  partition: number;
  offset: string;
  timestamp: number;
  key: string | null;
  value: string | null;
}

describe('console topic-wide messages', () => {
  let fx: ConsoleFixture;
  const T0 = 1_700_000_000_000;
  before(async () => {
    fx = await startConsole();
    await fx.call('POST', '/clusters/local/topics', { name: 'tm', partitions: 2, replicationFactor: 1 });
    const producer = new Producer<string, string>({
      'bootstrap.servers': fx.broker.bootstrap,
      keySerializer: 'string',
      valueSerializer: 'string',
    });
    try {
      // Timestamps alternate between the partitions: 0 → p0, 1 → p1, 2 → p0, …
      for (let i = 0; i < 10; i++) {
        await producer.send({
          topic: 'tm',
          partition: i % 2,
          key: `k${i}`,
          value: i === 7 ? 'needle in value' : `v${i}`,
          headers: i === 4 ? { trace: 'NEEDLE-header' } : {},
          timestamp: T0 + i * 1000,
        });
      }
    } finally {
      await producer.close();
    }
  });
  after(async () => {
    await fx?.close();
  });

  const get = async (query: string) => {
    const { status, json } = await fx.call('GET', `/clusters/local/topics/tm/messages?${query}`);
    assert.equal(status, 200, JSON.stringify(json));
    return json as { records: View[]; scanned: number; reachedEnd: boolean; nextCursor: string };
  };

  test('from a timestamp, every partition merged by timestamp', async () => {
    const page = await get(`from=timestamp&timestamp=${T0 + 6000}`);
    assert.deepEqual(
      page.records.map((r) => r.key),
      ['k6', 'k7', 'k8', 'k9'],
    );
    assert.deepEqual(
      page.records.map((r) => r.partition),
      [0, 1, 0, 1],
    );
    assert.equal(page.reachedEnd, true);
    assert.equal(page.nextCursor, '0:5,1:5');
  });

  test('pages from the earliest by cursor, each record exactly once', async () => {
    const seen: string[] = [];
    let query = 'from=earliest&limit=3';
    for (let i = 0; i < 10; i++) {
      const page = await get(query);
      seen.push(...page.records.map((r) => `${r.partition}:${r.offset}`));
      if (page.reachedEnd) break;
      query = `limit=3&cursor=${page.nextCursor}`;
    }
    assert.deepEqual(seen.sort(), ['0:0', '0:1', '0:2', '0:3', '0:4', '1:0', '1:1', '1:2', '1:3', '1:4']);
  });

  test('search finds text in values and headers, case-insensitively, and reports the scan', async () => {
    const found = await get('from=earliest&q=needle');
    assert.deepEqual(found.records.map((r) => r.key).sort(), ['k4', 'k7']);
    assert.equal(found.scanned, 10);
    const bounded = await get('from=earliest&q=needle&maxScan=2');
    assert.equal(bounded.scanned, 2);
    assert.equal(bounded.reachedEnd, false);
  });

  test('bad queries are 400s with a message', async () => {
    for (const query of [
      'from=yesterday',
      'from=timestamp&timestamp=x',
      'limit=0',
      'cursor=a:b',
      'maxScan=0',
      'encoding=b64',
    ]) {
      const { status, json } = await fx.call('GET', `/clusters/local/topics/tm/messages?${query}`);
      assert.equal(status, 400, query);
      assert.equal(typeof json.message, 'string');
    }
    assert.equal((await fx.call('GET', '/clusters/local/topics/nope/messages')).status, 404);
  });
});
