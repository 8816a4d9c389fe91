import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { ErrorCode, KafkaError } from '@samsa/protocol';
import { assignReplicas, rackAlternatedBrokerList } from '../../src/controller/replica-assignment.js';

const brokers = (ids: readonly number[], racks?: Readonly<Record<number, string>>) =>
  ids.map((brokerId) => ({ brokerId, rack: racks?.[brokerId] ?? null }));

describe("replica assignment (Kafka's AdminUtils)", () => {
  test('rack-unaware: the placement Kafka computes for brokers 0-4, 10 partitions, RF 3, start index 0', () => {
    assert.deepEqual(assignReplicas(10, 3, brokers([0, 1, 2, 3, 4]), { fixedStartIndex: 0 }), [
      [0, 1, 2],
      [1, 2, 3],
      [2, 3, 4],
      [3, 4, 0],
      [4, 0, 1],
      [0, 2, 3],
      [1, 3, 4],
      [2, 4, 0],
      [3, 0, 1],
      [4, 1, 2],
    ]);
  });

  test("rack-aware: brokers listed alternating racks, and the placement of Kafka's AdminRackAwareTest", () => {
    const racks = { 0: 'rack1', 1: 'rack3', 2: 'rack3', 3: 'rack2', 4: 'rack2', 5: 'rack1' };
    assert.deepEqual(
      rackAlternatedBrokerList(new Map(Object.entries(racks).map(([k, v]) => [Number(k), v]))),
      [0, 3, 1, 5, 4, 2],
    );
    const withoutFive = Object.entries(racks).filter(([k]) => k !== '5');
    assert.deepEqual(rackAlternatedBrokerList(new Map(withoutFive.map(([k, v]) => [Number(k), v]))), [0, 3, 1, 4, 2]);
    assert.deepEqual(
      assignReplicas(7, 3, brokers([0, 1, 2, 3, 4, 5], racks), { fixedStartIndex: 0, startPartitionId: 0 }),
      [
        [0, 3, 1],
        [3, 1, 5],
        [1, 5, 4],
        [5, 4, 2],
        [4, 2, 0],
        [2, 0, 3],
        [0, 4, 2],
      ],
    );
  });

  test('rack-aware placement puts each partition on as many racks as it can', () => {
    const racks = { 0: 'a', 1: 'a', 2: 'b', 3: 'b', 4: 'c', 5: 'c' };
    for (const replicas of assignReplicas(30, 3, brokers([0, 1, 2, 3, 4, 5], racks))) {
      assert.equal(new Set(replicas.map((r) => racks[r as keyof typeof racks])).size, 3, `replicas ${replicas}`);
      assert.equal(new Set(replicas).size, 3);
    }
  });

  test('every broker leads its share and no partition has a broker twice', () => {
    const assignment = assignReplicas(12, 3, brokers([0, 1, 2]));
    const leaders = assignment.map((r) => r[0]);
    for (const id of [0, 1, 2]) assert.equal(leaders.filter((l) => l === id).length, 4);
    for (const r of assignment) assert.equal(new Set(r).size, 3);
  });

  test('a replication factor above the live brokers is INVALID_REPLICATION_FACTOR', () => {
    assert.throws(
      () => assignReplicas(1, 3, brokers([0, 1])),
      (err: unknown) => err instanceof KafkaError && err.errorCode === ErrorCode.INVALID_REPLICATION_FACTOR,
    );
  });
});
