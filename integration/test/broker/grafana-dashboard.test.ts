/**
 * docs/grafana/samsa-broker.json works with the names `/metrics` serves: a real Prometheus
 * (Debian's prometheus) scrapes a broker carrying traffic, and every query of every panel is
 * accepted and answers with data.
 */
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { after, before, describe, test } from 'node:test';
import { Admin } from '@samsa/client';
import { BrokerProcess, freePort, requireCommand, run } from '@samsa/testkit';
import { PrometheusServer, scrape } from '../support/prometheus.js';

const KCAT = requireCommand('kcat', 'kcat');
const DASHBOARD = new URL('../../../../docs/grafana/samsa-broker.json', import.meta.url);

interface Panel {
  readonly title: string;
  readonly targets?: readonly { readonly expr: string }[];
}

/** Series that exist only after the event they count (a request answered with an error). */
const EMPTY_UNTIL_EVENT = /kafka_network_requestmetrics_errors_total/;

/** The dashboard's variables as Grafana would expand them for "All" brokers. */
function expand(expr: string): string {
  return expr.replaceAll('$__rate_interval', '30s').replaceAll('$instance', '.*');
}

/** Metric names an expression reads (identifiers of our families; functions and labels excluded). */
function metricNames(expr: string): string[] {
  return [...expr.matchAll(/\b((?:kafka|process|nodejs)_[a-z0-9_]+)/g)].map((m) => m[1] as string);
}

describe('Grafana dashboard against a real Prometheus', () => {
  let broker: BrokerProcess;
  let metricsPort: number;
  let prometheus: PrometheusServer;
  const panels = (JSON.parse(readFileSync(DASHBOARD, 'utf8')) as { panels: Panel[] }).panels.filter(
    (p) => p.targets !== undefined,
  );

  before(async () => {
    metricsPort = await freePort();
    broker = await BrokerProcess.start({
      properties: {
        'metrics.listener': `http://127.0.0.1:${metricsPort}`,
        'num.partitions': 2,
        'group.initial.rebalance.delay.ms': 0,
      },
    });
    prometheus = await PrometheusServer.start([metricsPort]);
    const kcat = (args: string[], input = '') =>
      run(KCAT, ['-b', broker.bootstrap, ...args], { input, timeoutMs: 30000 });
    // 600 records on partition 0, 400 on partition 1, over several scrapes (rates need two).
    for (let i = 0; i < 5; i++) {
      for (const [partition, count] of [
        [0, 120],
        [1, 80],
      ]) {
        const lines = Array.from({ length: count as number }, (_, n) => `dashboard-${i}-${n}`).join('\n');
        const produced = await kcat(['-P', '-t', 'dashboard-topic', '-p', String(partition)], `${lines}\n`);
        assert.equal(produced.code, 0, produced.stderr);
      }
      await prometheus.awaitMoreScrapes(1);
    }
    // A group reads (consumer fetches for the request panels), then is left having read half:
    // lag 300 + 200. kcat's own commits depend on its prefetching, so the offsets are set after.
    const consumed = await kcat([
      '-C',
      '-G',
      'dashboard-group',
      '-c',
      '100',
      '-X',
      'auto.offset.reset=earliest',
      'dashboard-topic',
    ]);
    assert.equal(consumed.code, 0, consumed.stderr);
    const admin = new Admin({ 'bootstrap.servers': broker.bootstrap });
    try {
      await admin.alterConsumerGroupOffsets('dashboard-group', [
        { topic: 'dashboard-topic', partition: 0, offset: 300n },
        { topic: 'dashboard-topic', partition: 1, offset: 200n },
      ]);
    } finally {
      await admin.close();
    }
    await prometheus.awaitMoreScrapes(2);
  });
  after(async () => {
    await prometheus?.close();
    await broker?.close();
  });

  test('the dashboard has panels for throughput, requests, replication, lag and the process', () => {
    const titles = panels.map((p) => p.title);
    for (const expected of [
      'Bytes in /s',
      'Request time p99 (ms)',
      'Under-replicated partitions',
      'Consumer lag by group and topic',
      'Event-loop lag p99',
    ]) {
      assert.ok(titles.includes(expected), `no panel ${expected} in ${titles.join(', ')}`);
    }
  });

  test('every metric a panel reads is served by /metrics', async () => {
    const body = (await scrape(metricsPort)).body;
    const families = new Set([...body.matchAll(/^# TYPE (\S+) /gm)].map((m) => m[1]));
    for (const panel of panels) {
      for (const target of panel.targets ?? []) {
        for (const name of metricNames(target.expr)) {
          const family = name.replace(/_(bucket|sum|count)$/, '');
          assert.ok(families.has(name) || families.has(family), `${panel.title}: ${name} is not served`);
        }
      }
    }
  });

  test('every panel query is accepted by Prometheus and answers with data', async () => {
    for (const panel of panels) {
      for (const target of panel.targets ?? []) {
        const result = await prometheus.query(expand(target.expr));
        if (EMPTY_UNTIL_EVENT.test(target.expr)) continue;
        assert.ok(result.length > 0, `${panel.title}: no data for ${target.expr}`);
      }
    }
  });

  test('the throughput and lag panels show the traffic', async () => {
    const [messagesIn] = await prometheus.query(
      'sum(increase(kafka_server_brokertopicmetrics_messagesin_total{topic="dashboard-topic"}[5m]))',
    );
    assert.ok(Number(messagesIn?.value[1]) > 0, 'messages in rose');
    const lag = await prometheus.query('sum by (consumergroup) (kafka_consumergroup_lag)');
    const group = lag.find((r) => r.metric.consumergroup === 'dashboard-group');
    assert.equal(Number(group?.value[1]), 500, 'the group is 300 + 200 behind');
  });
});
