import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { apiCodec, apiName, requestHeaderVersion, responseHeaderVersion } from '../../src/framing/api-registry.js';
import { ApiKey } from '../../src/generated/index.js';
import { API_SPECS, parseVersionRange } from '../../src/schema/index.js';

/** First flexible version from the table itself, independently of the generated codecs. */
function firstFlexible(range: string): number {
  return parseVersionRange(range)?.min ?? Number.POSITIVE_INFINITY;
}

describe('header versions', () => {
  test('ApiVersions responses always use header v0, even in flexible versions (KIP-511)', () => {
    for (let v = 0; v <= 4; v++) assert.equal(responseHeaderVersion(ApiKey.ApiVersions, v), 0, `v${v}`);
    // The request side follows the normal rule.
    assert.equal(requestHeaderVersion(ApiKey.ApiVersions, 2), 1);
    assert.equal(requestHeaderVersion(ApiKey.ApiVersions, 3), 2);
  });

  test('ControlledShutdown v0 uses request header v0 (no client ID); later versions do not', () => {
    assert.equal(requestHeaderVersion(ApiKey.ControlledShutdown, 0), 0);
    assert.equal(requestHeaderVersion(ApiKey.ControlledShutdown, 1), 1);
    assert.equal(requestHeaderVersion(ApiKey.ControlledShutdown, 3), 2);
  });

  test('every API and version: flexible → request v2 / response v1, otherwise v1 / v0', () => {
    for (const api of API_SPECS) {
      const range = parseVersionRange(api.request.validVersions);
      assert.ok(range);
      const requestFlexible = firstFlexible(api.request.flexibleVersions);
      const responseFlexible = firstFlexible(api.response.flexibleVersions);
      for (let v = range.min; v <= range.max; v++) {
        const expectedRequest = v >= requestFlexible ? 2 : api.apiKey === ApiKey.ControlledShutdown && v === 0 ? 0 : 1;
        const expectedResponse = api.apiKey === ApiKey.ApiVersions ? 0 : v >= responseFlexible ? 1 : 0;
        assert.equal(requestHeaderVersion(api.apiKey, v), expectedRequest, `${api.name} v${v} request header`);
        assert.equal(responseHeaderVersion(api.apiKey, v), expectedResponse, `${api.name} v${v} response header`);
      }
    }
  });

  test('spot checks against Kafka: Produce v8/v9, Metadata v8/v9, Fetch v11/v12', () => {
    assert.deepEqual(
      [
        [ApiKey.Produce, 8],
        [ApiKey.Produce, 9],
        [ApiKey.Metadata, 8],
        [ApiKey.Metadata, 9],
        [ApiKey.Fetch, 11],
        [ApiKey.Fetch, 12],
      ].map(([key, v]) => [requestHeaderVersion(key!, v!), responseHeaderVersion(key!, v!)]),
      [
        [1, 0],
        [2, 1],
        [1, 0],
        [2, 1],
        [1, 0],
        [2, 1],
      ],
    );
  });

  test('registry: codecs by key, names, unknown keys', () => {
    for (const api of API_SPECS) {
      assert.equal(apiCodec(api.apiKey)?.name, api.name);
      assert.equal(apiName(api.apiKey), api.name);
    }
    assert.equal(apiCodec(999), undefined);
    assert.equal(apiName(999), 'Unknown(999)');
    for (const [name, key] of Object.entries(ApiKey)) assert.equal(apiName(key), name);
  });
});
