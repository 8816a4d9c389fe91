import { readFileSync } from 'node:fs';
import { type ConnectionOptions, createSecureContext } from 'node:tls';
import { isPrivateKeyLabel, javaCipherSuiteToOpenSsl, pemBlocks } from '@samsa/protocol';
import type { CommonConfig } from '../config/client-config.js';
import { ConfigError } from '../errors/client-errors.js';

/** What `tls.connect` needs beyond the address, built once per client from its `ssl.*` settings. */
export interface ClientTls {
  /** CA, client certificate, versions and ciphers; host, port and servername are added per connection. */
  readonly options: ConnectionOptions;
  /** `ssl.endpoint.identification.algorithm=https`: the broker's certificate must name the host dialled. */
  readonly verifyHostname: boolean;
}

export type TlsSettings = Pick<
  CommonConfig,
  | 'sslTruststoreLocation'
  | 'sslTruststoreType'
  | 'sslTruststoreCertificates'
  | 'sslTruststorePassword'
  | 'sslKeystoreLocation'
  | 'sslKeystoreType'
  | 'sslKeystorePassword'
  | 'sslKeystoreKey'
  | 'sslKeystoreCertificateChain'
  | 'sslKeyPassword'
  | 'sslEndpointIdentificationAlgorithm'
  | 'sslEnabledProtocols'
  | 'sslProtocol'
  | 'sslCipherSuites'
  | 'sslCaLocation'
  | 'sslCertificateLocation'
  | 'sslKeyLocation'
  | 'tlsOptions'
>;

const JKS_MAGIC = 0xfeedfeed;
const TRUSTSTORE_HELP =
  'JKS is a Java-only format: convert it with `keytool -importkeystore -srckeystore x.jks -destkeystore x.p12 -deststoretype pkcs12`, then `openssl pkcs12 -in x.p12 -nokeys -out x.pem`, and set ssl.truststore.location=x.pem with ssl.truststore.type=PEM';
const PKCS12_TRUSTSTORE_HELP =
  'truststores are read as PEM only: convert with `openssl pkcs12 -in x.p12 -nokeys -out x.pem` and set ssl.truststore.type=PEM';
const KEYSTORE_HELP =
  'JKS is a Java-only format: convert it with `keytool -importkeystore -srckeystore x.jks -destkeystore x.p12 -deststoretype pkcs12` and use ssl.keystore.type=PKCS12 (or `openssl pkcs12 -in x.p12 -nodes -out x.pem` and ssl.keystore.type=PEM)';
const TLS_VERSIONS = ['TLSv1', 'TLSv1.1', 'TLSv1.2', 'TLSv1.3'] as const;
type TlsVersion = (typeof TLS_VERSIONS)[number];

/**
 * Builds Node's TLS client options the way Kafka's DefaultSslEngineFactory reads the keys:
 *
 * - trust: `ssl.truststore.location` (PEM; JKS and PKCS12 refused with the commands that convert
 *   them), `ssl.truststore.certificates` (inline PEM) or librdkafka's `ssl.ca.location`; none of
 *   them: Node's bundled CAs, as Java falls back to the JVM's;
 * - client certificate (for brokers with `ssl.client.auth`): `ssl.keystore.location` as PEM (key
 *   and chain in one file, KIP-651) or PKCS12 (`ssl.keystore.password`), inline
 *   `ssl.keystore.key` + `ssl.keystore.certificate.chain`, or librdkafka's
 *   `ssl.certificate.location` + `ssl.key.location`; `ssl.key.password` decrypts a PEM key;
 * - `ssl.enabled.protocols` and `ssl.protocol` bound the TLS version, `ssl.cipher.suites` takes
 *   Java's names, `ssl.endpoint.identification.algorithm` empty turns the host name check off;
 * - `tlsOptions` (Node's own, as KafkaJS's `ssl` object) applies last.
 *
 * Files are read here, once; every problem is a ConfigError naming the key.
 */
export function clientTlsOf(settings: TlsSettings): ClientTls {
  const options: ConnectionOptions = { rejectUnauthorized: true };
  const trust = trustedCertificates(settings);
  if (trust !== undefined) options.ca = trust.certificates;
  const identity = clientIdentity(settings);
  Object.assign(options, identity.options);
  Object.assign(options, protocolRange(settings.sslEnabledProtocols, settings.sslProtocol));
  if (settings.sslCipherSuites !== undefined) {
    options.ciphers = settings.sslCipherSuites.map(javaCipherSuiteToOpenSsl).join(':');
  }
  const algorithm = settings.sslEndpointIdentificationAlgorithm.trim();
  if (algorithm !== '' && algorithm.toLowerCase() !== 'https') {
    throw new ConfigError(
      'ssl.endpoint.identification.algorithm',
      `expected https (check the host name) or empty (do not), got '${algorithm}'`,
    );
  }
  if (settings.tlsOptions !== undefined) Object.assign(options, settings.tlsOptions);
  try {
    createSecureContext(options);
  } catch (error) {
    const key = settings.tlsOptions !== undefined ? 'tlsOptions' : (identity.key ?? trust?.key ?? 'ssl.cipher.suites');
    throw new ConfigError(key, `the TLS settings are not usable: ${(error as Error).message}`);
  }
  return { options, verifyHostname: algorithm !== '' };
}

/** The CA certificates to trust (PEM strings), tagged with the key they came from; undefined: Node's defaults. */
function trustedCertificates(s: TlsSettings): { key: string; certificates: string[] } | undefined {
  const sources = (
    [
      ['ssl.truststore.certificates', s.sslTruststoreCertificates],
      ['ssl.truststore.location', s.sslTruststoreLocation],
      ['ssl.ca.location', s.sslCaLocation],
    ] as const
  ).filter(([, v]) => v !== null);
  if (sources.length === 0) return undefined;
  if (sources.length > 1) {
    throw new ConfigError(sources[1]?.[0] as string, `set only one of ${sources.map(([k]) => k).join(' and ')}`);
  }
  const [key, value] = sources[0] as readonly [string, string];
  if (s.sslTruststoreType === 'JKS') throw new ConfigError('ssl.truststore.type', TRUSTSTORE_HELP);
  if (s.sslTruststoreType === 'PKCS12') throw new ConfigError('ssl.truststore.type', PKCS12_TRUSTSTORE_HELP);
  if (s.sslTruststorePassword !== null) {
    throw new ConfigError('ssl.truststore.password', 'cannot be specified for a PEM truststore (Java refuses it too)');
  }
  let text = value;
  if (key !== 'ssl.truststore.certificates') {
    const bytes = readSetting(key, value);
    if (bytes.length >= 4 && bytes.readUInt32BE(0) === JKS_MAGIC) {
      throw new ConfigError(key, `${value} is a JKS keystore. ${TRUSTSTORE_HELP}`);
    }
    text = bytes.toString('utf8');
  }
  const certificates = pemBlocks(text)
    .filter((b) => b.label === 'CERTIFICATE' || b.label === 'TRUSTED CERTIFICATE')
    .map((b) => b.pem);
  if (certificates.length === 0) {
    const where = key === 'ssl.truststore.certificates' ? 'the value' : value;
    const binary = key !== 'ssl.truststore.certificates' && !text.includes('-----BEGIN');
    throw new ConfigError(
      key,
      `no PEM certificate (-----BEGIN CERTIFICATE-----) in ${where}${binary ? `; if it is PKCS12, ${PKCS12_TRUSTSTORE_HELP}` : ''}`,
    );
  }
  return { key, certificates };
}

/** The client certificate and key, if any, and the key they were set with. */
function clientIdentity(s: TlsSettings): { options: ConnectionOptions; key?: string } {
  const sources = [
    s.sslKeystoreKey !== null || s.sslKeystoreCertificateChain !== null ? 'ssl.keystore.key' : undefined,
    s.sslKeystoreLocation !== null ? 'ssl.keystore.location' : undefined,
    s.sslCertificateLocation !== null || s.sslKeyLocation !== null ? 'ssl.certificate.location' : undefined,
  ].filter((k) => k !== undefined);
  if (sources.length === 0) return { options: {} };
  if (sources.length > 1) {
    throw new ConfigError(sources[1] as string, `set only one of ${sources.join(' and ')} (and their companions)`);
  }
  const pemOnly = (key: string) => {
    if (s.sslKeystoreType !== undefined && s.sslKeystoreType !== 'PEM') {
      throw new ConfigError('ssl.keystore.type', `must be PEM (or unset) with ${key}`);
    }
    if (s.sslKeystorePassword !== null) {
      throw new ConfigError(
        'ssl.keystore.password',
        'cannot be specified with PEM format, only ssl.key.password may be (as in Java)',
      );
    }
  };
  const source = sources[0] as string;
  if (source === 'ssl.keystore.key') {
    if (s.sslKeystoreKey === null)
      throw new ConfigError('ssl.keystore.key', 'is required with ssl.keystore.certificate.chain');
    if (s.sslKeystoreCertificateChain === null) {
      throw new ConfigError('ssl.keystore.certificate.chain', 'is required with ssl.keystore.key');
    }
    pemOnly(source);
    return {
      key: source,
      options: keyAndChain(
        s.sslKeystoreKey,
        'ssl.keystore.key',
        s.sslKeystoreCertificateChain,
        'ssl.keystore.certificate.chain',
        s.sslKeyPassword,
      ),
    };
  }
  if (source === 'ssl.certificate.location') {
    if (s.sslCertificateLocation === null)
      throw new ConfigError('ssl.certificate.location', 'is required with ssl.key.location');
    if (s.sslKeyLocation === null)
      throw new ConfigError('ssl.key.location', 'is required with ssl.certificate.location');
    pemOnly(source);
    const keyText = readSetting('ssl.key.location', s.sslKeyLocation).toString('utf8');
    const chainText = readSetting('ssl.certificate.location', s.sslCertificateLocation).toString('utf8');
    return {
      key: 'ssl.key.location',
      options: keyAndChain(keyText, 'ssl.key.location', chainText, 'ssl.certificate.location', s.sslKeyPassword),
    };
  }
  const location = s.sslKeystoreLocation as string;
  const bytes = readSetting('ssl.keystore.location', location);
  const isJks = bytes.length >= 4 && bytes.readUInt32BE(0) === JKS_MAGIC;
  const type = s.sslKeystoreType ?? (isJks ? 'JKS' : bytes.includes('-----BEGIN') ? 'PEM' : 'PKCS12');
  if (type === 'JKS' || isJks) throw new ConfigError('ssl.keystore.type', `${location} is JKS. ${KEYSTORE_HELP}`);
  if (type === 'PEM') {
    pemOnly('ssl.keystore.location');
    const text = bytes.toString('utf8');
    return {
      key: source,
      options: keyAndChain(text, 'ssl.keystore.location', text, 'ssl.keystore.location', s.sslKeyPassword),
    };
  }
  // PKCS12: Node takes the bag whole; Java's separate key password has no equivalent, so the
  // keystore password opens both, which is how PKCS12 files are usually made.
  const passphrase = s.sslKeystorePassword ?? s.sslKeyPassword;
  return { key: source, options: passphrase === null ? { pfx: bytes } : { pfx: bytes, passphrase } };
}

function keyAndChain(
  keyText: string,
  keyKey: string,
  chainText: string,
  chainKey: string,
  password: string | null,
): ConnectionOptions {
  const keys = pemBlocks(keyText).filter((b) => isPrivateKeyLabel(b.label));
  const chain = pemBlocks(chainText).filter((b) => b.label === 'CERTIFICATE');
  if (keys.length !== 1) {
    throw new ConfigError(keyKey, keys.length === 0 ? 'no PEM private key found' : 'more than one PEM private key');
  }
  if (chain.length === 0) throw new ConfigError(chainKey, 'no PEM certificate found');
  const key = keys[0] as { label: string; pem: string };
  const encrypted = key.label.startsWith('ENCRYPTED') || key.pem.includes('Proc-Type: 4,ENCRYPTED');
  if (encrypted && password === null) {
    throw new ConfigError('ssl.key.password', `${keyKey} holds an encrypted private key: set ssl.key.password`);
  }
  return {
    key: password === null ? key.pem : [{ pem: key.pem, passphrase: password }],
    cert: chain.map((b) => b.pem).join(''),
  };
}

/** ssl.enabled.protocols, capped by ssl.protocol as Java's SSLContext is → Node's version bounds. */
function protocolRange(
  protocols: readonly string[],
  sslProtocol: string,
): { minVersion: TlsVersion; maxVersion: TlsVersion } {
  const unknown = protocols.filter((p) => !(TLS_VERSIONS as readonly string[]).includes(p));
  if (unknown.length > 0) {
    throw new ConfigError(
      'ssl.enabled.protocols',
      `unknown protocol ${unknown.join(', ')} (known: ${TLS_VERSIONS.join(', ')})`,
    );
  }
  const enabled = TLS_VERSIONS.filter((v) => protocols.includes(v));
  let max = enabled[enabled.length - 1] as TlsVersion;
  const min = enabled[0] as TlsVersion;
  if (sslProtocol !== 'TLS') {
    if (!(TLS_VERSIONS as readonly string[]).includes(sslProtocol)) {
      throw new ConfigError('ssl.protocol', `expected TLS or one of ${TLS_VERSIONS.join(', ')}, got '${sslProtocol}'`);
    }
    const cap = sslProtocol as TlsVersion;
    if (TLS_VERSIONS.indexOf(cap) < TLS_VERSIONS.indexOf(min)) {
      throw new ConfigError('ssl.protocol', `${cap} is below every protocol of ssl.enabled.protocols`);
    }
    if (TLS_VERSIONS.indexOf(cap) < TLS_VERSIONS.indexOf(max)) max = cap;
  }
  return { minVersion: min, maxVersion: max };
}

function readSetting(key: string, path: string): Buffer {
  try {
    return readFileSync(path);
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    throw new ConfigError(key, `cannot read ${path}: ${code ?? (error as Error).message}`);
  }
}
