import assert from 'node:assert/strict';
import { test } from 'node:test';
import { inTimestampOrder } from '../../src/runtime/timestamp-order.js';

const r = (topic: string, partition: number, timestamp: number) => ({ topic, partition, timestamp });

test("a task's partitions are interleaved by head timestamp; each partition keeps its order", () => {
  const records = [r('a', 0, 5), r('a', 0, 1), r('a', 0, 9), r('b', 0, 2), r('b', 0, 7), r('a', 1, 0), r('c', 0, 3)];
  // Tasks by partition number (a-0 and b-0 together, as a join of a and b); c is not an input.
  const taskOf = (x: { topic: string; partition: number }) => (x.topic === 'c' ? undefined : `0_${x.partition}`);
  const ordered = inTimestampOrder(records, taskOf).map((x) => `${x.topic}${x.partition}@${x.timestamp}`);
  // a0's head (5) waits for b0's 2; a0 keeps 5 before its own out-of-order 1.
  assert.deepEqual(ordered, ['b0@2', 'a0@5', 'a0@1', 'b0@7', 'a0@9', 'a1@0']);
});

test('a poll where every task has one partition is processed as it came, without a copy', () => {
  const records = [r('a', 0, 5), r('a', 0, 1), r('a', 1, 0), r('a', 0, 9), r('b', 2, 3)];
  const taskOf = (x: { topic: string; partition: number }) => `0_${x.partition}`;
  assert.equal(inTimestampOrder(records, taskOf), records);
});

test('a partition of a task seen twice in one poll, apart, needs no reordering either', () => {
  const records = [r('a', 0, 5), r('a', 1, 0), r('a', 0, 2)];
  const taskOf = (x: { topic: string; partition: number }) => `0_${x.partition}`;
  assert.deepEqual(
    inTimestampOrder(records, taskOf).map((x) => `${x.topic}${x.partition}@${x.timestamp}`),
    ['a0@5', 'a1@0', 'a0@2'],
  );
});
