import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import fc from 'fast-check';
import { type TopicPartition, tpKey } from '../../src/common/topic-partition.js';
import { CooperativeStickyAssignor } from '../../src/consumer/assignors/cooperative-sticky-assignor.js';
import type { MemberAssignment, MemberSubscription } from '../../src/consumer/assignors/partition-assignor.js';
import { RangeAssignor } from '../../src/consumer/assignors/range-assignor.js';
import { RoundRobinAssignor } from '../../src/consumer/assignors/round-robin-assignor.js';
import { StickyAssignor } from '../../src/consumer/assignors/sticky-assignor.js';

function member(
  memberId: string,
  topics: string[],
  owned: TopicPartition[] = [],
  generationId = -1,
  groupInstanceId: string | null = null,
): MemberSubscription {
  return { memberId, groupInstanceId, topics, userData: null, ownedPartitions: owned, generationId, rackId: null };
}

function subs(...members: MemberSubscription[]): Map<string, MemberSubscription> {
  return new Map(members.map((m) => [m.memberId, m]));
}

function names(result: Map<string, MemberAssignment>): Record<string, string[]> {
  const out: Record<string, string[]> = {};
  for (const [id, a] of result) out[id] = a.partitions.map((tp) => `${tp.topic}-${tp.partition}`);
  return out;
}

/** Every partition of every subscribed topic goes to exactly one member subscribed to its topic. */
function assertValid(
  partitionsPerTopic: Map<string, number>,
  subscriptions: Map<string, MemberSubscription>,
  result: Map<string, MemberAssignment>,
  complete = true,
): void {
  const seen = new Set<string>();
  for (const [id, a] of result) {
    const sub = subscriptions.get(id) as MemberSubscription;
    for (const tp of a.partitions) {
      assert.ok(sub.topics.includes(tp.topic), `${id} got ${tp.topic} without subscribing`);
      assert.ok(tp.partition < (partitionsPerTopic.get(tp.topic) ?? 0));
      const key = tpKey(tp.topic, tp.partition);
      assert.ok(!seen.has(key), `${key} assigned twice`);
      seen.add(key);
    }
  }
  if (!complete) return;
  const subscribed = new Set([...subscriptions.values()].flatMap((s) => s.topics));
  for (const [topic, n] of partitionsPerTopic) {
    if (!subscribed.has(topic)) continue;
    for (let p = 0; p < n; p++) assert.ok(seen.has(tpKey(topic, p)), `${topic}-${p} unassigned`);
  }
}

describe('RangeAssignor', () => {
  it("assigns ranges per topic like Kafka's (first members get the extra partitions)", () => {
    const result = new RangeAssignor().assign(
      new Map([
        ['t1', 3],
        ['t2', 3],
      ]),
      subs(member('c0', ['t1', 't2']), member('c1', ['t1', 't2'])),
    );
    assert.deepEqual(names(result), { c0: ['t1-0', 't1-1', 't2-0', 't2-1'], c1: ['t1-2', 't2-2'] });
  });

  it('orders static members by instance ID before dynamic ones', () => {
    const result = new RangeAssignor().assign(
      new Map([['t', 4]]),
      subs(member('a', ['t']), member('z', ['t'], [], -1, 'instance-1')),
    );
    assert.deepEqual(names(result), { a: ['t-2', 't-3'], z: ['t-0', 't-1'] });
  });

  it('ignores topics that do not exist and members subscribed to nothing existing', () => {
    const result = new RangeAssignor().assign(
      new Map([['t', 2]]),
      subs(member('a', ['t', 'missing']), member('b', ['missing'])),
    );
    assert.deepEqual(names(result), { a: ['t-0', 't-1'], b: [] });
  });
});

describe('RoundRobinAssignor', () => {
  it('deals all partitions in (topic, partition) order', () => {
    const result = new RoundRobinAssignor().assign(
      new Map([
        ['t1', 3],
        ['t2', 3],
      ]),
      subs(member('c0', ['t1', 't2']), member('c1', ['t1', 't2'])),
    );
    assert.deepEqual(names(result), { c0: ['t1-0', 't1-2', 't2-1'], c1: ['t1-1', 't2-0', 't2-2'] });
  });

  it('skips members not subscribed to a topic', () => {
    const result = new RoundRobinAssignor().assign(
      new Map([
        ['t0', 1],
        ['t1', 2],
        ['t2', 3],
      ]),
      subs(member('c0', ['t0']), member('c1', ['t0', 't1']), member('c2', ['t0', 't1', 't2'])),
    );
    // Kafka's RoundRobinAssignorTest "testMultipleConsumersMixedTopics"-style expectation.
    assert.deepEqual(names(result), { c0: ['t0-0'], c1: ['t1-0'], c2: ['t1-1', 't2-0', 't2-1', 't2-2'] });
  });
});

const topicsArb = fc.dictionary(fc.constantFrom('a', 'b', 'c', 'd'), fc.integer({ min: 1, max: 12 }), { minKeys: 1 });

describe('sticky assignors', () => {
  for (const assignor of [new StickyAssignor(), new CooperativeStickyAssignor()] as (
    | StickyAssignor
    | CooperativeStickyAssignor
  )[]) {
    const cooperative = assignor.protocol === 'COOPERATIVE';

    it(`${assignor.name}: balanced to within one partition with equal subscriptions (property)`, () => {
      fc.assert(
        fc.property(topicsArb, fc.integer({ min: 1, max: 7 }), (topics, count) => {
          const ppt = new Map(Object.entries(topics));
          const all = Object.keys(topics);
          const s = subs(...Array.from({ length: count }, (_, i) => member(`m${i}`, all)));
          const result = assignor.assign(ppt, s);
          assertValid(ppt, s, result);
          const sizes = [...result.values()].map((a) => a.partitions.length);
          assert.ok(Math.max(...sizes) - Math.min(...sizes) <= 1, `sizes ${sizes}`);
        }),
        { numRuns: 200 },
      );
    });

    it(`${assignor.name}: valid and balanced as far as subscriptions allow (property)`, () => {
      fc.assert(
        fc.property(
          topicsArb,
          fc.array(fc.subarray(['a', 'b', 'c', 'd'], { minLength: 1 }), { minLength: 1, maxLength: 6 }),
          (topics, subscriptionsList) => {
            const ppt = new Map(Object.entries(topics));
            const s = subs(...subscriptionsList.map((t, i) => member(`m${i}`, t)));
            const result = assignor.assign(ppt, s);
            assertValid(ppt, s, result);
            // No partition could move to an eligible member with two fewer partitions.
            const count = (id: string) => (result.get(id) as MemberAssignment).partitions.length;
            for (const [id, a] of result) {
              for (const tp of a.partitions) {
                for (const [other, sub] of s) {
                  if (other !== id && sub.topics.includes(tp.topic))
                    assert.ok(count(other) + 1 >= count(id), 'unbalanced');
                }
              }
            }
          },
        ),
        { numRuns: 200 },
      );
    });

    it(`${assignor.name}: sticky across generations — a new member takes only its share (property)`, () => {
      fc.assert(
        fc.property(topicsArb, fc.integer({ min: 1, max: 5 }), (topics, count) => {
          const ppt = new Map(Object.entries(topics));
          const all = Object.keys(topics);
          const first = assignor.assign(ppt, subs(...Array.from({ length: count }, (_, i) => member(`m${i}`, all))));
          // Generation 2: everyone reports what it owns; a new member joins.
          const owned = [...first].map(([id, a]) => member(id, all, a.partitions, 1));
          const s2 = subs(...owned, member('new', all));
          const second = assignor.assign(ppt, s2);
          assertValid(ppt, s2, second, !cooperative);
          const total = [...ppt.values()].reduce((a, b) => a + b, 0);
          let moved = 0;
          for (const [id, a] of first) {
            const now = new Set((second.get(id)?.partitions ?? []).map((tp) => tpKey(tp.topic, tp.partition)));
            moved += a.partitions.filter((tp) => !now.has(tpKey(tp.topic, tp.partition))).length;
          }
          // Only what the new member needs moves: floor(total / (count + 1)) partitions.
          assert.equal(moved, Math.floor(total / (count + 1)));
          if (cooperative) {
            // KIP-429: moving partitions are assigned to nobody in this generation.
            assert.equal(second.get('new')?.partitions.length, 0);
          } else assert.equal(second.get('new')?.partitions.length, moved);
        }),
        { numRuns: 200 },
      );
    });

    it(`${assignor.name}: a departed member's partitions are spread over the others, the rest stays`, () => {
      const ppt = new Map([['t', 9]]);
      const first = assignor.assign(ppt, subs(member('a', ['t']), member('b', ['t']), member('c', ['t'])));
      const s2 = subs(
        member('a', ['t'], first.get('a')?.partitions ?? [], 1),
        member('b', ['t'], first.get('b')?.partitions ?? [], 1),
      );
      const second = assignor.assign(ppt, s2);
      assertValid(ppt, s2, second);
      for (const id of ['a', 'b']) {
        const before = first.get(id)?.partitions.map((tp) => tp.partition) ?? [];
        const after = second.get(id)?.partitions.map((tp) => tp.partition) ?? [];
        assert.ok(
          before.every((p) => after.includes(p)),
          `${id} kept its partitions`,
        );
      }
      const sizes = [...second.values()].map((a) => a.partitions.length).sort();
      assert.deepEqual(sizes, [4, 5]);
    });

    it(`${assignor.name}: conflicting claims — the higher generation wins`, () => {
      const ppt = new Map([['t', 2]]);
      const s = subs(
        member('a', ['t'], [{ topic: 't', partition: 0 }], 5),
        member('b', ['t'], [{ topic: 't', partition: 0 }], 4),
      );
      const result = assignor.assign(ppt, s);
      assert.deepEqual(names(result).a, ['t-0']);
    });
  }

  it('cooperative-sticky: the follow-up rebalance completes the transfer', () => {
    const assignor = new CooperativeStickyAssignor();
    const ppt = new Map([['t', 6]]);
    const g1 = assignor.assign(ppt, subs(member('a', ['t'])));
    assert.equal(g1.get('a')?.partitions.length, 6);
    // b joins: a keeps 3, revokes 3; nobody gets the 3 yet.
    const g2 = assignor.assign(
      ppt,
      subs(member('a', ['t'], g1.get('a')?.partitions ?? [], 1), member('b', ['t'], [], -1)),
    );
    assert.equal(g2.get('a')?.partitions.length, 3);
    assert.equal(g2.get('b')?.partitions.length, 0);
    // After a revoked them, the second rebalance gives them to b.
    const g3 = assignor.assign(
      ppt,
      subs(member('a', ['t'], g2.get('a')?.partitions ?? [], 2), member('b', ['t'], [], 2)),
    );
    assert.equal(g3.get('b')?.partitions.length, 3);
    assert.deepEqual(g3.get('a')?.partitions, g2.get('a')?.partitions);
  });
});
