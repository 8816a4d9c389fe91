import { BrokerProcess, createTestCertificates, type TestCertificates } from '@samsa/testkit';

/** The passwords of the PLAIN users every secured test broker knows. */
export const PLAIN_USERS = { admin: 'admin-secret', alice: 'alice-secret', bob: 'bob-secret' } as const;

const plainJaas = `org.apache.kafka.common.security.plain.PlainLoginModule required ${Object.entries(PLAIN_USERS)
  .map(([user, password]) => `user_${user}="${password}"`)
  .join(' ')};`;

export interface SecuredBroker {
  readonly broker: BrokerProcess;
  readonly certs: TestCertificates;
  /** `127.0.0.1:<port>` of each listener. */
  readonly plaintext: string;
  /** TLS with required client certificates (principal: the certificate's CN, lower-cased). */
  readonly ssl: string;
  readonly saslPlaintext: string;
  readonly saslSsl: string;
  close(): Promise<void>;
}

/**
 * A single-node broker with the four listener kinds, as a deployment would configure them:
 * certificates from a throwaway CA (openssl at run time), PLAIN users in the JAAS config, SCRAM
 * enabled (users are added by the tests through the admin API).
 */
export async function startSecuredBroker(
  extra: Readonly<Record<string, string | number>> = {},
): Promise<SecuredBroker> {
  const certs = createTestCertificates();
  const broker = await BrokerProcess.start({
    properties: {
      listeners: 'PLAINTEXT://127.0.0.1:0,SSL://127.0.0.1:0,SASL_PLAINTEXT://127.0.0.1:0,SASL_SSL://127.0.0.1:0',
      'ssl.keystore.type': 'PEM',
      'ssl.keystore.location': certs.brokerPem,
      'ssl.truststore.type': 'PEM',
      'ssl.truststore.location': certs.caPem,
      'listener.name.ssl.ssl.client.auth': 'required',
      'ssl.principal.mapping.rules': 'RULE:^CN=([^,]+),.*$/$1/L,DEFAULT',
      'sasl.enabled.mechanisms': 'PLAIN,SCRAM-SHA-256,SCRAM-SHA-512',
      // OAUTHBEARER (Kafka's unsecured validator) on the TLS listener only.
      'listener.name.sasl_ssl.sasl.enabled.mechanisms': 'PLAIN,SCRAM-SHA-256,SCRAM-SHA-512,OAUTHBEARER',
      'listener.name.sasl_plaintext.plain.sasl.jaas.config': plainJaas,
      'listener.name.sasl_ssl.plain.sasl.jaas.config': plainJaas,
      'connection.failed.authentication.delay.ms': 100,
      ...extra,
    },
  });
  const address = (listener: string) => `127.0.0.1:${broker.portOf(listener)}`;
  return {
    broker,
    certs,
    plaintext: address('PLAINTEXT'),
    ssl: address('SSL'),
    saslPlaintext: address('SASL_PLAINTEXT'),
    saslSsl: address('SASL_SSL'),
    async close() {
      await broker.close();
      certs.remove();
    },
  };
}
