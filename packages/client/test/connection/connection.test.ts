import assert from 'node:assert/strict';
import diagnostics from 'node:diagnostics_channel';
import { afterEach, describe, it } from 'node:test';
import { ApiKey, ErrorCode, MetadataApi, UnsupportedVersionError } from '@samsa/protocol';
import { Connection } from '../../src/connection/connection.js';
import { ConnectionPool } from '../../src/connection/connection-pool.js';
import type { RequestEvent } from '../../src/connection/diagnostics.js';
import { KafkaConnectionError, RequestTimeoutError } from '../../src/errors/client-errors.js';
import { FakeBroker } from '../support/fake-broker.js';

function connect(broker: FakeBroker, requestTimeoutMs = 5000): Connection {
  return new Connection({
    host: '127.0.0.1',
    port: broker.port,
    nodeId: 0,
    clientId: 'conn-test',
    requestTimeoutMs,
    connectionSetupTimeoutMs: 2000,
  });
}

describe('Connection', () => {
  let broker: FakeBroker | undefined;
  afterEach(async () => {
    await broker?.close();
    broker = undefined;
  });

  it('negotiates the highest version both sides support, per API', async () => {
    broker = await FakeBroker.start((r) => {
      if (r.apiKey !== ApiKey.ApiVersions) return undefined;
      return {
        errorCode: 0,
        apiKeys: [
          { apiKey: ApiKey.ApiVersions, minVersion: 0, maxVersion: 3 },
          { apiKey: ApiKey.Metadata, minVersion: 0, maxVersion: 7 },
          { apiKey: ApiKey.Produce, minVersion: 0, maxVersion: 99 },
        ],
      };
    });
    const c = connect(broker);
    await c.connect();
    assert.equal(c.versionOf(MetadataApi), 7, "the broker's max");
    assert.equal(
      c.versionOf({ apiKey: ApiKey.Produce, name: 'Produce', request: { minVersion: 0, maxVersion: 11 } } as never),
      11,
      "the client's max",
    );
    assert.throws(
      () => c.versionOf({ apiKey: ApiKey.Fetch, name: 'Fetch', request: { minVersion: 0, maxVersion: 17 } } as never),
      UnsupportedVersionError,
    );
    const apiVersions = broker.named('ApiVersions')[0];
    assert.equal(apiVersions?.version, 3);
    assert.equal(apiVersions?.body.clientSoftwareName, 'samsa-client');
    c.close();
  });

  it('falls back when the broker does not know ApiVersions v3 (answers v0 with its range)', async () => {
    broker = await FakeBroker.start((r) => {
      if (r.apiKey !== ApiKey.ApiVersions) return undefined;
      if (r.version > 2) {
        return {
          errorCode: ErrorCode.UNSUPPORTED_VERSION,
          apiKeys: [{ apiKey: ApiKey.ApiVersions, minVersion: 0, maxVersion: 2 }],
        };
      }
      return {
        errorCode: 0,
        apiKeys: [
          { apiKey: ApiKey.ApiVersions, minVersion: 0, maxVersion: 2 },
          { apiKey: ApiKey.Metadata, minVersion: 0, maxVersion: 12 },
        ],
      };
    });
    const c = connect(broker);
    await c.connect();
    assert.deepEqual(
      broker.named('ApiVersions').map((r) => r.version),
      [3, 2],
    );
    assert.equal(c.versionOf(MetadataApi), 12);
    c.close();
  });

  it('pipelines concurrent requests on one socket and matches each response by correlation ID', async () => {
    broker = await FakeBroker.start(() => undefined);
    const c = connect(broker);
    await c.connect();
    const results = await Promise.all(
      Array.from({ length: 20 }, (_, i) =>
        c.request(MetadataApi, { topics: [{ name: `topic-${i}` }], allowAutoTopicCreation: false }),
      ),
    );
    assert.deepEqual(
      results.map((r) => r.topics[0]?.name),
      results.map((_, i) => `topic-${i}`),
    );
    assert.equal(broker.named('ApiVersions').length, 1, 'one connection');
    assert.equal(new Set(broker.requests.length > 0 ? [0] : []).size, 1);
    c.close();
  });

  it('times out a request, closes the connection and fails the others in flight', async () => {
    broker = await FakeBroker.start((r) => (r.apiKey === ApiKey.Metadata ? null : undefined));
    const c = connect(broker, 200);
    await c.connect();
    const started = Date.now();
    const first = c.request(MetadataApi, { topics: [], allowAutoTopicCreation: false });
    const second = c.request(MetadataApi, { topics: [], allowAutoTopicCreation: false }, { timeoutMs: 5000 });
    await assert.rejects(
      first,
      (e: unknown) => e instanceof RequestTimeoutError && e.errorName === 'REQUEST_TIMED_OUT',
    );
    assert.ok(Date.now() - started >= 190);
    await assert.rejects(second, (e: unknown) => e instanceof KafkaConnectionError && e.retriable);
    assert.equal(c.isClosed, true);
  });

  it('an AbortSignal rejects the call; the late response is skipped', async () => {
    let respond = true;
    broker = await FakeBroker.start((r) => (r.apiKey === ApiKey.Metadata && !respond ? null : undefined));
    const c = connect(broker);
    await c.connect();
    respond = false;
    const controller = new AbortController();
    const pending = c.request(
      MetadataApi,
      { topics: [], allowAutoTopicCreation: false },
      { signal: controller.signal },
    );
    controller.abort(new Error('user gave up'));
    await assert.rejects(pending, /aborted: user gave up/);
    respond = true;
    const ok = await c.request(MetadataApi, { topics: [], allowAutoTopicCreation: false });
    assert.equal(ok.clusterId, 'fake');
    c.close();
  });

  it('publishes one diagnostics event per request', async () => {
    broker = await FakeBroker.start(() => undefined);
    const events: RequestEvent[] = [];
    const listener = (m: unknown) => events.push(m as RequestEvent);
    diagnostics.subscribe('samsa:client:request', listener);
    try {
      const c = connect(broker);
      await c.request(MetadataApi, { topics: [], allowAutoTopicCreation: false });
      c.close();
    } finally {
      diagnostics.unsubscribe('samsa:client:request', listener);
    }
    const mine = events.filter((e) => e.clientId === 'conn-test');
    assert.deepEqual(
      mine.map((e) => e.apiName),
      ['ApiVersions', 'Metadata'],
    );
    assert.ok(mine.every((e) => e.durationMs >= 0 && e.broker.includes(String(broker?.port))));
  });
});

describe('ConnectionPool', () => {
  it('reuses one connection per broker and backs off exponentially between failed connects', async () => {
    const broker = await FakeBroker.start(() => undefined);
    const pool = new ConnectionPool({
      clientId: 'pool-test',
      requestTimeoutMs: 1000,
      socketConnectionSetupTimeoutMs: 1000,
      reconnectBackoffMs: 100,
      reconnectBackoffMaxMs: 1000,
      connectionsMaxIdleMs: -1,
    });
    try {
      const a = await pool.get('127.0.0.1', broker.port, 0);
      const b = await pool.get('127.0.0.1', broker.port, 0);
      assert.equal(a, b);
      assert.equal(broker.named('ApiVersions').length, 1);
      // A closed port: the first attempt fails at once, the second waits ~100 ms, the third ~200 ms.
      const port = broker.port;
      await broker.close();
      a.close();
      const started = Date.now();
      await assert.rejects(pool.get('127.0.0.1', port, 0), KafkaConnectionError);
      await assert.rejects(pool.get('127.0.0.1', port, 0), KafkaConnectionError);
      await assert.rejects(pool.get('127.0.0.1', port, 0), KafkaConnectionError);
      const took = Date.now() - started;
      assert.ok(took >= 0.8 * 300 && took < 2000, `backoff took ${took} ms`);
    } finally {
      pool.close();
    }
  });
});
