import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { Admin } from '@samsa/client';
import { BrokerProcess } from '@samsa/testkit';
import { type StandaloneWorker, startStandalone } from '../src/connect-standalone.js';
import { offsetsScenario } from './support/offsets-scenario.js';
import { waitFor } from './support/worker-process.js';

// KIP-875's offsets REST API on a standalone worker (offsets in its file) with a real broker.

let broker: BrokerProcess;
let worker: StandaloneWorker;
let dir: string;

before(async () => {
  broker = await BrokerProcess.start({ properties: { 'num.partitions': 1 } });
  dir = mkdtempSync(join(tmpdir(), 'samsa-connect-offsets-'));
  writeFileSync(
    join(dir, 'worker.properties'),
    [
      `bootstrap.servers=${broker.bootstrap}`,
      'key.converter=org.apache.kafka.connect.storage.StringConverter',
      'value.converter=org.apache.kafka.connect.storage.StringConverter',
      `offset.storage.file.filename=${join(dir, 'offsets')}`,
      'offset.flush.interval.ms=300',
      'listeners=http://127.0.0.1:0',
    ].join('\n'),
  );
  worker = await startStandalone(join(dir, 'worker.properties'), []);
});

after(async () => {
  await worker?.stop();
  await broker?.close();
  if (dir !== undefined) rmSync(dir, { recursive: true, force: true });
});

describe('KIP-875 offsets, standalone', () => {
  const url = () => `http://127.0.0.1:${worker.rest.port}`;
  offsetsScenario({ dir: () => dir, readUrl: url, writeUrl: url, topic: 'offsets-standalone' });

  test('a sink with consumer.override.group.id: its offsets are those of that group', async () => {
    const created = await fetch(`${url()}/connectors`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({
        name: 'override-sink',
        config: {
          'connector.class': 'FileStreamSink',
          file: join(dir, 'override.txt'),
          topics: 'offsets-standalone',
          'consumer.override.group.id': 'custom-group',
        },
      }),
    });
    assert.equal(created.status, 201);
    const admin = new Admin({ 'bootstrap.servers': broker.bootstrap });
    try {
      let committed: { topic: string; partition: number; offset: bigint }[] = [];
      await waitFor('custom-group to commit every record', async () => {
        committed = await admin.listConsumerGroupOffsets('custom-group');
        return committed[0]?.offset === 13n;
      });
      const reply = await (await fetch(`${url()}/connectors/override-sink/offsets`)).json();
      assert.deepEqual(reply, {
        offsets: [
          { partition: { kafka_topic: 'offsets-standalone', kafka_partition: 0 }, offset: { kafka_offset: 13 } },
        ],
      });
      assert.deepEqual(await admin.listConsumerGroupOffsets('connect-override-sink'), []);
    } finally {
      await admin.close();
    }
  });
});
