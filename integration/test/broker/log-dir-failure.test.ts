/**
 * A full disk (a small tmpfs filled to the brim) under a single broker, as Kafka handles a failed
 * log dir: the produce that hits it gets KAFKA_STORAGE_ERROR, an ERROR names the directory and the
 * cause, that directory's partitions go offline while the other directories keep serving, and the
 * broker stops when no directory is left. After a restart with space back, every acknowledged
 * record is there, once.
 */
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { Admin, type KafkaError, Producer } from '@samsa/client';
import { BrokerProcess, Tmpfs } from '@samsa/testkit';
import { type AckedRecord, assertNoLossNoDuplicates, readAllPartitions } from '../cluster/fault-support.js';

const MiB = 1024 * 1024;
const PADDING = 'x'.repeat(1000);

/** Sends 1 KiB records to one partition, one batch at a time, until the broker refuses one. */
async function produceUntilRefused(
  bootstrap: string,
  topic: string,
  partition: number,
  maxRecords: number,
): Promise<{ acked: AckedRecord[]; error: KafkaError | undefined }> {
  const producer = new Producer<string, string>({
    'bootstrap.servers': bootstrap,
    valueSerializer: 'string',
    acks: 'all',
    retries: 0,
    'enable.idempotence': false,
    'linger.ms': 0,
    'request.timeout.ms': 5000,
    'delivery.timeout.ms': 10000,
  });
  const acked: AckedRecord[] = [];
  let error: KafkaError | undefined;
  try {
    for (let i = 0; i < maxRecords && error === undefined; i += 20) {
      const sends = Array.from({ length: 20 }, (_, j) => {
        // `prefix-sequence`, the form the checker reads the producer order from.
        const value = `${PADDING}${topic}.${partition}-${i + j}`;
        return producer.send({ topic, partition, value }).then(
          (meta) => acked.push({ partition: meta.partition, offset: Number(meta.offset), value }),
          (err: KafkaError) => {
            error ??= err;
          },
        );
      });
      await Promise.all(sends);
    }
  } finally {
    await producer.close().catch(() => undefined);
  }
  return { acked, error };
}

async function withTimeout<T>(promise: Promise<T>, ms: number, what: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`timed out after ${ms} ms waiting for ${what}`)), ms);
  });
  try {
    return await Promise.race([promise, timeout]);
  } finally {
    clearTimeout(timer);
  }
}

describe('log dir failure on a full disk (single broker, tmpfs)', () => {
  const mounts: Tmpfs[] = [];
  const dirs: string[] = [];
  const brokers: BrokerProcess[] = [];

  before(() => {
    // Fails here, with the reason, where tmpfs cannot be mounted.
    mounts.push(Tmpfs.mount(8 * MiB));
    mounts[0]?.unmount();
    mounts.length = 0;
  });

  after(async () => {
    for (const b of brokers) await b.kill();
    for (const m of mounts) m.unmount();
    for (const d of dirs) rmSync(d, { recursive: true, force: true });
  });

  function scratch(): string {
    const dir = mkdtempSync(join(tmpdir(), 'samsa-ldf-'));
    dirs.push(dir);
    return dir;
  }

  async function start(dataDir: string, logDirs: string, extra: Record<string, string | number> = {}) {
    const broker = await BrokerProcess.start({
      dataDir,
      properties: { 'log.dirs': logDirs, 'log.segment.bytes': MiB, ...extra },
    });
    brokers.push(broker);
    return broker;
  }

  test('the only log dir fills up: KAFKA_STORAGE_ERROR, an ERROR naming it, the broker stops; restarted with space, nothing acknowledged is lost', async () => {
    const disk = Tmpfs.mount(8 * MiB);
    mounts.push(disk);
    const logDir = join(disk.dir, 'logs');
    const dataDir = scratch();
    const broker = await start(dataDir, logDir);
    const bootstrap = `127.0.0.1:${broker.port}`;
    const admin = new Admin({ 'bootstrap.servers': bootstrap });
    await admin.createTopics([{ name: 'full', numPartitions: 1, replicationFactor: 1 }]);
    await admin.close();
    disk.fill(2 * MiB);

    const { acked, error } = await produceUntilRefused(bootstrap, 'full', 0, 20_000);
    assert.ok(acked.length > 500, `${acked.length} records acknowledged before the disk filled`);
    assert.equal(error?.errorName, 'KAFKA_STORAGE_ERROR', `the refusal: ${error?.message}`);
    const code = await withTimeout(broker.whenExited(), 20_000, 'the broker to stop');
    assert.equal(code, 1);
    const logs = broker.logs;
    assert.match(
      logs,
      new RegExp(`ERROR .*${logDir}.*(ENOSPC|no space left)`, 'i'),
      'an ERROR names the dir and the cause',
    );
    assert.match(logs, /Shutdown broker because all log dirs in .* have failed/);

    disk.unfill();
    const restarted = await start(dataDir, logDir);
    const stored = await readAllPartitions(`127.0.0.1:${restarted.port}`, 'full', 1);
    assertNoLossNoDuplicates(acked, stored);
    await restarted.stop();
  });

  test('one of two log dirs fills up: only its partitions go offline, the other dir keeps serving, DescribeLogDirs reports it', async () => {
    const disk = Tmpfs.mount(8 * MiB);
    mounts.push(disk);
    const fullDir = join(disk.dir, 'logs');
    const dataDir = scratch();
    const healthyDir = join(dataDir, 'logs-b');
    mkdirSync(healthyDir, { recursive: true });
    const broker = await start(dataDir, `${fullDir},${healthyDir}`);
    const bootstrap = `127.0.0.1:${broker.port}`;
    const admin = new Admin({ 'bootstrap.servers': bootstrap });
    try {
      await admin.createTopics([{ name: 'spread', numPartitions: 2, replicationFactor: 1 }]);
      const [before] = await admin.describeLogDirs([0]).then((all) => all.filter((d) => d.logDir === fullDir));
      const onFull = before?.partitions.find((p) => p.topic === 'spread')?.partition;
      assert.ok(onFull !== undefined, 'one partition of spread is in the tmpfs dir');
      const onHealthy = 1 - onFull;
      disk.fill(MiB);

      const full = await produceUntilRefused(bootstrap, 'spread', onFull, 20_000);
      assert.equal(full.error?.errorName, 'KAFKA_STORAGE_ERROR');
      // The failed dir's partition stays offline; the other one is served.
      const again = await produceUntilRefused(bootstrap, 'spread', onFull, 20);
      assert.equal(again.acked.length, 0);
      assert.equal(again.error?.errorName, 'KAFKA_STORAGE_ERROR');
      const healthy = await produceUntilRefused(bootstrap, 'spread', onHealthy, 200);
      assert.equal(healthy.error, undefined);
      assert.equal(healthy.acked.length, 200);
      assert.equal(broker.alive, true);

      const described = await admin.describeLogDirs([0]);
      const failed = described.find((d) => d.logDir === fullDir);
      assert.equal(failed?.errorCode, 56, 'KAFKA_STORAGE_ERROR for the failed dir');
      assert.deepEqual(failed?.partitions, []);
      const serving = described.find((d) => d.logDir === healthyDir);
      assert.equal(serving?.errorCode, 0);
      assert.ok(serving?.partitions.some((p) => p.topic === 'spread' && p.partition === onHealthy));
      assert.match(broker.logs, new RegExp(`ERROR .*Stopped serving logs in dir ${fullDir}`));

      await admin.close();
      await broker.stop();
      disk.unfill();
      const restarted = await start(dataDir, `${fullDir},${healthyDir}`);
      const stored = await readAllPartitions(`127.0.0.1:${restarted.port}`, 'spread', 2);
      assertNoLossNoDuplicates([...full.acked, ...healthy.acked], stored);
      await restarted.stop();
    } finally {
      await admin.close().catch(() => undefined);
    }
  });
});
