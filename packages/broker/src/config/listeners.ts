import { ConfigError } from './config-def.js';

export interface Endpoint {
  readonly listenerName: string;
  readonly securityProtocol: string;
  /** Empty for "all interfaces". */
  readonly host: string;
  readonly port: number;
}

const SECURITY_PROTOCOLS: ReadonlySet<string> = new Set(['PLAINTEXT', 'SSL', 'SASL_PLAINTEXT', 'SASL_SSL']);

export function usesTls(securityProtocol: string): boolean {
  return securityProtocol === 'SSL' || securityProtocol === 'SASL_SSL';
}

export function usesSasl(securityProtocol: string): boolean {
  return securityProtocol === 'SASL_PLAINTEXT' || securityProtocol === 'SASL_SSL';
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
    if (!SECURITY_PROTOCOLS.has(securityProtocol)) {
      throw new ConfigError(
        key,
        `Invalid value ${entry} for configuration ${key}: unknown security protocol ${securityProtocol} (expected PLAINTEXT, SSL, SASL_PLAINTEXT or SASL_SSL; map other listener names with listener.security.protocol.map)`,
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
