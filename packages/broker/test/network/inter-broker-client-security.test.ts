/**
 * The inter-broker client over TLS and SASL, against a broker side made of the real listener
 * security (its TLS options, its SaslServerAuthenticator with the PLAIN and SCRAM servers) built
 * from a BrokerConfig, as the SocketServer builds it: the exchange must complete before any other
 * request is sent; a refusal rejects with the broker's error and the next send tries again; the
 * broker's certificate is verified, hostname included; a listener requiring client certificates
 * gets the keystore's.
 */
import assert from 'node:assert/strict';
import { createServer as createTcpServer, type Server, type Socket } from 'node:net';
import { after, before, describe, test } from 'node:test';
import { createServer as createTlsServer } from 'node:tls';
import {
  ApiKey,
  type ApiVersionsResponse,
  createScramCredential,
  decodeRequest,
  ErrorCode,
  encodeResponse,
  FrameDecoder,
  KafkaError,
  type SaslAuthenticateRequest,
  type SaslHandshakeRequest,
} from '@samsa/protocol';
import { type SelfSignedCertificate, selfSignedCertificate } from '@samsa/test-pki';
import { BrokerConfig } from '../../src/config/broker-config.js';
import { silentLogger } from '../../src/create-logger.js';
import { InterBrokerClient } from '../../src/network/inter-broker-client.js';
import { resolveInterBrokerSecurity } from '../../src/network/inter-broker-security.js';
import { buildListenerSecurity, createSaslAuthenticator } from '../../src/security/listener-security.js';
import { InMemoryScramCredentialStore } from '../../src/security/scram-credential-store.js';

const PLAIN_JAAS =
  'org.apache.kafka.common.security.plain.PlainLoginModule required username="broker" password="broker-secret" user_broker="broker-secret";';

interface FakeBroker {
  readonly port: number;
  /** The API keys of the requests received, in order, across connections. */
  readonly received: number[];
  close(): Promise<void>;
}

/**
 * Serves one listener of `config` with its real TLS and SASL: SaslHandshake and SaslAuthenticate
 * go to the listener's authenticator; ApiVersions is answered once authenticated, and anything
 * before that closes the connection, as the SocketServer does.
 */
async function startBroker(
  config: BrokerConfig,
  listenerName: string,
  scram = new InMemoryScramCredentialStore(),
): Promise<FakeBroker> {
  const endpoint = config.listeners.find((l) => l.listenerName === listenerName);
  assert.ok(endpoint !== undefined);
  const security = buildListenerSecurity(config, endpoint, scram, silentLogger());
  const received: number[] = [];
  const sockets = new Set<Socket>();
  const serve = (socket: Socket) => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
    socket.on('error', () => {});
    const sasl = security.sasl === undefined ? undefined : createSaslAuthenticator(security.sasl, () => {});
    const decoder = new FrameDecoder(1024 * 1024);
    let queue = Promise.resolve();
    const answer = async (frame: Buffer) => {
      const decoded = decodeRequest(frame);
      assert.equal(decoded.kind, 'ok');
      if (decoded.kind !== 'ok') return;
      const { requestApiKey: apiKey, requestApiVersion: version, correlationId } = decoded.header;
      received.push(apiKey);
      let body: unknown;
      let close = false;
      if (apiKey === ApiKey.SaslHandshake && sasl !== undefined) {
        const outcome = sasl.handshake(version, (decoded.body as SaslHandshakeRequest).mechanism);
        body = { errorCode: outcome.errorCode, mechanisms: [...outcome.mechanisms] };
        close = outcome.close;
      } else if (apiKey === ApiKey.SaslAuthenticate && sasl !== undefined) {
        const outcome = await sasl.authenticate(version, (decoded.body as SaslAuthenticateRequest).authBytes);
        body = { ...outcome, sessionLifetimeMs: BigInt(outcome.sessionLifetimeMs) };
        close = outcome.close;
      } else if (apiKey === ApiKey.ApiVersions && (sasl === undefined || sasl.authenticated)) {
        body = { errorCode: 0, apiKeys: [] };
      } else {
        socket.destroy();
        return;
      }
      for (const chunk of encodeResponse(decoded.api, version, correlationId, body)) socket.write(chunk);
      if (close) socket.end();
    };
    socket.on('data', (chunk: Buffer) => {
      for (const frame of decoder.push(chunk)) queue = queue.then(() => answer(frame));
    });
  };
  const server: Server =
    security.tls === undefined ? createTcpServer(serve) : createTlsServer(security.tls.options, serve);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    port: (server.address() as { port: number }).port,
    received,
    async close() {
      for (const s of sockets) s.destroy();
      await new Promise((resolve) => server.close(resolve));
    },
  };
}

function brokerConfig(properties: Record<string, string>): BrokerConfig {
  return new BrokerConfig(
    new Map(
      Object.entries({
        'log.dirs': '/tmp/unused',
        'connection.failed.authentication.delay.ms': '0',
        ...properties,
      }),
    ),
  );
}

function clientOf(config: BrokerConfig, port: number): InterBrokerClient {
  return new InterBrokerClient({
    host: '127.0.0.1',
    port,
    clientId: 'broker-1-test',
    requestTimeoutMs: 5000,
    security: resolveInterBrokerSecurity(config),
  });
}

function apiVersions(client: InterBrokerClient): Promise<ApiVersionsResponse> {
  return client.send<ApiVersionsResponse>(ApiKey.ApiVersions, 0, {});
}

function kafkaError(code: number, message: RegExp): (err: unknown) => boolean {
  return (err) => {
    assert.ok(err instanceof KafkaError, String(err));
    assert.equal(err.errorCode, code, err.message);
    assert.match(err.message, message);
    return true;
  };
}

describe('InterBrokerClient with the inter-broker listener security', () => {
  let cert: SelfSignedCertificate;
  let otherHostCert: SelfSignedCertificate;
  before(() => {
    cert = selfSignedCertificate('IP:127.0.0.1,DNS:localhost');
    otherHostCert = selfSignedCertificate('DNS:elsewhere.example');
  });
  after(() => {
    cert?.remove();
    otherHostCert?.remove();
  });

  const saslSsl = (password: string, extra: Record<string, string> = {}) =>
    brokerConfig({
      listeners: 'PLAINTEXT://127.0.0.1:0,SASL_SSL://127.0.0.1:0',
      'inter.broker.listener.name': 'SASL_SSL',
      'sasl.mechanism.inter.broker.protocol': 'PLAIN',
      'sasl.enabled.mechanisms': 'PLAIN',
      'listener.name.sasl_ssl.plain.sasl.jaas.config': PLAIN_JAAS.replace(
        'password="broker-secret"',
        `password="${password}"`,
      ),
      'ssl.keystore.type': 'PEM',
      'ssl.keystore.location': cert.pemPath,
      'ssl.truststore.type': 'PEM',
      'ssl.truststore.location': cert.pemPath,
      'listener.name.sasl_ssl.ssl.client.auth': 'required',
      ...extra,
    });

  test('SASL_SSL/PLAIN with a client certificate: handshake and authentication come first', async () => {
    const config = saslSsl('broker-secret');
    const broker = await startBroker(config, 'SASL_SSL');
    const client = clientOf(config, broker.port);
    try {
      const [a, b] = await Promise.all([apiVersions(client), apiVersions(client)]);
      assert.equal(a.errorCode, 0);
      assert.equal(b.errorCode, 0);
      assert.deepEqual(broker.received, [
        ApiKey.SaslHandshake,
        ApiKey.SaslAuthenticate,
        ApiKey.ApiVersions,
        ApiKey.ApiVersions,
      ]);
    } finally {
      client.close();
      await broker.close();
    }
  });

  test('a wrong password rejects with SASL_AUTHENTICATION_FAILED, and every send tries again', async () => {
    const broker = await startBroker(saslSsl('broker-secret'), 'SASL_SSL');
    const client = clientOf(saslSsl('wrong'), broker.port);
    try {
      const refused = kafkaError(
        ErrorCode.SASL_AUTHENTICATION_FAILED,
        /SASL\/PLAIN authentication of broker .* failed/,
      );
      await assert.rejects(apiVersions(client), refused);
      await assert.rejects(apiVersions(client), refused);
      assert.deepEqual(broker.received, [
        ApiKey.SaslHandshake,
        ApiKey.SaslAuthenticate,
        ApiKey.SaslHandshake,
        ApiKey.SaslAuthenticate,
      ]);
    } finally {
      client.close();
      await broker.close();
    }
  });

  test('a mechanism the broker does not enable: UNSUPPORTED_SASL_MECHANISM', async () => {
    const broker = await startBroker(
      saslSsl('broker-secret', {
        'sasl.enabled.mechanisms': 'SCRAM-SHA-256,PLAIN',
        'listener.name.sasl_ssl.sasl.enabled.mechanisms': 'SCRAM-SHA-256',
      }),
      'SASL_SSL',
    );
    const client = clientOf(saslSsl('broker-secret'), broker.port);
    try {
      await assert.rejects(apiVersions(client), kafkaError(ErrorCode.UNSUPPORTED_SASL_MECHANISM, /SCRAM-SHA-256/));
    } finally {
      client.close();
      await broker.close();
    }
  });

  test('SASL_PLAINTEXT/SCRAM-SHA-256: the credential in the store, the server signature checked', async () => {
    const config = (password: string) =>
      brokerConfig({
        listeners: 'PLAINTEXT://127.0.0.1:0,SASL_PLAINTEXT://127.0.0.1:0',
        'security.inter.broker.protocol': 'SASL_PLAINTEXT',
        'sasl.mechanism.inter.broker.protocol': 'SCRAM-SHA-256',
        'sasl.enabled.mechanisms': 'SCRAM-SHA-256',
        'listener.name.sasl_plaintext.scram-sha-256.sasl.jaas.config': `org.apache.kafka.common.security.scram.ScramLoginModule required username="broker" password="${password}";`,
      });
    const scram = new InMemoryScramCredentialStore();
    scram.set('broker', 'SCRAM-SHA-256', createScramCredential('SCRAM-SHA-256', 'scram-secret', 4096));
    const broker = await startBroker(config('scram-secret'), 'SASL_PLAINTEXT', scram);
    const good = clientOf(config('scram-secret'), broker.port);
    const bad = clientOf(config('guess'), broker.port);
    try {
      assert.equal((await apiVersions(good)).errorCode, 0);
      await assert.rejects(
        apiVersions(bad),
        kafkaError(ErrorCode.SASL_AUTHENTICATION_FAILED, /SASL\/SCRAM-SHA-256 .* failed/),
      );
    } finally {
      good.close();
      bad.close();
      await broker.close();
    }
  });

  test('SSL: a certificate that does not name the host is refused unless hostname verification is off', async () => {
    const config = (extra: Record<string, string>) =>
      brokerConfig({
        listeners: 'PLAINTEXT://127.0.0.1:0,SSL://127.0.0.1:0',
        'security.inter.broker.protocol': 'SSL',
        'ssl.keystore.type': 'PEM',
        'ssl.keystore.location': otherHostCert.pemPath,
        'ssl.truststore.type': 'PEM',
        'ssl.truststore.location': otherHostCert.pemPath,
        ...extra,
      });
    const broker = await startBroker(config({}), 'SSL');
    const verifying = clientOf(config({}), broker.port);
    const lenient = clientOf(config({ 'ssl.endpoint.identification.algorithm': '' }), broker.port);
    try {
      await assert.rejects(
        apiVersions(verifying),
        kafkaError(ErrorCode.NETWORK_EXCEPTION, /TLS handshake with .*127\.0\.0\.1/),
      );
      assert.equal((await apiVersions(lenient)).errorCode, 0);
    } finally {
      verifying.close();
      lenient.close();
      await broker.close();
    }
  });

  test('SSL: a broker certificate the truststore does not trust is refused', async () => {
    const serverConfig = brokerConfig({
      listeners: 'PLAINTEXT://127.0.0.1:0,SSL://127.0.0.1:0',
      'security.inter.broker.protocol': 'SSL',
      'ssl.keystore.type': 'PEM',
      'ssl.keystore.location': otherHostCert.pemPath,
    });
    const clientConfig = brokerConfig({
      listeners: 'PLAINTEXT://127.0.0.1:0,SSL://127.0.0.1:0',
      'security.inter.broker.protocol': 'SSL',
      'ssl.keystore.type': 'PEM',
      'ssl.keystore.location': cert.pemPath,
      'ssl.truststore.type': 'PEM',
      'ssl.truststore.location': cert.pemPath,
      'ssl.endpoint.identification.algorithm': '',
    });
    const broker = await startBroker(serverConfig, 'SSL');
    const client = clientOf(clientConfig, broker.port);
    try {
      await assert.rejects(apiVersions(client), kafkaError(ErrorCode.NETWORK_EXCEPTION, /TLS handshake/));
    } finally {
      client.close();
      await broker.close();
    }
  });
});
