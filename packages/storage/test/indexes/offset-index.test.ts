import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, it } from 'node:test';
import { CorruptIndexError } from '../../src/indexes/corrupt-index-error.js';
import { OffsetIndex } from '../../src/indexes/offset-index.js';
import { rmDir, tmpDir } from '../support/batches.js';

describe('OffsetIndex', () => {
  let dir: string;
  beforeEach(() => {
    dir = tmpDir();
  });
  afterEach(() => rmDir(dir));

  it('looks up the greatest entry at or below the target', () => {
    const idx = new OffsetIndex(join(dir, 'a.index'), 100, 1024, true);
    assert.deepEqual(idx.lookup(150), { offset: 100, position: 0 });
    idx.append(105, 1000);
    idx.append(110, 2000);
    idx.append(120, 3000);
    assert.deepEqual(idx.lookup(104), { offset: 100, position: 0 });
    assert.deepEqual(idx.lookup(105), { offset: 105, position: 1000 });
    assert.deepEqual(idx.lookup(119), { offset: 110, position: 2000 });
    assert.deepEqual(idx.lookup(10_000), { offset: 120, position: 3000 });
    assert.throws(() => idx.append(120, 4000));
  });

  it('writes Kafka’s 8-byte entries (relative offset, position) and reads them back', () => {
    const path = join(dir, 'b.index');
    const idx = new OffsetIndex(path, 1000, 1024, true);
    idx.append(1003, 77);
    idx.append(1010, 4096);
    idx.flush();
    const bytes = fs.readFileSync(path);
    assert.deepEqual(bytes, Buffer.from([0, 0, 0, 3, 0, 0, 0, 77, 0, 0, 0, 10, 0, 0, 0x10, 0]));
    const again = new OffsetIndex(path, 1000, 1024);
    assert.equal(again.entries, 2);
    assert.deepEqual(again.lookup(1012), { offset: 1010, position: 4096 });
  });

  it('truncates entries at or above an offset, in memory and on disk', () => {
    const path = join(dir, 'c.index');
    const idx = new OffsetIndex(path, 0, 1024, true);
    for (let i = 1; i <= 5; i++) idx.append(i * 10, i * 100);
    idx.flush();
    idx.truncateTo(30);
    assert.equal(idx.entries, 2);
    assert.equal(fs.statSync(path).size, 16);
    idx.truncateTo(25);
    assert.equal(idx.entries, 2);
    assert.deepEqual(idx.lookup(1000), { offset: 20, position: 200 });
    idx.reset();
    assert.equal(idx.entries, 0);
  });

  it('is full at segmentIndexBytes / 8 entries', () => {
    const idx = new OffsetIndex(join(dir, 'd.index'), 0, 24, true);
    idx.append(1, 1);
    idx.append(2, 2);
    assert.equal(idx.isFull(), false);
    idx.append(3, 3);
    assert.equal(idx.isFull(), true);
    assert.throws(() => idx.append(4, 4));
  });

  it('detects a corrupt file', () => {
    const path = join(dir, 'e.index');
    fs.writeFileSync(path, Buffer.from([0, 0, 0, 5, 0, 0, 0, 9, 0, 0, 0, 2, 0, 0, 0, 10]));
    assert.throws(() => new OffsetIndex(path, 0, 1024).entries, CorruptIndexError);
    fs.writeFileSync(path, Buffer.alloc(7));
    assert.throws(() => new OffsetIndex(path, 0, 1024).entries, CorruptIndexError);
  });
});
