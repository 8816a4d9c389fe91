import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { hasTopLevelErrorCode } from '../../src/codec.js';
import { ConfigResourceType } from '../../src/constants/config-resource-type.js';
import { ConfigSource, configSourceName } from '../../src/constants/config-source.js';
import { CoordinatorType } from '../../src/constants/coordinator-type.js';
import { ErrorCode } from '../../src/errors/error-codes.js';
import { apiCodec } from '../../src/framing/api-registry.js';
import { ApiKey, GENERATED_APIS } from '../../src/generated/index.js';
import { decodeMessage, encodeMessage } from '../../src/index.js';

describe('wire constants', () => {
  test("ApiKey is generated from the tables: one entry per API, Kafka's name → key", () => {
    assert.equal(Object.keys(ApiKey).length, GENERATED_APIS.length);
    for (const api of GENERATED_APIS) assert.equal(ApiKey[api.name as keyof typeof ApiKey], api.apiKey);
    assert.equal(ApiKey.Produce, 0);
    assert.equal(ApiKey.DescribeTopicPartitions, 75);
  });

  test("config sources, resource types and coordinator types carry Kafka's codes", () => {
    assert.equal(ConfigSource.DYNAMIC_TOPIC_CONFIG, 1);
    assert.equal(ConfigSource.DEFAULT_CONFIG, 5);
    assert.equal(ConfigSource.GROUP_CONFIG, 8);
    assert.equal(configSourceName(4), 'STATIC_BROKER_CONFIG');
    assert.equal(configSourceName(99), 'UNKNOWN');
    assert.deepEqual(ConfigResourceType, {
      UNKNOWN: 0,
      TOPIC: 2,
      BROKER: 4,
      BROKER_LOGGER: 8,
      CLIENT_METRICS: 16,
      GROUP: 32,
    });
    assert.deepEqual(CoordinatorType, { GROUP: 0, TRANSACTION: 1, SHARE: 2 });
  });
});

describe('hasTopLevelErrorCode (generated from the tables)', () => {
  test('known cases', () => {
    const fetch = apiCodec(ApiKey.Fetch);
    const produce = apiCodec(ApiKey.Produce);
    const apiVersions = apiCodec(ApiKey.ApiVersions);
    assert.ok(fetch && produce && apiVersions);
    assert.equal(hasTopLevelErrorCode(fetch, 6), false);
    assert.equal(hasTopLevelErrorCode(fetch, 7), true);
    assert.equal(hasTopLevelErrorCode(produce, 11), false);
    assert.equal(hasTopLevelErrorCode(apiVersions, 0), true);
  });

  test('agrees, for every API and version, with encoding an error code and reading it back', () => {
    for (const api of GENERATED_APIS) {
      const codec = apiCodec(api.apiKey);
      assert.ok(codec);
      for (let v = codec.response.minVersion; v <= codec.response.maxVersion; v++) {
        const body = encodeMessage(codec.response, { errorCode: ErrorCode.UNKNOWN_SERVER_ERROR }, v);
        const decoded = decodeMessage(codec.response, body, v) as { errorCode?: number };
        const carried = decoded.errorCode === ErrorCode.UNKNOWN_SERVER_ERROR;
        assert.equal(hasTopLevelErrorCode(codec, v), carried, `${api.name} v${v}`);
      }
    }
  });
});
