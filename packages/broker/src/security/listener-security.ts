import { X509Certificate } from 'node:crypto';
import type { TLSSocket } from 'node:tls';
import type { BrokerConfig } from '../config/broker-config.js';
import { type Endpoint, usesSasl, usesTls } from '../config/listeners.js';
import type { Logger } from '../logger.js';
import { ANONYMOUS, type KafkaPrincipal, userPrincipal } from './kafka-principal.js';
import { ListenerSaslMechanisms } from './sasl/listener-sasl-mechanisms.js';
import { SaslServerAuthenticator } from './sasl/sasl-server-authenticator.js';
import type { ScramCredentialStore } from './scram-credential-store.js';
import { type ListenerTls, serverTlsOptions } from './ssl/server-tls-options.js';
import { rfc2253Name, SslPrincipalMapper } from './ssl/ssl-principal-mapper.js';

/** How one listener secures its connections, resolved once at startup. */
export interface ListenerSecurity {
  readonly tls?: ListenerTls;
  readonly sasl?: SaslListenerSettings;
  /** SSL listeners: the client certificate's DN → principal name (ssl.principal.mapping.rules). */
  readonly principalMapper?: SslPrincipalMapper;
}

export interface SaslListenerSettings {
  readonly mechanisms: ListenerSaslMechanisms;
  readonly failedAuthenticationDelayMs: number;
  readonly maxReauthMs: number;
  /** sasl.server.max.receive.size: the largest frame before authentication. */
  readonly maxReceiveBytes: number;
  /** A connection not authenticated within this is closed. */
  readonly authenticationTimeoutMs: number;
}

export function buildListenerSecurity(
  config: BrokerConfig,
  listener: Endpoint,
  scram: ScramCredentialStore,
  logger: Logger,
): ListenerSecurity {
  const name = listener.listenerName;
  const security: { -readonly [K in keyof ListenerSecurity]: ListenerSecurity[K] } = {};
  if (usesTls(listener.securityProtocol)) {
    security.tls = serverTlsOptions(config, name, listener.securityProtocol === 'SASL_SSL' ? 'SASL_SSL' : 'SSL');
    if (listener.securityProtocol === 'SSL') {
      security.principalMapper = new SslPrincipalMapper(
        config.forListener(name, 'ssl.principal.mapping.rules') as string,
      );
    }
  }
  if (usesSasl(listener.securityProtocol)) {
    security.sasl = {
      mechanisms: new ListenerSaslMechanisms(config, name, scram, logger),
      failedAuthenticationDelayMs: config.forListener(name, 'connection.failed.authentication.delay.ms') as number,
      maxReauthMs: config.forListener(name, 'connections.max.reauth.ms') as number,
      maxReceiveBytes: config.forListener(name, 'sasl.server.max.receive.size') as number,
      authenticationTimeoutMs: config.forListener(name, 'sasl.server.authentication.timeout.ms') as number,
    };
  }
  return security;
}

export function createSaslAuthenticator(
  settings: SaslListenerSettings,
  onAuthenticated: (principal: KafkaPrincipal) => void,
): SaslServerAuthenticator {
  return new SaslServerAuthenticator({
    mechanisms: settings.mechanisms,
    failedAuthenticationDelayMs: settings.failedAuthenticationDelayMs,
    maxReauthMs: settings.maxReauthMs,
    onAuthenticated,
  });
}

/**
 * The principal of a TLS client (Kafka's DefaultKafkaPrincipalBuilder for SSL): its certificate's
 * DN through the mapping rules, or ANONYMOUS without a certificate. Undefined: no rule matched.
 */
export function tlsPrincipal(socket: TLSSocket, mapper: SslPrincipalMapper): KafkaPrincipal | undefined {
  const peer = socket.getPeerCertificate();
  if (peer === null || peer.raw === undefined) return ANONYMOUS;
  const dn = rfc2253Name(new X509Certificate(peer.raw).subject);
  const name = mapper.principalName(dn);
  return name === undefined ? undefined : userPrincipal(name);
}
