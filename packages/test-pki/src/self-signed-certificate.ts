import { PkiDirectory } from './pki-directory.js';
import { KEY_PASSWORD, PKCS12_PASSWORD } from './test-certificates.js';

/**
 * A throwaway self-signed certificate, subject CN=localhost: its own CA, so trusting it means
 * putting it in the truststore, and one PEM file can be both keystore and truststore.
 */
export interface SelfSignedCertificate {
  readonly keyPath: string;
  /** The certificate alone (PEM): a truststore. */
  readonly certPath: string;
  /** Key and certificate in one file (KIP-651's PEM keystore). */
  readonly pemPath: string;
  /** The same key and certificate as PKCS12, password PKCS12_PASSWORD. */
  readonly p12Path: string;
  /** The key encrypted (PKCS8) with KEY_PASSWORD, plus the certificate, in one PEM file. */
  readonly encryptedPemPath: string;
  /** The contents of keyPath and certPath. */
  readonly key: string;
  readonly cert: string;
  remove(): void;
}

/**
 * Made with the openssl command line and the given subjectAltName, e.g. `DNS:localhost,IP:127.0.0.1`
 * (host names are checked against it alone). Fails naming the Debian package when openssl is missing.
 */
export function selfSignedCertificate(subjectAltName: string): SelfSignedCertificate {
  return PkiDirectory.with('samsa-cert-', (pki) => {
    pki.selfSigned('cert', '/CN=localhost', [`subjectAltName=${subjectAltName}`]);
    pki.concat('keystore.pem', 'cert.key', 'cert.pem');
    pki.pkcs12('keystore.p12', 'cert.key', 'cert.pem', PKCS12_PASSWORD);
    pki.encryptKey('encrypted.key', 'cert.key', KEY_PASSWORD);
    pki.concat('encrypted-keystore.pem', 'encrypted.key', 'cert.pem');
    return {
      keyPath: pki.path('cert.key'),
      certPath: pki.path('cert.pem'),
      pemPath: pki.path('keystore.pem'),
      p12Path: pki.path('keystore.p12'),
      encryptedPemPath: pki.path('encrypted-keystore.pem'),
      key: pki.read('cert.key'),
      cert: pki.read('cert.pem'),
      remove: () => pki.remove(),
    };
  });
}
