import { PkiDirectory } from './pki-directory.js';

/** The password of every PKCS12 keystore made here. */
export const PKCS12_PASSWORD = 'keystore-secret';
/** The password of every encrypted private key made here. */
export const KEY_PASSWORD = 'key-secret';

/** Paths of a throwaway PKI made with openssl for one test run. Nothing here is ever committed. */
export interface TestCertificates {
  readonly dir: string;
  /** The CA's certificate (PEM): the truststore of brokers and clients. */
  readonly caPem: string;
  /** The broker: key + certificate chain in one PEM file (KIP-651), SAN localhost and 127.0.0.1. */
  readonly brokerPem: string;
  readonly brokerKey: string;
  readonly brokerCert: string;
  /** The same key and certificate as PKCS12, password PKCS12_PASSWORD. */
  readonly brokerP12: string;
  /** The broker key encrypted (PKCS8) with KEY_PASSWORD, plus its certificate, in one PEM file. */
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

/**
 * Makes a CA, a broker certificate (server and client authentication, so brokers can also use it
 * towards each other) and client certificates, one of them from a rogue CA. Fails naming the
 * Debian package when openssl is missing.
 */
export function createTestCertificates(): TestCertificates {
  return PkiDirectory.with('samsa-pki-', (pki) => {
    pki.selfSigned('ca', '/CN=Samsa Test CA');
    pki.selfSigned('rogue-ca', '/CN=Rogue CA');
    pki.signed('broker', '/CN=localhost/O=Samsa Test', 'ca', [
      'subjectAltName=DNS:localhost,IP:127.0.0.1',
      'extendedKeyUsage=serverAuth,clientAuth',
    ]);
    pki.signed('client', '/O=Samsa Test/OU=eng/CN=alice', 'ca', ['extendedKeyUsage=clientAuth']);
    pki.signed('rogue', '/CN=mallory', 'rogue-ca', ['extendedKeyUsage=clientAuth']);

    pki.concat('broker-keystore.pem', 'broker.key', 'broker.crt', 'ca.pem');
    pki.concat('client-keystore.pem', 'client.key', 'client.crt');
    pki.pkcs12('broker.p12', 'broker.key', 'broker.crt', PKCS12_PASSWORD, 'ca.pem');
    pki.encryptKey('broker-encrypted.key', 'broker.key', KEY_PASSWORD);
    pki.concat('broker-encrypted.pem', 'broker-encrypted.key', 'broker.crt');

    return {
      dir: pki.dir,
      caPem: pki.path('ca.pem'),
      brokerPem: pki.path('broker-keystore.pem'),
      brokerKey: pki.path('broker.key'),
      brokerCert: pki.path('broker.crt'),
      brokerP12: pki.path('broker.p12'),
      brokerEncryptedPem: pki.path('broker-encrypted.pem'),
      clientKey: pki.path('client.key'),
      clientCert: pki.path('client.crt'),
      clientPem: pki.path('client-keystore.pem'),
      rogueKey: pki.path('rogue.key'),
      rogueCert: pki.path('rogue.crt'),
      remove: () => pki.remove(),
    };
  });
}
