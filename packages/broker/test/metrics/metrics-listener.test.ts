import assert from 'node:assert/strict';
import { test } from 'node:test';
import { parseMetricsListener, validateMetricsListener } from '../../src/metrics/metrics-listener.js';

test('metrics.listener takes http://host:port, an empty host or an IPv6 literal', () => {
  assert.deepEqual(parseMetricsListener('http://localhost:9404'), { host: 'localhost', port: 9404 });
  assert.deepEqual(parseMetricsListener('http://:9404/'), { host: '', port: 9404 });
  assert.deepEqual(parseMetricsListener('http://[::1]:0'), { host: '::1', port: 0 });
});

test('anything else is refused with a message', () => {
  for (const bad of [
    'https://localhost:9404',
    'localhost:9404',
    'http://localhost',
    'http://h:99999',
    'http://h:1/x',
  ]) {
    assert.equal(parseMetricsListener(bad), undefined, bad);
    assert.match(validateMetricsListener(bad) ?? '', /Expected http:\/\/host:port/, bad);
  }
  assert.equal(validateMetricsListener(null), undefined, 'unset is allowed');
});
