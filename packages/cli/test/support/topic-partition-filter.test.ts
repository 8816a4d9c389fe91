import assert from 'node:assert/strict';
import { test } from 'node:test';
import { parseTopicPartitionRules, topicAndPartitionsFilter } from '../../src/support/topic-partition-filter.js';

test("--topic-partitions: GetOffsetShell's rules (number, ranges with open ends, any topic)", () => {
  const f = parseTopicPartitionRules('a:1,b:2-4,c:5-,d:-2,e,:7');
  const allowed = (t: string, p: number) => f.isTopicPartitionAllowed(t, p);
  assert.deepEqual([allowed('a', 1), allowed('a', 0)], [true, false]);
  assert.deepEqual([allowed('b', 2), allowed('b', 3), allowed('b', 4)], [true, true, false]);
  assert.deepEqual([allowed('c', 4), allowed('c', 500)], [false, true]);
  assert.deepEqual([allowed('d', 1), allowed('d', 2)], [true, false]);
  assert.deepEqual([allowed('e', 42), allowed('zzz', 7), allowed('zzz', 6)], [true, true, false]);
  assert.ok(f.isTopicAllowed('zzz'), 'an empty topic pattern matches any topic');
  assert.throws(() => parseTopicPartitionRules('a:x'), /^Error: Invalid rule specification: a:x$/);
});

test('--topic and --partitions', () => {
  const f = topicAndPartitionsFilter('ev.*', '0,2');
  assert.deepEqual(
    [f.isTopicPartitionAllowed('events', 0), f.isTopicPartitionAllowed('events', 1), f.isTopicAllowed('xevents')],
    [true, false, false],
  );
  assert.throws(() => topicAndPartitionsFilter(undefined, '0,a'), /numeric partition ids, but received: 0,a/);
});
