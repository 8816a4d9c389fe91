/**
 * `bin/samsa-console.sh` (`samsa console`): serves the web console for a real broker, answers the
 * API, and stops on SIGTERM; a missing --bootstrap-server is a usage error.
 */
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { BrokerProcess } from '@samsa/testkit';
import { RunningScript, script } from './cli-support.js';

describe('samsa console', () => {
  let broker: BrokerProcess;
  before(async () => {
    broker = await BrokerProcess.start();
  });
  after(async () => {
    await broker?.close();
  });

  test('serves the frontend and the API until SIGTERM', async () => {
    const served = new RunningScript('samsa-console.sh', ['--bootstrap-server', broker.bootstrap, '--port', '0']);
    try {
      const [line] = await served.waitForLines(1);
      const url = /listening on (http:\/\/\S+)/.exec(line ?? '')?.[1];
      assert.ok(url, line);
      const page = await fetch(url);
      assert.equal(page.status, 200);
      assert.match(await page.text(), /<title>Samsa console<\/title>/);
      const cluster = (await (await fetch(`${url}api/clusters/local`)).json()) as { brokers: unknown[] };
      assert.equal(cluster.brokers.length, 1);
    } finally {
      assert.equal(await served.interrupt(), 0);
    }
  });

  test('without --bootstrap-server prints the usage and exits 1', async () => {
    const result = await script('samsa-console.sh', []);
    assert.equal(result.code, 1);
    assert.match(result.stderr, /USAGE: samsa console --bootstrap-server/);
  });
});
