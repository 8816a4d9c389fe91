import { readFileSync } from 'node:fs';
import { createSecureContext, type TlsOptions } from 'node:tls';
import { isPrivateKeyLabel, javaCipherSuiteToOpenSsl, pemBlocks } from '@samsa/protocol';
import type { BrokerConfig } from '../../config/broker-config.js';
import { ConfigError } from '../../config/config-def.js';

/** A listener's TLS settings, resolved from `ssl.*` and its `listener.name.<l>.ssl.*` overrides. */
export interface ListenerTls {
  readonly options: TlsOptions;
  /** `ssl.client.auth=requested`: a certificate is asked for, but a client without one is let in. */
  readonly clientAuth: 'none' | 'requested' | 'required';
  readonly handshakeTimeoutMs: number;
}

const JKS_HELP =
  'JKS is a Java-only format. Convert it with `keytool -importkeystore -srckeystore store.jks -destkeystore store.p12 -deststoretype PKCS12` (PKCS12 keystores work as they are), ' +
  'then for a truststore `openssl pkcs12 -in store.p12 -nokeys -out ca.pem` and ssl.truststore.type=PEM';

/**
 * Builds Node's TLS server options the way Kafka's DefaultSslEngineFactory reads its keys:
 * keystore as PEM (key and certificate chain in one file, KIP-651, or inline in
 * `ssl.keystore.key` / `ssl.keystore.certificate.chain`) or PKCS12; truststore as PEM. Every
 * problem is a ConfigError naming the key, raised at startup rather than at the first handshake.
 */
export function serverTlsOptions(
  config: BrokerConfig,
  listenerName: string,
  securityProtocol: 'SSL' | 'SASL_SSL' = 'SSL',
): ListenerTls {
  const get = (name: string) => config.forListener(listenerName, name);
  const str = (name: string) => get(name) as string | null;
  const prefixed = (name: string) => `listener.name.${listenerName.toLowerCase()}.${name} or ${name}`;
  const options: TlsOptions = {};

  const keystoreType = (str('ssl.keystore.type') ?? 'JKS').toUpperCase();
  const keystoreLocation = str('ssl.keystore.location');
  const inlineKey = str('ssl.keystore.key');
  const inlineChain = str('ssl.keystore.certificate.chain');
  const keyPassword = str('ssl.key.password') ?? undefined;
  if (inlineKey !== null || inlineChain !== null) {
    if (inlineKey === null || inlineChain === null) {
      throw new ConfigError(
        'ssl.keystore.key',
        `${prefixed('ssl.keystore.key')} and ssl.keystore.certificate.chain must be set together`,
      );
    }
    if (keystoreLocation !== null) {
      throw new ConfigError('ssl.keystore.location', 'ssl.keystore.location cannot be set with ssl.keystore.key');
    }
    Object.assign(options, pemKeyAndChain(inlineKey, inlineChain, keyPassword, 'ssl.keystore.key'));
  } else if (keystoreLocation === null) {
    throw new ConfigError(
      'ssl.keystore.location',
      `listener ${listenerName} uses TLS but has no keystore: set ${prefixed('ssl.keystore.location')} (or ssl.keystore.key and ssl.keystore.certificate.chain)`,
    );
  } else {
    const bytes = readConfigFile('ssl.keystore.location', keystoreLocation);
    if (keystoreType === 'PEM') {
      const text = bytes.toString('utf8');
      Object.assign(options, pemKeyAndChain(text, text, keyPassword, 'ssl.keystore.location'));
    } else if (keystoreType === 'PKCS12') {
      options.pfx = bytes;
      const password = str('ssl.keystore.password');
      if (password !== null) options.passphrase = password;
    } else if (keystoreType === 'JKS') {
      throw new ConfigError('ssl.keystore.type', `ssl.keystore.type=JKS is not supported. ${JKS_HELP}`);
    } else {
      throw new ConfigError('ssl.keystore.type', `Invalid value ${keystoreType} for configuration ssl.keystore.type`);
    }
  }

  const trustLocation = str('ssl.truststore.location');
  const trustInline = str('ssl.truststore.certificates');
  const trustType = (str('ssl.truststore.type') ?? 'JKS').toUpperCase();
  if (trustInline !== null) options.ca = trustInline;
  else if (trustLocation !== null) {
    if (trustType === 'JKS') {
      throw new ConfigError('ssl.truststore.type', `ssl.truststore.type=JKS is not supported. ${JKS_HELP}`);
    }
    if (trustType !== 'PEM') {
      throw new ConfigError(
        'ssl.truststore.type',
        `ssl.truststore.type=${trustType} is not supported for truststores: use PEM (\`openssl pkcs12 -in store.p12 -nokeys -out ca.pem\`)`,
      );
    }
    options.ca = readConfigFile('ssl.truststore.location', trustLocation).toString('utf8');
  }

  // Kafka asks SASL_SSL clients for certificates only when the listener itself says so
  // (`listener.name.<l>.ssl.client.auth`): the broker-wide key is for SSL listeners.
  const clientAuth = (
    securityProtocol === 'SASL_SSL' && !config.hasListenerOverride(listenerName, 'ssl.client.auth')
      ? 'none'
      : (str('ssl.client.auth') ?? 'none')
  ) as ListenerTls['clientAuth'];
  if (clientAuth !== 'none') {
    if (options.ca === undefined) {
      throw new ConfigError(
        'ssl.client.auth',
        `ssl.client.auth=${clientAuth} needs a truststore to verify client certificates: set ${prefixed('ssl.truststore.location')}`,
      );
    }
    options.requestCert = true;
    // "requested" lets a client without a certificate in; one that presents an untrusted
    // certificate is still refused (SocketServer checks `authorized`), as Java's wantClientAuth.
    options.rejectUnauthorized = clientAuth === 'required';
  }

  Object.assign(options, protocolRange(get('ssl.enabled.protocols') as readonly string[]));
  const suites = get('ssl.cipher.suites') as readonly string[];
  if (suites.length > 0) {
    // Node takes TLS 1.3 suites (TLS_AES_*) in the same list.
    options.ciphers = suites.map(javaCipherSuiteToOpenSsl).join(':');
  }

  try {
    createSecureContext(options);
  } catch (err) {
    throw new ConfigError(
      keystoreLocation !== null ? 'ssl.keystore.location' : 'ssl.keystore.key',
      `listener ${listenerName}: the TLS settings are not usable: ${(err as Error).message}`,
    );
  }
  return { options, clientAuth, handshakeTimeoutMs: get('ssl.handshake.timeout.ms') as number };
}

function readConfigFile(key: string, path: string): Buffer {
  try {
    return readFileSync(path);
  } catch (err) {
    throw new ConfigError(key, `Invalid value ${path} for configuration ${key}: ${(err as Error).message}`);
  }
}

/**
 * Splits PEM text into the private key and the certificate chain (leaf first), as KIP-651 reads
 * it; inline values from a properties file may have lost their line breaks (pemBlocks re-wraps).
 */
function pemKeyAndChain(keyText: string, chainText: string, password: string | undefined, key: string): TlsOptions {
  const privateKey = pemBlocks(keyText).find((b) => isPrivateKeyLabel(b.label))?.pem;
  const chain = pemBlocks(chainText)
    .filter((b) => b.label === 'CERTIFICATE')
    .map((b) => b.pem);
  if (privateKey === undefined) throw new ConfigError(key, `${key}: no PEM private key found`);
  if (chain.length === 0) throw new ConfigError(key, `${key}: no PEM certificate found`);
  if (privateKey.includes('ENCRYPTED') && password === undefined) {
    throw new ConfigError('ssl.key.password', `${key} holds an encrypted private key: set ssl.key.password`);
  }
  return {
    key: password === undefined ? privateKey : [{ pem: privateKey, passphrase: password }],
    cert: chain.join(''),
  };
}

/** ssl.enabled.protocols → the lowest and highest TLS version Node may negotiate. */
function protocolRange(protocols: readonly string[]): Pick<TlsOptions, 'minVersion' | 'maxVersion'> {
  const known = ['TLSv1', 'TLSv1.1', 'TLSv1.2', 'TLSv1.3'] as const;
  const enabled = known.filter((p) => protocols.includes(p));
  if (enabled.length === 0) {
    throw new ConfigError(
      'ssl.enabled.protocols',
      `Invalid value ${protocols.join(',')} for configuration ssl.enabled.protocols: no protocol this broker knows (TLSv1.2, TLSv1.3)`,
    );
  }
  return { minVersion: enabled[0], maxVersion: enabled[enabled.length - 1] };
}
