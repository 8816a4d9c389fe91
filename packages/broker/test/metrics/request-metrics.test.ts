import assert from 'node:assert/strict';
import { test } from 'node:test';
import { ApiKey } from '@samsa/protocol';
import { Registry } from 'prom-client';
import { REQUEST_TIME_BUCKETS_MS, RequestMetrics } from '../../src/metrics/request-metrics.js';
import { registerRequestMetrics } from '../../src/metrics/request-metrics-collector.js';

test('request times land in the first bucket whose bound they do not exceed', () => {
  const metrics = new RequestMetrics();
  metrics.record(ApiKey.Produce, 9, 0.25, -1);
  metrics.record(ApiKey.Produce, 9, 0.26, -1);
  metrics.record(ApiKey.Produce, 8, 70000, -1);
  const produce = metrics.api(ApiKey.Produce);
  assert.equal(produce.buckets[0], 1, '0.25 ms is in le=0.25');
  assert.equal(produce.buckets[1], 1, '0.26 ms is in le=0.5');
  assert.equal(produce.buckets[REQUEST_TIME_BUCKETS_MS.length], 1, '70 s is only in +Inf');
  assert.equal(produce.byVersion[9], 2);
  assert.equal(produce.byVersion[8], 1);
  assert.equal(produce.count, 3);
});

test('fetches count as Fetch and as FetchConsumer or FetchFollower', () => {
  const metrics = new RequestMetrics();
  metrics.record(ApiKey.Fetch, 13, 1, -1);
  metrics.record(ApiKey.Fetch, 13, 1, 2);
  metrics.record(ApiKey.Fetch, 13, 1, 0);
  assert.equal(metrics.api(ApiKey.Fetch).count, 3);
  assert.equal(metrics.fetchConsumer.count, 1);
  assert.equal(metrics.fetchFollower.count, 2);
  assert.deepEqual(
    [...metrics.all()].map((s) => s.name),
    ['Fetch', 'FetchConsumer', 'FetchFollower'],
  );
});

test('the exposition has cumulative buckets, sum and count per request name', async () => {
  const metrics = new RequestMetrics();
  for (const ms of [0.1, 3, 3, 400]) metrics.record(ApiKey.Metadata, 12, ms, -1);
  metrics.recordError(ApiKey.Metadata, 15);
  const registry = new Registry();
  registerRequestMetrics(registry, metrics);
  const text = await registry.metrics();
  const line = (prefix: string) => text.split('\n').find((l) => l.startsWith(prefix));
  assert.equal(
    line('kafka_network_requestmetrics_totaltimems_bucket{request="Metadata",le="0.25"}'),
    'kafka_network_requestmetrics_totaltimems_bucket{request="Metadata",le="0.25"} 1',
  );
  assert.equal(
    line('kafka_network_requestmetrics_totaltimems_bucket{request="Metadata",le="5"}'),
    'kafka_network_requestmetrics_totaltimems_bucket{request="Metadata",le="5"} 3',
  );
  assert.equal(
    line('kafka_network_requestmetrics_totaltimems_bucket{request="Metadata",le="+Inf"}'),
    'kafka_network_requestmetrics_totaltimems_bucket{request="Metadata",le="+Inf"} 4',
  );
  assert.equal(
    line('kafka_network_requestmetrics_totaltimems_count{request="Metadata"}'),
    'kafka_network_requestmetrics_totaltimems_count{request="Metadata"} 4',
  );
  assert.equal(
    line('kafka_network_requestmetrics_totaltimems_sum{request="Metadata"}'),
    'kafka_network_requestmetrics_totaltimems_sum{request="Metadata"} 406.1',
  );
  assert.equal(
    line('kafka_network_requestmetrics_requests_total{'),
    'kafka_network_requestmetrics_requests_total{request="Metadata",version="12"} 4',
  );
  assert.equal(
    line('kafka_network_requestmetrics_errors_total{'),
    'kafka_network_requestmetrics_errors_total{request="Metadata",error="COORDINATOR_NOT_AVAILABLE"} 1',
  );
  assert.match(text, /^# TYPE kafka_network_requestmetrics_totaltimems histogram$/m);
});
