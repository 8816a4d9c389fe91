import type { SecurityProtocolName } from '@samsa/protocol';
import type { CommonConfig } from '../config/client-config.js';
import { type ClientTls, clientTlsOf } from './client-tls-options.js';
import { type SaslLogin, saslLoginOf } from './sasl-login.js';

/**
 * How a client's connections are secured, resolved once when the client is built: certificates
 * read, JAAS parsed, every mistake already a ConfigError. PLAINTEXT resolves to undefined, so
 * the plain connection path is exactly what it was without security.
 */
export interface ClientSecurity {
  readonly protocol: Exclude<SecurityProtocolName, 'PLAINTEXT'>;
  /** SSL and SASL_SSL. */
  readonly tls?: ClientTls;
  /** SASL_PLAINTEXT and SASL_SSL. */
  readonly sasl?: SaslLogin;
}

export function clientSecurityOf(config: CommonConfig): ClientSecurity | undefined {
  const protocol = config.securityProtocol;
  if (protocol === 'PLAINTEXT') return undefined;
  const tls = protocol === 'SSL' || protocol === 'SASL_SSL' ? clientTlsOf(config) : undefined;
  const sasl = protocol === 'SASL_PLAINTEXT' || protocol === 'SASL_SSL' ? saslLoginOf(config) : undefined;
  return {
    protocol,
    ...(tls === undefined ? {} : { tls }),
    ...(sasl === undefined ? {} : { sasl }),
  };
}
