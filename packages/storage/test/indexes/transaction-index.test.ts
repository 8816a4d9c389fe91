import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, it } from 'node:test';
import { TransactionIndex } from '../../src/indexes/transaction-index.js';
import { rmDir, tmpDir } from '../support/batches.js';

describe('TransactionIndex', () => {
  let dir: string;
  beforeEach(() => {
    dir = tmpDir();
  });
  afterEach(() => rmDir(dir));

  it('stores 34-byte entries and collects overlapping aborted transactions', () => {
    const path = join(dir, 'a.txnindex');
    const idx = new TransactionIndex(path, 0, true);
    idx.append({ producerId: 1, firstOffset: 0, lastOffset: 10, lastStableOffset: 11 });
    idx.append({ producerId: 2, firstOffset: 5, lastOffset: 20, lastStableOffset: 21 });
    idx.append({ producerId: 3, firstOffset: 30, lastOffset: 40, lastStableOffset: 41 });
    const bytes = fs.readFileSync(path);
    assert.equal(bytes.length, 3 * 34);
    assert.deepEqual(
      bytes.subarray(0, 34),
      Buffer.from([
        0,
        0,
        ...[0, 0, 0, 0, 0, 0, 0, 1],
        ...Array(8).fill(0),
        ...[0, 0, 0, 0, 0, 0, 0, 10],
        ...[0, 0, 0, 0, 0, 0, 0, 11],
      ]),
    );
    const again = new TransactionIndex(path, 0);
    const r = again.collectAbortedTxns(11, 50);
    assert.deepEqual(
      r.abortedTransactions.map((t) => t.producerId),
      [2, 3],
    );
    assert.equal(r.isComplete, false);
    const complete = again.collectAbortedTxns(0, 15);
    assert.deepEqual(
      complete.abortedTransactions.map((t) => t.producerId),
      [1, 2],
    );
    assert.equal(complete.isComplete, true);
    again.truncateTo(20);
    assert.equal(fs.statSync(path).size, 34);
    assert.throws(() => again.append({ producerId: 9, firstOffset: 0, lastOffset: 5, lastStableOffset: 6 }));
  });
});
