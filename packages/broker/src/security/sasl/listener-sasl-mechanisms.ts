import { isScramMechanism, type JaasLoginModule, parseJaasConfig } from '@samsa/protocol';
import type { BrokerConfig } from '../../config/broker-config.js';
import { ConfigError } from '../../config/config-def.js';
import type { Logger } from '../../logger.js';
import type { ScramCredentialStore } from '../scram-credential-store.js';
import { JwksValidator } from './jwks-validator.js';
import { OAuthBearerSaslServer, type TokenValidator } from './oauthbearer-server.js';
import { PlainSaslServer } from './plain-server.js';
import type { SaslServer } from './sasl-server.js';
import { ScramSaslServer } from './scram-server.js';
import { UnsecuredJwsValidator } from './unsecured-jws-validator.js';

const SECURED_VALIDATOR_CLASSES = new Set([
  'org.apache.kafka.common.security.oauthbearer.OAuthBearerValidatorCallbackHandler',
  'org.apache.kafka.common.security.oauthbearer.secured.OAuthBearerValidatorCallbackHandler',
]);

/**
 * The SASL mechanisms one listener offers (`sasl.enabled.mechanisms`) and how each checks
 * credentials, read once at startup so that a bad JAAS config stops the broker naming its key.
 */
export class ListenerSaslMechanisms {
  readonly enabled: readonly string[];
  private readonly factories = new Map<string, () => SaslServer>();

  constructor(config: BrokerConfig, listenerName: string, scram: ScramCredentialStore, logger: Logger) {
    const requested = config.forListener(listenerName, 'sasl.enabled.mechanisms') as readonly string[];
    for (const mechanism of requested.map((m) => m.trim().toUpperCase())) {
      if (mechanism === 'GSSAPI') {
        logger.warn(
          `listener ${listenerName}: SASL mechanism GSSAPI (Kerberos) is not supported by Samsa; not offered`,
        );
        continue;
      }
      if (mechanism === 'PLAIN') {
        const passwords = plainUsers(config, listenerName);
        this.factories.set(mechanism, () => new PlainSaslServer(passwords));
      } else if (isScramMechanism(mechanism)) {
        this.factories.set(mechanism, () => new ScramSaslServer(mechanism, scram));
      } else if (mechanism === 'OAUTHBEARER') {
        const validator = oauthValidator(config, listenerName);
        this.factories.set(mechanism, () => new OAuthBearerSaslServer(validator));
      } else {
        throw new ConfigError(
          'sasl.enabled.mechanisms',
          `Invalid value ${mechanism} for configuration sasl.enabled.mechanisms: Samsa supports PLAIN, SCRAM-SHA-256, SCRAM-SHA-512 and OAUTHBEARER`,
        );
      }
    }
    this.enabled = [...this.factories.keys()];
    if (this.enabled.length === 0) {
      throw new ConfigError(
        'sasl.enabled.mechanisms',
        `listener ${listenerName} uses SASL but enables no mechanism Samsa supports (sasl.enabled.mechanisms=${requested.join(',')}; Kafka's default is GSSAPI): set it to PLAIN, SCRAM-SHA-256, SCRAM-SHA-512 or OAUTHBEARER`,
      );
    }
  }

  /** A fresh server for one exchange, or undefined when the listener does not offer `mechanism`. */
  create(mechanism: string): SaslServer | undefined {
    return this.factories.get(mechanism)?.();
  }
}

/** `listener.name.<l>.<mechanism>.sasl.jaas.config`, else `sasl.jaas.config`, parsed. */
export function listenerJaas(
  config: BrokerConfig,
  listenerName: string,
  mechanism: string,
): { key: string; modules: JaasLoginModule[] } | undefined {
  const scopedKey = `listener.name.${listenerName.toLowerCase()}.${mechanism.toLowerCase()}.sasl.jaas.config`;
  const scoped = config.forListenerMechanism(listenerName, mechanism, 'sasl.jaas.config');
  const text = scoped ?? (config.forListener(listenerName, 'sasl.jaas.config') as string | null);
  if (text === null || text === undefined) return undefined;
  const key = scoped === undefined ? 'sasl.jaas.config' : scopedKey;
  try {
    return { key, modules: parseJaasConfig(text) };
  } catch (err) {
    throw new ConfigError(key, `Invalid value for configuration ${key}: ${(err as Error).message}`);
  }
}

function plainUsers(config: BrokerConfig, listenerName: string): Map<string, string> {
  const jaas = listenerJaas(config, listenerName, 'PLAIN');
  const key = `listener.name.${listenerName.toLowerCase()}.plain.sasl.jaas.config`;
  const module = jaas?.modules.find((m) => m.loginModule.endsWith('PlainLoginModule'));
  if (jaas === undefined || module === undefined) {
    throw new ConfigError(
      key,
      `listener ${listenerName} enables SASL/PLAIN but ${key} has no PlainLoginModule with user_<name>="<password>" entries`,
    );
  }
  const users = new Map<string, string>();
  for (const [option, value] of module.options) if (option.startsWith('user_')) users.set(option.slice(5), value);
  return users;
}

function oauthValidator(config: BrokerConfig, listenerName: string): TokenValidator {
  const handler =
    config.forListenerMechanism(listenerName, 'OAUTHBEARER', 'sasl.server.callback.handler.class') ??
    (config.forListener(listenerName, 'sasl.server.callback.handler.class') as string | null);
  if (handler !== null && handler !== undefined && SECURED_VALIDATOR_CLASSES.has(handler)) {
    return JwksValidator.fromConfig(config, listenerName);
  }
  if (handler !== null && handler !== undefined) {
    throw new ConfigError(
      'sasl.server.callback.handler.class',
      `Invalid value ${handler} for configuration sasl.server.callback.handler.class: Samsa offers Kafka's unsecured validator (leave it unset) and org.apache.kafka.common.security.oauthbearer.OAuthBearerValidatorCallbackHandler`,
    );
  }
  const options = listenerJaas(config, listenerName, 'OAUTHBEARER')?.modules.find((m) =>
    m.loginModule.endsWith('OAuthBearerLoginModule'),
  )?.options;
  const skew = Number(options?.get('unsecuredValidatorAllowableClockSkewMs') ?? 0);
  return new UnsecuredJwsValidator({
    principalClaimName: options?.get('unsecuredValidatorPrincipalClaimName') ?? 'sub',
    scopeClaimName: options?.get('unsecuredValidatorScopeClaimName') ?? 'scope',
    requiredScope: (options?.get('unsecuredValidatorRequiredScope') ?? '').split(/[\s,]+/).filter((s) => s !== ''),
    allowableClockSkewMs: Number.isFinite(skew) ? skew : 0,
  });
}
