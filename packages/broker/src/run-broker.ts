import { readFileSync } from 'node:fs';
import { parseJavaProperties } from '@samsa/protocol';
import { Broker } from './broker.js';
import { BrokerConfig } from './config/broker-config.js';
import { ConfigError } from './config/config-def.js';
import { createLogger } from './create-logger.js';
import type { Logger } from './logger.js';

/**
 * Reads `server.properties` (optional) and `--override key=value` arguments, Kafka's
 * `kafka-server-start.sh` command line, into a validated BrokerConfig. A bad key or value throws
 * ConfigError naming it.
 */
export function brokerConfigFromArgs(argv: readonly string[]): BrokerConfig {
  const properties = new Map<string, string>();
  const overrides: string[] = [];
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i] as string;
    if (arg === '--override') {
      const value = argv[++i];
      if (value === undefined) throw new ConfigError('--override', '--override needs key=value');
      overrides.push(value);
    } else if (arg.startsWith('--override=')) {
      overrides.push(arg.slice('--override='.length));
    } else if (arg.startsWith('-')) {
      throw new ConfigError(arg, `Unknown option ${arg}`);
    } else {
      for (const [k, v] of parseJavaProperties(readFileSync(arg, 'utf8'))) properties.set(k, v);
    }
  }
  for (const override of overrides) {
    const eq = override.indexOf('=');
    if (eq <= 0) throw new ConfigError('--override', `Invalid override ${override}: expected key=value`);
    properties.set(override.slice(0, eq).trim(), override.slice(eq + 1).trim());
  }
  return new BrokerConfig(properties);
}

/** Starts a broker from command-line arguments (see brokerConfigFromArgs). */
export async function runBroker(argv: readonly string[], logger: Logger = createLogger()): Promise<Broker> {
  return Broker.start(brokerConfigFromArgs(argv), logger);
}
