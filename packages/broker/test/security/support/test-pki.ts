/**
 * A throwaway PKI made with the openssl command line for one test file (the broker's tests cannot
 * use @samsa/testkit's createTestCertificates: testkit depends on the broker). RSA 2048, valid
 * one day, in a temp directory the caller removes.
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export const PKCS12_PASSWORD = 'keystore-secret';
export const KEY_PASSWORD = 'key-secret';

export interface TestPki {
  readonly dir: string;
  /** The CA certificate (PEM): a truststore. */
  readonly caPem: string;
  /** Broker key + certificate + CA in one PEM file (KIP-651), SAN localhost and 127.0.0.1. */
  readonly brokerPem: string;
  readonly brokerKey: string;
  readonly brokerCert: string;
  /** The broker key and chain as PKCS12, password PKCS12_PASSWORD. */
  readonly brokerP12: string;
  /** The broker key encrypted (PKCS8) with KEY_PASSWORD, and its certificate, in one PEM file. */
  readonly brokerEncryptedPem: string;
  /** A client certificate with subject /O=Samsa Test/OU=eng/CN=alice (certificate order). */
  readonly clientKey: string;
  readonly clientCert: string;
  remove(): void;
}

export function createTestPki(): TestPki {
  const dir = mkdtempSync(join(tmpdir(), 'samsa-broker-pki-'));
  const path = (name: string) => join(dir, name);
  const run = (...args: string[]) => execFileSync('openssl', args, { cwd: dir, stdio: 'pipe' });
  const cat = (out: string, ...files: string[]) =>
    writeFileSync(path(out), files.map((f) => readFileSync(path(f), 'utf8')).join(''));

  run(
    'req',
    '-x509',
    '-newkey',
    'rsa:2048',
    '-nodes',
    '-days',
    '1',
    '-subj',
    '/CN=Samsa Test CA',
    '-keyout',
    path('ca.key'),
    '-out',
    path('ca.pem'),
  );
  const leaf = (name: string, subject: string, extensions: string) => {
    run(
      'req',
      '-newkey',
      'rsa:2048',
      '-nodes',
      '-subj',
      subject,
      '-keyout',
      path(`${name}.key`),
      '-out',
      path(`${name}.csr`),
    );
    writeFileSync(path(`${name}.ext`), extensions);
    run(
      'x509',
      '-req',
      '-in',
      path(`${name}.csr`),
      '-CA',
      path('ca.pem'),
      '-CAkey',
      path('ca.key'),
      '-CAcreateserial',
      '-days',
      '1',
      '-extfile',
      path(`${name}.ext`),
      '-out',
      path(`${name}.crt`),
    );
  };
  leaf(
    'broker',
    '/CN=localhost/O=Samsa Test',
    'subjectAltName=DNS:localhost,IP:127.0.0.1\nextendedKeyUsage=serverAuth\n',
  );
  leaf('client', '/O=Samsa Test/OU=eng/CN=alice', 'extendedKeyUsage=clientAuth\n');
  cat('broker-keystore.pem', 'broker.key', 'broker.crt', 'ca.pem');
  run(
    'pkcs12',
    '-export',
    '-inkey',
    path('broker.key'),
    '-in',
    path('broker.crt'),
    '-certfile',
    path('ca.pem'),
    '-passout',
    `pass:${PKCS12_PASSWORD}`,
    '-out',
    path('broker.p12'),
  );
  run(
    'pkcs8',
    '-topk8',
    '-in',
    path('broker.key'),
    '-passout',
    `pass:${KEY_PASSWORD}`,
    '-out',
    path('broker-encrypted.key'),
  );
  cat('broker-encrypted.pem', 'broker-encrypted.key', 'broker.crt');

  return {
    dir,
    caPem: path('ca.pem'),
    brokerPem: path('broker-keystore.pem'),
    brokerKey: path('broker.key'),
    brokerCert: path('broker.crt'),
    brokerP12: path('broker.p12'),
    brokerEncryptedPem: path('broker-encrypted.pem'),
    clientKey: path('client.key'),
    clientCert: path('client.crt'),
    remove: () => rmSync(dir, { recursive: true, force: true }),
  };
}
