import assert from 'node:assert/strict';
import { existsSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterEach, beforeEach, describe, it } from 'node:test';
import { setTimeout as sleep } from 'node:timers/promises';
import { buildRecordBatch, ErrorCode, iterateRecordBatches, RecordBatchIterator } from '@samsa/protocol';
import { type Log, LogManager, logConfig, SystemTime } from '@samsa/storage';
import { silentLogger } from '../../src/create-logger.js';
import { BufferPool } from '../../src/memory/buffer-pool.js';
import { ReplicaManager } from '../../src/replica/replica-manager.js';
import { ReplicationQuota } from '../../src/replica/replication-quota.js';

const TOPIC = 'moving';
const TOPIC_ID = 'AAAAAAAAAAAAAAAAAAAAAQ';
const REGISTRATION = { partition: 0, replicas: [0], isr: [0], leader: 0, leaderEpoch: 3, partitionEpoch: 0 };
const config = () => logConfig({ segmentBytes: 64 * 1024, fileDeleteDelayMs: 0 });

/** Moves of a partition between log dirs through the replica manager, with real logs on disk. */
describe('AlterReplicaLogDirs: copy and swap', () => {
  let root: string;
  let dirs: string[];
  let logManager: LogManager;
  let replicaManager: ReplicaManager;

  async function start(quota?: ReplicationQuota): Promise<void> {
    logManager = new LogManager({ logDirs: dirs, defaultConfig: config(), time: SystemTime });
    await logManager.startup(config);
    replicaManager = new ReplicaManager({
      brokerId: 0,
      logManager,
      bufferPool: new BufferPool(),
      logger: silentLogger(),
      replicaFetchMaxBytes: 16 * 1024,
      replicaFetchBackoffMs: 20,
      ...(quota === undefined ? {} : { alterLogDirsQuota: quota }),
    });
    await replicaManager.applyRegistration(TOPIC, TOPIC_ID, REGISTRATION, config());
  }

  async function stop(): Promise<void> {
    await replicaManager.shutdown();
    await logManager.shutdown();
  }

  beforeEach(() => {
    root = mkdtempSync(join(tmpdir(), 'samsa-log-dir-move-'));
    dirs = [join(root, 'a'), join(root, 'b')];
  });
  afterEach(() => rmSync(root, { recursive: true, force: true }));

  const partition = () => replicaManager.getPartition(TOPIC, 0) ?? assert.fail('not hosted');
  let sequence = 0;
  /** Appends one batch of 4 records with an idempotent producer's sequence; returns its values. */
  function produce(valueSize = 200): string[] {
    const values = [0, 1, 2, 3].map((i) => `v${sequence}-${i}-${'x'.repeat(valueSize)}`);
    partition().appendRecordsToLeader(
      buildRecordBatch({
        records: values.map((v) => ({ key: null, value: Buffer.from(v) })),
        producerId: 7,
        producerEpoch: 0,
        baseSequence: sequence * 4,
      }),
      'client',
      1,
    );
    sequence++;
    return values;
  }

  async function readAll(log: Log): Promise<{ offset: number; value: string }[]> {
    const out: { offset: number; value: string }[] = [];
    let offset = log.logStartOffset;
    while (offset < log.logEndOffset) {
      const { records } = await log.read(offset, { maxBytes: 1 << 20, minOneMessage: true });
      for (const span of iterateRecordBatches(records, { verifyCrc: true })) {
        for (const r of new RecordBatchIterator(span.bytes, 0, { verifyCrc: false })) {
          if (r.offset < log.logStartOffset) continue;
          out.push({ offset: r.offset, value: (r.value as Buffer).toString() });
        }
        offset = span.header.baseOffset + span.header.lastOffsetDelta + 1;
      }
    }
    return out;
  }

  async function until(check: () => boolean, timeoutMs = 10_000): Promise<void> {
    const deadline = Date.now() + timeoutMs;
    while (!check()) {
      if (Date.now() > deadline) assert.fail('timed out');
      await sleep(5);
    }
  }

  it('answers as Kafka does for unknown dirs, replicas not hosted and a replica already there', async () => {
    await start();
    const here = resolve(logManager.logDirOf(partition().log));
    assert.deepEqual(
      await replicaManager.alterReplicaLogDirs([
        { topic: TOPIC, partition: 0, path: join(root, 'elsewhere') },
        { topic: TOPIC, partition: 0, path: 'b' },
        { topic: TOPIC, partition: 1, path: resolve(dirs[1] as string) },
        { topic: TOPIC, partition: 0, path: here },
      ]),
      [ErrorCode.LOG_DIR_NOT_FOUND, ErrorCode.LOG_DIR_NOT_FOUND, ErrorCode.REPLICA_NOT_AVAILABLE, ErrorCode.NONE],
    );
    assert.equal(logManager.getFutureLog(TOPIC, 0), undefined, 'nothing to move');
    // The replica not hosted yet is created in the dir it was sent to.
    await replicaManager.applyRegistration(TOPIC, TOPIC_ID, { ...REGISTRATION, partition: 1 }, config());
    assert.equal(
      logManager.logDirOf(replicaManager.getPartition(TOPIC, 1)?.log as Log),
      dirs[1],
      'created in its preferred dir',
    );
    logManager.handleLogDirFailure(dirs[1] as string, new Error('disk gone'));
    await sleep(1);
    assert.deepEqual(
      await replicaManager.alterReplicaLogDirs([
        { topic: TOPIC, partition: 0, path: resolve(dirs[1] as string) },
        { topic: TOPIC, partition: 1, path: resolve(dirs[0] as string) },
      ]),
      [ErrorCode.KAFKA_STORAGE_ERROR, ErrorCode.KAFKA_STORAGE_ERROR],
    );
    await stop();
  });

  it('copies the log while writes go on, swaps it in, and carries the state over', async () => {
    await start();
    const source = partition().log;
    const from = logManager.logDirOf(source);
    const to = dirs.find((d) => d !== from) as string;
    const expected: string[] = [];
    for (let i = 0; i < 300; i++) expected.push(...produce());
    source.updateHighWatermark(source.logEndOffset);
    await partition().log.deleteRecordsBefore(6);
    let writing = true;
    const writer = (async () => {
      while (writing) {
        expected.push(...produce());
        partition().log.updateHighWatermark(partition().log.logEndOffset);
        await sleep(1);
      }
    })();
    assert.deepEqual(await replicaManager.alterReplicaLogDirs([{ topic: TOPIC, partition: 0, path: resolve(to) }]), [
      ErrorCode.NONE,
    ]);
    const future = logManager.getFutureLog(TOPIC, 0) as Log;
    assert.match(future.dir, /moving-0\.[0-9a-f]{32}-future$/);
    assert.equal(logManager.logDirOf(future), to);
    // Asking again while it moves changes nothing.
    assert.deepEqual(await replicaManager.alterReplicaLogDirs([{ topic: TOPIC, partition: 0, path: resolve(to) }]), [
      ErrorCode.NONE,
    ]);
    assert.equal(logManager.getFutureLog(TOPIC, 0), future);
    await until(() => partition().log !== source);
    writing = false;
    await writer;
    const moved = partition().log;
    assert.equal(moved, future);
    assert.equal(moved.dir, join(to, 'moving-0'));
    assert.equal(logManager.getLog(TOPIC, 0), moved);
    assert.equal(logManager.getFutureLog(TOPIC, 0), undefined);
    assert.equal(source.isClosed, true);
    // Offsets, log start, high watermark, epochs and the producer moved with it.
    assert.equal(moved.logStartOffset, 6);
    assert.equal(moved.highWatermark, moved.logEndOffset);
    assert.deepEqual(
      moved.leaderEpochCache.entries().map((e) => [e.epoch, e.startOffset]),
      [[3, 6]],
    );
    assert.equal(moved.producerState.lastEntry(7)?.lastSeq, sequence * 4 - 1);
    const read = await readAll(moved);
    assert.deepEqual(
      read.map((r) => r.value),
      expected.slice(6),
    );
    assert.deepEqual(
      read.map((r) => r.offset),
      expected.slice(6).map((_, i) => i + 6),
    );
    // Appends go on in the new dir, and a retry of the last batch is still seen as a duplicate.
    sequence--;
    const duplicate = partition().appendRecordsToLeader(
      buildRecordBatch({
        records: [0, 1, 2, 3].map(() => ({ key: null, value: Buffer.from('again') })),
        producerId: 7,
        producerEpoch: 0,
        baseSequence: sequence * 4,
      }),
      'client',
      1,
    );
    assert.equal(duplicate.duplicate, true);
    sequence++;
    expected.push(...produce());
    await stop();
    await until(() => readdirSync(from).every((n) => !n.startsWith('moving-')));

    // After a restart the partition is where it was moved to, with everything.
    await start();
    assert.equal(logManager.logDirOf(partition().log), to);
    assert.deepEqual(
      (await readAll(partition().log)).map((r) => r.value),
      expected.slice(6),
    );
    await stop();
  });

  it("follows a follower's truncation and its new leader epoch while copying", async () => {
    let bound = 16 * 1024;
    await start(
      new ReplicationQuota({
        brokerId: 0,
        boundBytesPerSec: () => bound,
        throttledReplicas: () => '*',
        numSamples: 11,
        sampleWindowMs: 100,
      }),
    );
    // Broker 0 follows broker 1 in epoch 5.
    await replicaManager.stopReplica(TOPIC, 0, true);
    await replicaManager.applyRegistration(
      TOPIC,
      TOPIC_ID,
      { ...REGISTRATION, replicas: [1, 0], isr: [1, 0], leader: 1, leaderEpoch: 5 },
      config(),
    );
    const follow = (baseOffset: number, epoch: number, tag: string) =>
      partition().appendRecordsAsFollower(
        buildRecordBatch({
          baseOffset,
          partitionLeaderEpoch: epoch,
          records: [0, 1, 2, 3].map((i) => ({
            key: null,
            value: Buffer.from(`${tag}-${baseOffset + i}-${'y'.repeat(500)}`),
          })),
        }),
      );
    for (let offset = 0; offset < 200; offset += 4) follow(offset, 5, 'old');
    const from = logManager.logDirOf(partition().log);
    const to = dirs.find((d) => d !== from) as string;
    await replicaManager.alterReplicaLogDirs([{ topic: TOPIC, partition: 0, path: resolve(to) }]);
    await until(() => (logManager.getFutureLog(TOPIC, 0)?.logEndOffset ?? 0) > 24);
    const copied = logManager.getFutureLog(TOPIC, 0)?.logEndOffset ?? 0;
    assert.ok(copied < 200, `still copying (${copied})`);
    // A new leader (epoch 6) had only up to offset 20: the follower truncates and follows it.
    partition().log.truncateTo(20);
    for (let offset = 20; offset < 120; offset += 4) follow(offset, 6, 'new');
    bound = Number.MAX_SAFE_INTEGER;
    await until(() => logManager.logDirOf(partition().log) === to);
    const moved = partition().log;
    assert.deepEqual(
      moved.leaderEpochCache.entries().map((e) => [e.epoch, e.startOffset]),
      [
        [5, 0],
        [6, 20],
      ],
    );
    const values = (await readAll(moved)).map((r) => r.value.slice(0, r.value.indexOf('-y')));
    assert.deepEqual(values, [
      ...Array.from({ length: 20 }, (_, i) => `old-${i}`),
      ...Array.from({ length: 100 }, (_, i) => `new-${20 + i}`),
    ]);
    await stop();
  });

  it('resumes a move after a restart, and cancels one sent back to the current dir', async () => {
    // 8 KB/s with windows of 100 ms: the copy takes seconds, so it is still under way at the restart.
    const quota = () =>
      new ReplicationQuota({
        brokerId: 0,
        boundBytesPerSec: () => 8 * 1024,
        throttledReplicas: () => '*',
        numSamples: 11,
        sampleWindowMs: 100,
      });
    await start(quota());
    const from = logManager.logDirOf(partition().log);
    const to = dirs.find((d) => d !== from) as string;
    const expected: string[] = [];
    for (let i = 0; i < 100; i++) expected.push(...produce());
    const startMs = Date.now();
    await replicaManager.alterReplicaLogDirs([{ topic: TOPIC, partition: 0, path: resolve(to) }]);
    await until(() => (logManager.getFutureLog(TOPIC, 0)?.logEndOffset ?? 0) > 0);
    await sleep(300);
    const copied = logManager.getFutureLog(TOPIC, 0)?.logEndOffset ?? 0;
    assert.ok(copied < partition().log.logEndOffset, `throttled: ${copied} copied after ${Date.now() - startMs} ms`);
    await stop();
    assert.ok(
      readdirSync(to).some((n) => n.endsWith('-future')),
      'the future log stays on disk',
    );

    await start();
    assert.equal(logManager.logDirOf(partition().log), from, 'the current log still serves');
    assert.ok((logManager.getFutureLog(TOPIC, 0)?.logEndOffset ?? 0) >= copied, 'the copy resumes where it was');
    await until(() => logManager.logDirOf(partition().log) === to);
    assert.deepEqual(
      (await readAll(partition().log)).map((r) => r.value),
      expected,
    );
    // Moving it back and then cancelling (naming the current dir) drops the future.
    await stop();
    await start(quota());
    for (let i = 0; i < 100; i++) expected.push(...produce());
    await replicaManager.alterReplicaLogDirs([{ topic: TOPIC, partition: 0, path: resolve(from) }]);
    assert.ok(logManager.getFutureLog(TOPIC, 0) !== undefined);
    assert.deepEqual(await replicaManager.alterReplicaLogDirs([{ topic: TOPIC, partition: 0, path: resolve(to) }]), [
      ErrorCode.NONE,
    ]);
    assert.equal(logManager.getFutureLog(TOPIC, 0), undefined);
    await stop();
    await until(() => readdirSync(from).every((n) => !n.startsWith('moving-')));
    assert.equal(existsSync(join(to, 'moving-0')), true);
  });
});
