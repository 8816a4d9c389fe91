import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, it } from 'node:test';
import { CorruptIndexError } from '../../src/indexes/corrupt-index-error.js';
import { TimeIndex } from '../../src/indexes/time-index.js';
import { rmDir, tmpDir } from '../support/batches.js';

describe('TimeIndex', () => {
  let dir: string;
  beforeEach(() => {
    dir = tmpDir();
  });
  afterEach(() => rmDir(dir));

  it('keeps strictly increasing timestamps and looks up the greatest at or below the target', () => {
    const idx = new TimeIndex(join(dir, 'a.timeindex'), 50, 1200, true);
    assert.deepEqual(idx.lookup(5), { timestamp: -1, offset: 50 });
    idx.maybeAppend(1000, 52);
    idx.maybeAppend(1000, 55); // not larger: ignored
    idx.maybeAppend(2000, 60);
    idx.maybeAppend(1500, 61); // smaller: ignored
    assert.equal(idx.entries, 2);
    assert.deepEqual(idx.lookup(999), { timestamp: -1, offset: 50 });
    assert.deepEqual(idx.lookup(1999), { timestamp: 1000, offset: 52 });
    assert.deepEqual(idx.lookup(5000), { timestamp: 2000, offset: 60 });
    assert.deepEqual(idx.lastEntry(), { timestamp: 2000, offset: 60 });
    assert.throws(() => idx.maybeAppend(3000, 59));
  });

  it('writes Kafka’s 12-byte entries (int64 timestamp, int32 relative offset)', () => {
    const path = join(dir, 'b.timeindex');
    const idx = new TimeIndex(path, 100, 1200, true);
    idx.maybeAppend(0x1_0000_0002, 105);
    idx.flush();
    assert.deepEqual(fs.readFileSync(path), Buffer.from([0, 0, 0, 1, 0, 0, 0, 2, 0, 0, 0, 5]));
    const again = new TimeIndex(path, 100, 1200);
    assert.deepEqual(again.lastEntry(), { timestamp: 0x1_0000_0002, offset: 105 });
  });

  it('truncates by offset', () => {
    const idx = new TimeIndex(join(dir, 'c.timeindex'), 0, 1200, true);
    idx.maybeAppend(10, 1);
    idx.maybeAppend(20, 5);
    idx.maybeAppend(30, 9);
    idx.truncateTo(5);
    assert.equal(idx.entries, 1);
    assert.deepEqual(idx.lastEntry(), { timestamp: 10, offset: 1 });
  });

  it('truncates every entry at or above the offset, also entries sharing an offset, in memory and on disk', () => {
    const path = join(dir, 'd.timeindex');
    const idx = new TimeIndex(path, 0, 1200, true);
    idx.maybeAppend(10, 1);
    idx.maybeAppend(20, 5);
    idx.maybeAppend(30, 5); // a later batch's final entry can repeat an offset
    idx.maybeAppend(40, 9);
    idx.flush();
    idx.truncateTo(6);
    assert.equal(idx.entries, 3);
    idx.truncateTo(5);
    assert.equal(idx.entries, 1);
    assert.equal(fs.statSync(path).size, 12);
    idx.truncateTo(0);
    assert.equal(idx.entries, 0);
  });

  it('detects a corrupt file', () => {
    const path = join(dir, 'e.timeindex');
    fs.writeFileSync(path, Buffer.alloc(13));
    assert.throws(() => new TimeIndex(path, 0, 1200).entries, CorruptIndexError);
    const decreasing = Buffer.alloc(24);
    decreasing.writeBigInt64BE(5n, 0);
    decreasing.writeBigInt64BE(4n, 12);
    fs.writeFileSync(path, decreasing);
    assert.throws(() => new TimeIndex(path, 0, 1200).entries, CorruptIndexError);
  });
});
