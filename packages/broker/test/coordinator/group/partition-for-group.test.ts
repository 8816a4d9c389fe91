/**
 * The group → `__consumer_offsets` partition mapping must equal Kafka's bit for bit
 * (`Utils.abs(groupId.hashCode()) % offsets.topic.num.partitions`).
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { javaStringHashCode, kafkaAbs, partitionForGroup } from '../../../src/coordinator/group/partition-for-group.js';

/** Java's definition written out: s[0]*31^(n-1) + ... + s[n-1] over UTF-16 code units, as int32. */
function referenceHashCode(s: string): number {
  let sum = 0n;
  const n = s.length;
  for (let i = 0; i < n; i++) sum += BigInt(s.charCodeAt(i)) * 31n ** BigInt(n - 1 - i);
  return Number(BigInt.asIntN(32, sum));
}

test('String.hashCode of values known from Java', () => {
  assert.equal(javaStringHashCode(''), 0);
  assert.equal(javaStringHashCode('a'), 97);
  assert.equal(javaStringHashCode('Aa'), 2112);
  assert.equal(javaStringHashCode('BB'), 2112);
  assert.equal(javaStringHashCode('hello'), 99162322);
  // The classic: its hash code is Integer.MIN_VALUE.
  assert.equal(javaStringHashCode('polygenelubricants'), -2147483648);
});

test('String.hashCode follows the formula with int32 overflow, over UTF-16 code units', () => {
  for (const s of [
    'my-group',
    'console-consumer-43117',
    'connect-cluster',
    'groupé',
    '😀',
    'x'.repeat(1000),
    'Zz\u0000z',
  ]) {
    assert.equal(javaStringHashCode(s), referenceHashCode(s), s);
  }
  // '😀' is the surrogate pair \uD83D\uDE00: 0xD83D * 31 + 0xDE00.
  assert.equal(javaStringHashCode('😀'), 0xd83d * 31 + 0xde00);
});

test('Utils.abs maps Integer.MIN_VALUE to 0 instead of leaving it negative', () => {
  assert.equal(kafkaAbs(-2147483648), 0);
  assert.equal(kafkaAbs(-5), 5);
  assert.equal(kafkaAbs(7), 7);
});

test('partition of a group', () => {
  assert.equal(partitionForGroup('polygenelubricants', 50), 0);
  assert.equal(partitionForGroup('hello', 50), 99162322 % 50);
  assert.equal(partitionForGroup('a', 50), 97 % 50);
  for (const s of ['my-group', 'console-consumer-43117', 'groupé']) {
    const expected = Math.abs(referenceHashCode(s)) % 50;
    assert.equal(partitionForGroup(s, 50), expected, s);
    assert.ok(expected >= 0 && expected < 50);
  }
  assert.equal(partitionForGroup('my-group', 1), 0);
});
