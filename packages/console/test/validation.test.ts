import assert from 'node:assert/strict';
import { test } from 'node:test';
import { HttpError } from '../src/http-error.js';
import { groupId, integer, offset, stringMap, topicName } from '../src/validation.js';

const rejects400 = (call: () => unknown) =>
  assert.throws(call, (e: unknown) => e instanceof HttpError && e.statusCode === 400);

test('topicName accepts Kafka legal names and refuses the rest', () => {
  assert.equal(topicName('orders.v1_a-b'), 'orders.v1_a-b');
  for (const bad of ['', '.', '..', 'a b', 'x'.repeat(250), 'ä', 42, null]) rejects400(() => topicName(bad));
});

test('integer and offset take JSON numbers and decimal strings in range', () => {
  assert.equal(integer('3', 'partitions', 1, 10), 3);
  assert.equal(integer(3, 'partitions', 1, 10), 3);
  for (const bad of ['0', 11, '1.5', 'x', 1.5, null]) rejects400(() => integer(bad, 'partitions', 1, 10));
  assert.equal(offset('9223372036854775807'), 9223372036854775807n);
  for (const bad of ['-1', '9223372036854775808', 'x', -1]) rejects400(() => offset(bad));
});

test('groupId and stringMap refuse ill-typed values', () => {
  rejects400(() => groupId(''));
  assert.deepEqual(stringMap({ a: 'b' }, 'config'), { a: 'b' });
  assert.deepEqual(stringMap(undefined, 'config'), {});
  rejects400(() => stringMap({ a: 1 }, 'config'));
  rejects400(() => stringMap(['a'], 'config'));
});
