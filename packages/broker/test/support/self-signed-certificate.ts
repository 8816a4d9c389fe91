import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/** A throwaway self-signed certificate and its key in one PEM file (KIP-651 keystore form). */
export interface SelfSignedCertificate {
  /** Key and certificate in one file: a PEM keystore, and (being self-signed) its own truststore. */
  readonly pemPath: string;
  remove(): void;
}

/**
 * Made with the openssl command line (RSA 2048, valid one day) with the given subjectAltName
 * (e.g. `IP:127.0.0.1,DNS:localhost`). Throws naming the Debian package when openssl is missing.
 */
export function selfSignedCertificate(subjectAltName: string): SelfSignedCertificate {
  const dir = mkdtempSync(join(tmpdir(), 'samsa-cert-'));
  const key = join(dir, 'key.pem');
  const cert = join(dir, 'cert.pem');
  try {
    execFileSync(
      'openssl',
      [
        'req',
        '-x509',
        '-newkey',
        'rsa:2048',
        '-nodes',
        '-days',
        '1',
        '-subj',
        '/CN=samsa-test',
        '-addext',
        `subjectAltName=${subjectAltName}`,
        '-keyout',
        key,
        '-out',
        cert,
      ],
      { stdio: 'pipe' },
    );
  } catch (err) {
    rmSync(dir, { recursive: true, force: true });
    throw new Error(`openssl failed (install Debian's openssl package): ${(err as Error).message}`);
  }
  const pemPath = join(dir, 'keystore.pem');
  writeFileSync(pemPath, readFileSync(key, 'utf8') + readFileSync(cert, 'utf8'));
  return { pemPath, remove: () => rmSync(dir, { recursive: true, force: true }) };
}
