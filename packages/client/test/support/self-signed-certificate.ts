import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/** A throwaway self-signed certificate: its own CA, so trusting it means putting it in the truststore. */
export interface SelfSignedCertificate {
  readonly keyPath: string;
  readonly certPath: string;
  /** Key and certificate in one file (KIP-651's PEM keystore). */
  readonly pemPath: string;
  readonly key: string;
  readonly cert: string;
  /** The same as PKCS12 with password `p12-secret`. */
  readonly p12Path: string;
  remove(): void;
}

export const P12_PASSWORD = 'p12-secret';

/**
 * Made at run time with the openssl command line (RSA 2048, valid one day, CN=localhost) and the
 * given subjectAltName, e.g. `DNS:localhost,IP:127.0.0.1`. Never committed.
 */
export function selfSignedCertificate(subjectAltName: string): SelfSignedCertificate {
  const dir = mkdtempSync(join(tmpdir(), 'samsa-client-cert-'));
  const path = (name: string) => join(dir, name);
  const openssl = (...args: string[]) => execFileSync('openssl', args, { stdio: 'pipe' });
  try {
    openssl(
      'req',
      '-x509',
      '-newkey',
      'rsa:2048',
      '-nodes',
      '-days',
      '1',
      '-subj',
      '/CN=localhost',
      '-addext',
      `subjectAltName=${subjectAltName}`,
      '-keyout',
      path('key.pem'),
      '-out',
      path('cert.pem'),
    );
    openssl(
      'pkcs12',
      '-export',
      '-inkey',
      path('key.pem'),
      '-in',
      path('cert.pem'),
      '-passout',
      `pass:${P12_PASSWORD}`,
      '-out',
      path('keystore.p12'),
    );
  } catch (error) {
    rmSync(dir, { recursive: true, force: true });
    throw new Error(`openssl failed (install the openssl package): ${(error as Error).message}`);
  }
  const key = readFileSync(path('key.pem'), 'utf8');
  const cert = readFileSync(path('cert.pem'), 'utf8');
  writeFileSync(path('keystore.pem'), key + cert);
  return {
    keyPath: path('key.pem'),
    certPath: path('cert.pem'),
    pemPath: path('keystore.pem'),
    key,
    cert,
    p12Path: path('keystore.p12'),
    remove: () => rmSync(dir, { recursive: true, force: true }),
  };
}
