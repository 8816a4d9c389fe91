import { ConfigError } from '../config/config-def.js';

export interface ConnectionLimitSettings {
  /** max.connections: all listeners together. */
  readonly maxConnections: number;
  /** max.connections.per.ip. */
  readonly maxConnectionsPerIp: number;
  /** max.connections.per.ip.overrides: `ip:count,...` (Kafka also takes host names; Samsa matches addresses). */
  readonly perIpOverrides: ReadonlyMap<string, number>;
  /** max.connection.creation.rate: new connections per second, per listener. */
  readonly maxCreationRatePerSec: number;
}

export type Admission = { readonly admit: true } | { readonly admit: false; readonly reason: string };

/**
 * Kafka's ConnectionQuotas: how many connections the broker holds in all, from one address, and how
 * fast a listener takes new ones. A connection over a count limit is closed at once (Kafka:
 * TooManyConnectionsException); one over the creation rate waits until the rate allows it, as
 * Kafka's acceptor blocks — see `creationDelayMs`.
 */
export class ConnectionLimits {
  private total = 0;
  private readonly byIp = new Map<string, number>();
  /** Accept times (ms) in the last second, per listener. */
  private readonly recentAccepts = new Map<string, number[]>();

  constructor(private readonly settings: ConnectionLimitSettings) {}

  /** Counts a new connection in, or says why it may not stay. Every admitted one must be released. */
  admit(ip: string): Admission {
    if (this.total >= this.settings.maxConnections) {
      return {
        admit: false,
        reason: `the broker has the configured maximum of ${this.settings.maxConnections} connections (max.connections)`,
      };
    }
    const limit = this.settings.perIpOverrides.get(ip) ?? this.settings.maxConnectionsPerIp;
    const count = this.byIp.get(ip) ?? 0;
    if (count >= limit) {
      return {
        admit: false,
        reason: `address ${ip} already has the configured maximum of ${limit} connections (max.connections.per.ip)`,
      };
    }
    this.total++;
    this.byIp.set(ip, count + 1);
    return { admit: true };
  }

  release(ip: string): void {
    this.total--;
    const count = (this.byIp.get(ip) ?? 1) - 1;
    if (count <= 0) this.byIp.delete(ip);
    else this.byIp.set(ip, count);
  }

  /**
   * How long a new connection on `listener` must wait to stay within max.connection.creation.rate
   * (0: take it now). Records the acceptance at the time it will happen.
   */
  creationDelayMs(listener: string, nowMs: number): number {
    const rate = this.settings.maxCreationRatePerSec;
    if (rate >= 2147483647) return 0;
    let times = this.recentAccepts.get(listener);
    if (times === undefined) this.recentAccepts.set(listener, (times = []));
    while (times.length > 0 && (times[0] as number) <= nowMs - 1000) times.shift();
    // The n-th connection past the rate goes when the one `rate` places before it is a second old.
    const at = times.length < rate ? nowMs : (times[times.length - rate] as number) + 1000;
    times.push(at);
    return Math.max(0, at - nowMs);
  }

  get connectionCount(): number {
    return this.total;
  }
}

/** Parses max.connections.per.ip.overrides (`127.0.0.1:200,10.0.0.5:50`). */
export function parsePerIpOverrides(text: string | null): Map<string, number> {
  const overrides = new Map<string, number>();
  if (text === null || text.trim() === '') return overrides;
  for (const entry of text.split(',')) {
    const colon = entry.lastIndexOf(':');
    const count = Number(entry.slice(colon + 1));
    if (colon <= 0 || !Number.isInteger(count) || count < 0) {
      throw new ConfigError(
        'max.connections.per.ip.overrides',
        `Invalid value ${text} for configuration max.connections.per.ip.overrides: expected host:count pairs`,
      );
    }
    overrides.set(entry.slice(0, colon).trim(), count);
  }
  return overrides;
}
