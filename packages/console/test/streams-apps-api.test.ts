/**
 * Kafka Streams applications recognised by the console against a real broker: a group whose id
 * prefixes `-changelog`/`-repartition` topics is an app, shown with those topics; other groups
 * are not.
 */
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { Admin } from '@samsa/client';
import { type ConsoleFixture, startConsole } from './support/console-fixture.js';

describe('console Streams apps', () => {
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

  test('groups with internal topics are apps, shown with their topics', async () => {
    const topics = [
      'wordcount-input',
      'wordcount-KSTREAM-AGGREGATE-STATE-STORE-0000000003-changelog',
      'wordcount-KSTREAM-AGGREGATE-STATE-STORE-0000000003-repartition',
      'other-changelog',
    ];
    for (const name of topics) {
      assert.equal(
        (await fx.call('POST', '/clusters/local/topics', { name, partitions: 1, replicationFactor: 1 })).status,
        201,
      );
    }
    await admin.alterConsumerGroupOffsets('wordcount', [{ topic: 'wordcount-input', partition: 0, offset: 0n }]);
    await admin.alterConsumerGroupOffsets('plain-group', [{ topic: 'wordcount-input', partition: 0, offset: 0n }]);
    const { status, json } = await fx.call('GET', '/clusters/local/streams-apps');
    assert.equal(status, 200);
    assert.deepEqual(json.apps, [
      {
        applicationId: 'wordcount',
        group: { state: 'Empty', members: 0 },
        internalTopics: [
          { name: 'wordcount-KSTREAM-AGGREGATE-STATE-STORE-0000000003-changelog', kind: 'changelog' },
          { name: 'wordcount-KSTREAM-AGGREGATE-STATE-STORE-0000000003-repartition', kind: 'repartition' },
        ],
      },
    ]);
  });
});
