import assert from 'node:assert/strict';
import diagnostics from 'node:diagnostics_channel';
import { afterEach, describe, it } from 'node:test';
import {
  ErrorCode,
  MetadataApi,
  parseScramAttributes,
  scramClientKey,
  scramHash,
  scramHmac,
  scramSaltedPassword,
  scramServerKey,
} from '@samsa/protocol';
import { Admin } from '../../src/admin/admin.js';
import type { CommonConfig } from '../../src/config/client-config.js';
import { resolveConfig } from '../../src/config/resolve-config.js';
import { Connection } from '../../src/connection/connection.js';
import { ConnectionPool } from '../../src/connection/connection-pool.js';
import type { ConnectionEvent } from '../../src/connection/diagnostics.js';
import { SaslAuthenticationError } from '../../src/errors/client-errors.js';
import { type ClientSecurity, clientSecurityOf } from '../../src/security/client-security.js';
import { FakeBroker, type ReceivedRequest } from '../support/fake-broker.js';

const EMPTY = Buffer.alloc(0);
const FAILED = {
  errorCode: ErrorCode.SASL_AUTHENTICATION_FAILED,
  errorMessage: 'Authentication failed: Invalid username or password',
  authBytes: EMPTY,
  sessionLifetimeMs: 0n,
};

interface SaslBrokerOptions {
  readonly mechanisms?: readonly string[];
  /** PLAIN passwords by user. */
  readonly users?: Readonly<Record<string, string>>;
  readonly sessionLifetimeMs?: bigint;
  /** Answers a SaslAuthenticate instead of the PLAIN check (SCRAM, OAUTHBEARER). */
  readonly authenticate?: (request: ReceivedRequest) => unknown;
}

/** The fake broker as a SASL listener: SaslHandshake with `mechanisms`, PLAIN against `users`. */
function saslBroker(options: SaslBrokerOptions): Promise<FakeBroker> {
  const mechanisms = options.mechanisms ?? ['PLAIN'];
  return FakeBroker.start((r) => {
    if (r.apiName === 'SaslHandshake') {
      const known = mechanisms.includes(r.body.mechanism);
      return { errorCode: known ? 0 : ErrorCode.UNSUPPORTED_SASL_MECHANISM, mechanisms };
    }
    if (r.apiName !== 'SaslAuthenticate') return undefined;
    if (options.authenticate !== undefined) return options.authenticate(r);
    const [authzid, user, password] = (r.body.authBytes as Buffer).toString('utf8').split('\u0000');
    if (authzid !== '' || user === undefined || options.users?.[user] !== password) return FAILED;
    return { errorCode: 0, errorMessage: null, authBytes: EMPTY, sessionLifetimeMs: options.sessionLifetimeMs ?? 0n };
  });
}

function securityOf(settings: Record<string, unknown>): ClientSecurity | undefined {
  return clientSecurityOf(
    resolveConfig('admin', {
      'bootstrap.servers': 'localhost:1',
      'security.protocol': 'SASL_PLAINTEXT',
      ...settings,
    }) as unknown as CommonConfig,
  );
}

function connectionTo(broker: FakeBroker, settings: Record<string, unknown>): Connection {
  return new Connection({
    host: '127.0.0.1',
    port: broker.port,
    nodeId: 0,
    clientId: 'sasl-test',
    requestTimeoutMs: 5000,
    connectionSetupTimeoutMs: 5000,
    security: securityOf(settings),
  });
}

const ALICE = { 'sasl.username': 'alice', 'sasl.password': 'alice-secret' };
const metadata = (c: Connection) => c.request(MetadataApi, { topics: [], allowAutoTopicCreation: false });
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

describe('Connection with SASL', () => {
  let broker: FakeBroker | undefined;
  afterEach(async () => {
    await broker?.close();
    broker = undefined;
  });

  it('authenticates after ApiVersions with SaslHandshake v1 and SaslAuthenticate v2 before any request', async () => {
    broker = await saslBroker({ users: { alice: 'alice-secret' } });
    const events: ConnectionEvent[] = [];
    const listener = (m: unknown) => events.push(m as ConnectionEvent);
    diagnostics.subscribe('samsa:client:connection', listener);
    try {
      const c = connectionTo(broker, ALICE);
      await metadata(c);
      assert.deepEqual(
        broker.requests.map((r) => `${r.apiName} v${r.version}`),
        ['ApiVersions v3', 'SaslHandshake v1', 'SaslAuthenticate v2', `Metadata v${broker.requests[3]?.version}`],
      );
      assert.equal(broker.named('SaslHandshake')[0]?.body.mechanism, 'PLAIN');
      assert.deepEqual(broker.named('SaslAuthenticate')[0]?.body.authBytes, Buffer.from('\0alice\0alice-secret'));
      assert.deepEqual(
        events.filter((e) => e.clientId === 'sasl-test').map((e) => e.event),
        ['connect', 'authenticate'],
      );
      c.close();
    } finally {
      diagnostics.unsubscribe('samsa:client:connection', listener);
    }
  });

  it("fails a wrong password with a non-retriable SaslAuthenticationError carrying the broker's message", async () => {
    broker = await saslBroker({ users: { alice: 'alice-secret' } });
    const c = connectionTo(broker, { 'sasl.username': 'alice', 'sasl.password': 'wrong' });
    await assert.rejects(metadata(c), (error: unknown) => {
      assert.ok(error instanceof SaslAuthenticationError, String(error));
      assert.equal(error.errorCode, ErrorCode.SASL_AUTHENTICATION_FAILED);
      assert.equal(error.retriable, false);
      assert.match(error.message, /SASL\/PLAIN authentication of alice failed: .*Invalid username or password/);
      assert.doesNotMatch(error.message, /wrong/);
      return true;
    });
    assert.equal(c.isClosed, true, 'a failed authentication closes the connection');
    assert.equal(broker.named('Metadata').length, 0);
  });

  it('names the mechanisms the broker enables when it does not enable ours', async () => {
    broker = await saslBroker({ mechanisms: ['SCRAM-SHA-512', 'OAUTHBEARER'] });
    const c = connectionTo(broker, ALICE);
    await assert.rejects(c.connect(), (error: unknown) => {
      assert.ok(error instanceof SaslAuthenticationError);
      assert.equal(error.errorCode, ErrorCode.UNSUPPORTED_SASL_MECHANISM);
      assert.equal(error.retriable, false);
      assert.match(error.message, /does not enable PLAIN \(sasl.mechanism\); it enables SCRAM-SHA-512, OAUTHBEARER/);
      return true;
    });
  });

  it('runs SCRAM-SHA-256 over two SaslAuthenticate round trips and checks the server signature', async () => {
    const salt = Buffer.from('0123456789abcdef');
    let clientFirstBare = '';
    let serverFirst = '';
    let forge = false;
    broker = await saslBroker({
      mechanisms: ['SCRAM-SHA-256'],
      authenticate: (r) => {
        const message = (r.body.authBytes as Buffer).toString('utf8');
        const ok = (text: string) => ({
          errorCode: 0,
          errorMessage: null,
          authBytes: Buffer.from(text),
          sessionLifetimeMs: 0n,
        });
        if (message.startsWith('n,,')) {
          clientFirstBare = message.slice(3);
          serverFirst = `r=${parseScramAttributes(clientFirstBare)?.get('r')}server,s=${salt.toString('base64')},i=4096`;
          return ok(serverFirst);
        }
        const withoutProof = message.slice(0, message.indexOf(',p='));
        const salted = scramSaltedPassword('SCRAM-SHA-256', 'alice-secret', salt, 4096);
        const authMessage = `${clientFirstBare},${serverFirst},${withoutProof}`;
        const clientKey = scramClientKey('SCRAM-SHA-256', salted);
        const expectedProof = Buffer.from(clientKey).map(
          (b, i) => b ^ (scramHmac('SCRAM-SHA-256', scramHash('SCRAM-SHA-256', clientKey), authMessage)[i] as number),
        );
        if (message.slice(message.indexOf(',p=') + 3) !== Buffer.from(expectedProof).toString('base64')) return FAILED;
        const key = forge ? Buffer.alloc(32) : scramServerKey('SCRAM-SHA-256', salted);
        return ok(`v=${scramHmac('SCRAM-SHA-256', key, authMessage).toString('base64')}`);
      },
    });
    const settings = { ...ALICE, 'sasl.mechanism': 'SCRAM-SHA-256' };
    const c = connectionTo(broker, settings);
    await metadata(c);
    assert.equal(broker.named('SaslAuthenticate').length, 2);
    c.close();
    forge = true;
    await assert.rejects(connectionTo(broker, settings).connect(), (error: unknown) => {
      assert.ok(error instanceof SaslAuthenticationError, String(error));
      assert.match(error.message, /SCRAM-SHA-256 authentication of alice failed: .*server signature/);
      return true;
    });
  });

  it("includes OAUTHBEARER's RFC 7628 error status in the failure", async () => {
    broker = await saslBroker({
      mechanisms: ['OAUTHBEARER'],
      authenticate: (r) =>
        (r.body.authBytes as Buffer).equals(Buffer.from([1]))
          ? { ...FAILED, errorMessage: 'Authentication failed: token expired' }
          : {
              errorCode: 0,
              errorMessage: null,
              authBytes: Buffer.from('{"status":"invalid_token"}'),
              sessionLifetimeMs: 0n,
            },
    });
    const c = connectionTo(broker, {
      'sasl.mechanism': 'OAUTHBEARER',
      oauthBearerTokenProvider: () => ({ value: 'x.y.' }),
    });
    await assert.rejects(c.connect(), /token expired \(\{"status":"invalid_token"\}\)/);
  });

  it('re-authenticates on the same connection before the session expires (KIP-368), between requests', async () => {
    broker = await saslBroker({ users: { alice: 'alice-secret' }, sessionLifetimeMs: 300n });
    const c = connectionTo(broker, ALICE);
    const deadline = Date.now() + 1000;
    let completed = 0;
    while (Date.now() < deadline) {
      await Promise.all([metadata(c), metadata(c)]);
      completed += 2;
      await sleep(10);
    }
    const names = broker.requests.map((r) => r.apiName);
    assert.equal(names.filter((n) => n === 'ApiVersions').length, 1, 'one connection');
    assert.ok(names.filter((n) => n === 'SaslHandshake').length >= 3, names.join(','));
    // Nothing is sent between a handshake and its authentication.
    names.forEach((n, i) => {
      if (n === 'SaslHandshake') assert.equal(names[i + 1], 'SaslAuthenticate');
    });
    assert.ok(completed > 10);
    assert.equal(c.isClosed, false);
    c.close();
  });

  it('closes the connection with the error when re-authentication is refused', async () => {
    let refuse = false;
    broker = await saslBroker({
      authenticate: () =>
        refuse ? FAILED : { errorCode: 0, errorMessage: null, authBytes: EMPTY, sessionLifetimeMs: 200n },
    });
    const c = connectionTo(broker, ALICE);
    await metadata(c);
    refuse = true;
    await sleep(300);
    assert.equal(c.isClosed, true);
    await assert.rejects(metadata(c), SaslAuthenticationError);
  });

  it('the pool hands an authentication failure to callers during the backoff instead of reconnecting', async () => {
    broker = await saslBroker({ users: { alice: 'alice-secret' } });
    const pool = new ConnectionPool({
      clientId: 'pool-test',
      requestTimeoutMs: 5000,
      socketConnectionSetupTimeoutMs: 5000,
      reconnectBackoffMs: 400,
      reconnectBackoffMaxMs: 1000,
      connectionsMaxIdleMs: -1,
      security: securityOf({ 'sasl.username': 'alice', 'sasl.password': 'wrong' }),
    });
    try {
      for (let i = 0; i < 20; i++) {
        await assert.rejects(pool.get('127.0.0.1', broker.port, 0), SaslAuthenticationError);
      }
      assert.equal(broker.named('SaslHandshake').length, 1, 'no reconnect within the backoff');
      await sleep(600);
      await assert.rejects(pool.get('127.0.0.1', broker.port, 0), SaslAuthenticationError);
      assert.equal(broker.named('SaslHandshake').length, 2, 'one more attempt after it');
    } finally {
      pool.close();
    }
  });

  it("fails the caller's operation with the authentication error, not 'no broker reachable'", async () => {
    broker = await saslBroker({ users: { alice: 'alice-secret' } });
    const admin = new Admin({
      'bootstrap.servers': broker.bootstrap,
      'security.protocol': 'SASL_PLAINTEXT',
      'sasl.jaas.config':
        'org.apache.kafka.common.security.plain.PlainLoginModule required username="alice" password="nope";',
    });
    try {
      await assert.rejects(admin.listTopics(), (error: unknown) => {
        assert.ok(error instanceof SaslAuthenticationError, String(error));
        assert.match(error.message, /Invalid username or password/);
        return true;
      });
    } finally {
      await admin.close();
    }
    const ok = new Admin({
      'bootstrap.servers': broker.bootstrap,
      'security.protocol': 'SASL_PLAINTEXT',
      'sasl.jaas.config':
        'org.apache.kafka.common.security.plain.PlainLoginModule required username="alice" password="alice-secret";',
    });
    try {
      assert.deepEqual(await ok.listTopics(), []);
    } finally {
      await ok.close();
    }
  });
});
