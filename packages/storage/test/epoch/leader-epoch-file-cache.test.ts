import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, it } from 'node:test';
import { LeaderEpochFileCache } from '../../src/epoch/leader-epoch-file-cache.js';
import { rmDir, tmpDir } from '../support/batches.js';

describe('LeaderEpochFileCache', () => {
  let dir: string;
  let leo: number;
  beforeEach(() => {
    dir = tmpDir();
    leo = 100;
  });
  afterEach(() => rmDir(dir));

  function cache(): LeaderEpochFileCache {
    return new LeaderEpochFileCache(join(dir, 'leader-epoch-checkpoint'), () => leo);
  }

  it('assigns epochs, ignoring non-increasing start offsets for the same epoch', () => {
    const c = cache();
    c.assign(2, 6);
    c.assign(2, 10); // same epoch, later offset: no-op
    c.assign(3, 8);
    c.assign(5, 20);
    assert.deepEqual(c.entries(), [
      { epoch: 2, startOffset: 6 },
      { epoch: 3, startOffset: 8 },
      { epoch: 5, startOffset: 20 },
    ]);
    // A lower start offset for a new epoch drops conflicting entries.
    c.assign(6, 15);
    assert.deepEqual(c.entries(), [
      { epoch: 2, startOffset: 6 },
      { epoch: 3, startOffset: 8 },
      { epoch: 6, startOffset: 15 },
    ]);
    assert.equal(c.latestEpoch, 6);
    assert.equal(c.epochForOffset(9), 3);
    assert.equal(c.epochForOffset(5), undefined);
  });

  it('answers endOffsetFor like Kafka', () => {
    const c = cache();
    c.assign(2, 6);
    c.assign(3, 8);
    c.assign(5, 20);
    assert.deepEqual(c.endOffsetFor(5), { epoch: 5, endOffset: 100 });
    assert.deepEqual(c.endOffsetFor(3), { epoch: 3, endOffset: 20 });
    assert.deepEqual(c.endOffsetFor(4), { epoch: 3, endOffset: 20 });
    assert.deepEqual(c.endOffsetFor(1), { epoch: 1, endOffset: 6 });
    assert.deepEqual(c.endOffsetFor(6), { epoch: -1, endOffset: -1 });
    assert.deepEqual(c.endOffsetFor(-1), { epoch: -1, endOffset: -1 });
  });

  it('truncates from the end and from the start', () => {
    const c = cache();
    c.assign(2, 6);
    c.assign(3, 8);
    c.assign(5, 20);
    c.truncateFromEnd(20);
    assert.deepEqual(c.entries(), [
      { epoch: 2, startOffset: 6 },
      { epoch: 3, startOffset: 8 },
    ]);
    c.truncateFromStart(10);
    assert.deepEqual(c.entries(), [{ epoch: 3, startOffset: 10 }]);
    c.truncateFromStart(5);
    assert.deepEqual(c.entries(), [{ epoch: 3, startOffset: 10 }]);
  });

  it('persists to leader-epoch-checkpoint and reloads', async () => {
    const c = cache();
    c.assign(0, 0);
    c.assign(4, 33);
    await c.flush();
    assert.equal(fs.readFileSync(join(dir, 'leader-epoch-checkpoint'), 'utf8'), '0\n2\n0 0\n4 33\n');
    const again = cache();
    assert.deepEqual(again.entries(), c.entries());
    c.truncateFromEnd(10);
    await c.flush();
    assert.deepEqual(cache().entries(), [{ epoch: 0, startOffset: 0 }]);
  });
});
