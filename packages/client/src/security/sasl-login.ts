import { type JaasLoginModule, parseJaasConfig } from '@samsa/protocol';
import type { CommonConfig } from '../config/client-config.js';
import { ConfigError } from '../errors/client-errors.js';
import { OAuthBearerSaslClient } from './oauthbearer-sasl-client.js';
import type { OAuthBearerTokenProvider } from './oauthbearer-token.js';
import { PlainSaslClient } from './plain-sasl-client.js';
import type { SaslClient, SaslMechanismName } from './sasl-client.js';
import { ScramSaslClient } from './scram-sasl-client.js';
import { hasUnsecuredLoginOptions, unsecuredJwsBuilder } from './unsecured-jws.js';

/**
 * A client's SASL identity, resolved once from its settings: the mechanism, and a factory of
 * fresh mechanism state for each authentication (every connection, every re-authentication).
 */
export interface SaslLogin {
  readonly mechanism: SaslMechanismName;
  /** The user named in error messages. */
  readonly principalName: string;
  newClient(): SaslClient;
}

type SaslSettings = Pick<
  CommonConfig,
  'saslMechanism' | 'saslJaasConfig' | 'saslUsername' | 'saslPassword' | 'oauthBearerTokenProvider'
>;

/** Java's login module classes, by simple name: the package prefix is not checked. */
const PLAIN_MODULE = 'PlainLoginModule';
const SCRAM_MODULE = 'ScramLoginModule';
const OAUTH_MODULE = 'OAuthBearerLoginModule';

/**
 * Resolves where the credentials come from, as Java's client reads `sasl.jaas.config`:
 *
 * - PLAIN and SCRAM: `PlainLoginModule` or `ScramLoginModule` with `username` and `password`
 *   (Java's two modules both just carry the pair), or librdkafka's `sasl.username` and
 *   `sasl.password`;
 * - OAUTHBEARER: the `oauthBearerTokenProvider` option, or `OAuthBearerLoginModule` with Kafka's
 *   `unsecuredLoginStringClaim_sub="..."` options (unsigned tokens, for development).
 *
 * Every problem is a ConfigError naming the key; values (passwords) never appear in messages.
 */
export function saslLoginOf(settings: SaslSettings): SaslLogin {
  const mechanism = settings.saslMechanism;
  const jaas = settings.saslJaasConfig === null ? undefined : loginModuleOf(settings.saslJaasConfig);
  if (jaas !== undefined && (settings.saslUsername !== null || settings.saslPassword !== null)) {
    throw new ConfigError('sasl.username', 'set either sasl.jaas.config or sasl.username and sasl.password, not both');
  }
  if (mechanism === 'OAUTHBEARER') return oauthLogin(jaas, settings.oauthBearerTokenProvider);

  let username: string | undefined;
  let password: string | undefined;
  if (jaas !== undefined) {
    const simple = simpleName(jaas.loginModule);
    if (simple !== PLAIN_MODULE && simple !== SCRAM_MODULE) {
      throw new ConfigError(
        'sasl.jaas.config',
        `sasl.mechanism=${mechanism} needs org.apache.kafka.common.security.${mechanism === 'PLAIN' ? 'plain.PlainLoginModule' : 'scram.ScramLoginModule'}, not ${jaas.loginModule}`,
      );
    }
    username = jaas.options.get('username');
    password = jaas.options.get('password');
    if (username === undefined || password === undefined) {
      throw new ConfigError('sasl.jaas.config', `${jaas.loginModule} needs both username="..." and password="..."`);
    }
  } else {
    username = settings.saslUsername ?? undefined;
    password = settings.saslPassword ?? undefined;
    if (username === undefined && password === undefined) {
      throw new ConfigError(
        'sasl.jaas.config',
        `sasl.mechanism=${mechanism} needs credentials: set sasl.jaas.config (org.apache.kafka.common.security.${mechanism === 'PLAIN' ? 'plain.PlainLoginModule' : 'scram.ScramLoginModule'} required username="..." password="...";) or sasl.username and sasl.password`,
      );
    }
    if (username === undefined) throw new ConfigError('sasl.username', 'is required with sasl.password');
    if (password === undefined) throw new ConfigError('sasl.password', 'is required with sasl.username');
  }
  const user = username;
  const secret = password;
  if (mechanism === 'PLAIN') {
    return { mechanism, principalName: user, newClient: () => new PlainSaslClient(user, secret) };
  }
  return { mechanism, principalName: user, newClient: () => new ScramSaslClient(mechanism, user, secret) };
}

function oauthLogin(jaas: JaasLoginModule | undefined, provider: OAuthBearerTokenProvider | undefined): SaslLogin {
  if (provider !== undefined) {
    return {
      mechanism: 'OAUTHBEARER',
      principalName: 'the token provider',
      newClient: () => new OAuthBearerSaslClient(provider),
    };
  }
  if (jaas === undefined) {
    throw new ConfigError(
      'sasl.jaas.config',
      'sasl.mechanism=OAUTHBEARER needs a token: pass oauthBearerTokenProvider, or for unsigned development tokens set sasl.jaas.config to org.apache.kafka.common.security.oauthbearer.OAuthBearerLoginModule required unsecuredLoginStringClaim_sub="<user>";',
    );
  }
  if (simpleName(jaas.loginModule) !== OAUTH_MODULE) {
    throw new ConfigError(
      'sasl.jaas.config',
      `sasl.mechanism=OAUTHBEARER needs org.apache.kafka.common.security.oauthbearer.OAuthBearerLoginModule, not ${jaas.loginModule}`,
    );
  }
  if (!hasUnsecuredLoginOptions(jaas.options)) {
    throw new ConfigError(
      'sasl.jaas.config',
      'OAuthBearerLoginModule without unsecuredLogin* options needs a token provider: pass oauthBearerTokenProvider (the OIDC login handler of Java is not implemented)',
    );
  }
  let build: ReturnType<typeof unsecuredJwsBuilder>;
  try {
    build = unsecuredJwsBuilder(jaas.options);
  } catch (error) {
    throw new ConfigError('sasl.jaas.config', `OAuthBearerLoginModule: ${(error as Error).message}`);
  }
  const principalName = build(Date.now()).principalName ?? '';
  return {
    mechanism: 'OAUTHBEARER',
    principalName,
    newClient: () => new OAuthBearerSaslClient(() => build(Date.now())),
  };
}

/** The one login module of a client's `sasl.jaas.config` (Java refuses zero or several). */
function loginModuleOf(text: string): JaasLoginModule {
  let modules: JaasLoginModule[];
  try {
    modules = parseJaasConfig(text);
  } catch (error) {
    throw new ConfigError('sasl.jaas.config', (error as Error).message);
  }
  if (modules.length !== 1) {
    throw new ConfigError('sasl.jaas.config', `has ${modules.length} login modules, a client takes exactly one`);
  }
  return modules[0] as JaasLoginModule;
}

function simpleName(className: string): string {
  return className.slice(className.lastIndexOf('.') + 1);
}
