/**
 * The console in Chromium against a real 3-broker cluster (KafkaCluster: Samsa brokers on
 * Debian's `zookeeper`): the overview lists the three brokers and the controller; a topic with
 * replication factor 3 shows its replicas and ISR; a broker killed with SIGKILL makes every
 * partition under-replicated on the topics page, and its restart brings the count back to 0.
 */
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { Admin } from '@samsa/client';
import { KafkaCluster } from '@samsa/testkit';
import type { Page } from 'playwright-core';
import { ConsoleServer } from '../src/console-server.js';
import { type Browser, launchChromium } from './support/browser.js';
import { screenshot, waitUntil } from './support/screenshot.js';

describe('console in a browser on a 3-broker cluster', () => {
  let cluster: KafkaCluster;
  let admin: Admin;
  let server: ConsoleServer;
  let browser: Browser;
  let page: Page;
  before(async () => {
    cluster = await KafkaCluster.start({ brokers: 3 });
    admin = new Admin({ 'bootstrap.servers': cluster.bootstrap });
    server = await ConsoleServer.start({ clusters: [{ name: 'local', bootstrapServers: cluster.bootstrap }], port: 0 });
    browser = await launchChromium();
    page = await browser.context.newPage();
    page.setDefaultTimeout(20000);
  });
  after(async () => {
    await browser?.close();
    await server?.close();
    await admin?.close();
    await cluster?.close();
  });

  test('the overview lists the three brokers and marks the controller', async () => {
    const { controllerId, brokers } = await admin.describeCluster();
    await page.goto(`${server.url}/#/local`);
    const table = page.getByRole('table', { name: 'Brokers' });
    await table.getByRole('row').nth(3).waitFor();
    const rows = await table.getByRole('row').allTextContents();
    assert.equal(rows.length, 4, rows.join('\n'));
    for (const b of brokers) {
      const row = table.getByRole('row').filter({ hasText: String(b.port) });
      const cells = await row.getByRole('cell').allTextContents();
      assert.equal(cells[0], String(b.nodeId));
      assert.equal(cells[4], b.nodeId === controllerId ? 'yes' : '');
    }
    await screenshot(page, 'cluster-overview');
  });

  test('a killed broker makes the partitions under-replicated; its restart heals them', async () => {
    await admin.createTopics([{ name: 'replicated', numPartitions: 3, replicationFactor: 3 }]);
    const underReplicated = async () => {
      // A fresh load each time: the topics page reads the cluster once.
      await page.goto(`${server.url}/#/local/topics`);
      await page.reload();
      const row = page.getByRole('row').filter({ has: page.getByRole('link', { name: 'replicated', exact: true }) });
      await row.waitFor();
      const cells = await row.getByRole('cell').allTextContents();
      assert.equal(cells[2], '3', 'replication factor');
      return cells[3];
    };
    await waitUntil(async () => (await underReplicated()) === '0', 'every replica in sync', 60_000);

    // The topic page: three replicas of each partition, all in sync.
    const partitionCells = async () => {
      await page.goto(`${server.url}/#/local/topics/replicated`);
      await page.reload();
      const table = page.getByRole('table', { name: 'Partitions' });
      await table.getByRole('row').nth(3).waitFor();
      const rows = await table.getByRole('row').all();
      return Promise.all(rows.slice(1).map((r) => r.getByRole('cell').allTextContents()));
    };
    for (const cells of await partitionCells()) {
      assert.equal(cells[2]?.split(', ').length, 3, `replicas ${cells[2]}`);
      assert.equal(cells[3]?.split(', ').length, 3, `ISR ${cells[3]}`);
    }

    const { controllerId } = await admin.describeCluster();
    const victim = cluster.brokerIds.find((id) => id !== controllerId) as number;
    await cluster.kill(victim);
    await waitUntil(
      async () => (await underReplicated()) === '3',
      `broker ${victim}'s replicas out of the ISR`,
      60_000,
    );
    await screenshot(page, 'cluster-under-replicated');
    for (const cells of await partitionCells()) {
      assert.ok(!cells[3]?.split(', ').includes(String(victim)), `broker ${victim} still in the ISR ${cells[3]}`);
    }

    await cluster.startBroker(victim);
    await waitUntil(async () => (await underReplicated()) === '0', `broker ${victim} back in every ISR`, 90_000);
  });
});
