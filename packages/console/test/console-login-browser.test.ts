/**
 * Login and roles in a real browser (Debian's Chromium) against a real Samsa broker: a viewer sees
 * no delete button and the API refuses the delete anyway; an admin deletes the topic and finds the
 * change on the audit log page. Two cluster entries (the same broker twice) show the switcher.
 */
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { setTimeout as delay } from 'node:timers/promises';
import { Admin } from '@samsa/client';
import { BrokerProcess } from '@samsa/testkit';
import type { Page } from 'playwright-core';
import type { ConsoleServer } from '../src/console-server.js';
import { type Browser, launchChromium } from './support/browser.js';
import { ApiClient, startLoginConsole, testUsers } from './support/login-fixture.js';
import { screenshot } from './support/screenshot.js';

describe('console login in a browser', () => {
  let browser: Browser;
  let broker: BrokerProcess;
  let server: ConsoleServer;
  let page: Page;
  before(async () => {
    browser = await launchChromium();
    broker = await BrokerProcess.start({ properties: { 'num.partitions': 1 } });
    server = await startLoginConsole(broker, await testUsers(), {
      clusters: [
        { name: 'local', bootstrapServers: broker.bootstrap },
        { name: 'other', bootstrapServers: broker.bootstrap },
      ],
    });
    const admin = new ApiClient(server.url);
    await admin.login('admin', 'admin-pw');
    const created = await admin.change('POST', '/clusters/local/topics', { name: 'victim', partitions: 1 });
    assert.equal(created.status, 201, JSON.stringify(created.json));
    page = await browser.context.newPage();
    page.setDefaultTimeout(15000);
  });
  after(async () => {
    await browser?.close();
    await server?.close();
    await broker?.close();
  });

  const logIn = async (user: string, password: string) => {
    await page.getByLabel('User name').fill(user);
    await page.getByLabel('Password').fill(password);
    await page.getByRole('button', { name: 'Log in' }).click();
  };

  test('the login form comes first; a wrong password is refused with a message', async () => {
    await page.goto(`${server.url}/`);
    await page.getByRole('form', { name: 'Log in' }).waitFor();
    assert.equal(await page.getByRole('navigation', { name: 'Main' }).count(), 0);
    await logIn('viewer', 'wrong');
    await page.getByRole('alert').filter({ hasText: 'wrong user name or password' }).waitFor();
    await logIn('viewer', 'viewer-pw');
    await page.getByTestId('current-user').filter({ hasText: 'viewer (viewer)' }).waitFor();
    await screenshot(page, 'login-viewer');
  });

  test('a viewer sees no delete button, no create form, no audit log; the API refuses the delete', async () => {
    await page.goto(`${server.url}/#/local/topics/victim`);
    await page.getByRole('heading', { name: 'Topic victim' }).waitFor();
    await page.getByRole('table', { name: 'Partitions' }).waitFor();
    assert.equal(await page.getByRole('button', { name: 'Delete topic' }).count(), 0);
    assert.equal(await page.getByRole('button', { name: 'Add partitions' }).count(), 0);
    assert.equal(await page.getByRole('link', { name: 'Audit log' }).count(), 0);
    await page.getByRole('link', { name: 'Topics' }).click();
    await page.getByRole('link', { name: 'victim' }).waitFor();
    assert.equal(await page.getByText('Create topic').count(), 0);
    // The browser's own session, CSRF token and all: the server refuses, not only the page.
    const answer = await page.evaluate(async () => {
      const me = (await (await fetch('/api/me')).json()) as { csrfToken: string };
      const response = await fetch('/api/clusters/local/topics/victim', {
        method: 'DELETE',
        headers: { 'x-csrf-token': me.csrfToken },
      });
      return { status: response.status, body: (await response.json()) as { message: string } };
    });
    assert.equal(answer.status, 403);
    assert.match(answer.body.message, /needs admin/);
  });

  test('the cluster switcher lists both clusters and changes cluster', async () => {
    const switcher = page.getByRole('combobox', { name: 'Cluster' });
    assert.deepEqual(await switcher.locator('option').allTextContents(), ['local', 'other']);
    await switcher.selectOption('other');
    await page.getByRole('heading', { name: 'Cluster other' }).waitFor();
    assert.match(page.url(), /#\/other$/);
  });

  test('log out, log in as admin, delete the topic, find it on the audit log page', async () => {
    await page.getByRole('button', { name: 'Log out' }).click();
    await page.getByRole('form', { name: 'Log in' }).waitFor();
    await logIn('admin', 'admin-pw');
    await page.getByTestId('current-user').filter({ hasText: 'admin (admin)' }).waitFor();
    await page.goto(`${server.url}/#/local/topics/victim`);
    await page.getByRole('table', { name: 'Partitions' }).waitFor();
    page.once('dialog', (dialog) => void dialog.accept());
    await page.getByRole('button', { name: 'Delete topic' }).click();
    await page.waitForURL(/#\/local\/topics$/);
    const admin = new Admin({ 'bootstrap.servers': broker.bootstrap });
    try {
      const deadline = Date.now() + 10000;
      while ((await admin.listTopics()).includes('victim') && Date.now() < deadline) await delay(100);
      assert.ok(!(await admin.listTopics()).includes('victim'), 'the topic is gone from the broker');
    } finally {
      await admin.close();
    }
    await page.getByRole('link', { name: 'Audit log' }).click();
    await page.getByRole('heading', { name: 'Audit log' }).waitFor();
    const row = page.getByRole('row').filter({ hasText: '/api/clusters/local/topics/victim' });
    await row.waitFor();
    const cells = await row.getByRole('cell').allTextContents();
    assert.deepEqual(cells.slice(1), ['admin', 'admin', 'DELETE', '/api/clusters/local/topics/victim', '204']);
    await screenshot(page, 'audit-log');
  });
});
