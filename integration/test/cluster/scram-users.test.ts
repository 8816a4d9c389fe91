/**
 * SCRAM users in a ZooKeeper cluster (2 brokers): an alteration made on one broker is stored in
 * Kafka's layout (`/config/users/<sanitized user>`, a `users/<user>` change notification), is
 * described by the other broker at once, reaches every broker's logins through the notification,
 * and is loaded by a broker that restarts.
 */
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { after, before, describe, test } from 'node:test';
import { type KafkaZkClient, ZkData } from '@samsa/broker';
import { Admin, ErrorCode } from '@samsa/client';
import {
  AlterUserScramCredentialsApi,
  type AlterUserScramCredentialsResponse,
  createScramCredential,
  DescribeUserScramCredentialsApi,
  type DescribeUserScramCredentialsResponse,
  parseScramCredential,
  SCRAM_MECHANISMS,
  scramSaltedPassword,
} from '@samsa/protocol';
import { KafkaCluster } from '@samsa/testkit';
import { canLogIn } from '../security/scram-support.js';
import { RawClient } from '../support/raw-client.js';
import { controllerId, eventually, zkClient } from './cluster-support.js';

describe('SCRAM users in a ZooKeeper cluster', () => {
  let cluster: KafkaCluster;
  let zk: KafkaZkClient;
  /** A broker that is not the controller, and the other one. */
  let a: number;
  let b: number;

  const sasl = (id: number) => `127.0.0.1:${cluster.broker(id).portOf('SASL_PLAINTEXT')}`;
  const raw = (id: number) => RawClient.connect(cluster.ports.get(id) as number);

  before(async () => {
    cluster = await KafkaCluster.start({
      brokers: 2,
      extraListeners: ['SASL_PLAINTEXT://127.0.0.1:0'],
      properties: {
        'sasl.enabled.mechanisms': 'SCRAM-SHA-256,SCRAM-SHA-512',
        'connection.failed.authentication.delay.ms': 50,
      },
    });
    zk = await zkClient(cluster);
    const controller = await eventually(
      async () => {
        const id = await controllerId(zk);
        return id >= 0 ? id : undefined;
      },
      15000,
      'a controller',
    );
    b = controller;
    a = controller === 0 ? 1 : 0;
  });
  after(async () => {
    zk?.close();
    await cluster?.close();
  });

  test("an alteration on a non-controller broker is written in Kafka's znode layout and described by the other broker", async () => {
    const salt = randomBytes(20);
    const client = await raw(a);
    try {
      const altered = await client.send<AlterUserScramCredentialsResponse>(AlterUserScramCredentialsApi, 0, {
        deletions: [],
        upsertions: [
          {
            name: 'alice',
            mechanism: SCRAM_MECHANISMS['SCRAM-SHA-256'].type,
            iterations: 8192,
            salt,
            saltedPassword: scramSaltedPassword('SCRAM-SHA-256', 'alice-secret', salt, 8192),
          },
        ],
      });
      assert.deepEqual(
        altered.results.map((r) => [r.user, r.errorCode]),
        [['alice', ErrorCode.NONE]],
      );
    } finally {
      client.close();
    }

    const znode = await zk.getData(ZkData.ConfigEntityZNode.path(ZkData.ConfigType.User, 'alice'));
    assert.ok(znode, '/config/users/alice exists');
    const json = JSON.parse(znode.data.toString('utf8')) as { version: number; config: Record<string, string> };
    assert.equal(json.version, 1);
    assert.deepEqual(Object.keys(json.config), ['SCRAM-SHA-256']);
    const text = json.config['SCRAM-SHA-256'] as string;
    assert.match(text, /^salt=[A-Za-z0-9+/=]+,stored_key=[A-Za-z0-9+/=]+,server_key=[A-Za-z0-9+/=]+,iterations=8192$/);
    assert.deepEqual(parseScramCredential(text), createScramCredential('SCRAM-SHA-256', 'alice-secret', 8192, salt));
    const notifications = (await zk.getChildren(ZkData.ConfigChangeNotificationZNode.path)) ?? [];
    const entityPaths = await Promise.all(
      notifications.map(async (n) => {
        const found = await zk.getData(`${ZkData.ConfigChangeNotificationZNode.path}/${n}`);
        return found === undefined ? undefined : (JSON.parse(found.data.toString('utf8')) as { entity_path: string });
      }),
    );
    assert.ok(
      entityPaths.some((p) => p?.entity_path === 'users/alice'),
      JSON.stringify(entityPaths),
    );

    const other = await raw(b);
    try {
      const described = await other.send<DescribeUserScramCredentialsResponse>(DescribeUserScramCredentialsApi, 0, {
        users: [{ name: 'alice' }],
      });
      assert.equal(described.errorCode, ErrorCode.NONE);
      assert.deepEqual(
        described.results.map((r) => [r.user, r.errorCode, r.credentialInfos.map((c) => [c.mechanism, c.iterations])]),
        [['alice', ErrorCode.NONE, [[SCRAM_MECHANISMS['SCRAM-SHA-256'].type, 8192]]]],
      );
    } finally {
      other.close();
    }
  });

  test('every broker logs the user in once notified; a user name with special characters is URL-encoded in its znode', async () => {
    for (const id of [a, b]) {
      await eventually(
        () => canLogIn(sasl(id), 'scram-sha-256', 'alice', 'alice-secret'),
        15000,
        `alice on broker ${id}`,
      );
    }
    const admin = new Admin({ 'bootstrap.servers': cluster.bootstrap });
    try {
      const user = 'User:bob smith/é';
      assert.deepEqual(
        await admin.alterUserScramCredentials([{ user, mechanism: 'SCRAM-SHA-512', password: 'bob-secret' }]),
        [{ user, error: null }],
      );
      const path = ZkData.ConfigEntityZNode.path(ZkData.ConfigType.User, 'User%3Abob%20smith%2F%C3%A9');
      assert.ok(await zk.getData(path), `${path} exists`);
      assert.deepEqual(await admin.describeUserScramCredentials([user]), [
        { user, credentialInfos: [{ mechanism: 'SCRAM-SHA-512', iterations: 4096 }] },
      ]);
      for (const id of [a, b]) {
        await eventually(() => canLogIn(sasl(id), 'scram-sha-512', user, 'bob-secret'), 15000, `bob on broker ${id}`);
      }
    } finally {
      await admin.close();
    }
  });

  test('a restarted broker loads the users from ZooKeeper; a deletion reaches every broker', async () => {
    await cluster.restart(a);
    // No notification after the restart: the users come from the startup load.
    assert.equal(await canLogIn(sasl(a), 'scram-sha-256', 'alice', 'alice-secret'), true);
    assert.equal(await canLogIn(sasl(a), 'scram-sha-256', 'alice', 'wrong'), false);

    const admin = new Admin({ 'bootstrap.servers': cluster.bootstrap });
    try {
      assert.deepEqual(await admin.alterUserScramCredentials([{ user: 'alice', mechanism: 'SCRAM-SHA-256' }]), [
        { user: 'alice', error: null },
      ]);
      assert.deepEqual(await admin.describeUserScramCredentials(['alice']), []);
      for (const id of [a, b]) {
        await eventually(
          async () => !(await canLogIn(sasl(id), 'scram-sha-256', 'alice', 'alice-secret')),
          15000,
          `alice refused on broker ${id}`,
        );
      }
      const znode = await zk.getData(ZkData.ConfigEntityZNode.path(ZkData.ConfigType.User, 'alice'));
      assert.deepEqual(JSON.parse(znode?.data.toString('utf8') ?? '{}'), { version: 1, config: {} });
    } finally {
      await admin.close();
    }
  });
});
