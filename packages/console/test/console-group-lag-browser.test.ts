/**
 * The group page's lag chart and per-topic offset deletion in a real browser (Debian's Chromium)
 * against a real broker: a group's lag drops to 0 on the chart once its consumer catches up;
 * deleting a topic's offsets is refused (409) while the group's consumer is subscribed to it and
 * done after it left.
 */
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { Admin, Consumer, Producer } from '@samsa/client';
import type { Page } from 'playwright-core';
import { type Browser, launchChromium } from './support/browser.js';
import { type ConsoleFixture, startConsole } from './support/console-fixture.js';
import { screenshot } from './support/screenshot.js';

describe('group lag chart and offset deletion in a browser', () => {
  let fx: ConsoleFixture;
  let browser: Browser;
  let page: Page;
  let admin: Admin;
  before(async () => {
    browser = await launchChromium();
    fx = await startConsole();
    admin = new Admin({ 'bootstrap.servers': fx.broker.bootstrap });
    await fx.call('POST', '/clusters/local/topics', { name: 'lag-a', partitions: 2, replicationFactor: 1 });
    await fx.call('POST', '/clusters/local/topics', { name: 'lag-b', partitions: 1, replicationFactor: 1 });
    const producer = new Producer<string, string>({
      'bootstrap.servers': fx.broker.bootstrap,
      keySerializer: 'string',
      valueSerializer: 'string',
    });
    try {
      for (let i = 0; i < 20; i++) await producer.send({ topic: 'lag-a', partition: i % 2, value: `a${i}` });
      for (let i = 0; i < 5; i++) await producer.send({ topic: 'lag-b', partition: 0, value: `b${i}` });
    } finally {
      await producer.close();
    }
    // Committed at the start: the group exists (Empty) with a lag of 25.
    await admin.alterConsumerGroupOffsets('lag-group', [
      { topic: 'lag-a', partition: 0, offset: 0n },
      { topic: 'lag-a', partition: 1, offset: 0n },
      { topic: 'lag-b', partition: 0, offset: 0n },
    ]);
    page = await browser.context.newPage();
    page.setDefaultTimeout(20000);
  });
  after(async () => {
    await browser?.close();
    await admin?.close();
    await fx?.close();
  });

  test("the chart's latest point drops to 0 as the consumer catches up; offsets deleted after it left", async () => {
    await page.goto(`${fx.server.url}/#/local/groups/lag-group`);
    await page.getByTestId('lag-now').filter({ hasText: '25 record(s)' }).waitFor();
    assert.deepEqual(await page.getByTestId('lag-topic').allTextContents(), ['lag-a: 20', 'lag-b: 5']);
    const consumer = new Consumer({
      'bootstrap.servers': fx.broker.bootstrap,
      'group.id': 'lag-group',
      'enable.auto.commit': false,
    });
    let polling = true;
    let loop: Promise<void> | undefined;
    try {
      consumer.subscribe(['lag-a', 'lag-b']);
      let seen = 0;
      while (seen < 25) seen += (await consumer.poll({ timeoutMs: 1000 })).length;
      await consumer.commitSync();
      // Keeps the member alive while the browser looks.
      loop = (async () => {
        while (polling) await consumer.poll({ timeoutMs: 200 });
      })();
      await page
        .getByTestId('lag-now')
        .filter({ hasText: /^0 record\(s\)$/ })
        .waitFor();
      assert.deepEqual(await page.getByTestId('lag-topic').allTextContents(), ['lag-a: 0', 'lag-b: 0']);
      assert.ok(
        (await page.getByRole('img', { name: 'Total lag over time, latest 0 record(s)' }).count()) === 1,
        'the chart is labelled with its latest point',
      );
      await page.getByRole('button', { name: 'Refresh' }).click();
      await page.getByTestId('group-state').filter({ hasText: 'Stable' }).waitFor();
      await screenshot(
        page,
        'group-lag',
        page.locator('section', { has: page.getByRole('heading', { name: 'Lag over time' }) }),
      );
      page.once('dialog', (dialog) => void dialog.accept());
      const topicRow = (t: string) =>
        page.getByRole('table', { name: 'Committed topics' }).getByRole('row').filter({ hasText: t });
      await topicRow('lag-a').getByRole('button', { name: 'Delete offsets' }).click();
      await page
        .getByRole('alert')
        .filter({ hasText: /subscribed|GROUP_SUBSCRIBED_TO_TOPIC/i })
        .waitFor();
      assert.equal((await admin.listConsumerGroupOffsets('lag-group')).length, 3);
    } finally {
      polling = false;
      await loop;
      await consumer.close();
    }
    await page.getByRole('button', { name: 'Refresh' }).click();
    await page.getByTestId('group-state').filter({ hasText: 'Empty' }).waitFor();
    let asked = '';
    page.once('dialog', (dialog) => {
      asked = dialog.message();
      void dialog.accept();
    });
    await page
      .getByRole('table', { name: 'Committed topics' })
      .getByRole('row')
      .filter({ hasText: 'lag-a' })
      .getByRole('button', { name: 'Delete offsets' })
      .click();
    await page.getByRole('status').filter({ hasText: 'Offsets of lag-a deleted' }).waitFor();
    assert.equal(asked, 'Delete the committed offsets of group lag-group for topic lag-a?');
    await page
      .getByRole('table', { name: 'Committed topics' })
      .getByRole('row')
      .filter({ hasText: 'lag-a' })
      .waitFor({ state: 'detached' });
    assert.deepEqual(
      (await admin.listConsumerGroupOffsets('lag-group')).map((o) => `${o.topic}-${o.partition}`),
      ['lag-b-0'],
    );
  });

  test('a dismissed confirmation deletes nothing', async () => {
    page.once('dialog', (dialog) => void dialog.dismiss());
    await page
      .getByRole('table', { name: 'Committed topics' })
      .getByRole('row')
      .filter({ hasText: 'lag-b' })
      .getByRole('button', { name: 'Delete offsets' })
      .click();
    await new Promise((r) => setTimeout(r, 500));
    assert.equal((await admin.listConsumerGroupOffsets('lag-group')).length, 1);
  });
});
