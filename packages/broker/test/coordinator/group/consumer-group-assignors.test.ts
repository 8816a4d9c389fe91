/** The KIP-848 server assignors: `uniform` (balanced and sticky) and `range` (per-topic ranges). */
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { type Assignment, assignmentOf, partitionCount } from '../../../src/coordinator/group/consumer/assignment.js';
import type { AssignmentMemberSpec } from '../../../src/coordinator/group/consumer/assignor.js';
import { RangeAssignor } from '../../../src/coordinator/group/consumer/range-assignor.js';
import { UniformAssignor } from '../../../src/coordinator/group/consumer/uniform-assignor.js';

function member(memberId: string, topics: string[], current: Assignment = new Map()): AssignmentMemberSpec {
  return { memberId, subscribedTopicIds: new Set(topics), currentAssignment: current };
}

function assertEachPartitionOnce(result: Map<string, Assignment>, counts: Map<string, number>): void {
  const seen = new Set<string>();
  for (const assignment of result.values()) {
    for (const [topicId, partitions] of assignment) {
      for (const p of partitions) {
        assert.ok(!seen.has(`${topicId}:${p}`), `${topicId}:${p} assigned twice`);
        seen.add(`${topicId}:${p}`);
      }
    }
  }
  assert.equal(
    seen.size,
    [...counts.values()].reduce((a, b) => a + b, 0),
  );
}

describe('uniform assignor', () => {
  const uniform = new UniformAssignor();

  test('spreads partitions within one of each other and assigns each once', () => {
    const counts = new Map([
      ['T1', 5],
      ['T2', 3],
    ]);
    const result = uniform.assign({
      members: [member('a', ['T1', 'T2']), member('b', ['T1', 'T2']), member('c', ['T1', 'T2'])],
      partitionCounts: counts,
    });
    assertEachPartitionOnce(result, counts);
    const sizes = [...result.values()].map(partitionCount).sort();
    assert.deepEqual(sizes, [2, 3, 3]);
  });

  test('is sticky: a joining member takes partitions only from the fullest', () => {
    const counts = new Map([['T', 6]]);
    const first = uniform.assign({ members: [member('a', ['T']), member('b', ['T'])], partitionCounts: counts });
    const second = uniform.assign({
      members: [member('a', ['T'], first.get('a')), member('b', ['T'], first.get('b')), member('c', ['T'])],
      partitionCounts: counts,
    });
    assertEachPartitionOnce(second, counts);
    for (const id of ['a', 'b']) {
      const kept = (second.get(id)?.get('T') ?? []).filter((p) => first.get(id)?.get('T')?.includes(p));
      assert.equal(kept.length, 2, `${id} keeps two of its three partitions`);
    }
    assert.equal(partitionCount(second.get('c') ?? new Map()), 2);
  });

  test('heterogeneous subscriptions: a topic goes only to its subscribers', () => {
    const counts = new Map([
      ['T1', 4],
      ['T2', 2],
    ]);
    const result = uniform.assign({
      members: [member('a', ['T1']), member('b', ['T1', 'T2'])],
      partitionCounts: counts,
    });
    assertEachPartitionOnce(result, counts);
    assert.equal(result.get('a')?.get('T2'), undefined);
    assert.deepEqual([...result.values()].map(partitionCount).sort(), [3, 3]);
  });
});

describe('range assignor', () => {
  test('consecutive ranges per topic, the first members one more', () => {
    const counts = new Map([
      ['T1', 5],
      ['T2', 2],
    ]);
    const result = new RangeAssignor().assign({
      members: [member('b', ['T1', 'T2']), member('a', ['T1', 'T2']), member('c', ['T1'])],
      partitionCounts: counts,
    });
    assertEachPartitionOnce(result, counts);
    assert.deepEqual(
      result.get('a'),
      assignmentOf([
        ['T1', [0, 1]],
        ['T2', [0]],
      ]),
    );
    assert.deepEqual(
      result.get('b'),
      assignmentOf([
        ['T1', [2, 3]],
        ['T2', [1]],
      ]),
    );
    assert.deepEqual(result.get('c'), assignmentOf([['T1', [4]]]));
  });
});
