/**
 * ACLs on a single node (Kafka's AclAuthorizer semantics, kept in samsa-metadata.json): the admin
 * client's createAcls / describeAcls / deleteAcls, kafka-acls.sh with Kafka's output, the answers
 * of a broker without authorizer, cluster authorization of the ACL APIs, and persistence across a
 * restart. Over PLAINTEXT every client is User:ANONYMOUS.
 */
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { Admin, ErrorCode, KafkaError } from '@samsa/client';
import { BrokerProcess } from '@samsa/testkit';
import { script } from '../cli/cli-support.js';

const ACL_AUTHORIZER = {
  'authorizer.class.name': 'kafka.security.authorizer.AclAuthorizer',
  'allow.everyone.if.no.acl.found': true,
};

function acls(args: readonly string[], input = '') {
  return script('kafka-acls.sh', args, input);
}

const sorted = <T>(items: readonly T[]) => [...items].map((x) => JSON.stringify(x)).sort();

describe('ACLs on a single node', () => {
  let broker: BrokerProcess;
  let admin: Admin;

  before(async () => {
    broker = await BrokerProcess.start({ properties: { ...ACL_AUTHORIZER, 'super.users': 'User:ANONYMOUS' } });
    admin = new Admin({ 'bootstrap.servers': broker.bootstrap });
  });
  after(async () => {
    await admin?.close();
    await broker?.close();
  });

  test('the admin client creates, describes (ANY, MATCH, entry filters) and deletes ACLs', async () => {
    await admin.createAcls([
      {
        resourceType: 'TOPIC',
        resourceName: 'orders',
        principal: 'User:alice',
        operation: 'READ',
        permissionType: 'ALLOW',
      },
      {
        resourceType: 'TOPIC',
        resourceName: 'ord',
        patternType: 'PREFIXED',
        principal: 'User:bob',
        host: '10.0.0.1',
        operation: 'WRITE',
        permissionType: 'DENY',
      },
      { resourceType: 'GROUP', resourceName: '*', principal: 'User:alice', operation: 'READ', permissionType: 'ALLOW' },
    ]);
    const all = await admin.describeAcls();
    assert.equal(all.length, 3);
    assert.deepEqual(
      (await admin.describeAcls({ resourceType: 'TOPIC', resourceName: 'orders', patternType: 'MATCH' }))
        .map((b) => `${b.patternType}:${b.resourceName}:${b.principal}:${b.operation}:${b.permissionType}:${b.host}`)
        .sort(),
      ['LITERAL:orders:User:alice:READ:ALLOW:*', 'PREFIXED:ord:User:bob:WRITE:DENY:10.0.0.1'],
    );
    assert.deepEqual(
      (await admin.describeAcls({ resourceName: 'ord', patternType: 'ANY' })).map((b) => b.resourceName),
      ['ord'],
    );
    assert.deepEqual(
      (await admin.describeAcls({ principal: 'User:alice', operation: 'READ' })).map((b) => b.resourceType).sort(),
      ['GROUP', 'TOPIC'],
    );
    const [deleted, none] = await admin.deleteAcls([{ principal: 'User:alice' }, { resourceType: 'USER' }]);
    assert.deepEqual(deleted?.matchingAcls.map((b) => `${b.resourceType}:${b.resourceName}`).sort(), [
      'GROUP:*',
      'TOPIC:orders',
    ]);
    assert.deepEqual(none?.matchingAcls, []);
    assert.deepEqual(
      (await admin.describeAcls()).map((b) => b.principal),
      ['User:bob'],
    );
    await admin.deleteAcls([{}]);
    assert.deepEqual(await admin.describeAcls(), []);
  });

  test('invalid bindings are refused with INVALID_REQUEST', async () => {
    const refused = async (binding: Parameters<Admin['createAcls']>[0][number]) => {
      const error = await admin.createAcls([binding]).then(
        () => undefined,
        (e: unknown) => e,
      );
      assert.ok(error instanceof KafkaError, String(error));
      assert.equal(error.errorCode, ErrorCode.INVALID_REQUEST);
      return error.message;
    };
    const base = { principal: 'User:alice', operation: 'READ', permissionType: 'ALLOW' } as const;
    assert.match(
      await refused({ ...base, resourceType: 'TOPIC', resourceName: '*', patternType: 'PREFIXED' }),
      /only valid with the LITERAL pattern type/,
    );
    assert.match(
      await refused({ ...base, resourceType: 'TOPIC', resourceName: 't', principal: 'alice' }),
      /principalType:principalName/,
    );
    assert.match(
      await refused({ ...base, resourceType: 'CLUSTER', resourceName: 'other' }),
      /The only valid name for the CLUSTER resource is kafka-cluster/,
    );
    assert.deepEqual(await admin.describeAcls(), []);
  });

  test("kafka-acls.sh --add, --list, --remove with Kafka's output", async () => {
    const b = ['--bootstrap-server', broker.bootstrap];
    const added = await acls([...b, '--add', '--allow-principal', 'User:alice', '--operation', 'Read', '--topic', 't']);
    assert.equal(added.code, 0, added.stderr);
    assert.equal(
      added.stdout,
      'Adding ACLs for resource `ResourcePattern(resourceType=TOPIC, name=t, patternType=LITERAL)`: \n' +
        ' \t(principal=User:alice, host=*, operation=READ, permissionType=ALLOW) \n\n',
    );

    const producer = await acls([
      ...b,
      '--add',
      '--producer',
      '--allow-principal',
      'User:bob',
      '--topic',
      'pay',
      '--resource-pattern-type',
      'prefixed',
      '--transactional-id',
      'tx',
      '--idempotent',
    ]);
    assert.equal(producer.code, 0, producer.stderr);
    assert.match(
      producer.stdout,
      /Adding ACLs for resource `ResourcePattern\(resourceType=TOPIC, name=pay, patternType=PREFIXED\)`/,
    );
    assert.match(producer.stdout, /resourceType=CLUSTER, name=kafka-cluster, patternType=LITERAL/);

    const listed = await acls([...b, '--list', '--topic', 't']);
    assert.equal(listed.code, 0, listed.stderr);
    assert.equal(
      listed.stdout,
      'Current ACLs for resource `ResourcePattern(resourceType=TOPIC, name=t, patternType=LITERAL)`: \n' +
        ' \t(principal=User:alice, host=*, operation=READ, permissionType=ALLOW) \n\n',
    );
    const everything = await acls([...b, '--list']);
    assert.deepEqual(
      everything.stdout
        .split('\n')
        .filter((l) => l.startsWith('Current ACLs'))
        .sort(),
      [
        'Current ACLs for resource `ResourcePattern(resourceType=CLUSTER, name=kafka-cluster, patternType=LITERAL)`: ',
        'Current ACLs for resource `ResourcePattern(resourceType=TOPIC, name=pay, patternType=PREFIXED)`: ',
        'Current ACLs for resource `ResourcePattern(resourceType=TOPIC, name=t, patternType=LITERAL)`: ',
        'Current ACLs for resource `ResourcePattern(resourceType=TRANSACTIONAL_ID, name=tx, patternType=PREFIXED)`: ',
      ],
    );
    assert.deepEqual(
      sorted((await admin.describeAcls({ principal: 'User:bob' })).map((x) => `${x.resourceType}:${x.operation}`)),
      sorted([
        'TOPIC:WRITE',
        'TOPIC:DESCRIBE',
        'TOPIC:CREATE',
        'TRANSACTIONAL_ID:WRITE',
        'TRANSACTIONAL_ID:DESCRIBE',
        'CLUSTER:IDEMPOTENT_WRITE',
      ]),
    );
    const byPrincipal = await acls([...b, '--list', '--principal', 'User:alice']);
    assert.equal(
      byPrincipal.stdout,
      'ACLs for principal `User:alice`\n' +
        'Current ACLs for resource `ResourcePattern(resourceType=TOPIC, name=t, patternType=LITERAL)`: \n' +
        ' \t(principal=User:alice, host=*, operation=READ, permissionType=ALLOW) \n\n',
    );

    // Without --force the tool asks, and only "y" removes.
    const question =
      'Are you sure you want to remove ACLs: \n' +
      ' \t(principal=User:alice, host=*, operation=READ, permissionType=ALLOW) \n' +
      ' from resource filter `ResourcePattern(resourceType=TOPIC, name=t, patternType=LITERAL)`? (y/n)\n';
    const removeAlice = [...b, '--remove', '--allow-principal', 'User:alice', '--operation', 'Read', '--topic', 't'];
    const declined = await acls(removeAlice, 'n\n');
    assert.equal(declined.code, 0, declined.stderr);
    assert.equal(declined.stdout, question);
    assert.equal((await admin.describeAcls({ principal: 'User:alice' })).length, 1);
    const confirmed = await acls(removeAlice, 'y\n');
    assert.equal(confirmed.stdout, question);
    assert.deepEqual(await admin.describeAcls({ principal: 'User:alice' }), []);

    const removeAll = await acls([...b, '--remove', '--force', '--topic', 'pay', '--resource-pattern-type', 'MATCH']);
    assert.equal(removeAll.code, 0, removeAll.stderr);
    assert.equal(removeAll.stdout, '', '--force asks nothing');
    assert.deepEqual(
      (await admin.describeAcls({ resourceType: 'TOPIC' })).map((x) => x.resourceName),
      [],
      'MATCH removed the PREFIXED pay ACLs',
    );
    await admin.deleteAcls([{}]);
  });

  test('kafka-acls.sh refuses bad command lines as Kafka does', async () => {
    const b = ['--bootstrap-server', broker.bootstrap];
    const noAction = await acls([...b, '--topic', 't']);
    assert.equal(noAction.code, 1);
    assert.match(noAction.stderr, /Command must include exactly one action: --list, --add, --remove/);
    const noPrincipal = await acls([...b, '--add', '--topic', 't']);
    assert.match(
      noPrincipal.stderr,
      /You must specify one of: --allow-principal, --deny-principal when trying to add ACLs\./,
    );
    const badOperation = await acls([
      ...b,
      '--add',
      '--allow-principal',
      'User:a',
      '--group',
      'g',
      '--operation',
      'Write',
    ]);
    assert.match(badOperation.stderr, /ResourceType GROUP only supports operations Read, Describe, Delete, All/);
    const badPattern = await acls([
      ...b,
      '--add',
      '--allow-principal',
      'User:a',
      '--topic',
      't',
      '--resource-pattern-type',
      'any',
    ]);
    assert.match(badPattern.stderr, /A '--resource-pattern-type' value of 'ANY' is not valid when adding acls\./);
    const badPrincipal = await acls([...b, '--add', '--allow-principal', 'alice', '--topic', 't']);
    assert.equal(badPrincipal.code, 1);
    assert.match(
      badPrincipal.stderr,
      /Error while executing ACL command: expected a string in format principalType:principalName but got alice/,
    );
  });

  test('the ACLs are in samsa-metadata.json and survive a restart', async () => {
    await admin.createAcls([
      {
        resourceType: 'TOPIC',
        resourceName: 'kept',
        principal: 'User:carol',
        operation: 'ALL',
        permissionType: 'ALLOW',
      },
      {
        resourceType: 'TRANSACTIONAL_ID',
        resourceName: 'app-',
        patternType: 'PREFIXED',
        principal: 'User:carol',
        operation: 'WRITE',
        permissionType: 'ALLOW',
      },
    ]);
    const file = JSON.parse(readFileSync(join(broker.dataDir, 'logs', 'samsa-metadata.json'), 'utf8')) as {
      acls?: unknown[];
    };
    assert.equal(file.acls?.length, 2);
    await admin.close();
    await broker.stop();
    broker = await BrokerProcess.start({
      dataDir: broker.dataDir,
      properties: { ...ACL_AUTHORIZER, 'super.users': 'User:ANONYMOUS' },
    });
    admin = new Admin({ 'bootstrap.servers': broker.bootstrap });
    assert.deepEqual(
      (await admin.describeAcls())
        .map((x) => `${x.resourceType}:${x.patternType}:${x.resourceName}:${x.operation}`)
        .sort(),
      ['TOPIC:LITERAL:kept:ALL', 'TRANSACTIONAL_ID:PREFIXED:app-:WRITE'],
    );
    await admin.deleteAcls([{}]);
  });
});

describe('ACL APIs and the cluster resource', () => {
  test('without super users: CreateAcls needs ALTER on the cluster, DescribeAcls DESCRIBE', async () => {
    const broker = await BrokerProcess.start({ properties: ACL_AUTHORIZER });
    const admin = new Admin({ 'bootstrap.servers': broker.bootstrap });
    try {
      // No ACL on the cluster yet: allow.everyone.if.no.acl.found lets ANONYMOUS in.
      await admin.createAcls([
        {
          resourceType: 'CLUSTER',
          resourceName: 'kafka-cluster',
          principal: 'User:ANONYMOUS',
          operation: 'DESCRIBE',
          permissionType: 'ALLOW',
        },
      ]);
      // Now an ACL exists there, and it grants DESCRIBE only.
      assert.equal((await admin.describeAcls()).length, 1);
      const denied = await admin
        .createAcls([
          { resourceType: 'TOPIC', resourceName: 't', principal: 'User:x', operation: 'READ', permissionType: 'ALLOW' },
        ])
        .then(
          () => undefined,
          (e: unknown) => e,
        );
      assert.ok(denied instanceof KafkaError);
      assert.equal(denied.errorCode, ErrorCode.CLUSTER_AUTHORIZATION_FAILED);
      const cli = await acls(['--bootstrap-server', broker.bootstrap, '--remove', '--force', '--cluster']);
      assert.equal(cli.code, 1);
      assert.match(
        cli.stderr,
        /Error while executing ACL command: org\.apache\.kafka\.common\.errors\.ClusterAuthorizationException/,
      );
      assert.match(
        broker.logs,
        /Principal = User:ANONYMOUS is Denied operation = ALTER from host = 127\.0\.0\.1 on resource = Cluster:LITERAL:kafka-cluster/,
      );
    } finally {
      await admin.close();
      await broker.close();
    }
  });

  test('without an authorizer the ACL APIs answer SECURITY_DISABLED', async () => {
    const broker = await BrokerProcess.start();
    const admin = new Admin({ 'bootstrap.servers': broker.bootstrap });
    try {
      const error = await admin.describeAcls().then(
        () => undefined,
        (e: unknown) => e,
      );
      assert.ok(error instanceof KafkaError);
      assert.equal(error.errorCode, ErrorCode.SECURITY_DISABLED);
      assert.equal(error.message, 'No Authorizer is configured on the broker');
      const cli = await acls([
        '--bootstrap-server',
        broker.bootstrap,
        '--add',
        '--allow-principal',
        'User:a',
        '--topic',
        't',
      ]);
      assert.equal(cli.code, 1);
      assert.match(
        cli.stderr,
        /Error while executing ACL command: org\.apache\.kafka\.common\.errors\.SecurityDisabledException: No Authorizer is configured\./,
      );
    } finally {
      await admin.close();
      await broker.close();
    }
  });

  test('an authorizer class Samsa does not have stops startup, naming the key', async () => {
    const failed = await BrokerProcess.start({
      properties: { 'authorizer.class.name': 'com.example.MyAuthorizer' },
    }).then(
      (b) => b.close().then(() => undefined),
      (e: unknown) => e,
    );
    assert.ok(failed instanceof Error);
    assert.match(failed.message, /authorizer\.class\.name/);
  });
});
