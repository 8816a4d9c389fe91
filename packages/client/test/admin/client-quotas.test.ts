import assert from 'node:assert/strict';
import { afterEach, describe, it } from 'node:test';
import { ApiKey, ErrorCode } from '@samsa/protocol';
import { Admin } from '../../src/admin/admin.js';
import { FakeBroker, type ReceivedRequest } from '../support/fake-broker.js';

/** DescribeClientQuotas match types, by hand: what goes on the wire. */
const EXACT = 0;
const DEFAULT = 1;
const ANY = 2;

/** An AlterClientQuotas answer echoing each entity, with `errorOf(entity)`. */
function altered(request: ReceivedRequest, errorOf: (entity: unknown) => [number, string | null] = () => [0, null]) {
  return {
    entries: request.body.entries.map((e: { entity: unknown }) => {
      const [errorCode, errorMessage] = errorOf(e.entity);
      return { errorCode, errorMessage, entity: e.entity };
    }),
  };
}

describe('Admin client quotas', () => {
  let broker: FakeBroker | undefined;
  let admin: Admin | undefined;
  afterEach(async () => {
    await admin?.close();
    await broker?.close();
  });

  it('describes with match types exact, default and any, and maps entities back', async () => {
    broker = await FakeBroker.start((r) =>
      r.apiKey === ApiKey.DescribeClientQuotas
        ? {
            errorCode: 0,
            errorMessage: null,
            entries: [
              {
                entity: [
                  { entityType: 'client-id', entityName: null },
                  { entityType: 'user', entityName: 'alice' },
                ],
                values: [
                  { key: 'producer_byte_rate', value: 1024 },
                  { key: 'request_percentage', value: 12.5 },
                ],
              },
              {
                entity: [{ entityType: 'user', entityName: null }],
                values: [{ key: 'consumer_byte_rate', value: 2048 }],
              },
            ],
          }
        : undefined,
    );
    admin = new Admin({ 'bootstrap.servers': broker.bootstrap });
    const entries = await admin.describeClientQuotas({
      components: [
        { entityType: 'user', match: 'alice' },
        { entityType: 'client-id', match: null },
        { entityType: 'ip', match: undefined },
        { entityType: 'user' },
      ],
      strict: true,
    });
    assert.deepEqual(entries, [
      { entity: { user: 'alice', clientId: null }, values: { producer_byte_rate: 1024, request_percentage: 12.5 } },
      { entity: { user: null }, values: { consumer_byte_rate: 2048 } },
    ]);
    const [sent] = broker.named('DescribeClientQuotas');
    assert.deepEqual(
      sent?.body.components.map((c: { entityType: string; matchType: number; match: string | null }) => [
        c.entityType,
        c.matchType,
        c.match,
      ]),
      [
        ['user', EXACT, 'alice'],
        ['client-id', DEFAULT, null],
        ['ip', ANY, null],
        ['user', ANY, null],
      ],
    );
    assert.equal(sent?.body.strict, true);

    await admin.describeClientQuotas({ components: [] });
    assert.equal(broker.named('DescribeClientQuotas')[1]?.body.strict, false, 'contains, not containsOnly, by default');
  });

  it("rejects with the broker's error", async () => {
    broker = await FakeBroker.start((r) =>
      r.apiKey === ApiKey.DescribeClientQuotas
        ? { errorCode: ErrorCode.INVALID_REQUEST, errorMessage: 'Custom entity type x is not supported', entries: null }
        : undefined,
    );
    admin = new Admin({ 'bootstrap.servers': broker.bootstrap });
    await assert.rejects(admin.describeClientQuotas({ components: [{ entityType: 'x' as never }] }), {
      errorName: 'INVALID_REQUEST',
      message: 'Custom entity type x is not supported',
    });
  });

  it('alters: null removes, entities in user, client-id order, one result per entity in the order given', async () => {
    broker = await FakeBroker.start((r) =>
      r.apiKey === ApiKey.AlterClientQuotas
        ? altered(r, (entity) =>
            JSON.stringify(entity).includes('"bad"')
              ? [ErrorCode.INVALID_REQUEST, 'Invalid configuration key nope']
              : [0, null],
          )
        : undefined,
    );
    admin = new Admin({ 'bootstrap.servers': broker.bootstrap });
    const results = await admin.alterClientQuotas(
      [
        {
          entity: { clientId: 'app', user: 'alice' },
          ops: [
            { key: 'producer_byte_rate', value: 1024 },
            { key: 'consumer_byte_rate', value: null },
          ],
        },
        { entity: { clientId: null }, ops: [{ key: 'request_percentage', value: 200 }] },
        { entity: { user: 'bad' }, ops: [{ key: 'nope', value: 1 }] },
      ],
      { validateOnly: true },
    );
    assert.deepEqual(
      results.map((r) => [r.entity, r.error?.errorName ?? null, r.error?.message ?? null]),
      [
        [{ clientId: 'app', user: 'alice' }, null, null],
        [{ clientId: null }, null, null],
        [{ user: 'bad' }, 'INVALID_REQUEST', 'Invalid configuration key nope'],
      ],
    );
    const [sent] = broker.named('AlterClientQuotas');
    assert.equal(sent?.body.validateOnly, true);
    const [first, second] = sent?.body.entries ?? [];
    assert.deepEqual(
      first.entity.map((e: { entityType: string; entityName: string | null }) => [e.entityType, e.entityName]),
      [
        ['user', 'alice'],
        ['client-id', 'app'],
      ],
    );
    assert.deepEqual(
      first.ops.map((o: { key: string; value: number; remove: boolean }) => [o.key, o.value, o.remove]),
      [
        ['producer_byte_rate', 1024, false],
        ['consumer_byte_rate', 0, true],
      ],
    );
    assert.deepEqual(
      second.entity.map((e: { entityType: string; entityName: string | null }) => [e.entityType, e.entityName]),
      [['client-id', null]],
    );
  });

  it('matches results to entities whatever order the broker lists parts in; a missing one is an error', async () => {
    broker = await FakeBroker.start((r) =>
      r.apiKey === ApiKey.AlterClientQuotas
        ? {
            entries: [
              {
                errorCode: 0,
                errorMessage: null,
                entity: [
                  { entityType: 'client-id', entityName: 'app' },
                  { entityType: 'user', entityName: null },
                ],
              },
            ],
          }
        : undefined,
    );
    admin = new Admin({ 'bootstrap.servers': broker.bootstrap });
    const results = await admin.alterClientQuotas([
      { entity: { user: null, clientId: 'app' }, ops: [{ key: 'producer_byte_rate', value: 1 }] },
      { entity: { user: 'app' }, ops: [{ key: 'producer_byte_rate', value: 1 }] },
    ]);
    assert.equal(results[0]?.error, null);
    assert.equal(results[1]?.error?.errorName, 'UNKNOWN_SERVER_ERROR');
    assert.equal(broker.named('AlterClientQuotas')[0]?.body.validateOnly, false);
    assert.deepEqual(await admin.alterClientQuotas([]), [], 'nothing to send');
    assert.equal(broker.named('AlterClientQuotas').length, 1);
  });
});
