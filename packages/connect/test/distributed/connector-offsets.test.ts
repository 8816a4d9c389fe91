import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { BrokerProcess } from '@samsa/testkit';
import { offsetsScenario } from '../support/offsets-scenario.js';
import { CONNECT_DISTRIBUTED_SH, REPO_ROOT, WorkerProcess, waitFor } from '../support/worker-process.js';

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

  test('GET /metrics of both workers: the last task instances counted what they moved', async () => {
    /** A metric summed over the workers (each reports what it runs). */
    const total = async (name: string) => {
      let sum = 0;
      for (const w of workers) {
        for (const line of (await (await fetch(`${w.url}/metrics`)).text()).split('\n')) {
          if (line.startsWith(name)) sum += Number(line.slice(line.lastIndexOf(' ') + 1));
        }
      }
      return sum;
    };
    // After their resets, the source task read the 5 lines once and the sink task the 13 records.
    const sink = 'kafka_connect_sink_task_metrics_sink_record_read_total{connector="offsets-sink",task="0"}';
    await waitFor('the sink task to have read 13 records', async () => (await total(sink)) === 13);
    assert.equal(
      await total('kafka_connect_source_task_metrics_source_record_poll_total{connector="offsets-source",task="0"}'),
      5,
    );
    assert.equal(await total('kafka_connect_connect_worker_metrics_connector_count'), 2);
    assert.equal(await total('kafka_connect_connect_worker_metrics_task_count'), 2);
  });
});
