import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { ApiKey } from '@samsa/protocol';
import { ClientQuotaConfigs } from '../../src/quota/client-quota-configs.js';
import { entityPath, parseEntityPath } from '../../src/quota/client-quota-entity.js';
import { ClientQuotaManager } from '../../src/quota/client-quota-manager.js';
import { ClientQuotas, type RequestUsage } from '../../src/quota/client-quotas.js';
import { SampledRate } from '../../src/quota/sampled-rate.js';

const WINDOW = { numSamples: 11, sampleWindowMs: 1000 };

describe('client quota precedence (Kafka DefaultQuotaCallback)', () => {
  const configs = new ClientQuotaConfigs();
  const set = (entity: Parameters<ClientQuotaConfigs['set']>[0], bound: number) =>
    configs.set(entity, new Map([['producer_byte_rate', bound]]));
  set({ clientId: null }, 8);
  set({ clientId: 'app' }, 7);
  set({ user: null }, 6);
  set({ user: null, clientId: null }, 5);
  set({ user: null, clientId: 'app' }, 4);
  set({ user: 'alice' }, 3);
  set({ user: 'alice', clientId: null }, 2);
  set({ user: 'alice', clientId: 'app' }, 1);

  test('the most specific entity wins, level by level', () => {
    const bound = (user: string, clientId: string) => configs.resolve(user, clientId, 'producer_byte_rate')?.bound;
    assert.equal(bound('alice', 'app'), 1);
    assert.equal(bound('alice', 'other'), 2);
    assert.equal(bound('bob', 'app'), 4);
    assert.equal(bound('bob', 'other'), 5);
    configs.set({ user: 'alice', clientId: null }, new Map());
    assert.equal(bound('alice', 'other'), 3);
    configs.set({ user: null, clientId: null }, new Map());
    assert.equal(bound('bob', 'other'), 6);
    configs.set({ user: null }, new Map());
    configs.set({ user: null, clientId: 'app' }, new Map());
    assert.equal(bound('bob', 'app'), 7);
    assert.equal(bound('bob', 'other'), 8);
    assert.equal(configs.resolve('bob', 'x', 'consumer_byte_rate'), undefined);
  });

  test('a user quota is shared by all its clients; a default client quota is per client', () => {
    const shared = new ClientQuotaConfigs();
    shared.set({ user: 'carol' }, new Map([['producer_byte_rate', 100]]));
    shared.set({ clientId: null }, new Map([['producer_byte_rate', 100]]));
    assert.equal(
      shared.resolve('carol', 'a', 'producer_byte_rate')?.sensorKey,
      shared.resolve('carol', 'b', 'producer_byte_rate')?.sensorKey,
    );
    assert.notEqual(
      shared.resolve('dave', 'a', 'producer_byte_rate')?.sensorKey,
      shared.resolve('dave', 'b', 'producer_byte_rate')?.sensorKey,
    );
  });

  test('entity paths follow the ZooKeeper layout and round-trip', () => {
    assert.equal(entityPath({ user: 'alice', clientId: 'app' }), 'users/alice/clients/app');
    assert.equal(entityPath({ user: null }), 'users/<default>');
    assert.equal(entityPath({ clientId: 'a b' }), 'clients/a%20b');
    for (const e of [{ user: 'alice', clientId: null }, { clientId: 'x/y' }, { user: null, clientId: 'c' }]) {
      assert.deepEqual(parseEntityPath(entityPath(e)), e);
    }
  });
});

describe('throttling', () => {
  test('a sampled rate counts all but one window at least', () => {
    const rate = new SampledRate(11, 1000);
    rate.record(10_000, 0);
    // Ten windows at least: 10 000 bytes over 10 s, not over 1 ms.
    assert.equal(rate.rate(1), 1000);
    assert.equal(rate.isIdle(20_000), true);
  });

  test('over the bound, the throttle brings the rate back to it; within, none', () => {
    const configs = new ClientQuotaConfigs();
    configs.set({ user: 'alice' }, new Map([['producer_byte_rate', 1000]]));
    const manager = new ClientQuotaManager('producer_byte_rate', configs, WINDOW);
    assert.equal(manager.recordAndGetThrottleTimeMs('alice', 'c', 5_000, 0), 0);
    // 20 000 bytes in a 10 s window: 2000 B/s, twice the bound → wait as long again.
    const throttle = manager.recordAndGetThrottleTimeMs('alice', 'c', 15_000, 100);
    assert.equal(throttle, 10_000);
    assert.equal(manager.recordAndGetThrottleTimeMs('bob', 'c', 1e9, 100), 0);
  });

  test('produce bytes, fetch bytes and request time each count against their own quota', () => {
    const configs = new ClientQuotaConfigs();
    configs.set(
      { clientId: 'slow' },
      new Map([
        ['producer_byte_rate', 100],
        ['consumer_byte_rate', 100],
        ['request_percentage', 1],
      ]),
    );
    const quotas = new ClientQuotas(configs, WINDOW);
    assert.equal(quotas.active, true);
    const usage = (over: Partial<RequestUsage>): RequestUsage => ({
      apiKey: ApiKey.Metadata,
      user: 'ANONYMOUS',
      clientId: 'slow',
      requestBytes: 0,
      responseBytes: () => 0,
      handlerMs: 0,
      replicaFetch: false,
      ...over,
    });
    assert.ok(quotas.throttleTimeMs(usage({ apiKey: ApiKey.Produce, requestBytes: 10_000 }), 0) > 0);
    assert.ok(quotas.throttleTimeMs(usage({ apiKey: ApiKey.Fetch, responseBytes: () => 10_000 }), 0) > 0);
    // 1% of a thread: 10 ms of handler time per second; 500 ms is far over it.
    assert.ok(quotas.throttleTimeMs(usage({ clientId: 'slow', handlerMs: 500 }), 0) > 0);
    // Followers and the SASL exchange are never throttled.
    assert.equal(
      quotas.throttleTimeMs(usage({ apiKey: ApiKey.Fetch, responseBytes: () => 1e9, replicaFetch: true }), 0),
      0,
    );
    const fresh = new ClientQuotas(configs, WINDOW);
    assert.equal(fresh.throttleTimeMs(usage({ apiKey: ApiKey.SaslAuthenticate, handlerMs: 5000 }), 0), 0);
    assert.equal(new ClientQuotas(new ClientQuotaConfigs(), WINDOW).active, false);
  });
});
