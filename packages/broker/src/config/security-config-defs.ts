import { atLeast, type ConfigKey, oneOf } from './config-def.js';

/**
 * TLS and SASL keys of listeners, with Kafka's names and defaults. Each may also be given per
 * listener as `listener.name.<listener>.<key>` (lower-case listener name), which wins; SASL's JAAS
 * config only exists in that form, per mechanism: `listener.name.<listener>.<mechanism>.sasl.jaas.config`.
 */
export const SECURITY_CONFIG_KEYS: readonly ConfigKey[] = [
  {
    name: 'security.inter.broker.protocol',
    type: 'string',
    defaultValue: 'PLAINTEXT',
    validate: oneOf('PLAINTEXT', 'SSL', 'SASL_PLAINTEXT', 'SASL_SSL'),
  },
  // --- client quotas (KIP-13/KIP-124): the window rates are measured over
  { name: 'quota.window.num', type: 'int', defaultValue: 11, validate: atLeast(1) },
  { name: 'quota.window.size.seconds', type: 'int', defaultValue: 1, validate: atLeast(1) },
  // --- connection limits (ConnectionQuotas)
  { name: 'max.connections.per.ip', type: 'int', defaultValue: 2147483647, validate: atLeast(0) },
  { name: 'max.connections.per.ip.overrides', type: 'string', defaultValue: '' },
  { name: 'max.connection.creation.rate', type: 'int', defaultValue: 2147483647, validate: atLeast(0) },
  // --- TLS
  { name: 'ssl.keystore.type', type: 'string', defaultValue: 'JKS' },
  { name: 'ssl.keystore.location', type: 'string', defaultValue: null },
  { name: 'ssl.keystore.password', type: 'password', defaultValue: null, sensitive: true },
  { name: 'ssl.keystore.key', type: 'password', defaultValue: null, sensitive: true },
  { name: 'ssl.keystore.certificate.chain', type: 'password', defaultValue: null, sensitive: true },
  { name: 'ssl.key.password', type: 'password', defaultValue: null, sensitive: true },
  { name: 'ssl.truststore.type', type: 'string', defaultValue: 'JKS' },
  { name: 'ssl.truststore.location', type: 'string', defaultValue: null },
  { name: 'ssl.truststore.password', type: 'password', defaultValue: null, sensitive: true },
  { name: 'ssl.truststore.certificates', type: 'password', defaultValue: null, sensitive: true },
  {
    name: 'ssl.client.auth',
    type: 'string',
    defaultValue: 'none',
    validate: oneOf('none', 'requested', 'required'),
  },
  { name: 'ssl.enabled.protocols', type: 'list', defaultValue: ['TLSv1.2', 'TLSv1.3'] },
  { name: 'ssl.protocol', type: 'string', defaultValue: 'TLSv1.3' },
  { name: 'ssl.cipher.suites', type: 'list', defaultValue: [] },
  { name: 'ssl.endpoint.identification.algorithm', type: 'string', defaultValue: 'https' },
  { name: 'ssl.principal.mapping.rules', type: 'string', defaultValue: 'DEFAULT' },
  {
    name: 'ssl.handshake.timeout.ms',
    type: 'long',
    defaultValue: 10000,
    validate: atLeast(1),
    doc: 'Samsa: a TLS handshake not finished in this time closes the connection (Kafka relies on connections.max.idle.ms).',
  },
  // --- SASL
  { name: 'sasl.enabled.mechanisms', type: 'list', defaultValue: ['GSSAPI'] },
  { name: 'sasl.mechanism.inter.broker.protocol', type: 'string', defaultValue: 'GSSAPI' },
  { name: 'sasl.jaas.config', type: 'password', defaultValue: null, sensitive: true },
  { name: 'sasl.server.max.receive.size', type: 'int', defaultValue: 524288, validate: atLeast(1) },
  { name: 'connections.max.reauth.ms', type: 'long', defaultValue: 0, validate: atLeast(0) },
  { name: 'connection.failed.authentication.delay.ms', type: 'int', defaultValue: 100, validate: atLeast(0) },
  {
    name: 'sasl.server.authentication.timeout.ms',
    type: 'long',
    defaultValue: 30000,
    validate: atLeast(1),
    doc: 'Samsa: a SASL connection not authenticated in this time is closed.',
  },
  // OAUTHBEARER with signed JWTs (KIP-768)
  { name: 'sasl.oauthbearer.jwks.endpoint.url', type: 'string', defaultValue: null },
  { name: 'sasl.oauthbearer.jwks.endpoint.refresh.ms', type: 'long', defaultValue: 3600000, validate: atLeast(0) },
  { name: 'sasl.oauthbearer.expected.audience', type: 'list', defaultValue: null },
  { name: 'sasl.oauthbearer.expected.issuer', type: 'string', defaultValue: null },
  { name: 'sasl.oauthbearer.sub.claim.name', type: 'string', defaultValue: 'sub' },
  { name: 'sasl.oauthbearer.scope.claim.name', type: 'string', defaultValue: 'scope' },
  { name: 'sasl.oauthbearer.clock.skew.seconds', type: 'int', defaultValue: 30, validate: atLeast(0) },
  { name: 'sasl.server.callback.handler.class', type: 'class', defaultValue: null },
  // Kerberos (GSSAPI): Samsa does not offer it, but these are dynamic per-broker configs in Kafka
  // (listener reconfiguration), so AlterConfigs and DescribeConfigs take them, without effect.
  { name: 'sasl.kerberos.service.name', type: 'string', defaultValue: null, dynamic: 'per-broker' },
  { name: 'sasl.kerberos.kinit.cmd', type: 'string', defaultValue: '/usr/bin/kinit', dynamic: 'per-broker' },
  { name: 'sasl.kerberos.ticket.renew.window.factor', type: 'double', defaultValue: 0.8, dynamic: 'per-broker' },
  { name: 'sasl.kerberos.ticket.renew.jitter', type: 'double', defaultValue: 0.05, dynamic: 'per-broker' },
  { name: 'sasl.kerberos.min.time.before.relogin', type: 'long', defaultValue: 60000, dynamic: 'per-broker' },
  { name: 'sasl.kerberos.principal.to.local.rules', type: 'list', defaultValue: ['DEFAULT'], dynamic: 'per-broker' },
];

/** Kerberos keys: accepted and reported, never used (no GSSAPI). */
export const KERBEROS_CONFIG_KEYS: readonly string[] = SECURITY_CONFIG_KEYS.map((k) => k.name).filter((n) =>
  n.startsWith('sasl.kerberos.'),
);

/** Keys that may also be set per listener (`listener.name.<l>.<key>`). */
export const LISTENER_SCOPED_KEYS: ReadonlySet<string> = new Set(
  SECURITY_CONFIG_KEYS.map((k) => k.name).filter(
    (n) =>
      n.startsWith('ssl.') ||
      n.startsWith('sasl.') ||
      n === 'connections.max.reauth.ms' ||
      n === 'connection.failed.authentication.delay.ms' ||
      n === 'max.connection.creation.rate',
  ),
);
