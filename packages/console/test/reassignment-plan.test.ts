import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { HttpError } from '../src/http-error.js';
import { generatePlan, parseReassignmentJson } from '../src/reassignment-plan.js';

const layout = (topic: string, partitions: number, rf: number) => ({
  topic,
  partitions: Array.from({ length: partitions }, () => Array.from({ length: rf }, (_, i) => i)),
});

describe('reassignment plan', () => {
  test('spreads leaders and replicas evenly over the chosen brokers, in Kafka JSON', () => {
    const plan = generatePlan(
      [layout('t', 6, 2)],
      [
        { id: 3, rack: null },
        { id: 1, rack: null },
        { id: 2, rack: null },
      ],
      false,
    );
    assert.equal(plan.version, 1);
    assert.deepEqual(
      plan.partitions.map((p) => p.replicas),
      [
        [1, 2],
        [2, 3],
        [3, 1],
        [1, 3],
        [2, 1],
        [3, 2],
      ],
    );
    assert.deepEqual(plan.partitions[0], { topic: 't', partition: 0, replicas: [1, 2], log_dirs: ['any', 'any'] });
    const leaders = plan.partitions.map((p) => p.replicas[0]);
    for (const id of [1, 2, 3]) assert.equal(leaders.filter((l) => l === id).length, 2);
  });

  test('rack-aware: no two replicas of a partition share a rack while another rack is free', () => {
    const brokers = [
      { id: 0, rack: 'a' },
      { id: 1, rack: 'a' },
      { id: 2, rack: 'b' },
      { id: 3, rack: 'b' },
    ];
    const plan = generatePlan([layout('t', 8, 2)], brokers, true);
    const rackOf = (id: number) => brokers.find((b) => b.id === id)?.rack;
    for (const p of plan.partitions) assert.notEqual(rackOf(p.replicas[0] as number), rackOf(p.replicas[1] as number));
  });

  test('refuses a replication factor above the broker count, and racks missing', () => {
    assert.throws(() => generatePlan([layout('t', 1, 3)], [{ id: 0, rack: null }], false), HttpError);
    assert.throws(() => generatePlan([layout('t', 1, 1)], [{ id: 0, rack: null }], true), /rack/);
  });

  test('parses reassignment JSON and rejects bad entries', () => {
    const ok = parseReassignmentJson({ version: 1, partitions: [{ topic: 't', partition: 0, replicas: [1, 2] }] });
    assert.deepEqual(ok, [{ topic: 't', partition: 0, replicas: [1, 2], log_dirs: ['any', 'any'] }]);
    for (const bad of [
      {},
      { version: 2, partitions: [] },
      { version: 1, partitions: [] },
      { version: 1, partitions: [{ topic: 't', partition: 0, replicas: [1, 1] }] },
      { version: 1, partitions: [{ topic: 't', partition: -1, replicas: [1] }] },
      { version: 1, partitions: [{ topic: 'a b', partition: 0, replicas: [1] }] },
      {
        version: 1,
        partitions: [
          { topic: 't', partition: 0, replicas: [1] },
          { topic: 't', partition: 0, replicas: [2] },
        ],
      },
    ]) {
      assert.throws(() => parseReassignmentJson(bad), HttpError, JSON.stringify(bad));
    }
  });
});
