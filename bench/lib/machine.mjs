/**
 * What the machine can do, measured in the same run as the brokers: loopback TCP bandwidth
 * (iperf3, or a Node socket pair without it), sequential write bandwidth of the data dir's disk
 * (through the page cache, and made durable with fdatasync), and fdatasync latency.
 */
import { spawn, spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import { connect, createServer } from 'node:net';
import { cpus, loadavg, totalmem } from 'node:os';
import { join } from 'node:path';
import { percentile } from './stats.mjs';

export function machineInfo(dataDir) {
  const cpu = cpus();
  const df = spawnSync('df', ['-T', dataDir], { encoding: 'utf8' }).stdout.trim().split('\n').pop() ?? '';
  const [device, fsType] = df.split(/\s+/);
  return {
    cpuModel: cpu[0]?.model ?? 'unknown',
    cores: cpu.length,
    memoryGiB: Math.round(totalmem() / 2 ** 30),
    kernel: spawnSync('uname', ['-r'], { encoding: 'utf8' }).stdout.trim(),
    node: process.version,
    dataDir,
    disk: `${device} (${fsType})`,
  };
}

export function load() {
  return loadavg().map((v) => Number(v.toFixed(2)));
}

/** Loopback TCP bandwidth in bytes/s: iperf3 (one stream) or a Node socket pair. */
export async function loopbackBandwidth(seconds, hasIperf3) {
  if (hasIperf3) {
    const port = 15201 + Math.floor(Math.random() * 1000);
    const server = spawn('iperf3', ['-s', '-1', '-B', '127.0.0.1', '-p', String(port)], { stdio: 'ignore' });
    try {
      await new Promise((r) => setTimeout(r, 300));
      const r = spawnSync('iperf3', ['-c', '127.0.0.1', '-p', String(port), '-t', String(seconds), '-J'], {
        encoding: 'utf8',
        timeout: (seconds + 10) * 1000,
      });
      const json = JSON.parse(r.stdout);
      return { tool: 'iperf3 (1 stream)', bytesPerSec: json.end.sum_received.bits_per_second / 8 };
    } catch {
      // fall through to the Node pair
    } finally {
      server.kill();
    }
  }
  return { tool: 'node socket pair', bytesPerSec: await nodeSocketPair(seconds) };
}

async function nodeSocketPair(seconds) {
  const chunk = Buffer.alloc(1 << 20, 7);
  let received = 0;
  const server = createServer((s) => s.on('data', (d) => (received += d.length)));
  await new Promise((r) => server.listen(0, '127.0.0.1', r));
  const client = connect(server.address().port, '127.0.0.1');
  await new Promise((r) => client.once('connect', r));
  const start = process.hrtime.bigint();
  const deadline = Date.now() + seconds * 1000;
  await new Promise((resolve) => {
    const pump = () => {
      while (Date.now() < deadline) if (!client.write(chunk)) return client.once('drain', pump);
      client.end(resolve);
    };
    pump();
  });
  const elapsed = Number(process.hrtime.bigint() - start) / 1e9;
  server.close();
  return received / elapsed;
}

/**
 * Sequential writes of 1 MiB blocks to a new file in the data dir's file system:
 * - cold: after `settleMs` without large frees, the page cache grows into memory the VM has not
 *   touched recently. On a VM whose balloon reports free pages to the host (this one), every new
 *   page then costs a fault into the hypervisor: a broker writing new data pays this.
 * - warm: the same again right after deleting the first file, so the pages just freed are reused.
 * - durable: the warm writes followed by fdatasync, counted until the sync returns.
 */
export async function diskWrite(dir, totalBytes, settleMs) {
  await new Promise((r) => setTimeout(r, settleMs));
  const block = Buffer.alloc(1 << 20, 0x5a);
  const pass = (name, sync) => {
    const path = join(dir, name);
    const fd = fs.openSync(path, 'w');
    try {
      const t0 = process.hrtime.bigint();
      for (let written = 0; written < totalBytes; written += block.length) fs.writeSync(fd, block);
      const t1 = process.hrtime.bigint();
      if (sync) fs.fdatasyncSync(fd);
      const t2 = process.hrtime.bigint();
      return { write: totalBytes / (Number(t1 - t0) / 1e9), durable: totalBytes / (Number(t2 - t0) / 1e9) };
    } finally {
      fs.closeSync(fd);
      fs.rmSync(path, { force: true });
    }
  };
  const cold = pass('disk-probe-cold.bin', false);
  const warm = pass('disk-probe-warm.bin', true);
  return {
    pageCacheColdBytesPerSec: cold.write,
    pageCacheBytesPerSec: warm.write,
    durableBytesPerSec: warm.durable,
  };
}

/** fdatasync latency after appending `blockBytes` (µs), as a log does for each group commit. */
export function fdatasyncLatency(dir, iterations, blockBytes) {
  const path = join(dir, 'fsync-probe.bin');
  const block = Buffer.alloc(blockBytes, 0x5a);
  const fd = fs.openSync(path, 'w');
  const us = [];
  try {
    for (let i = 0; i < iterations; i++) {
      fs.writeSync(fd, block);
      const t0 = process.hrtime.bigint();
      fs.fdatasyncSync(fd);
      us.push(Number(process.hrtime.bigint() - t0) / 1e3);
    }
  } finally {
    fs.closeSync(fd);
    fs.rmSync(path, { force: true });
  }
  us.sort((a, b) => a - b);
  return { blockBytes, iterations, p50Us: percentile(us, 50), p99Us: percentile(us, 99), maxUs: us[us.length - 1] };
}
