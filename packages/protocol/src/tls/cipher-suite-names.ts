/**
 * Kafka's `ssl.cipher.suites` takes Java's (IANA) names, OpenSSL wants its own:
 * TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256 is ECDHE-RSA-AES128-GCM-SHA256. Names already in OpenSSL
 * form pass through unchanged. TLS 1.3 suites (TLS_AES_128_GCM_SHA256) have one name in both.
 */
export function javaCipherSuiteToOpenSsl(name: string): string {
  const match = /^TLS_(.+)_WITH_(.+)$/.exec(name);
  if (match === null) return name;
  const exchange = (match[1] as string) === 'RSA' ? '' : `${(match[1] as string).replace(/_/g, '-')}-`;
  const cipher = (match[2] as string)
    // OpenSSL leaves CBC out: TLS_ECDHE_RSA_WITH_AES_128_CBC_SHA256 is ECDHE-RSA-AES128-SHA256.
    .replace(/^AES_(\d+)_CBC_/, 'AES$1_')
    .replace(/^AES_(\d+)_/, 'AES$1-')
    .replace(/^CHACHA20_POLY1305_SHA256$/, 'CHACHA20-POLY1305')
    .replace(/_/g, '-');
  return `${exchange}${cipher}`;
}
