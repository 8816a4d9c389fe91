import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { Serdes } from '../../src/serde/serdes.js';
import { ThreadCache } from '../../src/state/record-cache.js';
import { Stores } from '../../src/state/stores.js';

const defaults = { keySerde: Serdes.String(), valueSerde: Serdes.String() };

/** A caching, logged SQLite store, with what reaches the changelog and the flush listener recorded. */
function cachingStore(maxBytes: number) {
  const dir = mkdtempSync(join(tmpdir(), 'samsa-streams-cache-'));
  const store = Stores.keyValueStoreBuilder(Stores.persistentKeyValueStore('s'), Serdes.String(), Serdes.Long())
    .withCachingEnabled()
    .build(defaults, 'app-s-changelog');
  store.inner.open(dir);
  let timestamp = 100;
  const thread = new ThreadCache(maxBytes);
  store.enableCache(thread, {
    current: () => ({ timestamp, headers: [], source: null }),
    restore: (_source, run) => run(),
  });
  const logged: string[] = [];
  const forwarded: string[] = [];
  store.setChangeLogger((k, v, _headers, ts) =>
    logged.push(`${Buffer.from(k).toString()}=${v === null ? 'null' : Buffer.from(v).readBigInt64BE()}@${ts}`),
  );
  assert.equal(
    store.setFlushListener((key, newValue, oldValue, ts) =>
      forwarded.push(`${key}: ${oldValue} -> ${newValue} @${ts}`),
    ),
    true,
  );
  return {
    store,
    thread,
    logged,
    forwarded,
    at: (ts: number) => {
      timestamp = ts;
    },
    close: () => {
      store.close();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

test('a caching store writes a key once per flush: one changelog record and one downstream update, old value from the store', () => {
  const c = cachingStore(10 * 1024 * 1024);
  try {
    c.store.put('a', 1n);
    c.at(200);
    c.store.put('a', 2n);
    c.store.put('b', 7n);
    c.at(300);
    c.store.put('a', 3n);
    assert.equal(c.store.get('a'), 3n, 'reads see the cache');
    assert.deepEqual(c.logged, [], 'nothing is logged before the flush');
    assert.equal(c.store.inner.get(Buffer.from('a')), null, 'nor written to the store');
    c.store.flush();
    // Least recently written first: b (written at 200), then a (last written at 300).
    assert.deepEqual(c.logged, ['b=7@200', 'a=3@300']);
    assert.deepEqual(c.forwarded, ['b: null -> 7 @200', 'a: null -> 3 @300']);
    c.store.put('a', 4n);
    c.store.flush();
    assert.deepEqual(c.forwarded.at(-1), 'a: 3 -> 4 @300', 'the old value comes from the store');
    assert.equal(c.thread.sizeBytes, 0);
  } finally {
    c.close();
  }
});

test('ranges merge the cache over the store, deletes included, in key byte order', () => {
  const c = cachingStore(10 * 1024 * 1024);
  try {
    for (const [k, v] of [
      ['a', 1n],
      ['c', 3n],
      ['e', 5n],
    ] as const)
      c.store.put(k, v);
    c.store.flush();
    c.store.put('b', 2n);
    c.store.delete('c');
    c.store.put('e', 50n);
    assert.deepEqual(
      [...c.store.all()].map((kv) => `${kv.key}=${kv.value}`),
      ['a=1', 'b=2', 'e=50'],
    );
    assert.deepEqual(
      [...c.store.range('b', 'd')].map((kv) => `${kv.key}=${kv.value}`),
      ['b=2'],
    );
  } finally {
    c.close();
  }
});

test('a full cache evicts its least recently written entries through the store', () => {
  // Each entry: 1-byte key + 8-byte value + 64 bytes of overhead = 73 bytes; room for two.
  const c = cachingStore(150);
  try {
    c.store.put('a', 1n);
    c.store.put('b', 2n);
    assert.deepEqual(c.forwarded, []);
    c.store.put('c', 3n);
    assert.deepEqual(c.forwarded, ['a: null -> 1 @100']);
    c.store.put('b', 20n); // b becomes the most recently written
    c.store.put('d', 4n);
    assert.deepEqual(c.forwarded, ['a: null -> 1 @100', 'c: null -> 3 @100']);
    assert.ok(c.thread.sizeBytes <= 150);
  } finally {
    c.close();
  }
});

test('without a cache the flush listener is refused, so the processor forwards itself', () => {
  const store = Stores.keyValueStoreBuilder(Stores.inMemoryKeyValueStore('s'), Serdes.String(), Serdes.Long()).build(
    defaults,
    'app-s-changelog',
  );
  assert.equal(
    store.setFlushListener(() => {}),
    false,
  );
});
