/**
 * Preferred-leader election and partition reassignment through the console's HTTP API on a real
 * 3-broker cluster (KafkaCluster: Samsa brokers on Debian's `zookeeper`): the leader returns to the
 * preferred replica, and a generated plan moves partitions to other brokers with their data.
 */
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { Admin } from '@samsa/client';
import { KafkaCluster } from '@samsa/testkit';
import { ConsoleServer } from '../src/console-server.js';

async function eventually<T>(what: string, check: () => Promise<T | undefined>): Promise<T> {
  const deadline = Date.now() + 60000;
  for (;;) {
    const value = await check().catch(() => undefined);
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error(`gave up waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 200));
  }
}

type Partition = { partition: number; leader: number; replicas: number[]; isr: number[]; logEndOffset: string };

describe('console API on a 3-broker cluster: elections and reassignment', () => {
  let cluster: KafkaCluster;
  let server: ConsoleServer;
  let admin: Admin;
  const call = async (method: string, path: string, body?: unknown) => {
    const init: RequestInit = { method };
    if (body !== undefined) {
      init.headers = { 'content-type': 'application/json' };
      init.body = JSON.stringify(body);
    }
    const response = await fetch(`${server.url}/api/clusters/local${path}`, init);
    return { status: response.status, json: (await response.json()) as Record<string, unknown> };
  };
  const partitions = async (topic: string) => (await call('GET', `/topics/${topic}`)).json.partitions as Partition[];

  before(async () => {
    cluster = await KafkaCluster.start({ brokers: 3, properties: { 'auto.leader.rebalance.enable': false } });
    admin = new Admin({ 'bootstrap.servers': cluster.bootstrap });
    server = await ConsoleServer.start({ clusters: [{ name: 'local', bootstrapServers: cluster.bootstrap }], port: 0 });
  });
  after(async () => {
    await server?.close();
    await admin?.close();
    await cluster?.close();
  });

  test('a preferred-leader election moves leadership back to the first replica', async () => {
    const controller = (await call('GET', '')).json.controllerId as number;
    const [preferred, other] = cluster.brokerIds.filter((id) => id !== controller) as [number, number];
    await admin.createTopics([{ name: 'elect', assignments: { 0: [preferred, other] } }]);
    await eventually('both replicas in sync', async () =>
      (await partitions('elect'))[0]?.isr.length === 2 ? true : undefined,
    );
    await cluster.stop(preferred);
    await eventually('the other replica leading', async () =>
      (await partitions('elect'))[0]?.leader === other ? true : undefined,
    );
    await cluster.startBroker(preferred);
    await eventually('the preferred replica back in sync', async () => {
      const p = (await partitions('elect'))[0];
      return p?.isr.length === 2 && p.leader === other ? true : undefined;
    });
    const elected = await call('POST', '/elections', { topic: 'elect', partitions: [0] });
    assert.equal(elected.status, 200, JSON.stringify(elected.json));
    assert.deepEqual(elected.json.results, [{ topic: 'elect', partition: 0, error: null, message: null }]);
    await eventually('the preferred replica leading', async () =>
      (await partitions('elect'))[0]?.leader === preferred ? true : undefined,
    );
  });

  test('a generated plan moves partitions to the chosen brokers; progress is listed; data stays', async () => {
    await admin.createTopics([{ name: 'moving', assignments: { 0: [0], 1: [0], 2: [0], 3: [0] } }]);
    await eventually('the topic', async () => ((await partitions('moving')).length === 4 ? true : undefined));
    for (let i = 0; i < 20; i++) {
      const r = await call('POST', '/topics/moving/messages', { value: `m${i}`, partition: i % 4 });
      assert.equal(r.status, 201, JSON.stringify(r.json));
    }
    const plan = await call('POST', '/reassignments/plan', { topics: ['moving'], brokers: [1, 2] });
    assert.equal(plan.status, 200, JSON.stringify(plan.json));
    const proposed = plan.json.proposed as { partitions: { partition: number; replicas: number[] }[] };
    assert.deepEqual(
      proposed.partitions.map((p) => p.replicas),
      [[1], [2], [1], [2]],
    );
    const executed = await call('POST', '/reassignments', proposed);
    assert.equal(executed.status, 200, JSON.stringify(executed.json));
    assert.ok((executed.json.results as { error: string | null }[]).every((r) => r.error === null));
    await eventually('the reassignment to finish', async () => {
      const listed = (await call('GET', '/reassignments')).json.reassignments as unknown[];
      const now = await partitions('moving');
      return listed.length === 0 && now.every((p) => p.replicas.join() === (p.partition % 2 === 0 ? '1' : '2'))
        ? true
        : undefined;
    });
    const moved = await partitions('moving');
    assert.deepEqual(
      moved.map((p) => [p.partition, p.leader, p.logEndOffset]),
      [
        [0, 1, '5'],
        [1, 2, '5'],
        [2, 1, '5'],
        [3, 2, '5'],
      ],
    );
    for (let partition = 0; partition < 4; partition++) {
      const browsed = await call('GET', `/topics/moving/partitions/${partition}/messages?offset=0`);
      const values = (browsed.json.records as { value: string }[]).map((r) => r.value);
      assert.deepEqual(
        values,
        [0, 1, 2, 3, 4].map((i) => `m${i * 4 + partition}`),
      );
    }
  });
});
