/** Java's (IANA) TLS cipher suite names, as Kafka's ssl.cipher.suites takes them, → OpenSSL's. */
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { createSecureContext } from 'node:tls';
import { javaCipherSuiteToOpenSsl } from '../../src/tls/cipher-suite-names.js';

// Pairs as `openssl ciphers -stdname` prints them.
const PAIRS: readonly [string, string][] = [
  ['TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256', 'ECDHE-RSA-AES128-GCM-SHA256'],
  ['TLS_ECDHE_RSA_WITH_AES_256_GCM_SHA384', 'ECDHE-RSA-AES256-GCM-SHA384'],
  ['TLS_ECDHE_ECDSA_WITH_AES_128_GCM_SHA256', 'ECDHE-ECDSA-AES128-GCM-SHA256'],
  ['TLS_DHE_RSA_WITH_AES_256_GCM_SHA384', 'DHE-RSA-AES256-GCM-SHA384'],
  ['TLS_RSA_WITH_AES_256_GCM_SHA384', 'AES256-GCM-SHA384'],
  ['TLS_RSA_WITH_AES_128_GCM_SHA256', 'AES128-GCM-SHA256'],
  ['TLS_ECDHE_RSA_WITH_CHACHA20_POLY1305_SHA256', 'ECDHE-RSA-CHACHA20-POLY1305'],
  ['TLS_ECDHE_ECDSA_WITH_CHACHA20_POLY1305_SHA256', 'ECDHE-ECDSA-CHACHA20-POLY1305'],
  // CBC suites: OpenSSL leaves "CBC" out of the name.
  ['TLS_ECDHE_RSA_WITH_AES_128_CBC_SHA256', 'ECDHE-RSA-AES128-SHA256'],
  ['TLS_ECDHE_RSA_WITH_AES_256_CBC_SHA384', 'ECDHE-RSA-AES256-SHA384'],
  ['TLS_ECDHE_ECDSA_WITH_AES_128_CBC_SHA', 'ECDHE-ECDSA-AES128-SHA'],
  ['TLS_DHE_RSA_WITH_AES_256_CBC_SHA256', 'DHE-RSA-AES256-SHA256'],
  ['TLS_RSA_WITH_AES_128_CBC_SHA', 'AES128-SHA'],
  ['TLS_RSA_WITH_AES_256_CBC_SHA256', 'AES256-SHA256'],
];

describe('javaCipherSuiteToOpenSsl', () => {
  for (const [java, openssl] of PAIRS) {
    test(`${java} → ${openssl}`, () => {
      assert.equal(javaCipherSuiteToOpenSsl(java), openssl);
    });
  }

  test('TLS 1.3 suites have one name in both and pass through', () => {
    for (const name of ['TLS_AES_128_GCM_SHA256', 'TLS_AES_256_GCM_SHA384', 'TLS_CHACHA20_POLY1305_SHA256']) {
      assert.equal(javaCipherSuiteToOpenSsl(name), name);
    }
  });

  test('OpenSSL names pass through unchanged', () => {
    for (const name of ['ECDHE-RSA-AES128-GCM-SHA256', 'AES256-GCM-SHA384', 'HIGH:!aNULL']) {
      assert.equal(javaCipherSuiteToOpenSsl(name), name);
    }
  });

  test('every name produced is one this OpenSSL accepts', () => {
    // An unknown name alone makes OpenSSL fail with "no cipher match".
    for (const [java] of PAIRS) {
      assert.doesNotThrow(() => createSecureContext({ ciphers: javaCipherSuiteToOpenSsl(java) }), java);
    }
    assert.throws(() => createSecureContext({ ciphers: 'ECDHE-RSA-AES128-CBC-SHA256' }));
  });
});
