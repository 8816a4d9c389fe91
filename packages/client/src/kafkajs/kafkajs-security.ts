import type { ConnectionOptions } from 'node:tls';
import { KafkaJSNonRetriableError } from './kafkajs-constants.js';

/** KafkaJS's `sasl` option. */
export type KafkaJSSaslOptions =
  | { mechanism: 'plain' | 'scram-sha-256' | 'scram-sha-512'; username: string; password: string }
  | {
      mechanism: 'oauthbearer';
      oauthBearerProvider: () => Promise<{ value: string }> | { value: string };
    };

/**
 * KafkaJS's `ssl` and `sasl` options as Samsa's settings: the security protocol from which of the
 * two are set, `ssl` (`true`, or Node's tls.ConnectionOptions such as `ca`, `cert`, `key`,
 * `passphrase`, `rejectUnauthorized`, `servername`) passed to `tls.connect` as it is, `sasl`
 * mapped to `sasl.mechanism` with the credentials or the token provider. KafkaJS's `aws`
 * mechanism and custom authentication providers are refused.
 */
export function kafkaJSSecuritySettings(
  ssl: boolean | ConnectionOptions | undefined,
  sasl: KafkaJSSaslOptions | undefined,
): Record<string, unknown> {
  const useTls = ssl !== undefined && ssl !== false;
  if (sasl === undefined) {
    if (!useTls) return {};
    return { 'security.protocol': 'SSL', ...(typeof ssl === 'object' ? { tlsOptions: ssl } : {}) };
  }
  const out: Record<string, unknown> = {
    'security.protocol': useTls ? 'SASL_SSL' : 'SASL_PLAINTEXT',
    ...(typeof ssl === 'object' ? { tlsOptions: ssl } : {}),
  };
  // Plain JavaScript callers may pass any string, in any case ('PLAIN').
  const given: unknown = (sasl as { mechanism?: unknown }).mechanism;
  const mechanism = typeof given === 'string' ? given.toLowerCase() : String(given);
  if (mechanism === 'plain' || mechanism === 'scram-sha-256' || mechanism === 'scram-sha-512') {
    const { username, password } = sasl as { username?: unknown; password?: unknown };
    if (typeof username !== 'string' || typeof password !== 'string') {
      throw new KafkaJSNonRetriableError(`SASL ${mechanism.toUpperCase()}: Invalid username or password`);
    }
    return { ...out, 'sasl.mechanism': mechanism.toUpperCase(), 'sasl.username': username, 'sasl.password': password };
  }
  if (mechanism === 'oauthbearer') {
    const provider = (sasl as { oauthBearerProvider?: unknown }).oauthBearerProvider;
    if (typeof provider !== 'function') {
      throw new KafkaJSNonRetriableError('SASL OAUTHBEARER: Missing OAuth bearer token provider');
    }
    return { ...out, 'sasl.mechanism': 'OAUTHBEARER', oauthBearerTokenProvider: provider };
  }
  throw new KafkaJSNonRetriableError(
    `SASL ${mechanism.toUpperCase()} mechanism is not supported by @samsa/client (plain, scram-sha-256, scram-sha-512, oauthbearer are)`,
  );
}
