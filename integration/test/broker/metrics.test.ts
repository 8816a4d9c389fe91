/**
 * `/metrics` (metrics.listener) after known traffic from real clients: the counters equal what
 * was produced and read, lag equals the end offset minus the committed offset, the exposition
 * parses with Prometheus' own parsers, and bad input gets clear answers.
 */
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { Admin } from '@samsa/client';
import { BrokerProcess, freePort, requireCommand, run } from '@samsa/testkit';
import { type Exposition, lintExposition, parseExposition, sampleValue, scrape } from '../support/prometheus.js';

const KCAT = requireCommand('kcat', 'kcat');

/** promtool's naming advice that the conventional names cannot follow, and nothing else. */
const ACCEPTED_LINT = [
  // The JMX exporter's name for Kafka's connection-count gauge, which dashboards query.
  /^kafka_server_socket_server_metrics_connection_count non-histogram and non-summary metrics should not have "_count" suffix$/,
  // kafka_exporter's name for a group's lag summed over a topic.
  /^kafka_consumergroup_lag_sum non-histogram and non-summary metrics should not have "_sum" suffix$/,
  // prom-client's Node.js gauges.
  /^nodejs_active_(handles|requests|resources)_total non-counter metrics should not have "_total" suffix$/,
];

describe('broker metrics (/metrics)', () => {
  let broker: BrokerProcess;
  let metricsPort: number;
  let admin: Admin;

  before(async () => {
    metricsPort = await freePort();
    broker = await BrokerProcess.start({ properties: { 'metrics.listener': `http://127.0.0.1:${metricsPort}` } });
    admin = new Admin({ 'bootstrap.servers': broker.bootstrap });
  });
  after(async () => {
    await admin?.close();
    await broker?.close();
  });

  const kcat = (args: string[], input = '') =>
    run(KCAT, ['-b', broker.bootstrap, ...args], { input, timeoutMs: 30000 });

  async function metrics(): Promise<Exposition> {
    const response = await scrape(metricsPort);
    assert.equal(response.status, 200);
    assert.match(response.type, /^text\/plain; version=0\.0\.4/);
    return parseExposition(response.body);
  }

  test('bytes and messages in and out equal what kcat produced and consumed', async () => {
    const topic = 'metrics-in';
    await admin.createTopics([{ name: topic, numPartitions: 1, replicationFactor: 1 }]);
    const lines = Array.from({ length: 100 }, (_, i) => `record-${i}-${'x'.repeat(i)}`);
    // Four produce runs: four or more batches, each counted once.
    for (let run = 0; run < 4; run++) {
      const produced = await kcat(
        ['-P', '-t', topic, '-p', '0'],
        `${lines.slice(run * 25, run * 25 + 25).join('\n')}\n`,
      );
      assert.equal(produced.code, 0, produced.stderr);
    }
    const consumed = await kcat(['-C', '-t', topic, '-p', '0', '-o', 'beginning', '-e', '-q']);
    assert.equal(consumed.code, 0, consumed.stderr);
    assert.equal(consumed.stdout.trim().split('\n').length, 100);

    const m = await metrics();
    const logBytes = sampleValue(m, 'kafka_log_log_size', { topic, partition: '0' });
    assert.ok(logBytes > 100 * 8, `log size ${logBytes}`);
    assert.equal(sampleValue(m, 'kafka_server_brokertopicmetrics_messagesin_total', { topic }), 100);
    assert.equal(sampleValue(m, 'kafka_server_brokertopicmetrics_bytesin_total', { topic }), logBytes);
    assert.equal(sampleValue(m, 'kafka_server_brokertopicmetrics_bytesout_total', { topic }), logBytes);
    assert.equal(sampleValue(m, 'kafka_log_log_logendoffset', { topic, partition: '0' }), 100);
    assert.equal(sampleValue(m, 'kafka_topic_partition_current_offset', { topic, partition: '0' }), 100);
    assert.equal(sampleValue(m, 'kafka_topic_partition_oldest_offset', { topic, partition: '0' }), 0);
    assert.ok(sampleValue(m, 'kafka_server_brokertopicmetrics_totalproducerequests_total', { topic }) >= 4);
    assert.equal(sampleValue(m, 'kafka_server_brokertopicmetrics_failedproducerequests_total', { topic }), 0);
    // The all-topics series is at least this topic's (the group coordinator writes too).
    assert.ok(sampleValue(m, 'kafka_server_brokertopicmetrics_bytesin_total') >= logBytes);
    assert.equal(m.types.get('kafka_server_brokertopicmetrics_bytesin'), 'counter');
  });

  test('a batch over max.message.bytes is counted as rejected bytes, not as bytes in', async () => {
    const topic = 'metrics-rejected';
    await admin.createTopics([
      { name: topic, numPartitions: 1, replicationFactor: 1, configs: { 'max.message.bytes': '1000' } },
    ]);
    const big = 'y'.repeat(5000);
    const produced = await kcat(['-P', '-t', topic, '-p', '0', '-X', 'message.max.bytes=100000'], `${big}\n`);
    assert.notEqual(produced.code, 0, 'kcat reports the refused record');
    const m = await metrics();
    assert.ok(sampleValue(m, 'kafka_server_brokertopicmetrics_bytesrejected_total', { topic }) > 5000);
    assert.equal(sampleValue(m, 'kafka_server_brokertopicmetrics_bytesin_total', { topic }), 0);
    assert.equal(sampleValue(m, 'kafka_server_brokertopicmetrics_failedproducerequests_total', { topic }), 0);
  });

  test('consumer lag is the high watermark minus the committed offset (kafka_exporter names)', async () => {
    const topic = 'metrics-lag';
    await admin.createTopics([{ name: topic, numPartitions: 2, replicationFactor: 1 }]);
    for (const partition of [0, 1]) {
      const lines = Array.from({ length: 50 }, (_, i) => `p${partition}-${i}`).join('\n');
      const produced = await kcat(['-P', '-t', topic, '-p', String(partition)], `${lines}\n`);
      assert.equal(produced.code, 0, produced.stderr);
    }
    await admin.alterConsumerGroupOffsets('metrics-group', [
      { topic, partition: 0, offset: 20n },
      { topic, partition: 1, offset: 45n },
    ]);
    const m = await metrics();
    const labels = (partition: string) => ({ consumergroup: 'metrics-group', topic, partition });
    assert.equal(sampleValue(m, 'kafka_consumergroup_current_offset', labels('0')), 20);
    assert.equal(sampleValue(m, 'kafka_consumergroup_current_offset', labels('1')), 45);
    assert.equal(sampleValue(m, 'kafka_consumergroup_lag', labels('0')), 30);
    assert.equal(sampleValue(m, 'kafka_consumergroup_lag', labels('1')), 5);
    assert.equal(sampleValue(m, 'kafka_consumergroup_lag_sum', { consumergroup: 'metrics-group', topic }), 35);
    assert.equal(sampleValue(m, 'kafka_consumergroup_members', { consumergroup: 'metrics-group' }), 0);
    assert.ok(sampleValue(m, 'kafka_coordinator_group_groupmetadatamanager_numgroupsempty') >= 1);
    assert.ok(sampleValue(m, 'kafka_coordinator_group_groupmetadatamanager_numoffsets') >= 2);

    // The group consumes everything: lag 0.
    const consumed = await kcat(['-C', '-G', 'metrics-group', '-X', 'auto.offset.reset=earliest', '-e', '-q', topic]);
    assert.equal(consumed.code, 0, consumed.stderr);
    const after = await metrics();
    assert.equal(sampleValue(after, 'kafka_consumergroup_lag', labels('0')), 0);
    assert.equal(sampleValue(after, 'kafka_consumergroup_lag', labels('1')), 0);
    assert.equal(sampleValue(after, 'kafka_consumergroup_current_offset', labels('0')), 50);
  });

  test('requests are counted by name and version, with a latency histogram per name', async () => {
    const m = await metrics();
    const produceCount = m.samples
      .filter((s) => s.name === 'kafka_network_requestmetrics_requests_total' && s.labels.request === 'Produce')
      .reduce((sum, s) => sum + s.value, 0);
    assert.ok(produceCount >= 4, `Produce requests ${produceCount}`);
    assert.equal(
      sampleValue(m, 'kafka_network_requestmetrics_totaltimems_count', { request: 'Produce' }),
      produceCount,
    );
    assert.equal(
      sampleValue(m, 'kafka_network_requestmetrics_totaltimems_bucket', { request: 'Produce', le: '+Inf' }),
      produceCount,
    );
    assert.ok(sampleValue(m, 'kafka_network_requestmetrics_totaltimems_count', { request: 'FetchConsumer' }) >= 1);
    assert.equal(m.types.get('kafka_network_requestmetrics_totaltimems'), 'histogram');
    // Broker and process gauges.
    assert.equal(sampleValue(m, 'kafka_controller_kafkacontroller_activecontrollercount'), 1);
    assert.equal(sampleValue(m, 'kafka_server_replicamanager_underreplicatedpartitions'), 0);
    assert.ok(sampleValue(m, 'kafka_server_replicamanager_leadercount') >= 4);
    assert.ok(sampleValue(m, 'kafka_controller_kafkacontroller_globaltopiccount') >= 3);
    assert.ok(sampleValue(m, 'process_resident_memory_bytes') > 10 * 1024 * 1024);
    assert.ok(m.samples.some((s) => s.name === 'nodejs_eventloop_lag_p99_seconds'));
  });

  test('promtool finds nothing wrong but the conventional names', async () => {
    const problems = (await lintExposition((await scrape(metricsPort)).body)).filter(
      (line) => !ACCEPTED_LINT.some((accepted) => accepted.test(line)),
    );
    assert.deepEqual(problems, []);
  });

  test('a deleted topic leaves no series behind', async () => {
    const topic = 'metrics-deleted';
    await admin.createTopics([{ name: topic, numPartitions: 1, replicationFactor: 1 }]);
    assert.equal((await kcat(['-P', '-t', topic, '-p', '0'], 'a\nb\n')).code, 0);
    assert.equal(sampleValue(await metrics(), 'kafka_server_brokertopicmetrics_messagesin_total', { topic }), 2);
    await admin.deleteTopics([topic]);
    const m = await metrics();
    assert.equal(m.samples.filter((s) => s.labels.topic === topic).length, 0);
  });

  test('other paths answer 404 with a message', async () => {
    const response = await scrape(metricsPort, '/nope');
    assert.equal(response.status, 404);
    assert.match(response.body, /metrics are at \/metrics/);
  });

  test('a malformed metrics.listener stops startup naming the key', async () => {
    await assert.rejects(
      BrokerProcess.start({ properties: { 'metrics.listener': 'ftp://127.0.0.1:9404' } }),
      /metrics\.listener/,
    );
  });
});
