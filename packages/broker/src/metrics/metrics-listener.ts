/** Where `/metrics` is served: `metrics.listener=http://host:port` (an empty host: every interface). */
export interface MetricsListener {
  readonly host: string;
  readonly port: number;
}

const PATTERN = /^http:\/\/(\[[0-9a-fA-F:.]+\]|[^:/\s[\]]*):(\d{1,5})\/?$/;

/** Parses the setting; returns undefined when it is malformed. */
export function parseMetricsListener(value: string): MetricsListener | undefined {
  const match = PATTERN.exec(value.trim());
  if (match === null) return undefined;
  const port = Number(match[2]);
  if (port > 65535) return undefined;
  return { host: (match[1] as string).replace(/^\[(.*)\]$/, '$1'), port };
}

/** The config's validator: a message for a bad value, as config keys validate. */
export function validateMetricsListener(value: unknown): string | undefined {
  if (value === null) return undefined;
  return typeof value === 'string' && parseMetricsListener(value) !== undefined
    ? undefined
    : 'Expected http://host:port (https is not served; put a proxy in front for TLS)';
}
