import assert from 'node:assert/strict';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { BrokerProcess } from '@samsa/testkit';
import { type StandaloneWorker, startStandalone } from '../src/connect-standalone.js';
import { waitFor } from './support/worker-process.js';

// Kafka Connect's metrics on GET /metrics, scraped after a FileStreamSource → topic →
// FileStreamSink pipeline ran on a standalone worker with a real broker.

const LINES = 250;
let broker: BrokerProcess;
let worker: StandaloneWorker;
let dir: string;

before(async () => {
  broker = await BrokerProcess.start({ properties: { 'num.partitions': 1 } });
  dir = mkdtempSync(join(tmpdir(), 'samsa-connect-metrics-'));
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
  writeFileSync(join(dir, 'in.txt'), Array.from({ length: LINES }, (_, i) => `line-${i}\n`).join(''));
  writeFileSync(
    join(dir, 'source.properties'),
    ['name=metrics-source', 'connector.class=FileStreamSource', `file=${join(dir, 'in.txt')}`, 'topic=metrics'].join(
      '\n',
    ),
  );
  writeFileSync(
    join(dir, 'sink.properties'),
    ['name=metrics-sink', 'connector.class=FileStreamSink', `file=${join(dir, 'out.txt')}`, 'topics=metrics'].join(
      '\n',
    ),
  );
  worker = await startStandalone(join(dir, 'worker.properties'), [
    join(dir, 'source.properties'),
    join(dir, 'sink.properties'),
  ]);
});

after(async () => {
  await worker?.stop();
  await broker?.close();
  if (dir !== undefined) rmSync(dir, { recursive: true, force: true });
});

/** The samples of a Prometheus text scrape: `name{labels}` → value. */
function samples(text: string): Map<string, number> {
  const out = new Map<string, number>();
  for (const line of text.split('\n')) {
    if (line === '' || line.startsWith('#')) continue;
    const at = line.lastIndexOf(' ');
    out.set(line.slice(0, at), Number(line.slice(at + 1)));
  }
  return out;
}

describe('GET /metrics', () => {
  test('counts equal the lines that went through the pipeline', async () => {
    const outFile = join(dir, 'out.txt');
    await waitFor(
      'every line in the sink file',
      () => existsSync(outFile) && readFileSync(outFile, 'utf8').split('\n').length - 1 === LINES,
      30_000,
    );
    const url = `http://127.0.0.1:${worker.rest.port}/metrics`;
    let metrics = new Map<string, number>();
    // The sink's offsets are committed every offset.flush.interval.ms: wait for the first.
    await waitFor('a sink offset commit', async () => {
      metrics = samples(await (await fetch(url)).text());
      return (
        (metrics.get(
          'kafka_connect_connector_task_metrics_offset_commit_success_percentage{connector="metrics-sink",task="0"}',
        ) ?? 0) > 0
      );
    });
    const response = await fetch(url);
    assert.equal(response.status, 200);
    assert.match(response.headers.get('content-type') ?? '', /^text\/plain; version=0\.0\.4/);
    metrics = samples(await response.text());
    const source = '{connector="metrics-source",task="0"}';
    const sink = '{connector="metrics-sink",task="0"}';
    const expectations: [string, number][] = [
      ['kafka_connect_connect_worker_metrics_connector_count', 2],
      ['kafka_connect_connect_worker_metrics_task_count', 2],
      ['kafka_connect_connect_worker_metrics_connector_startup_attempts_total', 2],
      ['kafka_connect_connect_worker_metrics_connector_startup_success_total', 2],
      ['kafka_connect_connect_worker_metrics_connector_startup_failure_total', 0],
      ['kafka_connect_connect_worker_metrics_task_startup_success_total', 2],
      [`kafka_connect_source_task_metrics_source_record_poll_total${source}`, LINES],
      [`kafka_connect_source_task_metrics_source_record_write_total${source}`, LINES],
      [`kafka_connect_sink_task_metrics_sink_record_read_total${sink}`, LINES],
      [`kafka_connect_sink_task_metrics_sink_record_send_total${sink}`, LINES],
      [`kafka_connect_sink_task_metrics_partition_count${sink}`, 1],
      [`kafka_connect_connector_task_metrics_offset_commit_failure_percentage${sink}`, 0],
      [`kafka_connect_task_error_metrics_total_record_errors${sink}`, 0],
      [`kafka_connect_task_error_metrics_total_record_failures${source}`, 0],
      [`kafka_connect_task_error_metrics_deadletterqueue_produce_requests${sink}`, 0],
      ['kafka_connect_connector_task_metrics_status{connector="metrics-source",task="0",status="running"}', 1],
      ['kafka_connect_connector_task_metrics_status{connector="metrics-sink",task="0",status="running"}', 1],
    ];
    for (const [name, value] of expectations) assert.equal(metrics.get(name), value, name);
    // Each task has the series of its own kind only, as Kafka has an MBean per kind.
    assert.equal(metrics.get(`kafka_connect_source_task_metrics_source_record_poll_total${sink}`), undefined);
    assert.equal(metrics.get(`kafka_connect_sink_task_metrics_sink_record_read_total${source}`), undefined);
    for (const rate of [
      `kafka_connect_source_task_metrics_source_record_poll_rate${source}`,
      `kafka_connect_source_task_metrics_source_record_write_rate${source}`,
      `kafka_connect_sink_task_metrics_sink_record_read_rate${sink}`,
      `kafka_connect_sink_task_metrics_sink_record_send_rate${sink}`,
    ]) {
      assert.ok((metrics.get(rate) ?? 0) > 0, rate);
    }
    const batchMax = metrics.get(`kafka_connect_connector_task_metrics_batch_size_max${source}`) ?? 0;
    assert.ok(batchMax >= 1 && batchMax <= LINES, `batch-size-max ${batchMax}`);
  });

  test('task-error-metrics count the records a sink could not convert, skipped and sent to the DLQ', async () => {
    const base = `http://127.0.0.1:${worker.rest.port}`;
    const created = await fetch(`${base}/connectors`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({
        name: 'metrics-errors',
        config: {
          'connector.class': 'FileStreamSink',
          file: join(dir, 'errors.txt'),
          topics: 'metrics',
          // The lines are not JSON: every record fails its value converter.
          'value.converter': 'org.apache.kafka.connect.json.JsonConverter',
          'errors.tolerance': 'all',
          'errors.deadletterqueue.topic.name': 'metrics-dlq',
          'errors.deadletterqueue.topic.replication.factor': '1',
        },
      }),
    });
    assert.equal(created.status, 201);
    const labels = '{connector="metrics-errors",task="0"}';
    let metrics = new Map<string, number>();
    await waitFor(
      'every record reported',
      async () => {
        metrics = samples(await (await fetch(`${base}/metrics`)).text());
        return metrics.get(`kafka_connect_task_error_metrics_total_records_skipped${labels}`) === LINES;
      },
      30_000,
    );
    for (const name of [
      'total_record_errors',
      'total_record_failures',
      'total_records_skipped',
      'deadletterqueue_produce_requests',
    ]) {
      assert.equal(metrics.get(`kafka_connect_task_error_metrics_${name}${labels}`), LINES, name);
    }
    assert.equal(metrics.get(`kafka_connect_task_error_metrics_deadletterqueue_produce_failures${labels}`), 0);
    assert.equal(metrics.get(`kafka_connect_sink_task_metrics_sink_record_read_total${labels}`), LINES);
    assert.equal(metrics.get(`kafka_connect_sink_task_metrics_sink_record_send_total${labels}`), 0);
    assert.equal(metrics.get('kafka_connect_connect_worker_metrics_task_count'), 3);
  });
});
