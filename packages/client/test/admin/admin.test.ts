import assert from 'node:assert/strict';
import { afterEach, describe, it } from 'node:test';
import { ApiKey } from '@samsa/protocol';
import { Admin } from '../../src/admin/admin.js';
import { CONFIG_SOURCES } from '../../src/admin/admin-types.js';
import { FakeBroker, type ReceivedRequest } from '../support/fake-broker.js';

/**
 * Kafka's `ConfigResource.Type` codes, typed here by hand on purpose: these tests check what goes
 * on the wire against Kafka's values, not against the table the client reads them from.
 */
const WIRE = { TOPIC: 2, BROKER: 4, BROKER_LOGGER: 8, CLIENT_METRICS: 16, GROUP: 32 } as const;

/** DescribeConfigs answers echoing each resource, with one config from a GROUP_CONFIG (8) source. */
function configs(request: ReceivedRequest) {
  return {
    results: request.body.resources.map((r: { resourceType: number; resourceName: string }) => ({
      errorCode: 0,
      errorMessage: null,
      resourceType: r.resourceType,
      resourceName: r.resourceName,
      configs: [
        {
          name: 'consumer.session.timeout.ms',
          value: '45000',
          readOnly: false,
          isDefault: false,
          configSource: 8,
          isSensitive: false,
          synonyms: [{ name: 'group.consumer.session.timeout.ms', value: '45000', source: 5 }],
          configType: 3,
          documentation: null,
        },
      ],
    })),
  };
}

function alterResponse(request: ReceivedRequest) {
  return {
    responses: request.body.resources.map((r: { resourceType: number; resourceName: string }) => ({
      errorCode: 0,
      errorMessage: null,
      resourceType: r.resourceType,
      resourceName: r.resourceName,
    })),
  };
}

describe('Admin configs', () => {
  let broker: FakeBroker | undefined;
  let admin: Admin | undefined;
  afterEach(async () => {
    await admin?.close();
    await broker?.close();
    admin = undefined;
    broker = undefined;
  });

  async function start(): Promise<{ broker: FakeBroker; admin: Admin }> {
    broker = await FakeBroker.start((r) => {
      if (r.apiKey === ApiKey.DescribeConfigs) return configs(r);
      if (r.apiKey === ApiKey.AlterConfigs || r.apiKey === ApiKey.IncrementalAlterConfigs) return alterResponse(r);
      return undefined;
    });
    admin = new Admin({ 'bootstrap.servers': broker.bootstrap });
    return { broker, admin };
  }

  it("sends each resource type with Kafka's code (a group is 32) and reads it back", async () => {
    const { broker, admin } = await start();
    const types = ['topic', 'broker_logger', 'client_metrics', 'group'] as const;
    // A broker logger's name is the broker's ID, which the request goes to.
    const described = await admin.describeConfigs(
      types.map((type) => ({ type, name: type === 'broker_logger' ? '0' : `${type}-name` })),
    );
    const sent = broker.named('DescribeConfigs').map((r) => r.body.resources[0].resourceType);
    assert.deepEqual(sent, [WIRE.TOPIC, WIRE.BROKER_LOGGER, WIRE.CLIENT_METRICS, WIRE.GROUP]);
    assert.deepEqual(
      described.map((d) => d.type),
      [...types],
    );
  });

  it('names config sources by their wire codes, GROUP_CONFIG included', async () => {
    const { admin } = await start();
    const [group] = await admin.describeConfigs([{ type: 'group', name: 'g' }], { includeSynonyms: true });
    const entry = group?.configs[0];
    assert.equal(entry?.source, 'GROUP_CONFIG');
    assert.equal(entry?.synonyms[0]?.source, 'DEFAULT_CONFIG');
    assert.equal(entry?.isDefault, false);
    assert.equal(CONFIG_SOURCES[8], 'GROUP_CONFIG');
    assert.equal(CONFIG_SOURCES.length, 9);
  });

  it('alters group configs with resource type 32, legacy and incremental', async () => {
    const { broker, admin } = await start();
    await admin.alterConfigs([{ type: 'group', name: 'g', configs: { 'consumer.session.timeout.ms': '50000' } }]);
    await admin.incrementalAlterConfigs([
      { type: 'group', name: 'g', ops: [{ name: 'consumer.session.timeout.ms', op: 'delete' }] },
    ]);
    assert.equal(broker.named('AlterConfigs')[0]?.body.resources[0].resourceType, WIRE.GROUP);
    assert.equal(broker.named('IncrementalAlterConfigs')[0]?.body.resources[0].resourceType, WIRE.GROUP);
  });
});
