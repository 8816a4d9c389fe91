import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { KEY_PASSWORD, PKCS12_PASSWORD, type SelfSignedCertificate, selfSignedCertificate } from '@samsa/test-pki';
import type { CommonConfig } from '../../src/config/client-config.js';
import { resolveConfig } from '../../src/config/resolve-config.js';
import { ConfigError } from '../../src/errors/client-errors.js';
import { type ClientTls, clientTlsOf } from '../../src/security/client-tls-options.js';

function tlsOf(settings: Record<string, unknown>): ClientTls {
  return clientTlsOf(
    resolveConfig('admin', {
      'bootstrap.servers': 'localhost:9093',
      'security.protocol': 'SSL',
      ...settings,
    }) as unknown as CommonConfig,
  );
}

const configError = (key: string, pattern: RegExp) => (error: unknown) => {
  assert.ok(error instanceof ConfigError, String(error));
  assert.equal(error.key, key);
  assert.match(error.message, pattern);
  return true;
};

describe('clientTlsOf (ssl.* settings → tls.connect options)', () => {
  let cert: SelfSignedCertificate;
  let dir: string;
  const file = (name: string, content: string | Buffer) => {
    const path = join(dir, name);
    writeFileSync(path, content);
    return path;
  };
  before(() => {
    cert = selfSignedCertificate('DNS:localhost,IP:127.0.0.1');
    dir = mkdtempSync(join(tmpdir(), 'samsa-tls-options-'));
  });
  after(() => {
    cert?.remove();
    if (dir !== undefined) rmSync(dir, { recursive: true, force: true });
  });

  it('defaults: Node CAs, host name check, TLSv1.2 to TLSv1.3, certificates verified', () => {
    const tls = tlsOf({});
    assert.equal(tls.verifyHostname, true);
    assert.equal(tls.options.ca, undefined);
    assert.equal(tls.options.rejectUnauthorized, true);
    assert.equal(tls.options.minVersion, 'TLSv1.2');
    assert.equal(tls.options.maxVersion, 'TLSv1.3');
  });

  it('reads a PEM truststore from a file, inline, or librdkafka ssl.ca.location', () => {
    for (const settings of [
      { 'ssl.truststore.location': cert.certPath, 'ssl.truststore.type': 'PEM' },
      { 'ssl.truststore.certificates': cert.cert },
      { 'ssl.ca.location': cert.certPath },
    ]) {
      const ca = tlsOf(settings).options.ca as string[];
      assert.equal(ca.length, 1);
      assert.equal(ca[0]?.replace(/\s/g, ''), cert.cert.replace(/\s/g, ''));
    }
  });

  it('accepts inline PEM whose line breaks were lost to .properties continuations', () => {
    const oneLine = cert.cert.replace(/\n/g, '');
    const key = cert.key.replace(/\n/g, ' ');
    const tls = tlsOf({
      'ssl.truststore.certificates': oneLine,
      'ssl.keystore.key': key,
      'ssl.keystore.certificate.chain': oneLine,
    });
    assert.equal((tls.options.ca as string[]).length, 1);
    assert.match(tls.options.cert as string, /^-----BEGIN CERTIFICATE-----\n/);
  });

  it('refuses JKS and PKCS12 truststores with the commands that convert them', () => {
    assert.throws(
      () => tlsOf({ 'ssl.truststore.location': cert.certPath, 'ssl.truststore.type': 'JKS' }),
      configError('ssl.truststore.type', /Java-only.*keytool -importkeystore -srckeystore x\.jks.*openssl pkcs12/),
    );
    assert.throws(
      () => tlsOf({ 'ssl.truststore.location': cert.p12Path, 'ssl.truststore.type': 'PKCS12' }),
      configError('ssl.truststore.type', /PEM only.*openssl pkcs12 -in x\.p12 -nokeys -out x\.pem/),
    );
    const jks = file('store.jks', Buffer.from([0xfe, 0xed, 0xfe, 0xed, 0, 0, 0, 2]));
    assert.throws(() => tlsOf({ 'ssl.truststore.location': jks }), configError('ssl.truststore.location', /is a JKS/));
    assert.throws(
      () => tlsOf({ 'ssl.truststore.location': cert.p12Path }),
      configError('ssl.truststore.location', /no PEM certificate.*PKCS12/),
    );
  });

  it('names the key for unreadable files, conflicting sources and a PEM truststore password', () => {
    assert.throws(
      () => tlsOf({ 'ssl.truststore.location': join(dir, 'missing.pem') }),
      configError('ssl.truststore.location', /cannot read .*ENOENT/),
    );
    assert.throws(
      () => tlsOf({ 'ssl.truststore.location': cert.certPath, 'ssl.ca.location': cert.certPath }),
      configError('ssl.ca.location', /only one of ssl.truststore.location and ssl.ca.location/),
    );
    assert.throws(
      () => tlsOf({ 'ssl.truststore.location': cert.certPath, 'ssl.truststore.password': 'changeit' }),
      configError('ssl.truststore.password', /PEM/),
    );
  });

  it('reads a client certificate as a PEM keystore (KIP-651), PKCS12, inline PEM or librdkafka paths', () => {
    const pem = tlsOf({ 'ssl.keystore.location': cert.pemPath });
    assert.match(String(pem.options.key), /PRIVATE KEY/);
    assert.match(String(pem.options.cert), /BEGIN CERTIFICATE/);
    const p12 = tlsOf({
      'ssl.keystore.location': cert.p12Path,
      'ssl.keystore.type': 'PKCS12',
      'ssl.keystore.password': PKCS12_PASSWORD,
    });
    assert.ok(Buffer.isBuffer(p12.options.pfx));
    assert.equal(p12.options.passphrase, PKCS12_PASSWORD);
    const sniffed = tlsOf({ 'ssl.keystore.location': cert.p12Path, 'ssl.keystore.password': PKCS12_PASSWORD });
    assert.ok(Buffer.isBuffer(sniffed.options.pfx), 'a binary file without a type is read as PKCS12');
    const rdkafka = tlsOf({ 'ssl.certificate.location': cert.certPath, 'ssl.key.location': cert.keyPath });
    assert.match(String(rdkafka.options.cert), /BEGIN CERTIFICATE/);
  });

  it('refuses keystore mistakes naming the key: wrong PKCS12 password, half of a pair, PEM password, JKS', () => {
    assert.throws(
      () => tlsOf({ 'ssl.keystore.location': cert.p12Path, 'ssl.keystore.password': 'wrong' }),
      configError('ssl.keystore.location', /not usable/),
    );
    assert.throws(
      () => tlsOf({ 'ssl.keystore.key': cert.key }),
      configError('ssl.keystore.certificate.chain', /required/),
    );
    assert.throws(
      () => tlsOf({ 'ssl.keystore.location': cert.pemPath, 'ssl.keystore.password': 'x' }),
      configError('ssl.keystore.password', /PEM/),
    );
    assert.throws(
      () => tlsOf({ 'ssl.keystore.location': cert.pemPath, 'ssl.keystore.type': 'JKS' }),
      configError('ssl.keystore.type', /keytool -importkeystore/),
    );
    assert.throws(
      () => tlsOf({ 'ssl.keystore.location': cert.certPath }),
      configError('ssl.keystore.location', /no PEM private key/),
    );
    assert.throws(
      () => tlsOf({ 'ssl.keystore.location': cert.pemPath, 'ssl.key.location': cert.keyPath }),
      configError('ssl.certificate.location', /only one of/),
    );
  });

  it('decrypts an encrypted PEM key with ssl.key.password, and asks for it when missing', () => {
    const keystore = cert.encryptedPemPath;
    assert.throws(
      () => tlsOf({ 'ssl.keystore.location': keystore }),
      configError('ssl.key.password', /encrypted private key/),
    );
    const tls = tlsOf({ 'ssl.keystore.location': keystore, 'ssl.key.password': KEY_PASSWORD });
    assert.deepEqual(
      (tls.options.key as { passphrase: string }[]).map((k) => k.passphrase),
      [KEY_PASSWORD],
    );
    assert.throws(
      () => tlsOf({ 'ssl.keystore.location': keystore, 'ssl.key.password': 'wrong' }),
      configError('ssl.keystore.location', /not usable/),
    );
  });

  it('bounds versions by ssl.enabled.protocols and ssl.protocol, and maps Java cipher names', () => {
    assert.equal(tlsOf({ 'ssl.enabled.protocols': 'TLSv1.2' }).options.maxVersion, 'TLSv1.2');
    assert.equal(tlsOf({ 'ssl.protocol': 'TLSv1.2' }).options.maxVersion, 'TLSv1.2');
    assert.equal(tlsOf({ 'ssl.protocol': 'TLS' }).options.maxVersion, 'TLSv1.3');
    assert.throws(() => tlsOf({ 'ssl.enabled.protocols': 'SSLv3' }), configError('ssl.enabled.protocols', /SSLv3/));
    assert.throws(
      () => tlsOf({ 'ssl.enabled.protocols': 'TLSv1.3', 'ssl.protocol': 'TLSv1.2' }),
      configError('ssl.protocol', /below/),
    );
    const ciphers = tlsOf({
      'ssl.cipher.suites': 'TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256,TLS_AES_256_GCM_SHA384',
    }).options.ciphers;
    assert.equal(ciphers, 'ECDHE-RSA-AES128-GCM-SHA256:TLS_AES_256_GCM_SHA384');
  });

  it('turns the host name check off only for an empty ssl.endpoint.identification.algorithm', () => {
    assert.equal(tlsOf({ 'ssl.endpoint.identification.algorithm': '' }).verifyHostname, false);
    assert.equal(tlsOf({ 'ssl.endpoint.identification.algorithm': 'HTTPS' }).verifyHostname, true);
    assert.throws(
      () => tlsOf({ 'ssl.endpoint.identification.algorithm': 'ldaps' }),
      configError('ssl.endpoint.identification.algorithm', /https.*empty/),
    );
  });

  it("applies Node's own options (tlsOptions, KafkaJS's ssl object) last", () => {
    const tls = tlsOf({ 'ssl.truststore.location': cert.certPath, tlsOptions: { ca: [cert.cert], servername: 'x' } });
    assert.deepEqual(tls.options.ca, [cert.cert]);
    assert.equal(tls.options.servername, 'x');
  });
});
