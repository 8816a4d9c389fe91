/**
 * ACLs end to end: one broker with Kafka's `authorizer.class.name`, `super.users=User:admin`, and
 * real principals from SASL/PLAIN (admin, alice) plus User:ANONYMOUS on the PLAINTEXT listener.
 * The admin (a super user) grants and revokes ACLs through the admin API between steps; KafkaJS
 * as alice (or anonymous) finds each API refused with Kafka's error until the ACL it needs exists,
 * and learns nothing it may not see (topic names) in the meantime.
 */
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import {
  buildRecordBatch,
  DescribeGroupsApi,
  ErrorCode,
  FindCoordinatorApi,
  ListGroupsApi,
  OffsetFetchApi,
  ProduceApi,
} from '@samsa/protocol';
import kafkajs, {
  type AclOperationTypes as AclOperationType,
  type AclResourceTypes as AclResourceType,
  type Admin,
  type Producer,
} from 'kafkajs';
import { RawClient } from '../support/raw-client.js';
import { PLAIN_USERS, type SecuredBroker, startSecuredBroker } from './security-support.js';

// biome-ignore lint/suspicious/noExplicitAny: decoded responses are checked field by field
type Body = Record<string, any>;

// kafkajs is CommonJS: its enums are reachable through the default export only.
const {
  AclOperationTypes,
  AclPermissionTypes,
  AclResourceTypes,
  ConfigResourceTypes,
  Kafka,
  logLevel,
  ResourcePatternTypes,
} = kafkajs;

type Principal = 'admin' | 'alice' | 'anonymous';

describe('ACL matrix: SASL/PLAIN principals against the ACL authorizer', () => {
  let env: SecuredBroker;
  const clients: { disconnect(): Promise<void> }[] = [];

  const kafka = (who: Principal) =>
    new Kafka({
      clientId: `acl-${who}`,
      brokers: [who === 'anonymous' ? env.plaintext : env.saslPlaintext],
      logLevel: logLevel.NOTHING,
      ...(who === 'anonymous'
        ? {}
        : { sasl: { mechanism: 'plain' as const, username: who, password: PLAIN_USERS[who] } }),
      retry: { retries: 0 },
    });
  const adminOf = async (who: Principal): Promise<Admin> => {
    const admin = kafka(who).admin();
    clients.push(admin);
    await admin.connect();
    return admin;
  };
  const producerOf = async (who: Principal, idempotent = false): Promise<Producer> => {
    // KafkaJS insists on retries for an idempotent producer; refusals are not retried anyway.
    const producer = kafka(who).producer({
      idempotent,
      allowAutoTopicCreation: false,
      ...(idempotent ? { retry: { retries: 1 } } : {}),
    });
    clients.push(producer);
    await producer.connect();
    return producer;
  };
  const acl = (
    principal: string,
    resourceType: AclResourceType,
    resourceName: string,
    operation: AclOperationType,
  ) => ({
    principal,
    host: '*',
    resourceType,
    resourceName,
    resourcePatternType: ResourcePatternTypes.LITERAL,
    operation,
    permissionType: AclPermissionTypes.ALLOW,
  });
  /**
   * The Kafka error name a rejected KafkaJS call carries (`type`, on the error or one it wraps as
   * `cause`/`originalError`), or else its message.
   */
  const failure = async (work: Promise<unknown>): Promise<string> => {
    try {
      await work;
    } catch (err) {
      type Wrapped = {
        type?: unknown;
        errors?: { type?: unknown }[];
        cause?: unknown;
        originalError?: unknown;
        message?: unknown;
      };
      let e = err as Wrapped | undefined;
      for (let depth = 0; e !== undefined && e !== null && depth < 5; depth++) {
        if (typeof e.type === 'string') return e.type;
        const inner = e.errors?.[0]?.type;
        if (typeof inner === 'string') return inner;
        e = (e.cause ?? e.originalError) as Wrapped | undefined;
      }
      return String((err as Wrapped).message ?? err);
    }
    return 'no error';
  };

  let admin: Admin;
  before(async () => {
    env = await startSecuredBroker({
      'num.partitions': 1,
      'auto.create.topics.enable': 'false',
      'authorizer.class.name': 'kafka.security.authorizer.AclAuthorizer',
      'super.users': 'User:admin',
    });
    admin = await adminOf('admin');
    assert.equal(await admin.createTopics({ topics: [{ topic: 'matrix', numPartitions: 1 }] }), true);
    const producer = await producerOf('admin');
    await producer.send({ topic: 'matrix', messages: [{ value: 'from-admin' }] });
  });
  after(async () => {
    for (const client of clients) await client.disconnect().catch(() => {});
    await env?.close();
  });

  test('without ACLs alice is refused everywhere and sees no topic', async () => {
    const alice = await adminOf('alice');
    assert.deepEqual(await alice.listTopics(), []);
    assert.equal(await failure(alice.fetchTopicMetadata({ topics: ['matrix'] })), 'TOPIC_AUTHORIZATION_FAILED');
    // A topic that does not exist answers the same: names do not leak.
    assert.equal(await failure(alice.fetchTopicMetadata({ topics: ['no-such'] })), 'TOPIC_AUTHORIZATION_FAILED');
    assert.equal(await failure(alice.createTopics({ topics: [{ topic: 'alices' }] })), 'TOPIC_AUTHORIZATION_FAILED');
    assert.equal(
      await failure(
        alice.describeConfigs({
          resources: [{ type: ConfigResourceTypes.TOPIC, name: 'matrix' }],
          includeSynonyms: false,
        }),
      ),
      'TOPIC_AUTHORIZATION_FAILED',
    );
    // (KafkaJS reports a group refused by FindCoordinator as "Failed to find group coordinator";
    // the exact group errors are checked with a raw connection below.)
    const producer = await producerOf('alice');
    assert.equal(
      await failure(producer.send({ topic: 'matrix', messages: [{ value: 'denied' }] })),
      'TOPIC_AUTHORIZATION_FAILED',
    );
    assert.equal(
      await failure(
        alice.describeAcls({
          resourceType: AclResourceTypes.ANY,
          resourcePatternType: ResourcePatternTypes.ANY,
          operation: AclOperationTypes.ANY,
          permissionType: AclPermissionTypes.ANY,
        }),
      ),
      'CLUSTER_AUTHORIZATION_FAILED',
    );
  });

  test('WRITE on the topic lets alice produce; READ on topic and group lets her consume', async () => {
    await admin.createAcls({ acl: [acl('User:alice', AclResourceTypes.TOPIC, 'matrix', AclOperationTypes.WRITE)] });
    const producer = await producerOf('alice');
    await producer.send({ topic: 'matrix', messages: [{ value: 'from-alice' }] });

    const alice = await adminOf('alice');
    // WRITE implies DESCRIBE: the topic is visible now.
    assert.deepEqual(await alice.listTopics(), ['matrix']);

    await admin.createAcls({
      acl: [
        acl('User:alice', AclResourceTypes.TOPIC, 'matrix', AclOperationTypes.READ),
        acl('User:alice', AclResourceTypes.GROUP, 'matrix-group', AclOperationTypes.READ),
      ],
    });
    const consumer = kafka('alice').consumer({ groupId: 'matrix-group', retry: { retries: 3 } });
    clients.push(consumer);
    await consumer.connect();
    await consumer.subscribe({ topic: 'matrix', fromBeginning: true });
    const seen: string[] = [];
    await new Promise<void>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`consumed only ${seen.join(',')}`)), 30000);
      consumer
        .run({
          eachMessage: async ({ message }) => {
            seen.push(message.value?.toString() ?? '');
            if (seen.length === 2) {
              clearTimeout(timer);
              resolve();
            }
          },
        })
        .catch(reject);
    });
    await consumer.disconnect();
    assert.deepEqual(seen, ['from-admin', 'from-alice']);
    const committed = await alice.fetchOffsets({ groupId: 'matrix-group', topics: ['matrix'] });
    assert.equal(committed[0]?.partitions[0]?.offset, '2');
  });

  test('revoking the ACLs takes effect at once', async () => {
    await admin.deleteAcls({
      filters: [
        {
          principal: 'User:alice',
          resourceType: AclResourceTypes.ANY,
          resourcePatternType: ResourcePatternTypes.ANY,
          operation: AclOperationTypes.ANY,
          permissionType: AclPermissionTypes.ANY,
        },
      ],
    });
    const producer = await producerOf('alice');
    assert.equal(
      await failure(producer.send({ topic: 'matrix', messages: [{ value: 'denied-again' }] })),
      'TOPIC_AUTHORIZATION_FAILED',
    );
    const alice = await adminOf('alice');
    assert.deepEqual(await alice.listTopics(), []);
  });

  test('CREATE on the cluster lets alice create topics; idempotence needs IDEMPOTENT_WRITE or WRITE', async () => {
    await admin.createAcls({
      acl: [acl('User:alice', AclResourceTypes.CLUSTER, 'kafka-cluster', AclOperationTypes.CREATE)],
    });
    const alice = await adminOf('alice');
    // Created; waiting for its leaders would need DESCRIBE on it, which CREATE does not give.
    assert.equal(await alice.createTopics({ topics: [{ topic: 'alices' }], waitForLeaders: false }), true);
    assert.equal(await failure(alice.fetchTopicMetadata({ topics: ['alices'] })), 'TOPIC_AUTHORIZATION_FAILED');
    // An idempotent producer's InitProducerId: neither IDEMPOTENT_WRITE nor WRITE on any topic.
    assert.equal(await failure(producerOf('alice', true)), 'CLUSTER_AUTHORIZATION_FAILED');
    await admin.createAcls({ acl: [acl('User:alice', AclResourceTypes.TOPIC, 'alices', AclOperationTypes.WRITE)] });
    const allowed = await producerOf('alice', true);
    await allowed.send({ topic: 'alices', messages: [{ value: 'idempotent' }] });
  });

  test('over PLAINTEXT every client is User:ANONYMOUS, under the same ACLs', async () => {
    const anonymous = await adminOf('anonymous');
    assert.deepEqual(await anonymous.listTopics(), []);
    await admin.createAcls({
      acl: [acl('User:ANONYMOUS', AclResourceTypes.TOPIC, 'matrix', AclOperationTypes.DESCRIBE)],
    });
    assert.deepEqual(await anonymous.listTopics(), ['matrix']);
    const producer = await producerOf('anonymous');
    assert.equal(
      await failure(producer.send({ topic: 'matrix', messages: [{ value: 'anon' }] })),
      'TOPIC_AUTHORIZATION_FAILED',
    );
  });

  test('the group APIs at the protocol level: refused groups, hidden groups and offsets', async () => {
    const raw = await RawClient.connect(Number(env.plaintext.split(':')[1]));
    try {
      const find = async () =>
        (await raw.send<Body>(FindCoordinatorApi, 4, { keyType: 0, coordinatorKeys: ['matrix-group'] })).coordinators[0]
          .errorCode;
      const offsets = () =>
        raw.send<Body>(OffsetFetchApi, 8, {
          groups: [{ groupId: 'matrix-group', topics: null }],
          requireStable: false,
        });
      const listed = async () =>
        (await raw.send<Body>(ListGroupsApi, 4, { statesFilter: [] })).groups.map((g: Body) => g.groupId);
      assert.equal(await find(), ErrorCode.GROUP_AUTHORIZATION_FAILED);
      assert.equal((await offsets()).groups[0].errorCode, ErrorCode.GROUP_AUTHORIZATION_FAILED);
      const described = await raw.send<Body>(DescribeGroupsApi, 5, {
        groups: ['matrix-group'],
        includeAuthorizedOperations: true,
      });
      assert.equal(described.groups[0].errorCode, ErrorCode.GROUP_AUTHORIZATION_FAILED);
      // The group alice consumed in exists, but is not listed to a principal that may not see it.
      assert.deepEqual(await listed(), []);

      await admin.createAcls({
        acl: [acl('User:ANONYMOUS', AclResourceTypes.GROUP, 'matrix-group', AclOperationTypes.DESCRIBE)],
      });
      assert.equal(await find(), ErrorCode.NONE);
      assert.deepEqual(await listed(), ['matrix-group']);
      // Offsets of topics ANONYMOUS may describe ('matrix', granted above) are shown, others not.
      const visible = await offsets();
      assert.equal(visible.groups[0].errorCode, ErrorCode.NONE);
      assert.deepEqual(
        visible.groups[0].topics.map((t: Body) => [t.name, t.partitions[0].committedOffset]),
        [['matrix', 2n]],
      );
      const withOps = await raw.send<Body>(DescribeGroupsApi, 5, {
        groups: ['matrix-group'],
        includeAuthorizedOperations: true,
      });
      assert.equal(withOps.groups[0].errorCode, ErrorCode.NONE);
      assert.equal(withOps.groups[0].authorizedOperations, 1 << AclOperationTypes.DESCRIBE);

      // Produce to a topic that does not exist, without WRITE: refused, not UNKNOWN_TOPIC_OR_PARTITION.
      const produced = await raw.send<Body>(ProduceApi, 9, {
        acks: -1,
        timeoutMs: 5000,
        transactionalId: null,
        topicData: [
          {
            name: 'no-such-topic',
            partitionData: [
              { index: 0, records: buildRecordBatch({ records: [{ key: null, value: Buffer.from('x') }] }) },
            ],
          },
        ],
      });
      assert.equal(produced.responses[0].partitionResponses[0].errorCode, ErrorCode.TOPIC_AUTHORIZATION_FAILED);
    } finally {
      raw.close();
    }
  });
});
