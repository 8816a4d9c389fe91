/**
 * The harness itself: a cluster that fails to start leaves no broker behind. An orphan keeps its
 * stdio pipes open to the runner, which then never exits (CI once hung 8 minutes on two of them).
 */
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { KafkaCluster } from '@samsa/testkit';

/** Command lines of running processes that mention `path` (brokers name their config file). */
function processesUsing(path: string): string[] {
  const lines = execFileSync('ps', ['-eo', 'args='], { encoding: 'utf8' }).split('\n');
  return lines.filter((line) => line.includes(path) && !line.startsWith('ps '));
}

test('a broker that fails at startup takes its starting peers down with it', async () => {
  const parentDir = mkdtempSync(join(tmpdir(), 'samsa-cleanup-'));
  try {
    // Broker 2 stops at once on a malformed config; brokers 0 and 1 are still starting then.
    await assert.rejects(
      KafkaCluster.start({ brokers: 3, parentDir, brokerProperties: { 2: { 'num.partitions': 'many' } } }),
      /num\.partitions/,
    );
    assert.deepEqual(processesUsing(parentDir), []);
  } finally {
    rmSync(parentDir, { recursive: true, force: true });
  }
});
