/**
 * serverTlsOptions: Kafka's ssl.* keys (and listener.name.<l>.ssl.* overrides) → Node TLS server
 * options, checked by real handshakes on loopback with certificates made at run time. Every
 * unusable setting is a ConfigError naming the key.
 */
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import type { AddressInfo } from 'node:net';
import { after, before, describe, test } from 'node:test';
import { type ConnectionOptions, connect, createServer, type TlsOptions } from 'node:tls';
import { createTestCertificates, KEY_PASSWORD, PKCS12_PASSWORD, type TestCertificates } from '@samsa/test-pki';
import { BrokerConfig } from '../../../src/config/broker-config.js';
import { ConfigError } from '../../../src/config/config-def.js';
import { serverTlsOptions } from '../../../src/security/ssl/server-tls-options.js';

let pki: TestCertificates;
before(() => {
  pki = createTestCertificates();
});
after(() => pki.remove());

function tlsOf(entries: Record<string, string>) {
  const config = new BrokerConfig(
    new Map(
      Object.entries({
        listeners: 'SSL://127.0.0.1:0',
        'inter.broker.listener.name': 'SSL',
        'log.dirs': '/tmp/samsa-tls-options-test',
        ...entries,
      }),
    ),
  );
  return serverTlsOptions(config, 'SSL');
}

const pemKeystore = () => ({ 'ssl.keystore.type': 'PEM', 'ssl.keystore.location': pki.brokerPem });

function configError(key: string, message?: RegExp): (err: unknown) => boolean {
  return (err) => {
    assert.ok(err instanceof ConfigError, String(err));
    assert.equal(err.key, key, err.message);
    if (message !== undefined) assert.match(err.message, message);
    return true;
  };
}

interface Negotiated {
  readonly protocol: string | null;
  readonly cipher: string;
  readonly authorized: boolean;
}

/** One TLS handshake on loopback between a server with `options` and a client trusting the test CA. */
async function handshake(options: TlsOptions, client: ConnectionOptions = {}): Promise<Negotiated> {
  const server = createServer(options, (socket) => {
    socket.on('error', () => {});
    socket.end();
  });
  server.on('tlsClientError', () => {});
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  try {
    return await new Promise<Negotiated>((resolve, reject) => {
      const socket = connect({
        host: '127.0.0.1',
        port: (server.address() as AddressInfo).port,
        servername: 'localhost',
        ca: readFileSync(pki.caPem, 'utf8'),
        ...client,
      });
      socket.once('secureConnect', () => {
        resolve({ protocol: socket.getProtocol(), cipher: socket.getCipher().name, authorized: socket.authorized });
        socket.destroy();
      });
      socket.once('error', reject);
    });
  } finally {
    await new Promise((resolve) => server.close(resolve));
  }
}

describe('serverTlsOptions', () => {
  test('a PEM keystore (key and chain in one file) serves a certificate the CA verifies', async () => {
    const tls = tlsOf(pemKeystore());
    assert.equal(tls.clientAuth, 'none');
    assert.equal(tls.handshakeTimeoutMs, 10_000);
    const negotiated = await handshake(tls.options);
    assert.equal(negotiated.authorized, true);
  });

  test('inline PEM (ssl.keystore.key + ssl.keystore.certificate.chain) works; one without the other does not', async () => {
    const key = readFileSync(pki.brokerKey, 'utf8');
    const chain = readFileSync(pki.brokerCert, 'utf8') + readFileSync(pki.caPem, 'utf8');
    const tls = tlsOf({ 'ssl.keystore.type': 'PEM', 'ssl.keystore.key': key, 'ssl.keystore.certificate.chain': chain });
    assert.equal((await handshake(tls.options)).authorized, true);
    assert.throws(
      () => tlsOf({ 'ssl.keystore.type': 'PEM', 'ssl.keystore.key': key }),
      configError('ssl.keystore.key'),
    );
  });

  test('a PKCS12 keystore with its password works', async () => {
    const tls = tlsOf({
      'ssl.keystore.type': 'PKCS12',
      'ssl.keystore.location': pki.brokerP12,
      'ssl.keystore.password': PKCS12_PASSWORD,
    });
    assert.equal((await handshake(tls.options)).authorized, true);
  });

  test('a PKCS12 keystore with a wrong password is a ConfigError', () => {
    assert.throws(
      () =>
        tlsOf({
          'ssl.keystore.type': 'PKCS12',
          'ssl.keystore.location': pki.brokerP12,
          'ssl.keystore.password': 'nope',
        }),
      ConfigError,
    );
  });

  test('an encrypted PEM key needs ssl.key.password, and works with it', async () => {
    const keystore = { 'ssl.keystore.type': 'PEM', 'ssl.keystore.location': pki.brokerEncryptedPem };
    assert.throws(() => tlsOf(keystore), configError('ssl.key.password'));
    assert.throws(() => tlsOf({ ...keystore, 'ssl.key.password': 'wrong' }), ConfigError);
    const tls = tlsOf({ ...keystore, 'ssl.key.password': KEY_PASSWORD });
    assert.equal((await handshake(tls.options)).authorized, true);
  });

  test('JKS (the default type) is a ConfigError that says how to convert with keytool', () => {
    assert.throws(() => tlsOf({ 'ssl.keystore.location': pki.brokerP12 }), configError('ssl.keystore.type', /keytool/));
    assert.throws(
      () => tlsOf({ ...pemKeystore(), 'ssl.truststore.location': pki.caPem }),
      configError('ssl.truststore.type', /keytool/),
    );
  });

  test('no keystore, a missing file, a file without a key are ConfigErrors naming the key', () => {
    assert.throws(() => tlsOf({}), configError('ssl.keystore.location'));
    assert.throws(
      () => tlsOf({ 'ssl.keystore.type': 'PEM', 'ssl.keystore.location': `${pki.dir}/missing.pem` }),
      configError('ssl.keystore.location'),
    );
    assert.throws(
      () => tlsOf({ 'ssl.keystore.type': 'PEM', 'ssl.keystore.location': pki.brokerCert }),
      configError('ssl.keystore.location', /private key/),
    );
  });

  test('ssl.client.auth=required without a truststore is a ConfigError', () => {
    assert.throws(() => tlsOf({ ...pemKeystore(), 'ssl.client.auth': 'required' }), configError('ssl.client.auth'));
    assert.throws(() => tlsOf({ ...pemKeystore(), 'ssl.client.auth': 'requested' }), configError('ssl.client.auth'));
  });

  test('ssl.client.auth=required with a PEM truststore refuses a client without a certificate, admits one with', async () => {
    const tls = tlsOf({
      ...pemKeystore(),
      'ssl.client.auth': 'required',
      'ssl.truststore.type': 'PEM',
      'ssl.truststore.location': pki.caPem,
    });
    assert.equal(tls.clientAuth, 'required');
    const withCertificate = await handshake(tls.options, {
      key: readFileSync(pki.clientKey),
      cert: readFileSync(pki.clientCert),
    });
    assert.equal(withCertificate.authorized, true);
    // TLS 1.3 reports the refusal after the client's handshake completes: the connection then fails.
    await assert.rejects(async () => {
      await handshake(tls.options, { maxVersion: 'TLSv1.2' });
    });
  });

  test('on SASL_SSL only the listener-prefixed ssl.client.auth asks for certificates, as Kafka', () => {
    const sasl = (entries: Record<string, string>) =>
      serverTlsOptions(
        new BrokerConfig(
          new Map(
            Object.entries({
              listeners: 'PLAINTEXT://127.0.0.1:0,SASL_SSL://127.0.0.1:0',
              'log.dirs': '/tmp/samsa-tls-options-test',
              ...pemKeystore(),
              'ssl.truststore.type': 'PEM',
              'ssl.truststore.location': pki.caPem,
              ...entries,
            }),
          ),
        ),
        'SASL_SSL',
        'SASL_SSL',
      );
    assert.equal(sasl({ 'ssl.client.auth': 'required' }).clientAuth, 'none');
    assert.equal(sasl({ 'listener.name.sasl_ssl.ssl.client.auth': 'required' }).clientAuth, 'required');
  });

  test('ssl.client.auth=requested asks for a certificate without requiring one', () => {
    const tls = tlsOf({
      ...pemKeystore(),
      'ssl.client.auth': 'requested',
      'ssl.truststore.type': 'PEM',
      'ssl.truststore.location': pki.caPem,
    });
    assert.equal(tls.clientAuth, 'requested');
    assert.equal(tls.options.requestCert, true);
    assert.equal(tls.options.rejectUnauthorized, false);
  });

  test('ssl.enabled.protocols=TLSv1.3: minVersion TLSv1.3, and a TLS 1.2-only client is refused', async () => {
    const tls = tlsOf({ ...pemKeystore(), 'ssl.enabled.protocols': 'TLSv1.3' });
    assert.equal(tls.options.minVersion, 'TLSv1.3');
    assert.equal((await handshake(tls.options)).protocol, 'TLSv1.3');
    await assert.rejects(handshake(tls.options, { maxVersion: 'TLSv1.2' }));
  });

  test("Kafka's default protocols are TLSv1.2 to TLSv1.3; none known is a ConfigError", () => {
    const tls = tlsOf(pemKeystore());
    assert.equal(tls.options.minVersion, 'TLSv1.2');
    assert.equal(tls.options.maxVersion, 'TLSv1.3');
    assert.throws(
      () => tlsOf({ ...pemKeystore(), 'ssl.enabled.protocols': 'SSLv3' }),
      configError('ssl.enabled.protocols'),
    );
  });

  test("ssl.cipher.suites in Java's names restricts what is negotiated", async () => {
    const tls = tlsOf({
      ...pemKeystore(),
      'ssl.enabled.protocols': 'TLSv1.2',
      'ssl.cipher.suites': 'TLS_ECDHE_RSA_WITH_AES_256_GCM_SHA384',
    });
    assert.equal((await handshake(tls.options)).cipher, 'ECDHE-RSA-AES256-GCM-SHA384');
  });

  test('a CBC suite by its Java name is usable too', async () => {
    const tls = tlsOf({
      ...pemKeystore(),
      'ssl.enabled.protocols': 'TLSv1.2',
      'ssl.cipher.suites': 'TLS_ECDHE_RSA_WITH_AES_128_CBC_SHA256',
    });
    assert.equal((await handshake(tls.options)).cipher, 'ECDHE-RSA-AES128-SHA256');
  });

  test('listener.name.<l>.ssl.* overrides the broker-wide keys', () => {
    assert.throws(
      () => tlsOf({ ...pemKeystore(), 'listener.name.ssl.ssl.keystore.location': `${pki.dir}/missing.pem` }),
      configError('ssl.keystore.location', /missing\.pem/),
    );
    const tls = tlsOf({
      'ssl.keystore.type': 'JKS',
      'ssl.keystore.location': '/nowhere.jks',
      'listener.name.ssl.ssl.keystore.type': 'PEM',
      'listener.name.ssl.ssl.keystore.location': pki.brokerPem,
    });
    assert.ok(tls.options.cert !== undefined);
  });
});
