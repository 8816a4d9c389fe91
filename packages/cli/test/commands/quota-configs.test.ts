import assert from 'node:assert/strict';
import { test } from 'node:test';
import { quotaConfigLines } from '../../src/commands/quota-configs.js';

/**
 * The expected lines are what Java 17 printed for the same entries put, in this order, into the
 * HashMaps DescribeClientQuotasResponse.complete builds, iterated and formatted as
 * ConfigCommand.describeQuotaConfigs does.
 */
test("quota lines in Java's HashMap order, values as Java doubles", () => {
  assert.deepEqual(
    quotaConfigLines([{ entity: { user: 'alice' }, values: { producer_byte_rate: 1024, consumer_byte_rate: 2048 } }]),
    ["Quota configs for user-principal 'alice' are consumer_byte_rate=2048.0, producer_byte_rate=1024.0"],
  );
  assert.deepEqual(
    quotaConfigLines([{ entity: { user: 'alice' }, values: { request_percentage: 200, producer_byte_rate: 1024 } }]),
    ["Quota configs for user-principal 'alice' are request_percentage=200.0, producer_byte_rate=1024.0"],
    'keys in one bucket stay in the order the broker sent them',
  );
  assert.deepEqual(
    quotaConfigLines([
      {
        entity: { user: 'alice' },
        values: { producer_byte_rate: 1024, consumer_byte_rate: 2048, request_percentage: 200 },
      },
      { entity: { user: null }, values: { request_percentage: 50 } },
      { entity: { user: 'alice', clientId: 'app' }, values: { producer_byte_rate: 10485760 } },
      { entity: { clientId: 'app' }, values: { consumer_byte_rate: 1e-4 } },
      { entity: { clientId: null }, values: { producer_byte_rate: 5 } },
      { entity: { user: null, clientId: null }, values: { producer_byte_rate: 7 } },
      { entity: { user: 'bob' }, values: { request_percentage: 12.5, producer_byte_rate: 3 } },
    ]),
    [
      "Quota configs for user-principal 'alice' are consumer_byte_rate=2048.0, producer_byte_rate=1024.0, request_percentage=200.0",
      "Quota configs for user-principal 'alice', client-id 'app' are producer_byte_rate=1.048576E7",
      "Quota configs for user-principal 'bob' are request_percentage=12.5, producer_byte_rate=3.0",
      "Quota configs for client-id 'app' are consumer_byte_rate=1.0E-4",
      'Quota configs for the default user-principal are request_percentage=50.0',
      'Quota configs for the default client-id are producer_byte_rate=5.0',
      'Quota configs for the default user-principal, the default client-id are producer_byte_rate=7.0',
    ],
  );
});
