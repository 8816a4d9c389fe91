/** The share groups' `simple` assignor: every partition covered, members spread, shared when they outnumber partitions. */
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import type { Assignment } from '../../../src/coordinator/group/consumer/assignment.js';
import { assignSharePartitions } from '../../../src/coordinator/group/share/simple-assignor.js';

function member(memberId: string, topics: string[]) {
  return { memberId, subscribedTopicIds: new Set(topics) };
}

function flat(result: Map<string, Assignment>): Record<string, string> {
  return Object.fromEntries(
    [...result].map(([id, a]) => [
      id,
      [...a].map(([topic, partitions]) => `${topic}:${partitions.join(',')}`).join(' '),
    ]),
  );
}

describe('share assignor (simple)', () => {
  test('at least as many partitions as members: round-robin, each partition to one member', () => {
    const result = assignSharePartitions([member('b', ['t']), member('a', ['t'])], new Map([['t', 5]]));
    assert.deepEqual(flat(result), { b: 't:1,3', a: 't:0,2,4' });
  });

  test('more members than partitions: each member gets one, members share partitions', () => {
    const result = assignSharePartitions(
      ['m1', 'm2', 'm3', 'm4', 'm5'].map((id) => member(id, ['t'])),
      new Map([['t', 2]]),
    );
    assert.deepEqual(flat(result), { m1: 't:0', m2: 't:1', m3: 't:0', m4: 't:1', m5: 't:0' });
  });

  test('per topic: only subscribers get its partitions; unsubscribed and empty topics give nothing', () => {
    const result = assignSharePartitions(
      [member('a', ['x', 'y']), member('b', ['y']), member('c', [])],
      new Map([
        ['x', 2],
        ['y', 1],
        ['z', 3],
      ]),
    );
    assert.deepEqual(flat(result), { a: 'x:0,1 y:0', b: 'y:0', c: '' });
  });
});
