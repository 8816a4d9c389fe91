import { ConfigError } from './config-def.js';

export interface Endpoint {
  readonly listenerName: string;
  readonly securityProtocol: string;
  /** Empty for "all interfaces". */
  readonly host: string;
  readonly port: number;
}

/** Parses Kafka's `NAME://host:port` listener lists (`[::1]` for IPv6 hosts). */
export function parseListeners(
  key: string,
  entries: readonly string[],
  securityProtocols: ReadonlyMap<string, string>,
): Endpoint[] {
  const out: Endpoint[] = [];
  for (const entry of entries) {
    const match = /^([A-Za-z0-9_]+):\/\/(\[[^\]]*\]|[^:/]*):(\d+)$/.exec(entry.trim());
    if (match === null) {
      throw new ConfigError(key, `Invalid value ${entry} for configuration ${key}: expected NAME://host:port`);
    }
    const listenerName = (match[1] as string).toUpperCase();
    const hostText = match[2] as string;
    const host = hostText.startsWith('[') ? hostText.slice(1, -1) : hostText;
    const port = Number(match[3]);
    if (port > 65535) throw new ConfigError(key, `Invalid value ${entry} for configuration ${key}: port out of range`);
    const securityProtocol = securityProtocols.get(listenerName) ?? listenerName;
    if (securityProtocol !== 'PLAINTEXT') {
      throw new ConfigError(
        key,
        `Invalid value ${entry} for configuration ${key}: security protocol ${securityProtocol} is not supported by Samsa yet (only PLAINTEXT)`,
      );
    }
    if (out.some((e) => e.listenerName === listenerName)) {
      throw new ConfigError(
        key,
        `Invalid value ${entry} for configuration ${key}: duplicate listener name ${listenerName}`,
      );
    }
    out.push({ listenerName, securityProtocol, host, port });
  }
  if (out.length === 0) throw new ConfigError(key, `Invalid value for configuration ${key}: no listener`);
  return out;
}
