import { ConfigException } from '../streams-config.js';

/**
 * Kafka Streams' `HostInfo`: where an instance can be reached, as its `application.server`
 * (`host:port`) says. Streams only carries it to the other instances; serving queries at that
 * address is the application's business (as in Java).
 */
export class HostInfo {
  constructor(
    readonly hostValue: string,
    readonly portValue: number,
  ) {}

  /** Java's `HostInfo.unavailable()`: the host of metadata that is not known (yet). */
  static unavailable(): HostInfo {
    return new HostInfo('unavailable', -1);
  }

  /** Java's `HostInfo.buildFromEndpoint`: `host:port` (IPv6 as `[::1]:8080`); empty or absent gives undefined. */
  static buildFromEndpoint(endPoint: string | undefined): HostInfo | undefined {
    return HostInfo.parse(endPoint);
  }

  /** As {@link buildFromEndpoint}, but undefined instead of an error (another member's bad user data). */
  static buildFromEndpointOrUndefined(endPoint: string | undefined): HostInfo | undefined {
    try {
      return HostInfo.parse(endPoint);
    } catch {
      return undefined;
    }
  }

  private static parse(endPoint: string | undefined): HostInfo | undefined {
    if (endPoint === undefined || endPoint.trim() === '') return undefined;
    const match = /^(\[[0-9A-Fa-f:.]+\]|[^:]+):(\d+)$/.exec(endPoint.trim());
    const port = match === null ? Number.NaN : Number(match[2]);
    if (match === null || !Number.isInteger(port) || port > 65535) {
      throw new ConfigException(`Error parsing host address ${endPoint}. Expected format host:port.`);
    }
    return new HostInfo((match[1] as string).replace(/^\[(.*)\]$/, '$1'), port);
  }

  host(): string {
    return this.hostValue;
  }

  port(): number {
    return this.portValue;
  }

  equals(other: HostInfo | undefined): boolean {
    return other !== undefined && other.hostValue === this.hostValue && other.portValue === this.portValue;
  }

  /** `host:port`, the form `application.server` takes (IPv6 hosts in brackets). */
  endpoint(): string {
    return this.hostValue.includes(':')
      ? `[${this.hostValue}]:${this.portValue}`
      : `${this.hostValue}:${this.portValue}`;
  }

  toString(): string {
    return `HostInfo{host='${this.hostValue}', port=${this.portValue}}`;
  }
}
