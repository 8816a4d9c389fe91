import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import {
  controlledShutdownLeaderElection,
  initialLeaderAndIsr,
  offlinePartitionLeaderElection,
  preferredReplicaLeaderElection,
} from '../../src/controller/zk/partition-leader-election.js';

const liveOf =
  (...ids: number[]) =>
  (id: number) =>
    ids.includes(id);

describe('partition leader elections', () => {
  test('offline: the first live ISR member in assignment order; the ISR keeps its live members', () => {
    assert.deepEqual(offlinePartitionLeaderElection([0, 1, 2], [0, 2, 1], liveOf(1, 2), false), {
      leader: 1,
      isr: [2, 1],
    });
  });

  test('offline with no live ISR member: none, unless unclean election is allowed', () => {
    assert.equal(offlinePartitionLeaderElection([0, 1, 2], [0], liveOf(1, 2), false), undefined);
    assert.deepEqual(offlinePartitionLeaderElection([0, 1, 2], [0], liveOf(2, 1), true), { leader: 1, isr: [1] });
    assert.equal(offlinePartitionLeaderElection([0, 1, 2], [0], liveOf(), true), undefined);
  });

  test('preferred: only the first replica, and only when live and in sync', () => {
    assert.deepEqual(preferredReplicaLeaderElection([2, 0, 1], [0, 1, 2], liveOf(0, 1, 2)), {
      leader: 2,
      isr: [0, 1, 2],
    });
    assert.equal(preferredReplicaLeaderElection([2, 0, 1], [0, 1], liveOf(0, 1, 2)), undefined);
    assert.equal(preferredReplicaLeaderElection([2, 0, 1], [0, 1, 2], liveOf(0, 1)), undefined);
  });

  test('controlled shutdown: the leader moves to another ISR member and the leaving brokers leave the ISR', () => {
    assert.deepEqual(controlledShutdownLeaderElection([0, 1, 2], [0, 1, 2], liveOf(0, 1, 2), new Set([0])), {
      leader: 1,
      isr: [1, 2],
    });
    assert.equal(controlledShutdownLeaderElection([0, 1], [0], liveOf(0, 1), new Set([0])), undefined);
  });

  test('a new partition: the first live replica leads, all live replicas are in sync', () => {
    assert.deepEqual(initialLeaderAndIsr([2, 0, 1], liveOf(0, 1)), { leader: 0, isr: [0, 1] });
    assert.equal(initialLeaderAndIsr([2], liveOf(0)), undefined);
  });
});
