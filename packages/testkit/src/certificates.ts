import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { requireCommand } from './tools.js';

/** Paths of a throwaway PKI made with openssl for one test run. Nothing here is ever committed. */
export interface TestCertificates {
  readonly dir: string;
  /** The CA's certificate (PEM): the truststore of brokers and clients. */
  readonly caPem: string;
  /** The broker: key + certificate chain in one PEM file (KIP-651), SAN localhost and 127.0.0.1. */
  readonly brokerPem: string;
  readonly brokerKey: string;
  readonly brokerCert: string;
  /** The same key and certificate as PKCS12, password `keystore-secret`. */
  readonly brokerP12: string;
  /** The broker key encrypted (PKCS8) with `key-secret`, plus its certificate, in one PEM file. */
  readonly brokerEncryptedPem: string;
  /** A client certificate, subject CN=alice,OU=eng,O=Samsa Test: separate key and cert, and both in one PEM. */
  readonly clientKey: string;
  readonly clientCert: string;
  readonly clientPem: string;
  /** A client certificate signed by another CA, which brokers must refuse. */
  readonly rogueKey: string;
  readonly rogueCert: string;
  remove(): void;
}

export const PKCS12_PASSWORD = 'keystore-secret';
export const KEY_PASSWORD = 'key-secret';

/**
 * Makes a CA, a broker certificate and client certificates with the openssl command line (RSA
 * 2048, valid one day). Fails naming the Debian package when openssl is missing.
 */
export function createTestCertificates(): TestCertificates {
  const openssl = requireCommand('openssl', 'openssl');
  const dir = mkdtempSync(join(tmpdir(), 'samsa-pki-'));
  const path = (name: string) => join(dir, name);
  const run = (...args: string[]) => execFileSync(openssl, args, { cwd: dir, stdio: 'pipe' });

  const ca = (name: string, subject: string) => {
    run(
      'req',
      '-x509',
      '-newkey',
      'rsa:2048',
      '-nodes',
      '-days',
      '1',
      '-subj',
      subject,
      '-keyout',
      path(`${name}.key`),
      '-out',
      path(`${name}.pem`),
    );
  };
  const leaf = (name: string, subject: string, caName: string, extensions: string) => {
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
      path(`${caName}.pem`),
      '-CAkey',
      path(`${caName}.key`),
      '-CAcreateserial',
      '-days',
      '1',
      '-extfile',
      path(`${name}.ext`),
      '-out',
      path(`${name}.crt`),
    );
  };

  ca('ca', '/CN=Samsa Test CA');
  ca('rogue-ca', '/CN=Rogue CA');
  leaf(
    'broker',
    '/CN=localhost/O=Samsa Test',
    'ca',
    'subjectAltName=DNS:localhost,IP:127.0.0.1\nextendedKeyUsage=serverAuth,clientAuth\n',
  );
  leaf('client', '/O=Samsa Test/OU=eng/CN=alice', 'ca', 'extendedKeyUsage=clientAuth\n');
  leaf('rogue', '/CN=mallory', 'rogue-ca', 'extendedKeyUsage=clientAuth\n');

  const cat = (out: string, ...files: string[]) =>
    writeFileSync(path(out), files.map((f) => readFileSync(path(f), 'utf8')).join(''));
  cat('broker-keystore.pem', 'broker.key', 'broker.crt', 'ca.pem');
  cat('client-keystore.pem', 'client.key', 'client.crt');
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
    clientPem: path('client-keystore.pem'),
    rogueKey: path('rogue.key'),
    rogueCert: path('rogue.crt'),
    remove: () => rmSync(dir, { recursive: true, force: true }),
  };
}
