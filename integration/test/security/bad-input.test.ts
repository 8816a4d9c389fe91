/**
 * Strangers on the secured listeners: wrong passwords, garbage SASL tokens, oversized frames
 * before authentication, requests before authentication, TLS handshakes that never finish, idle
 * unauthenticated connections and a connection flood from one address. Each is refused, the
 * broker stays up and keeps serving everyone else.
 */
import assert from 'node:assert/strict';
import { connect, type Socket } from 'node:net';
import { after, before, describe, test } from 'node:test';
import {
  ApiVersionsApi,
  ErrorCode,
  MetadataApi,
  SaslAuthenticateApi,
  type SaslAuthenticateResponse,
  SaslHandshakeApi,
  type SaslHandshakeResponse,
} from '@samsa/protocol';
import { RawClient } from '../support/raw-client.js';
import { PLAIN_USERS, type SecuredBroker, startSecuredBroker } from './security-support.js';

const FAILED_AUTH_DELAY_MS = 400;

function portOf(address: string): number {
  return Number(address.split(':')[1]);
}

/** Resolves when the broker closes the socket, with how long that took. */
function closedWithin(socket: Socket): Promise<number> {
  const started = performance.now();
  return new Promise((resolve) => socket.once('close', () => resolve(performance.now() - started)));
}

async function authenticatePlain(client: RawClient, user: string, password: string): Promise<SaslAuthenticateResponse> {
  const handshake = await client.send<SaslHandshakeResponse>(SaslHandshakeApi, 1, { mechanism: 'PLAIN' });
  assert.equal(handshake.errorCode, ErrorCode.NONE);
  return client.send<SaslAuthenticateResponse>(SaslAuthenticateApi, 1, {
    authBytes: Buffer.from(`\u0000${user}\u0000${password}`),
  });
}

describe('bad input on secured listeners', () => {
  let env: SecuredBroker;
  let sasl: number;

  before(async () => {
    env = await startSecuredBroker({
      'connection.failed.authentication.delay.ms': FAILED_AUTH_DELAY_MS,
      'ssl.handshake.timeout.ms': 1000,
      'sasl.server.authentication.timeout.ms': 1500,
      'max.connections.per.ip': 200,
    });
    sasl = portOf(env.saslPlaintext);
  });
  after(async () => {
    await env?.close();
  });

  /** The broker still authenticates and answers a well-behaved client. */
  async function brokerServes(): Promise<void> {
    const client = await RawClient.connect(sasl);
    try {
      const auth = await authenticatePlain(client, 'alice', PLAIN_USERS.alice);
      assert.equal(auth.errorCode, ErrorCode.NONE);
      const metadata = await client.send<{ brokers: unknown[] }>(MetadataApi, 9, {
        topics: [],
        allowAutoTopicCreation: false,
      });
      assert.equal(metadata.brokers.length, 1);
    } finally {
      client.close();
    }
  }

  test('a wrong password and an unknown user get the same answer, after the delay, then the connection closes', async () => {
    const answers: string[] = [];
    for (const [user, password] of [
      ['alice', 'wrong'],
      ['nobody', 'wrong'],
    ] as const) {
      const client = await RawClient.connect(sasl);
      const started = performance.now();
      const auth = await authenticatePlain(client, user, password);
      const tookMs = performance.now() - started;
      assert.equal(auth.errorCode, ErrorCode.SASL_AUTHENTICATION_FAILED);
      assert.ok(tookMs >= FAILED_AUTH_DELAY_MS - 20, `refusal came after ${tookMs} ms`);
      answers.push(auth.errorMessage ?? '');
      await new Promise((resolve) => setTimeout(resolve, 100));
      assert.equal(client.isClosed, true);
    }
    assert.equal(answers[0], answers[1]);
    assert.equal(answers[0], 'Authentication failed: Invalid username or password');
    await brokerServes();
  });

  test('garbage tokens are refused with SASL_AUTHENTICATION_FAILED', async () => {
    const client = await RawClient.connect(sasl);
    const handshake = await client.send<SaslHandshakeResponse>(SaslHandshakeApi, 1, { mechanism: 'SCRAM-SHA-256' });
    assert.equal(handshake.errorCode, ErrorCode.NONE);
    const auth = await client.send<SaslAuthenticateResponse>(SaslAuthenticateApi, 1, {
      authBytes: Buffer.from([0xff, 0x00, 0x13, 0x37, 0x2c, 0x2c]),
    });
    assert.equal(auth.errorCode, ErrorCode.SASL_AUTHENTICATION_FAILED);
    assert.match(auth.errorMessage ?? '', /Invalid SCRAM client first message/);
    await brokerServes();
  });

  test('a 1 GiB frame size before authentication closes the connection without allocating', async () => {
    const rssBefore = await brokerRssBytes(env);
    const socket = connect(sasl, '127.0.0.1');
    await new Promise<void>((resolve) => socket.once('connect', resolve));
    const closed = closedWithin(socket);
    socket.on('error', () => {});
    const header = Buffer.alloc(4);
    header.writeInt32BE(1024 * 1024 * 1024, 0);
    socket.write(Buffer.concat([header, Buffer.alloc(1024, 0x41)]));
    await closed;
    await brokerServes();
    // The limit before authentication is sasl.server.max.receive.size (512 KiB): nothing near 1 GiB was allocated.
    assert.ok((await brokerRssBytes(env)) - rssBefore < 256 * 1024 * 1024);
  });

  test('a request other than ApiVersions and SASL before authentication closes the connection', async () => {
    const client = await RawClient.connect(sasl);
    const versions = await client.send<{ errorCode: number }>(ApiVersionsApi, 3, {
      clientSoftwareName: 'raw',
      clientSoftwareVersion: '1',
    });
    assert.equal(versions.errorCode, ErrorCode.NONE);
    await assert.rejects(client.send(MetadataApi, 9, { topics: null, allowAutoTopicCreation: false }), /closed/);
    assert.match(env.broker.logs, /request before SASL authentication/);
    await brokerServes();
  });

  test('an unsupported mechanism is answered with the enabled ones, then the connection closes', async () => {
    const client = await RawClient.connect(sasl);
    const handshake = await client.send<SaslHandshakeResponse>(SaslHandshakeApi, 1, { mechanism: 'GSSAPI' });
    assert.equal(handshake.errorCode, ErrorCode.UNSUPPORTED_SASL_MECHANISM);
    assert.deepEqual(handshake.mechanisms, ['PLAIN', 'SCRAM-SHA-256', 'SCRAM-SHA-512']);
    await new Promise((resolve) => setTimeout(resolve, 100));
    assert.equal(client.isClosed, true);
  });

  test('a TLS handshake that never finishes and an idle unauthenticated SASL connection are closed', async () => {
    const tls = connect(portOf(env.ssl), '127.0.0.1');
    tls.on('error', () => {});
    const idle = connect(sasl, '127.0.0.1');
    idle.on('error', () => {});
    const [tlsClosedMs, idleClosedMs] = await Promise.all([closedWithin(tls), closedWithin(idle)]);
    // Closed by the broker's timeouts (1 s and 1.5 s here), not by this test.
    assert.ok(tlsClosedMs >= 900, `TLS closed after ${tlsClosedMs} ms`);
    assert.ok(idleClosedMs >= 1400, `SASL closed after ${idleClosedMs} ms`);
    await brokerServes();
  });

  test('10,000 connection attempts from one address are limited; another address is still served', async () => {
    // The flood comes from 127.0.0.1; the well-behaved client below connects from 127.0.0.2.
    let opened = 0;
    const sockets: Socket[] = [];
    const attempts: Promise<void>[] = [];
    for (let i = 0; i < 10_000; i++) {
      attempts.push(
        new Promise<void>((resolve) => {
          const s = connect({ port: sasl, host: '127.0.0.1', localAddress: '127.0.0.1' });
          sockets.push(s);
          s.once('connect', () => {
            opened++;
            resolve();
          });
          s.once('error', () => resolve());
          s.once('close', () => resolve());
        }),
      );
      if (i % 500 === 499) await new Promise((resolve) => setImmediate(resolve));
    }
    await Promise.all(attempts);
    await new Promise((resolve) => setTimeout(resolve, 500));
    const stillOpen = sockets.filter((s) => !s.destroyed && s.readyState === 'open').length;
    assert.ok(opened > 0);
    assert.ok(stillOpen <= 200, `${stillOpen} flood connections are still open (limit 200)`);
    assert.match(env.broker.logs, /max\.connections\.per\.ip/);

    const other = await new Promise<RawClient>((resolve, reject) => {
      RawClient.connectFrom(sasl, '127.0.0.2').then(resolve, reject);
    });
    try {
      const auth = await authenticatePlain(other, 'bob', PLAIN_USERS.bob);
      assert.equal(auth.errorCode, ErrorCode.NONE);
    } finally {
      other.close();
      for (const s of sockets) s.destroy();
    }
    await new Promise((resolve) => setTimeout(resolve, 300));
    await brokerServes();
  });
});

async function brokerRssBytes(env: SecuredBroker): Promise<number> {
  const { readFileSync } = await import('node:fs');
  const status = readFileSync(`/proc/${env.broker.child.pid}/status`, 'utf8');
  const kb = Number(/VmRSS:\s+(\d+) kB/.exec(status)?.[1] ?? 0);
  return kb * 1024;
}
