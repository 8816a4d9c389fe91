import assert from 'node:assert/strict';
import net from 'node:net';
import { after, before, describe, it } from 'node:test';
import tls from 'node:tls';
import { MetadataApi } from '@samsa/protocol';
import { type SelfSignedCertificate, selfSignedCertificate } from '@samsa/test-pki';
import type { CommonConfig } from '../../src/config/client-config.js';
import { resolveConfig } from '../../src/config/resolve-config.js';
import { Connection } from '../../src/connection/connection.js';
import { ClientErrorCode, SslAuthenticationError } from '../../src/errors/client-errors.js';
import { clientSecurityOf } from '../../src/security/client-security.js';
import { FakeBroker } from '../support/fake-broker.js';

/**
 * A TLS listener in front of the fake broker: it terminates TLS with `cert` and pipes the bytes
 * to the broker, so the client's whole path (handshake, ApiVersions, requests) runs over TLS.
 */
async function tlsFront(
  cert: SelfSignedCertificate,
  backendPort: number,
  extra: tls.TlsOptions = {},
): Promise<{ port: number; servernames: (string | false | null)[]; peers: string[]; close(): Promise<void> }> {
  const servernames: (string | false | null)[] = [];
  const peers: string[] = [];
  const sockets = new Set<net.Socket>();
  const server = tls.createServer({ key: cert.key, cert: cert.cert, ...extra }, (socket) => {
    servernames.push(socket.servername);
    const peer = socket.getPeerCertificate();
    if (peer?.subject !== undefined) peers.push(peer.subject.CN as string);
    const upstream = net.connect(backendPort, '127.0.0.1');
    sockets.add(socket).add(upstream);
    socket.pipe(upstream).pipe(socket);
    socket.on('error', () => upstream.destroy());
    upstream.on('error', () => socket.destroy());
  });
  server.on('tlsClientError', () => {});
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    port: (server.address() as net.AddressInfo).port,
    servernames,
    peers,
    close: async () => {
      for (const s of sockets) s.destroy();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}

function connectionTo(port: number, settings: Record<string, unknown>, host = '127.0.0.1'): Connection {
  const config = resolveConfig('admin', {
    'bootstrap.servers': `${host}:${port}`,
    'security.protocol': 'SSL',
    ...settings,
  }) as unknown as CommonConfig;
  return new Connection({
    host,
    port,
    nodeId: 0,
    clientId: 'tls-test',
    requestTimeoutMs: 5000,
    connectionSetupTimeoutMs: 5000,
    security: clientSecurityOf(config),
  });
}

describe('Connection over TLS', () => {
  let broker: FakeBroker;
  let good: SelfSignedCertificate;
  let otherHost: SelfSignedCertificate;
  let client: SelfSignedCertificate;
  before(async () => {
    broker = await FakeBroker.start(() => undefined);
    good = selfSignedCertificate('DNS:localhost,IP:127.0.0.1');
    otherHost = selfSignedCertificate('DNS:broker.example.com');
    client = selfSignedCertificate('DNS:client.example.com');
  });
  after(async () => {
    await broker?.close();
    for (const c of [good, otherHost, client]) c?.remove();
  });

  it('connects when the truststore holds the CA and the certificate names the host', async () => {
    const front = await tlsFront(good, broker.port);
    try {
      const c = connectionTo(front.port, { 'ssl.truststore.location': good.certPath });
      const metadata = await c.request(MetadataApi, { topics: [], allowAutoTopicCreation: false });
      assert.equal(metadata.brokers[0]?.nodeId, 0);
      // An IP address is never sent as SNI (RFC 6066).
      assert.deepEqual(front.servernames, [false]);
      c.close();
    } finally {
      await front.close();
    }
  });

  it('fails with a clear, non-retriable SslAuthenticationError when the CA is not trusted', async () => {
    const front = await tlsFront(good, broker.port);
    try {
      const c = connectionTo(front.port, { 'ssl.truststore.location': otherHost.certPath });
      await assert.rejects(c.connect(), (error: unknown) => {
        assert.ok(error instanceof SslAuthenticationError, String(error));
        assert.equal(error.code, ClientErrorCode.SSL_AUTHENTICATION);
        assert.match(error.message, /TLS handshake failed: .*self-signed/i);
        assert.match(error.message, /not signed by a trusted CA: set ssl.truststore.location/);
        return true;
      });
      assert.equal(c.isClosed, true);
      // Node's default CAs do not know a self-signed certificate either.
      await assert.rejects(connectionTo(front.port, {}).connect(), SslAuthenticationError);
    } finally {
      await front.close();
    }
  });

  it('checks the host name unless ssl.endpoint.identification.algorithm is empty', async () => {
    const front = await tlsFront(otherHost, broker.port);
    try {
      const strict = connectionTo(front.port, { 'ssl.truststore.location': otherHost.certPath });
      await assert.rejects(strict.connect(), (error: unknown) => {
        assert.ok(error instanceof SslAuthenticationError, String(error));
        assert.match(error.message, /does not name the host dialled.*ssl.endpoint.identification.algorithm/);
        return true;
      });
      const lax = connectionTo(front.port, {
        'ssl.truststore.location': otherHost.certPath,
        'ssl.endpoint.identification.algorithm': '',
      });
      await lax.connect();
      assert.equal(lax.isReady, true);
      lax.close();
    } finally {
      await front.close();
    }
  });

  it('sends the host name as SNI', async () => {
    const front = await tlsFront(good, broker.port);
    try {
      const c = connectionTo(front.port, { 'ssl.truststore.certificates': good.cert }, 'localhost');
      await c.connect();
      assert.deepEqual(front.servernames, ['localhost']);
      c.close();
    } finally {
      await front.close();
    }
  });

  it('presents the keystore to a broker that requires client certificates, and fails clearly without one', async () => {
    const front = await tlsFront(good, broker.port, { requestCert: true, rejectUnauthorized: true, ca: client.cert });
    try {
      const withCert = connectionTo(front.port, {
        'ssl.truststore.location': good.certPath,
        'ssl.keystore.location': client.pemPath,
      });
      await withCert.connect();
      assert.deepEqual(front.peers, ['localhost']);
      withCert.close();
      const without = connectionTo(front.port, { 'ssl.truststore.location': good.certPath });
      await assert.rejects(without.connect(), (error: unknown) => {
        assert.ok(error instanceof SslAuthenticationError, String(error));
        assert.match(error.message, /refused this client's certificate/);
        return true;
      });
    } finally {
      await front.close();
    }
  });
});
