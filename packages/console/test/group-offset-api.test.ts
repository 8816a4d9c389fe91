/**
 * Deleting a group's committed offsets of one topic through the console, against a real broker:
 * the other topic's offsets stay; a topic without offsets is a 404; bad names are 400s.
 */
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { Admin } from '@samsa/client';
import { type ConsoleFixture, startConsole } from './support/console-fixture.js';

describe('console group offset deletion', () => {
  let fx: ConsoleFixture;
  let admin: Admin;
  before(async () => {
    fx = await startConsole();
    admin = new Admin({ 'bootstrap.servers': fx.broker.bootstrap });
  });
  after(async () => {
    await admin?.close();
    await fx?.close();
  });

  test("deletes one topic's offsets and keeps the others", async () => {
    for (const name of ['del-a', 'del-b']) {
      assert.equal(
        (await fx.call('POST', '/clusters/local/topics', { name, partitions: 2, replicationFactor: 1 })).status,
        201,
      );
    }
    await admin.alterConsumerGroupOffsets('del-group', [
      { topic: 'del-a', partition: 0, offset: 0n },
      { topic: 'del-a', partition: 1, offset: 0n },
      { topic: 'del-b', partition: 0, offset: 0n },
    ]);
    const deleted = await fx.call('DELETE', '/clusters/local/groups/del-group/offsets/del-a');
    assert.deepEqual(deleted, { status: 200, json: { groupId: 'del-group', topic: 'del-a', partitions: [0, 1] } });
    assert.deepEqual(
      (await admin.listConsumerGroupOffsets('del-group')).map((o) => `${o.topic}-${o.partition}`),
      ['del-b-0'],
    );
    const again = await fx.call('DELETE', '/clusters/local/groups/del-group/offsets/del-a');
    assert.equal(again.status, 404);
    const bad = await fx.call('DELETE', '/clusters/local/groups/del-group/offsets/bad%20name');
    assert.equal(bad.status, 400);
    assert.equal(typeof bad.json.message, 'string');
  });
});
