import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe } from 'node:test';
import { BrokerProcess } from '@samsa/testkit';
import { type StandaloneWorker, startStandalone } from '../src/connect-standalone.js';
import { offsetsScenario } from './support/offsets-scenario.js';

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
});
