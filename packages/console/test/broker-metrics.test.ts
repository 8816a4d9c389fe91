/** Reading bytes out from the brokers' Prometheus expositions (unit: parsing and rates). */
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { bytesOutPerSec, parseTrafficCounters } from '../src/broker-metrics.js';

describe('broker traffic counters', () => {
  test('reads the all-topics series and ignores the per-topic ones', () => {
    const exposition = [
      '# HELP kafka_server_brokertopicmetrics_bytesout_total Bytes out',
      '# TYPE kafka_server_brokertopicmetrics_bytesout_total counter',
      'kafka_server_brokertopicmetrics_bytesout_total{topic="a"} 70',
      'kafka_server_brokertopicmetrics_bytesout_total 100',
      'kafka_server_brokertopicmetrics_bytesin_total{} 2.5e3',
      'kafka_server_brokertopicmetrics_messagesin_total{topic="a"} 9',
      'kafka_server_brokertopicmetrics_messagesin_total 12',
      'kafka_server_brokertopicmetrics_bytesoutx_total 5',
    ].join('\n');
    assert.deepEqual(parseTrafficCounters(exposition), { bytesOut: 100, bytesIn: 2500, messagesIn: 12 });
  });

  test('an exposition without bytes out is no sample', () => {
    assert.equal(parseTrafficCounters('kafka_server_brokertopicmetrics_bytesin_total 5\n'), undefined);
    assert.equal(parseTrafficCounters('<html>not metrics</html>'), undefined);
  });

  test('rates sum brokers seen in both samples; a reset counter counts from zero', () => {
    const c = (bytesOut: number) => ({ bytesOut, bytesIn: 0, messagesIn: 0 });
    const before = new Map([
      [0, c(1000)],
      [1, c(5000)],
      [2, c(7)],
    ]);
    // Broker 1 restarted (its counter went down), broker 2 missed this scrape, broker 3 is new.
    const after = new Map([
      [0, c(3000)],
      [1, c(400)],
      [3, c(999)],
    ]);
    assert.equal(bytesOutPerSec(before, after, 2), (2000 + 400) / 2);
  });
});
