import assert from 'node:assert/strict';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { OffsetCheckpoint } from '../../src/runtime/offset-checkpoint.js';
import { Serdes } from '../../src/serde/serdes.js';
import { Stores } from '../../src/state/stores.js';

const defaults = { keySerde: Serdes.String(), valueSerde: Serdes.String() };

for (const kind of ['inMemoryKeyValueStore', 'persistentKeyValueStore'] as const) {
  test(`${kind}: reads, writes, byte-ordered ranges, and logging of each write`, () => {
    const dir = mkdtempSync(join(tmpdir(), 'samsa-streams-store-'));
    try {
      const store = Stores.keyValueStoreBuilder(Stores[kind]('s'), Serdes.String(), Serdes.Long()).build(
        defaults,
        'app-s-changelog',
      );
      store.inner.open(dir);
      const logged: [string, string | null][] = [];
      store.setChangeLogger((k, v) => logged.push([Buffer.from(k).toString(), v && Buffer.from(v).toString('hex')]));
      store.put('b', 2n);
      store.put('a', 1n);
      store.put('é', 3n); // 0xc3 0xa9: after ASCII in unsigned byte order
      assert.equal(store.putIfAbsent('a', 9n), 1n);
      assert.equal(store.get('a'), 1n);
      assert.equal(store.get('zz'), null);
      assert.deepEqual(
        [...store.all()].map((kv) => kv.key),
        ['a', 'b', 'é'],
      );
      assert.deepEqual(
        [...store.range('b', null)].map((kv) => kv.key),
        ['b', 'é'],
      );
      assert.deepEqual(
        [...store.range(null, 'b')].map((kv) => kv.key),
        ['a', 'b'],
      );
      assert.deepEqual(
        [...store.range('a', 'a')].map((kv) => kv.key),
        ['a'],
      );
      assert.equal(store.delete('b'), 2n);
      assert.equal(store.approximateNumEntries(), 2);
      assert.deepEqual(logged, [
        ['b', '0000000000000002'],
        ['a', '0000000000000001'],
        ['é', '0000000000000003'],
        ['b', null],
      ]);
      store.flush();
      store.close();
      assert.equal(existsSync(join(dir, 'sqlite', 's.db')), kind === 'persistentKeyValueStore');
      if (kind === 'persistentKeyValueStore') {
        // Flushed writes survive a reopen.
        const again = Stores.keyValueStoreBuilder(Stores[kind]('s'), Serdes.String(), Serdes.Long()).build(
          defaults,
          'x',
        );
        again.inner.open(dir);
        assert.equal(again.get('é'), 3n);
        assert.equal(again.get('b'), null);
        again.close();
        // A wipe (no checkpoint for the store) starts it empty.
        const wiped = Stores.keyValueStoreBuilder(Stores[kind]('s'), Serdes.String(), Serdes.Long()).build(
          defaults,
          'x',
        );
        wiped.inner.wipe(dir);
        wiped.inner.open(dir);
        assert.equal(wiped.approximateNumEntries(), 0);
        wiped.close();
      }
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
}

test('the .checkpoint file is in Java OffsetCheckpoint text format', () => {
  const dir = mkdtempSync(join(tmpdir(), 'samsa-streams-checkpoint-'));
  try {
    const checkpoint = new OffsetCheckpoint(join(dir, '.checkpoint'));
    assert.deepEqual(checkpoint.read(), new Map());
    checkpoint.write(
      new Map([
        ['app-counts-changelog:0', 41n],
        ['app-other-changelog:3', 7n],
      ]),
    );
    assert.equal(
      readFileSync(join(dir, '.checkpoint'), 'utf8'),
      '0\n2\napp-counts-changelog 0 41\napp-other-changelog 3 7\n',
    );
    assert.deepEqual(
      checkpoint.read(),
      new Map([
        ['app-counts-changelog:0', 41n],
        ['app-other-changelog:3', 7n],
      ]),
    );
    checkpoint.delete();
    assert.ok(!existsSync(join(dir, '.checkpoint')));
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
