import assert from 'node:assert/strict';
import { afterEach, describe, it } from 'node:test';
import { ApiKey } from '@samsa/protocol';
import { KafkaJSAdmin } from '../../src/kafkajs/kafkajs-admin.js';
import { ConfigResourceTypes } from '../../src/kafkajs/kafkajs-constants.js';
import { FakeBroker, type ReceivedRequest } from '../support/fake-broker.js';

function configs(request: ReceivedRequest) {
  return {
    results: request.body.resources.map((r: { resourceType: number; resourceName: string }) => ({
      errorCode: 0,
      errorMessage: null,
      resourceType: r.resourceType,
      resourceName: r.resourceName,
      configs: [
        {
          name: 'consumer.heartbeat.interval.ms',
          value: '5000',
          readOnly: false,
          isDefault: false,
          configSource: 8,
          isSensitive: false,
          synonyms: [{ name: 'group.consumer.heartbeat.interval.ms', value: '5000', source: 4 }],
          configType: 3,
          documentation: null,
        },
      ],
    })),
  };
}

describe('KafkaJSAdmin configs', () => {
  let broker: FakeBroker | undefined;
  afterEach(async () => {
    await broker?.close();
    broker = undefined;
  });

  it("keeps the values this layer has always exported (ANY, GROUP and CLUSTER are KafkaJS's ACL codes)", () => {
    assert.deepEqual(
      { ...ConfigResourceTypes },
      { UNKNOWN: 0, ANY: 1, TOPIC: 2, GROUP: 3, BROKER: 4, CLUSTER: 4, BROKER_LOGGER: 8 },
    );
  });

  it("sends KafkaJS's GROUP (3) as Kafka's group resource type 32, and answers in KafkaJS's codes", async () => {
    broker = await FakeBroker.start((r) => (r.apiKey === ApiKey.DescribeConfigs ? configs(r) : undefined));
    const admin = new KafkaJSAdmin({ 'bootstrap.servers': broker.bootstrap });
    try {
      const described = await admin.describeConfigs({
        resources: [
          { type: ConfigResourceTypes.GROUP, name: 'g' },
          { type: ConfigResourceTypes.TOPIC, name: 't' },
        ],
        includeSynonyms: true,
      });
      assert.deepEqual(
        broker.named('DescribeConfigs').map((r) => r.body.resources[0].resourceType),
        [32, 2],
      );
      assert.deepEqual(
        described.resources.map((r) => r.resourceType),
        [ConfigResourceTypes.GROUP, ConfigResourceTypes.TOPIC],
      );
      const entry = described.resources[0]?.configEntries[0];
      assert.equal(entry?.configSource, 8, 'GROUP_CONFIG, as the broker sent it');
      assert.equal(entry?.configSynonyms[0]?.configSource, 4, 'STATIC_BROKER_CONFIG');
    } finally {
      await admin.disconnect();
    }
  });
});
