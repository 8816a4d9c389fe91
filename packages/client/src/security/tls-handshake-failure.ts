import { SslAuthenticationError } from '../errors/client-errors.js';

/** Node's codes for a broker certificate that does not chain to a trusted CA. */
const UNTRUSTED = new Set([
  'SELF_SIGNED_CERT_IN_CHAIN',
  'DEPTH_ZERO_SELF_SIGNED_CERT',
  'UNABLE_TO_VERIFY_LEAF_SIGNATURE',
  'UNABLE_TO_GET_ISSUER_CERT',
  'UNABLE_TO_GET_ISSUER_CERT_LOCALLY',
  'CERT_UNTRUSTED',
  'CERT_SIGNATURE_FAILURE',
]);

/**
 * Whether a socket error of a TLS connection is the handshake failing for a reason of
 * configuration (certificate, host name, protocol version, a broker refusing ours), which
 * reconnecting will not fix, rather than the network failing. Node reports the first with
 * OpenSSL's codes (`ERR_SSL_*`, `ERR_TLS_*`) or X.509 verification codes
 * (`SELF_SIGNED_CERT_IN_CHAIN`), the second with errno codes (`ECONNRESET`).
 */
export function isTlsHandshakeFailure(error: Error): boolean {
  const code = (error as NodeJS.ErrnoException).code;
  if (typeof code !== 'string') return false;
  if (code.startsWith('ERR_SSL_') || code.startsWith('ERR_TLS_')) return true;
  return /^[A-Z0-9_]+$/.test(code) && !/^E[A-Z0-9]+$/.test(code);
}

/** The error a TLS failure becomes: SslAuthenticationError saying which setting to look at. */
export function tlsHandshakeFailure(broker: string, error: Error): SslAuthenticationError {
  const code = (error as NodeJS.ErrnoException).code ?? '';
  let hint = '';
  if (UNTRUSTED.has(code)) {
    hint =
      "; the broker's certificate is not signed by a trusted CA: set ssl.truststore.location (or ssl.truststore.certificates) to the CA that signed it";
  } else if (code === 'ERR_TLS_CERT_ALTNAME_INVALID') {
    hint =
      "; the broker's certificate does not name the host dialled: fix its subjectAltName, use a name it has, or set ssl.endpoint.identification.algorithm to empty to skip the check";
  } else if (code === 'ERR_SSL_WRONG_VERSION_NUMBER' || code === 'ERR_SSL_PACKET_LENGTH_TOO_LONG') {
    hint = '; is the listener a TLS one? (security.protocol)';
  } else if (/CERTIFICATE_REQUIRED|BAD_CERTIFICATE|UNKNOWN_CA|CERTIFICATE_UNKNOWN/.test(code)) {
    hint = "; the broker refused this client's certificate (ssl.keystore.location)";
  }
  return new SslAuthenticationError(broker, `TLS handshake failed: ${error.message} (${code})${hint}`, {
    cause: error,
  });
}
