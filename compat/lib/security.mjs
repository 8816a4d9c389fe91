// The secured setups of the suite: what trivup gives the SSL, SASL and OAuth/OIDC runs
// (tests/LibrdkafkaTestApp.py, trivup's KafkaBrokerApp, SslApp and OauthbearerOIDCApp), on one
// Samsa cluster with a listener per kind of client:
//
//   PLAINTEXT        inter-broker traffic, BROKERS (trivup's cluster bootstrap is PLAINTEXT too)
//   SSL              TLS, client certificates required (trivup: ssl.client.auth=required)
//   SASL_PLAINTEXT   PLAIN and SCRAM-SHA-512 (user testuser/testpass; the SCRAM credential is
//                    made after the start with kafka-configs' --add-config, as trivup does) and
//                    OAUTHBEARER with Kafka's unsecured validator (required scope
//                    "requiredScope", as trivup's JAAS)
//   SASL_SSL         PLAIN over TLS
//   OIDC             SASL_PLAINTEXT, OAUTHBEARER with signed JWTs checked against the JWKS of the
//                    token endpoint in oidc-server.mjs (KIP-768)
//
// connections.max.reauth.ms=10000 (KIP-368), the value trivup's interactive_broker_version.py
// gives its brokers. Each setup gives a test what LibrdkafkaTestApp would: test.conf entries
// (security.protocol, sasl.*, ssl.*, bootstrap.servers of its listener) and environment variables
// (SSL_* paths of the client's certificates in PEM, DER and PKCS#12; the OIDC URLs and keys).
import { execFile, execFileSync } from 'node:child_process';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { createTestCertificates, requireCommand } from '@samsa/testkit';
import { OIDC_AUDIENCE, OIDC_ISSUER, startOidcServer } from './oidc-server.mjs';

/** trivup's SASL user (interactive_broker_version.py's default sasl_users). */
const SASL_USER = 'testuser';
const SASL_PASSWORD = 'testpass';
/** trivup's ssl_key_pass: the client's PKCS#12 password and ssl.key.password. */
const CLIENT_KEY_PASSWORD = '12345678';
/** Samsa's command line (`samsa configs` takes kafka-configs.sh's flags). */
const SAMSA = join(dirname(fileURLToPath(import.meta.url)), '..', '..', 'bin', 'samsa');
/** KIP-368 re-authentication interval of the SASL listeners (trivup's --max-reauth-ms default). */
export const MAX_REAUTH_MS = 10000;

/** The listeners of the secured cluster, PLAINTEXT first (inter-broker). */
export const SECURED_LISTENERS = ['PLAINTEXT', 'SSL', 'SASL_PLAINTEXT', 'SASL_SSL', 'OIDC'];

/**
 * Client setups: the listener a test connects to and what LibrdkafkaTestApp writes for it.
 * `tls`: the client gets trivup's certificates (ssl.* entries and SSL_* variables).
 */
export const SETUPS = {
  ssl: { listener: 'SSL', protocol: 'SSL', tls: true },
  sasl_plain: { listener: 'SASL_PLAINTEXT', protocol: 'SASL_PLAINTEXT', mechanism: 'PLAIN' },
  sasl_scram: { listener: 'SASL_PLAINTEXT', protocol: 'SASL_PLAINTEXT', mechanism: 'SCRAM-SHA-512' },
  sasl_ssl: { listener: 'SASL_SSL', protocol: 'SASL_SSL', mechanism: 'PLAIN', tls: true },
  sasl_oauthbearer: { listener: 'SASL_PLAINTEXT', protocol: 'SASL_PLAINTEXT', mechanism: 'OAUTHBEARER' },
  sasl_oidc: { listener: 'OIDC', protocol: 'SASL_PLAINTEXT', mechanism: 'OAUTHBEARER', oidc: true },
};

const jaas = (module, options) =>
  `${module} required ${Object.entries(options)
    .map(([k, v]) => `${k}="${v}"`)
    .join(' ')};`;

/** Certificates, the client's key material and the token endpoint, for one run. */
export class SecuritySetups {
  /** @type {ReturnType<typeof createTestCertificates>} */ certs;
  /** @type {Record<string, string>} */ sslEnv = {};
  /** @type {Awaited<ReturnType<typeof startOidcServer>>} */ oidc;

  static async start() {
    const setups = new SecuritySetups();
    setups.certs = createTestCertificates();
    try {
      setups.sslEnv = clientKeyMaterial(setups.certs);
      setups.oidc = await startOidcServer(setups.certs.dir);
    } catch (err) {
      setups.certs.remove();
      throw err;
    }
    return setups;
  }

  /** Broker settings of the secured cluster, but `listeners` (each broker has its ports). */
  brokerProperties() {
    const plain = jaas('org.apache.kafka.common.security.plain.PlainLoginModule', {
      [`user_${SASL_USER}`]: SASL_PASSWORD,
    });
    return {
      'listener.security.protocol.map':
        'PLAINTEXT:PLAINTEXT,SSL:SSL,SASL_PLAINTEXT:SASL_PLAINTEXT,SASL_SSL:SASL_SSL,OIDC:SASL_PLAINTEXT',
      'inter.broker.listener.name': 'PLAINTEXT',
      // trivup's brokers: one keystore and truststore, TLS 1.2 at most (its
      // ssl.enabled.protocols=TLSv1.2,TLSv1.1,TLSv1: 0097 expects a refused client certificate to
      // fail the handshake, as it does in TLS 1.2; TLS 1.3 refuses it after the client finished),
      // and an unprefixed ssl.client.auth=required, which Kafka applies to SSL listeners only, not
      // to SASL_SSL ones (ChannelBuilders: "only if listener-prefixed config is specified").
      'ssl.enabled.protocols': 'TLSv1.2',
      'ssl.keystore.type': 'PEM',
      'ssl.keystore.location': this.certs.brokerPem,
      'ssl.truststore.type': 'PEM',
      'ssl.truststore.location': this.certs.caPem,
      'ssl.client.auth': 'required',
      'connections.max.reauth.ms': MAX_REAUTH_MS,
      'listener.name.sasl_plaintext.sasl.enabled.mechanisms': 'PLAIN,SCRAM-SHA-512,OAUTHBEARER',
      'listener.name.sasl_plaintext.plain.sasl.jaas.config': plain,
      'listener.name.sasl_plaintext.oauthbearer.sasl.jaas.config': jaas(
        'org.apache.kafka.common.security.oauthbearer.OAuthBearerLoginModule',
        { unsecuredLoginStringClaim_sub: 'admin', unsecuredValidatorRequiredScope: 'requiredScope' },
      ),
      'listener.name.sasl_ssl.sasl.enabled.mechanisms': 'PLAIN',
      'listener.name.sasl_ssl.plain.sasl.jaas.config': plain,
      'listener.name.oidc.sasl.enabled.mechanisms': 'OAUTHBEARER',
      'listener.name.oidc.oauthbearer.sasl.server.callback.handler.class':
        'org.apache.kafka.common.security.oauthbearer.OAuthBearerValidatorCallbackHandler',
      'listener.name.oidc.sasl.oauthbearer.jwks.endpoint.url': this.oidc.jwksUrl,
      'listener.name.oidc.sasl.oauthbearer.expected.audience': OIDC_AUDIENCE,
      'listener.name.oidc.sasl.oauthbearer.expected.issuer': OIDC_ISSUER,
    };
  }

  /**
   * After the brokers started: the SCRAM user, as trivup's KafkaBrokerApp makes it (its
   * post_start_cmds: `kafka-configs.sh --bootstrap-server … --alter --add-config
   * 'SCRAM-SHA-512=[iterations=4096,password=…]' --entity-type users --entity-name …`), through
   * Samsa's `samsa configs`.
   */
  async afterStart(bootstrap) {
    await promisify(execFile)(SAMSA, [
      'configs',
      '--bootstrap-server',
      bootstrap,
      '--alter',
      '--add-config',
      `SCRAM-SHA-512=[iterations=4096,password=${SASL_PASSWORD}]`,
      '--entity-type',
      'users',
      '--entity-name',
      SASL_USER,
    ]);
  }

  /** test.conf of a setup, as LibrdkafkaTestApp writes it. */
  testConf(name, bootstrap) {
    const setup = SETUPS[name];
    const lines = [];
    if (setup.mechanism !== undefined) lines.push(`sasl.mechanisms=${setup.mechanism}`);
    if (setup.mechanism === 'PLAIN' || setup.mechanism?.startsWith('SCRAM-'))
      lines.push(`sasl.username=${SASL_USER}`, `sasl.password=${SASL_PASSWORD}`);
    if (setup.mechanism === 'OAUTHBEARER' && setup.oidc === true) {
      lines.push(
        'sasl.oauthbearer.method=OIDC',
        'sasl.oauthbearer.client.id=123',
        'sasl.oauthbearer.client.secret=abc',
        'sasl.oauthbearer.extensions=ExtensionworkloadIdentity=develC348S,Extensioncluster=lkc123',
        'sasl.oauthbearer.scope=test',
        `sasl.oauthbearer.token.endpoint.url=${this.oidc.url}`,
      );
    } else if (setup.mechanism === 'OAUTHBEARER') {
      lines.push(
        'enable.sasl.oauthbearer.unsecure.jwt=true',
        'sasl.oauthbearer.config=scope=requiredScope principal=admin',
      );
    }
    if (setup.tls === true) {
      lines.push(
        `ssl.ca.location=${this.certs.caPem}`,
        `ssl.certificate.location=${this.certs.clientCert}`,
        `ssl.key.location=${this.certs.clientKey}`,
        `ssl.key.password=${CLIENT_KEY_PASSWORD}`,
      );
    }
    lines.push(`bootstrap.servers=${bootstrap}`, `security.protocol=${setup.protocol}`);
    return `${lines.join('\n')}\n`;
  }

  /** Environment variables of a setup, as LibrdkafkaTestApp sets them. */
  env(name) {
    const setup = SETUPS[name];
    return { ...(setup.tls === true ? this.sslEnv : {}), ...(setup.oidc === true ? this.oidc.env : {}) };
  }

  async close() {
    await this.oidc?.close();
    this.certs?.remove();
  }
}

/**
 * trivup's SslApp.create_cert for the client, from the test certificates' client key and
 * certificate (signed by the brokers' CA): PEM and DER of both, a PKCS#12 with key, certificate
 * and CA, the CA in DER, and a second, unused CA for SSL_all_cas_pem (0097 loads it as a bundle).
 */
function clientKeyMaterial(certs) {
  const openssl = requireCommand('openssl', 'openssl');
  const dir = join(certs.dir, 'librdkafka');
  mkdirSync(dir, { recursive: true });
  const path = (name) => join(dir, name);
  const run = (...args) => execFileSync(openssl, args, { stdio: 'pipe' });
  run('x509', '-outform', 'der', '-in', certs.clientCert, '-out', path('client-pub.der'));
  run('rsa', '-outform', 'der', '-in', certs.clientKey, '-out', path('client-priv.der'));
  run('x509', '-outform', 'der', '-in', certs.caPem, '-out', path('ca.der'));
  run(
    'pkcs12',
    '-export',
    '-inkey',
    certs.clientKey,
    '-in',
    certs.clientCert,
    '-certfile',
    certs.caPem,
    '-passout',
    `pass:${CLIENT_KEY_PASSWORD}`,
    '-out',
    path('client.pfx'),
  );
  run(
    'req',
    '-x509',
    '-newkey',
    'rsa:2048',
    '-nodes',
    '-days',
    '1',
    '-subj',
    '/CN=Unused CA',
    '-keyout',
    path('unused-ca.key'),
    '-out',
    path('unused-ca.pem'),
  );
  run('x509', '-outform', 'der', '-in', path('unused-ca.pem'), '-out', path('unused-ca.der'));
  writeFileSync(path('all-cas.pem'), readFileSync(certs.caPem, 'utf8') + readFileSync(path('unused-ca.pem'), 'utf8'));
  return {
    SSL_ca_pem: certs.caPem,
    SSL_ca_der: path('ca.der'),
    SSL_unused_ca_pem: path('unused-ca.pem'),
    SSL_unused_ca_der: path('unused-ca.der'),
    SSL_all_cas_pem: path('all-cas.pem'),
    SSL_client_auth: 'required',
    SSL_pub_pem: certs.clientCert,
    SSL_pub_der: path('client-pub.der'),
    SSL_priv_pem: certs.clientKey,
    SSL_priv_der: path('client-priv.der'),
    SSL_pkcs: path('client.pfx'),
    SSL_password: CLIENT_KEY_PASSWORD,
  };
}
