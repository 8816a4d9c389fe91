import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe } from 'node:test';
import { BrokerProcess } from '@samsa/testkit';
import { offsetsScenario } from '../support/offsets-scenario.js';
import { CONNECT_DISTRIBUTED_SH, REPO_ROOT, WorkerProcess } from '../support/worker-process.js';

// KIP-875's offsets REST API on a cluster of two bin/connect-distributed.sh workers (source
// offsets in the offset topic, changes forwarded to the leader) with a real broker. Reads go to
// the first worker, changes to the second, so some of them are forwarded whichever leads.

let broker: BrokerProcess;
let dir: string;
const workers: WorkerProcess[] = [];

function workerProperties(name: string): string {
  const shipped = readFileSync(join(REPO_ROOT, 'config/connect-distributed.properties'), 'utf8');
  const path = join(dir, `${name}.properties`);
  writeFileSync(
    path,
    shipped
      .replace('bootstrap.servers=localhost:9092', `bootstrap.servers=${broker.bootstrap}`)
      .concat(
        [
          '',
          'listeners=http://127.0.0.1:0',
          'rest.advertised.host.name=127.0.0.1',
          'offset.flush.interval.ms=300',
          'session.timeout.ms=6000',
          'heartbeat.interval.ms=1000',
          'rebalance.timeout.ms=10000',
          'consumer.session.timeout.ms=6000',
          'consumer.heartbeat.interval.ms=1000',
          'scheduled.rebalance.max.delay.ms=2000',
          '',
        ].join('\n'),
      ),
  );
  return path;
}

before(async () => {
  broker = await BrokerProcess.start({ properties: { 'num.partitions': 1 } });
  dir = mkdtempSync(join(tmpdir(), 'samsa-connect-offsets-distributed-'));
  for (const name of ['w1', 'w2']) {
    workers.push(await WorkerProcess.start(dir, [workerProperties(name)], 30_000, CONNECT_DISTRIBUTED_SH));
  }
});

after(async () => {
  await Promise.all(workers.map((w) => w.stop()));
  if (process.env.CONNECT_TEST_DEBUG !== undefined) {
    for (const w of workers) console.log(`# ---- worker ${w.url}\n${w.output.replace(/^/gm, '# ')}`);
  }
  await broker?.close();
  if (dir !== undefined) rmSync(dir, { recursive: true, force: true });
});

describe('KIP-875 offsets, distributed', () => {
  offsetsScenario({
    dir: () => dir,
    readUrl: () => workers[0]!.url,
    writeUrl: () => workers[1]!.url,
    topic: 'offsets-distributed',
  });
});
