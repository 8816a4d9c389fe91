/**
 * Bytes out per second, read from the broker's Prometheus endpoint (metrics.listener) as kafka-ui
 * reads JMX: a consumer reading a whole topic once shows up as exactly the topic's size.
 */
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { Admin, Consumer, Producer } from '@samsa/client';
import { BrokerProcess, freePort } from '@samsa/testkit';
import { ConsoleServer } from '../src/console-server.js';

interface Point {
  timeMs: number;
  bytesOutPerSec: number | null;
}

describe('console API: bytes out from the brokers’ metrics', () => {
  let broker: BrokerProcess;
  let server: ConsoleServer;
  let metricsPort: number;
  before(async () => {
    metricsPort = await freePort();
    broker = await BrokerProcess.start({
      properties: { 'num.partitions': 1, 'metrics.listener': `http://127.0.0.1:${metricsPort}` },
    });
    server = await ConsoleServer.start({
      clusters: [
        { name: 'measured', bootstrapServers: broker.bootstrap, metricsPort },
        { name: 'unmeasured', bootstrapServers: broker.bootstrap },
      ],
      port: 0,
      throughputSampleMs: 300,
    });
  });
  after(async () => {
    await server?.close();
    await broker?.close();
  });

  async function throughput(cluster: string): Promise<{ bytesOut: string; points: Point[] }> {
    const response = await fetch(`${server.url}/api/clusters/${cluster}/throughput`);
    assert.equal(response.status, 200);
    return (await response.json()) as { bytesOut: string; points: Point[] };
  }

  async function points(cluster: string, atLeast: number): Promise<Point[]> {
    for (;;) {
      const found = (await throughput(cluster)).points;
      if (found.length >= atLeast) return found;
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
  }

  test('a topic consumed once adds its size to bytes out; without a metrics port there is none', async () => {
    const producer = new Producer<string, string>({
      'bootstrap.servers': broker.bootstrap,
      keySerializer: 'string',
      valueSerializer: 'string',
    });
    for (let i = 0; i < 40; i++) await producer.send({ topic: 'watched', value: `v${i}-${'x'.repeat(500)}` });
    await producer.close();
    // Two samples before any fetch: the baseline, so every byte out falls in a later point.
    const baseline = (await points('measured', 2)).length;
    const consumer = new Consumer({ 'bootstrap.servers': broker.bootstrap, 'auto.offset.reset': 'earliest' });
    consumer.assign([{ topic: 'watched', partition: 0 }]);
    let read = 0;
    while (read < 40) read += (await consumer.poll({ timeoutMs: 1000 })).length;
    await consumer.close();
    const after = await points('measured', baseline + 3);

    const admin = new Admin({ 'bootstrap.servers': broker.bootstrap });
    const size = (await admin.describeLogDirs())
      .flatMap((d) => d.partitions)
      .filter((p) => p.topic === 'watched')
      .reduce((sum, p) => sum + Number(p.size), 0);
    await admin.close();
    let bytesOut = 0;
    for (let i = 1; i < after.length; i++) {
      const [a, b] = [after[i - 1] as Point, after[i] as Point];
      assert.notEqual(b.bytesOutPerSec, null);
      bytesOut += ((b.bytesOutPerSec as number) * (b.timeMs - a.timeMs)) / 1000;
    }
    assert.ok(size > 40 * 500, `topic size ${size}`);
    assert.equal(Math.round(bytesOut), size);
    assert.match((await throughput('measured')).bytesOut, new RegExp(`port ${metricsPort}`));

    // Its sampler starts on this first request.
    const unmeasured = await points('unmeasured', 2);
    assert.ok(unmeasured.every((p) => p.bytesOutPerSec === null));
    assert.match((await throughput('unmeasured')).bytesOut, /metricsPort/);
  });
});
