/**
 * Client quotas in a ZooKeeper cluster (2 brokers): AlterClientQuotas on one broker writes Kafka's
 * layout (`/config/users/<user>`, `/config/users/<user>/clients/<client>`, `/config/clients/…`,
 * beside a user's SCRAM credentials, which stay), the other broker follows the change notification
 * and throttles the client too, and a restarted broker loads the quotas from ZooKeeper.
 */
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import type { KafkaZkClient } from '@samsa/broker';
import {
  AlterClientQuotasApi,
  AlterUserScramCredentialsApi,
  DescribeClientQuotasApi,
  ErrorCode,
  scramSaltedPassword,
} from '@samsa/protocol';
import { KafkaCluster } from '@samsa/testkit';
import { RawClient } from '../support/raw-client.js';
import { eventually, zkClient } from './cluster-support.js';

// biome-ignore lint/suspicious/noExplicitAny: decoded bodies are checked field by field
type Body = any;

describe('client quotas in a ZooKeeper cluster', () => {
  let cluster: KafkaCluster;
  let zk: KafkaZkClient;

  const raw = (id: number) => RawClient.connect(cluster.ports.get(id) as number);
  const znode = async (path: string): Promise<Record<string, string> | undefined> => {
    const found = await zk.getData(path);
    return found === undefined ? undefined : (JSON.parse(found.data.toString('utf8')).config as Record<string, string>);
  };
  const describeOn = async (id: number, user: string): Promise<Body> => {
    const client = await raw(id);
    try {
      return await client.send(DescribeClientQuotasApi, 1, {
        components: [{ entityType: 'user', matchType: 0, match: user }],
        strict: false,
      });
    } finally {
      client.close();
    }
  };

  before(async () => {
    cluster = await KafkaCluster.start({ brokers: 2 });
    zk = await zkClient(cluster);
  });
  after(async () => {
    zk?.close();
    await cluster?.close();
  });

  test('quotas go to ZooKeeper in Kafka layout, keep SCRAM entries, and reach the other broker', async () => {
    const admin = await raw(0);
    try {
      const salt = Buffer.from('0123456789abcdef');
      const scram: Body = await admin.send(AlterUserScramCredentialsApi, 0, {
        deletions: [],
        upsertions: [
          {
            name: 'alice',
            mechanism: 1,
            iterations: 4096,
            salt,
            saltedPassword: scramSaltedPassword('SCRAM-SHA-256', 'alice-secret', salt, 4096),
          },
        ],
      });
      assert.equal(scram.results[0].errorCode, ErrorCode.NONE);
      const altered: Body = await admin.send(AlterClientQuotasApi, 1, {
        entries: [
          {
            entity: [{ entityType: 'user', entityName: 'alice' }],
            ops: [{ key: 'producer_byte_rate', value: 1024, remove: false }],
          },
          {
            entity: [
              { entityType: 'user', entityName: 'alice' },
              { entityType: 'client-id', entityName: 'app' },
            ],
            ops: [{ key: 'consumer_byte_rate', value: 2048, remove: false }],
          },
          {
            entity: [{ entityType: 'client-id', entityName: null }],
            ops: [{ key: 'request_percentage', value: 50, remove: false }],
          },
        ],
        validateOnly: false,
      });
      assert.deepEqual(
        altered.entries.map((e: Body) => e.errorCode),
        [ErrorCode.NONE, ErrorCode.NONE, ErrorCode.NONE],
      );
    } finally {
      admin.close();
    }
    const alice = await znode('/config/users/alice');
    assert.equal(alice?.producer_byte_rate, '1024');
    assert.match(alice?.['SCRAM-SHA-256'] ?? '', /^salt=.*,stored_key=.*,server_key=.*,iterations=4096$/);
    assert.deepEqual(await znode('/config/users/alice/clients/app'), { consumer_byte_rate: '2048' });
    assert.deepEqual(await znode('/config/clients/<default>'), { request_percentage: '50' });
    // The other broker learns of it through /config/changes.
    const seen = await eventually(
      async () => {
        const r = await describeOn(1, 'alice');
        return r.entries.length === 2 ? r : undefined;
      },
      15000,
      'broker 1 to see the quotas',
    );
    const byEntity = new Map(
      seen.entries.map((e: Body) => [e.entity.map((x: Body) => `${x.entityType}=${x.entityName}`).join(','), e.values]),
    );
    assert.deepEqual(byEntity.get('user=alice'), [{ key: 'producer_byte_rate', value: 1024 }]);
    assert.deepEqual(byEntity.get('user=alice,client-id=app'), [{ key: 'consumer_byte_rate', value: 2048 }]);
  });

  test('removing a quota keeps the SCRAM credential; a restarted broker loads what is left', async () => {
    const admin = await raw(1);
    try {
      const removed: Body = await admin.send(AlterClientQuotasApi, 1, {
        entries: [
          {
            entity: [{ entityType: 'user', entityName: 'alice' }],
            ops: [{ key: 'producer_byte_rate', value: 0, remove: true }],
          },
        ],
        validateOnly: false,
      });
      assert.equal(removed.entries[0].errorCode, ErrorCode.NONE);
    } finally {
      admin.close();
    }
    const alice = await znode('/config/users/alice');
    assert.equal(alice?.producer_byte_rate, undefined);
    assert.ok(alice?.['SCRAM-SHA-256'] !== undefined);
    await cluster.restart(0);
    const after0 = await eventually(
      async () => {
        const r = await describeOn(0, 'alice');
        return r.entries.length === 1 ? r : undefined;
      },
      20000,
      'the restarted broker to load the quotas',
    );
    assert.deepEqual(after0.entries[0].values, [{ key: 'consumer_byte_rate', value: 2048 }]);
  });
});
