import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { Admin } from '@samsa/client';
import { BrokerProcess } from '@samsa/testkit';
import { CONNECT_DISTRIBUTED_SH, REPO_ROOT, runToExit } from '../support/worker-process.js';

// Existing internal topics a worker must refuse, with Kafka's messages, and the exit code 1 of
// bin/connect-distributed.sh; a bad worker file fails the same way.

let broker: BrokerProcess;
let dir: string;

before(async () => {
  broker = await BrokerProcess.start({ properties: { 'num.partitions': 1 } });
  dir = mkdtempSync(join(tmpdir(), 'samsa-connect-topics-'));
  const admin = new Admin({ 'bootstrap.servers': broker.bootstrap });
  await admin.createTopics([
    { name: 'configs-2', numPartitions: 2, replicationFactor: 1, configs: { 'cleanup.policy': 'compact' } },
    { name: 'offsets-delete', numPartitions: 1, replicationFactor: 1, configs: { 'cleanup.policy': 'delete' } },
  ]);
  await admin.close();
});

after(async () => {
  await broker?.close();
  if (dir !== undefined) rmSync(dir, { recursive: true, force: true });
});

function workerFile(name: string, extra: Record<string, string>): string {
  const shipped = readFileSync(join(REPO_ROOT, 'config/connect-distributed.properties'), 'utf8');
  const lines = Object.entries({ listeners: 'http://127.0.0.1:0', ...extra }).map(([k, v]) => `${k}=${v}`);
  const path = join(dir, `${name}.properties`);
  writeFileSync(
    path,
    shipped
      .replace('bootstrap.servers=localhost:9092', `bootstrap.servers=${broker.bootstrap}`)
      .concat(`\n${lines.join('\n')}\n`),
  );
  return path;
}

test('a config topic with two partitions is refused', async () => {
  const { code, output } = await runToExit(
    dir,
    [workerFile('two', { 'config.storage.topic': 'configs-2' })],
    CONNECT_DISTRIBUTED_SH,
  );
  assert.equal(code, 1, output);
  assert.match(
    output,
    /Topic 'configs-2' supplied via the 'config.storage.topic' property is required to have a single partition in order to guarantee consistency of connector configurations, but found 2 partitions\./,
  );
});

test('an offset topic that is not compacted is refused', async () => {
  const { code, output } = await runToExit(
    dir,
    [workerFile('delete', { 'offset.storage.topic': 'offsets-delete', 'config.storage.topic': 'configs-ok' })],
    CONNECT_DISTRIBUTED_SH,
  );
  assert.equal(code, 1, output);
  assert.match(
    output,
    /Topic 'offsets-delete' supplied via the 'offset.storage.topic' property is required to have 'cleanup.policy=compact' to guarantee consistency and durability of source connector offsets, but found the topic currently has 'cleanup.policy=delete'\./,
  );
});

test('a worker file without group.id stops startup with the key in the message', async () => {
  const path = join(dir, 'no-group.properties');
  writeFileSync(path, readFileSync(workerFile('base', {}), 'utf8').replace(/^group\.id=.*$/m, ''));
  const { code, output } = await runToExit(dir, [path], CONNECT_DISTRIBUTED_SH);
  assert.equal(code, 1);
  assert.match(
    output,
    /connect: stopping after startup failed: Missing required configuration "group.id" which has no default value\./,
  );
});
