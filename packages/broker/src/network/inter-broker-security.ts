import { isIP } from 'node:net';
import { type ConnectionOptions, createSecureContext, type SecureContext } from 'node:tls';
import { isScramMechanism, type ScramMechanismName } from '@samsa/protocol';
import type { BrokerConfig } from '../config/broker-config.js';
import { ConfigError } from '../config/config-def.js';
import { usesSasl, usesTls } from '../config/listeners.js';
import { listenerJaas } from '../security/sasl/listener-sasl-mechanisms.js';
import { serverTlsOptions } from '../security/ssl/server-tls-options.js';

/** The SASL identity a broker logs in with on other brokers' inter-broker listener. */
export interface InterBrokerSasl {
  readonly mechanism: 'PLAIN' | ScramMechanismName;
  readonly username: string;
  readonly password: string;
}

/** TLS as a broker's outgoing connections speak it. */
export interface InterBrokerTls {
  /** The truststore, the keystore (presented when asked), protocol versions and cipher suites. */
  readonly secureContext: SecureContext;
  /** ssl.endpoint.identification.algorithm=https: the peer's certificate must name the host dialled. */
  readonly verifyHostname: boolean;
}

/**
 * How this broker's own connections to other brokers (replica fetchers, the controller's channels,
 * AlterPartition, controlled shutdown, transaction markers and verification) are secured: the
 * security protocol of the inter-broker listener, with that listener's TLS and SASL settings, as
 * Kafka's broker builds its client-side channel from the same listener's config. Resolved once at
 * startup; every problem is a ConfigError naming the key.
 */
export interface InterBrokerSecurity {
  readonly listenerName: string;
  readonly securityProtocol: string;
  readonly tls?: InterBrokerTls;
  readonly sasl?: InterBrokerSasl;
}

export function resolveInterBrokerSecurity(config: BrokerConfig): InterBrokerSecurity {
  const listenerName = config.interBrokerListenerName;
  const endpoint = config.advertisedListeners.find((l) => l.listenerName === listenerName);
  if (endpoint === undefined) throw new Error(`inter-broker listener ${listenerName} is not advertised`);
  const securityProtocol = endpoint.securityProtocol;
  const security: { -readonly [K in keyof InterBrokerSecurity]: InterBrokerSecurity[K] } = {
    listenerName,
    securityProtocol,
  };
  if (usesTls(securityProtocol)) security.tls = clientTls(config, listenerName);
  if (usesSasl(securityProtocol)) security.sasl = clientSasl(config, listenerName);
  return security;
}

/** Options of `tls.connect` to `host` (SNI only for names: RFC 6066 has no IP addresses). */
export function tlsConnectOptions(tls: InterBrokerTls, host: string): ConnectionOptions {
  return {
    secureContext: tls.secureContext,
    ...(isIP(host) === 0 ? { servername: host } : {}),
    ...(tls.verifyHostname ? {} : { checkServerIdentity: () => undefined }),
  };
}

/**
 * Kafka's broker uses the listener's own keystore and truststore for its client side too: the
 * truststore verifies the other broker, and the keystore is presented when that broker asks for
 * a certificate (ssl.client.auth). The server-side parsing is reused, so both sides read the same
 * files the same way.
 */
function clientTls(config: BrokerConfig, listenerName: string): InterBrokerTls {
  const server = serverTlsOptions(config, listenerName).options;
  const algorithm = ((config.forListener(listenerName, 'ssl.endpoint.identification.algorithm') as string | null) ?? '')
    .trim()
    .toLowerCase();
  if (algorithm !== '' && algorithm !== 'https') {
    throw new ConfigError(
      'ssl.endpoint.identification.algorithm',
      `Invalid value ${algorithm} for configuration ssl.endpoint.identification.algorithm: Samsa supports https and the empty value (no hostname verification)`,
    );
  }
  const { key, cert, pfx, passphrase, ca, minVersion, maxVersion, ciphers } = server;
  const secureContext = createSecureContext({ key, cert, pfx, passphrase, ca, minVersion, maxVersion, ciphers });
  return { secureContext, verifyHostname: algorithm === 'https' };
}

const MECHANISM_KEY = 'sasl.mechanism.inter.broker.protocol';

/**
 * `sasl.mechanism.inter.broker.protocol` with the credentials of the listener's JAAS config for
 * that mechanism: the `username` and `password` options of its PlainLoginModule or ScramLoginModule,
 * which Kafka's broker logs in with (the `user_<name>` entries beside them are the server side's).
 */
function clientSasl(config: BrokerConfig, listenerName: string): InterBrokerSasl {
  const mechanism = ((config.string(MECHANISM_KEY) as string | null) ?? '').trim();
  if (mechanism === 'GSSAPI') {
    throw new ConfigError(
      MECHANISM_KEY,
      `${MECHANISM_KEY}=GSSAPI (Kafka's default; Kerberos) is not supported by Samsa: the inter-broker listener ${listenerName} uses SASL, so set ${MECHANISM_KEY} to PLAIN, SCRAM-SHA-256 or SCRAM-SHA-512`,
    );
  }
  if (mechanism === 'OAUTHBEARER') {
    throw new ConfigError(
      MECHANISM_KEY,
      `${MECHANISM_KEY}=OAUTHBEARER is not supported by Samsa for inter-broker connections (a broker would need a token provider): use PLAIN, SCRAM-SHA-256 or SCRAM-SHA-512`,
    );
  }
  if (mechanism !== 'PLAIN' && !isScramMechanism(mechanism)) {
    throw new ConfigError(
      MECHANISM_KEY,
      `Invalid value ${mechanism} for configuration ${MECHANISM_KEY}: Samsa supports PLAIN, SCRAM-SHA-256 and SCRAM-SHA-512`,
    );
  }
  const enabled = (config.forListener(listenerName, 'sasl.enabled.mechanisms') as readonly string[]).map((m) =>
    m.trim(),
  );
  if (!enabled.includes(mechanism)) {
    throw new ConfigError(
      MECHANISM_KEY,
      `${MECHANISM_KEY} must be included in sasl.enabled.mechanisms when SASL is used for inter-broker communication (${mechanism} is not in ${enabled.join(',')} of listener ${listenerName})`,
    );
  }
  const moduleSuffix = mechanism === 'PLAIN' ? 'PlainLoginModule' : 'ScramLoginModule';
  const jaas = listenerJaas(config, listenerName, mechanism);
  const jaasKey =
    jaas?.key ?? `listener.name.${listenerName.toLowerCase()}.${mechanism.toLowerCase()}.sasl.jaas.config`;
  const options = jaas?.modules.find((m) => m.loginModule.endsWith(moduleSuffix))?.options;
  const username = options?.get('username');
  const password = options?.get('password');
  if (username === undefined || username === '' || password === undefined) {
    throw new ConfigError(
      jaasKey,
      `the inter-broker listener ${listenerName} uses SASL/${mechanism}, but ${jaasKey} has no ${moduleSuffix} with username="..." password="..." for this broker to log in with`,
    );
  }
  return { mechanism, username, password };
}
