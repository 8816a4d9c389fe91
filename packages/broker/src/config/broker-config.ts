import { ConfigSource } from '@samsa/protocol';
import { ACCEPTED_WITHOUT_EFFECT, BROKER_CONFIG_KEYS } from './broker-config-defs.js';
import { ConfigError, type ConfigKey, type ConfigValue, parseConfigValue } from './config-def.js';
import { type Endpoint, parseListeners } from './listeners.js';
import { LISTENER_SCOPED_KEYS } from './security-config-defs.js';

export const BROKER_CONFIG_BY_NAME: ReadonlyMap<string, ConfigKey> = new Map(
  BROKER_CONFIG_KEYS.map((k) => [k.name, k]),
);

export interface ConfigWarning {
  readonly key: string;
  readonly message: string;
}

/**
 * The broker's configuration: `server.properties`, `--override`s, and dynamic broker configs set
 * through AlterConfigs, each typed and validated. A bad value stops startup with a message naming
 * the key and the value; unknown keys are reported as warnings, never silently dropped.
 */
export class BrokerConfig {
  private readonly staticValues = new Map<string, ConfigValue>();
  /** Cluster-wide dynamic defaults (`--entity-default`) and this broker's dynamic overrides. */
  private readonly dynamicDefault = new Map<string, ConfigValue>();
  private readonly dynamicBroker = new Map<string, ConfigValue>();
  /** `listener.name.<listener>.<key>` values, by lower-case listener name, then key. */
  private readonly listenerValues = new Map<string, Map<string, ConfigValue>>();
  readonly warnings: ConfigWarning[] = [];
  readonly listeners: readonly Endpoint[];
  readonly advertisedListeners: readonly Endpoint[];
  /** The listener brokers use to talk to each other (see resolveInterBrokerListenerName). */
  readonly interBrokerListenerName: string;

  constructor(properties: ReadonlyMap<string, string>) {
    for (const [key, raw] of properties) {
      if (key.startsWith(LISTENER_PREFIX)) {
        this.setListenerValue(key, raw);
        continue;
      }
      const def = BROKER_CONFIG_BY_NAME.get(key);
      if (def === undefined) {
        this.warnings.push({
          key,
          message: `The configuration '${key}' was supplied but isn't a known config.`,
        });
        continue;
      }
      this.staticValues.set(key, parseConfigValue(def, raw));
      if (ACCEPTED_WITHOUT_EFFECT.has(key)) {
        this.warnings.push({ key, message: `The configuration '${key}' is accepted but has no effect in Samsa.` });
      }
    }
    if (!this.staticValues.has('broker.id') && this.staticValues.has('node.id')) {
      this.staticValues.set('broker.id', this.staticValues.get('node.id') ?? 0);
    }
    this.listeners = parseListeners('listeners', this.list('listeners'), this.securityProtocolMap());
    const advertised = this.get('advertised.listeners');
    this.advertisedListeners =
      advertised === null
        ? this.listeners.map((l) => ({ ...l, host: advertisedHost(l.host) }))
        : parseListeners('advertised.listeners', advertised as readonly string[], this.securityProtocolMap());
    for (const l of this.advertisedListeners) {
      if (!this.listeners.some((x) => x.listenerName === l.listenerName)) {
        throw new ConfigError(
          'advertised.listeners',
          `Invalid value ${l.listenerName} for configuration advertised.listeners: listener name is not in listeners`,
        );
      }
    }
    if (this.logDirs.length === 0) throw new ConfigError('log.dirs', 'Invalid value for configuration log.dirs: empty');
    this.interBrokerListenerName = resolveInterBrokerListenerName(this);
  }

  /**
   * `listener.name.<listener>.<key>`: a TLS/SASL key for one listener, or a per-mechanism SASL key
   * (`listener.name.<listener>.<mechanism>.sasl.jaas.config`), kept as text.
   */
  private setListenerValue(key: string, raw: string): void {
    const rest = key.slice(LISTENER_PREFIX.length);
    const dot = rest.indexOf('.');
    const listener = rest.slice(0, dot).toLowerCase();
    const name = rest.slice(dot + 1);
    if (dot <= 0 || name === '') {
      throw new ConfigError(key, `Invalid configuration ${key}: expected listener.name.<listener>.<config>`);
    }
    let value: ConfigValue;
    const def = BROKER_CONFIG_BY_NAME.get(name);
    if (def !== undefined && LISTENER_SCOPED_KEYS.has(name)) value = parseConfigValue(def, raw);
    else if (/^[a-z0-9-]+\.sasl\./.test(name) || /^[a-z0-9-]+\.connections\.max\.reauth\.ms$/.test(name)) value = raw;
    else {
      this.warnings.push({ key, message: `The configuration '${key}' was supplied but isn't a known config.` });
      return;
    }
    let values = this.listenerValues.get(listener);
    if (values === undefined) this.listenerValues.set(listener, (values = new Map()));
    values.set(name, value);
  }

  /** A TLS/SASL key as one listener sees it: its `listener.name.` override, else the broker-wide value. */
  forListener(listenerName: string, name: string): ConfigValue {
    const scoped = this.listenerValues.get(listenerName.toLowerCase());
    if (scoped?.has(name) === true) return scoped.get(name) as ConfigValue;
    return this.get(name);
  }

  /** Whether `listener.name.<listener>.<name>` itself is set (not just the broker-wide key). */
  hasListenerOverride(listenerName: string, name: string): boolean {
    return this.listenerValues.get(listenerName.toLowerCase())?.has(name) === true;
  }

  /** A per-mechanism SASL key of a listener (`listener.name.<l>.<mechanism>.<key>`), or undefined. */
  forListenerMechanism(listenerName: string, mechanism: string, name: string): string | undefined {
    const value = this.listenerValues.get(listenerName.toLowerCase())?.get(`${mechanism.toLowerCase()}.${name}`);
    return typeof value === 'string' ? value : undefined;
  }

  private securityProtocolMap(): ReadonlyMap<string, string> {
    const map = new Map<string, string>();
    for (const entry of this.list('listener.security.protocol.map')) {
      const [name, protocol] = entry.split(':');
      if (name === undefined || protocol === undefined || name === '' || protocol === '') {
        throw new ConfigError(
          'listener.security.protocol.map',
          `Invalid value ${entry} for configuration listener.security.protocol.map: expected NAME:PROTOCOL`,
        );
      }
      map.set(name.toUpperCase(), protocol.toUpperCase());
    }
    return map;
  }

  /** The effective value: dynamic broker override, dynamic default, static, then Kafka's default. */
  get(name: string): ConfigValue {
    if (this.dynamicBroker.has(name)) return this.dynamicBroker.get(name) as ConfigValue;
    if (this.dynamicDefault.has(name)) return this.dynamicDefault.get(name) as ConfigValue;
    if (this.staticValues.has(name)) return this.staticValues.get(name) as ConfigValue;
    const def = BROKER_CONFIG_BY_NAME.get(name);
    if (def === undefined) throw new Error(`unknown broker config ${name}`);
    return def.defaultValue;
  }

  /** Where the effective value comes from (DescribeConfigs' `configSource`). */
  sourceOf(name: string): ConfigSource {
    if (this.dynamicBroker.has(name)) return ConfigSource.DYNAMIC_BROKER_CONFIG;
    if (this.dynamicDefault.has(name)) return ConfigSource.DYNAMIC_DEFAULT_BROKER_CONFIG;
    if (this.staticValues.has(name)) return ConfigSource.STATIC_BROKER_CONFIG;
    return ConfigSource.DEFAULT_CONFIG;
  }

  /** Every layer that sets `name`, strongest first (DescribeConfigs synonyms). */
  layersOf(name: string): { source: ConfigSource; value: ConfigValue }[] {
    const layers: { source: ConfigSource; value: ConfigValue }[] = [];
    if (this.dynamicBroker.has(name)) {
      layers.push({ source: ConfigSource.DYNAMIC_BROKER_CONFIG, value: this.dynamicBroker.get(name) as ConfigValue });
    }
    if (this.dynamicDefault.has(name)) {
      layers.push({
        source: ConfigSource.DYNAMIC_DEFAULT_BROKER_CONFIG,
        value: this.dynamicDefault.get(name) as ConfigValue,
      });
    }
    if (this.staticValues.has(name)) {
      layers.push({ source: ConfigSource.STATIC_BROKER_CONFIG, value: this.staticValues.get(name) as ConfigValue });
    }
    const def = BROKER_CONFIG_BY_NAME.get(name);
    if (def !== undefined && def.defaultValue !== null) {
      layers.push({ source: ConfigSource.DEFAULT_CONFIG, value: def.defaultValue });
    }
    return layers;
  }

  /** Applies a dynamic broker config (AlterConfigs); `null` removes it. Validates like startup. */
  setDynamic(scope: 'broker' | 'default', name: string, raw: string | null): void {
    const def = BROKER_CONFIG_BY_NAME.get(name);
    if (def === undefined || def.dynamic === undefined) {
      throw new ConfigError(name, `Cannot update these configs dynamically: Set(${name})`);
    }
    const target = scope === 'broker' ? this.dynamicBroker : this.dynamicDefault;
    if (raw === null) target.delete(name);
    else target.set(name, parseConfigValue(def, raw));
  }

  dynamicEntries(scope: 'broker' | 'default'): ReadonlyMap<string, ConfigValue> {
    return scope === 'broker' ? this.dynamicBroker : this.dynamicDefault;
  }

  int(name: string): number {
    return this.get(name) as number;
  }

  long(name: string): number {
    return this.get(name) as number;
  }

  bool(name: string): boolean {
    return this.get(name) as boolean;
  }

  string(name: string): string | null {
    return this.get(name) as string | null;
  }

  list(name: string): readonly string[] {
    return (this.get(name) as readonly string[] | null) ?? [];
  }

  get brokerId(): number {
    return this.int('broker.id');
  }

  /** `log.dirs` if set, else `log.dir` (Kafka's precedence). */
  get logDirs(): readonly string[] {
    const dirs = this.get('log.dirs');
    if (dirs !== null) return dirs as readonly string[];
    return [this.string('log.dir') as string];
  }
}

const LISTENER_PREFIX = 'listener.name.';

/**
 * Kafka's rule (KafkaConfig.getInterBrokerListenerNameAndSecurityProtocol): `inter.broker.listener.name`
 * if set, else the listener named like `security.inter.broker.protocol` (default PLAINTEXT); setting
 * both is an error, and the listener must be advertised, since other brokers connect to it.
 */
function resolveInterBrokerListenerName(config: BrokerConfig): string {
  const named = config.string('inter.broker.listener.name');
  if (named !== null && config.sourceOf('security.inter.broker.protocol') !== ConfigSource.DEFAULT_CONFIG) {
    throw new ConfigError(
      'inter.broker.listener.name',
      'Only one of inter.broker.listener.name and security.inter.broker.protocol should be set.',
    );
  }
  const key = named === null ? 'security.inter.broker.protocol' : 'inter.broker.listener.name';
  const listenerName = (named ?? (config.string('security.inter.broker.protocol') as string)).trim().toUpperCase();
  if (!config.advertisedListeners.some((l) => l.listenerName === listenerName)) {
    throw new ConfigError(
      key,
      `Invalid value ${listenerName} for configuration ${key}: the inter-broker listener must be a listener name defined in advertised.listeners. ` +
        `The valid options based on currently configured listeners are ${config.advertisedListeners.map((l) => l.listenerName).join(',')}`,
    );
  }
  return listenerName;
}

/** Kafka advertises the canonical host name when a listener binds all interfaces. */
function advertisedHost(host: string): string {
  return host === '' || host === '0.0.0.0' || host === '::' ? 'localhost' : host;
}
