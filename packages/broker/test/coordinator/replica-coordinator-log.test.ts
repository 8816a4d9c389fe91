/**
 * ReplicaCoordinatorLog over a real partition log: transactional appends (the producer's epoch is
 * fenced by the log's producer state) and loading, which reports each record's batch producer and
 * transactional flag and yields transaction markers.
 */
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, test } from 'node:test';
import { buildEndTransactionMarkerBatch, ControlRecordType, ErrorCode, KafkaError } from '@samsa/protocol';
import { Log, logConfig, SystemTime } from '@samsa/storage';
import type { CoordinatorLogEntry } from '../../src/coordinator/coordinator-log.js';
import { ReplicaCoordinatorLog } from '../../src/coordinator/replica-coordinator-log.js';
import type { ReplicaManager } from '../../src/replica/replica-manager.js';

const TOPIC = '__consumer_offsets';

/** What ReplicaCoordinatorLog uses of a leader partition, over a real log; replication is immediate. */
function leaderOf(log: Log) {
  return {
    name: `${TOPIC}-0`,
    isLeader: true,
    log,
    appendRecordsToLeader: (records: Buffer, origin: 'coordinator') => log.appendAsLeader(records, 0, origin),
    awaitDurable: async () => undefined,
    awaitReplication: async () => ErrorCode.NONE,
  };
}

function marker(producerId: number, producerEpoch: number, type: 0 | 1): Buffer {
  return buildEndTransactionMarkerBatch({
    marker: { type: type === 1 ? ControlRecordType.COMMIT : ControlRecordType.ABORT, coordinatorEpoch: 3 },
    producerId,
    producerEpoch,
  });
}

const record = (key: string, value: string | null) => ({
  key: Buffer.from(key),
  value: value === null ? null : Buffer.from(value),
});

describe('ReplicaCoordinatorLog', () => {
  let dir: string;
  let log: Log;
  let coordinatorLog: ReplicaCoordinatorLog;

  beforeEach(async () => {
    dir = mkdtempSync(join(tmpdir(), 'coordinator-log-'));
    log = await Log.open({
      dir: join(dir, `${TOPIC}-0`),
      topic: TOPIC,
      partition: 0,
      config: logConfig({ fileDeleteDelayMs: 0 }),
      time: SystemTime,
      hadCleanShutdown: false,
    });
    const partition = leaderOf(log);
    const replicaManager = { getPartition: () => partition } as unknown as ReplicaManager;
    coordinatorLog = new ReplicaCoordinatorLog(TOPIC, replicaManager);
  });

  afterEach(async () => {
    await log.close();
    rmSync(dir, { recursive: true, force: true });
  });

  test('transactional appends, markers, and loading them back', async () => {
    await coordinatorLog.append(0, [record('a', '1')]);
    await coordinatorLog.append(0, [record('b', '2'), record('c', null)], { producerId: 7, producerEpoch: 2 });
    log.appendAsLeader(marker(7, 2, 1), 0, 'coordinator');
    // The producer's next transaction: a new batch at sequence 0 again is accepted from the coordinator.
    await coordinatorLog.append(0, [record('d', '3')], { producerId: 7, producerEpoch: 2 });
    log.appendAsLeader(marker(7, 3, 0), 0, 'coordinator'); // aborted with a bumped epoch

    const entries: CoordinatorLogEntry[] = [];
    for await (const entry of coordinatorLog.readAll(0)) entries.push(entry);
    const view = entries.map((e) =>
      e.type === 'marker'
        ? [e.offset, 'marker', e.producerId, e.producerEpoch, e.result, e.coordinatorEpoch]
        : [e.offset, e.key.toString(), e.value?.toString() ?? null, e.producerId, e.producerEpoch, e.transactional],
    );
    assert.deepEqual(view, [
      [0, 'a', '1', -1, -1, false],
      [1, 'b', '2', 7, 2, true],
      [2, 'c', null, 7, 2, true],
      [3, 'marker', 7, 2, 'COMMIT', 3],
      [4, 'd', '3', 7, 2, true],
      [5, 'marker', 7, 3, 'ABORT', 3],
    ]);

    // The abort bumped the epoch: the old one is fenced by the log.
    await assert.rejects(
      coordinatorLog.append(0, [record('e', '4')], { producerId: 7, producerEpoch: 2 }),
      (error: unknown) => error instanceof KafkaError && error.errorCode === ErrorCode.INVALID_PRODUCER_EPOCH,
    );
    await coordinatorLog.append(0, [record('e', '4')], { producerId: 7, producerEpoch: 3 });
  });
});
