import { readFile } from 'node:fs/promises';
import { parse } from 'yaml';
import type { ClusterConfig } from '../cluster-entry.js';
import type { ConnectConfig } from '../connect-client.js';
import { isPasswordHash } from '../security/password-hash.js';
import { isRole, type Role } from '../security/roles.js';

/** One console user: a name, a scrypt hash (`samsa console hash-password`) and a role. */
export interface ConsoleUser {
  readonly name: string;
  readonly passwordHash: string;
  readonly role: Role;
}

/** The console config file (YAML), as CMAK's cluster list plus who may do what. */
export interface ConsoleConfig {
  readonly clusters: readonly ClusterConfig[];
  /** Empty: no login, everyone is an anonymous admin, and the server binds to loopback only. */
  readonly users: readonly ConsoleUser[];
  readonly readOnly: boolean;
  readonly auditTopic: string;
  readonly session: {
    readonly idleTimeoutMinutes: number;
    readonly maxAgeMinutes: number;
    readonly secureCookie: boolean;
  };
}

/** A config file that cannot be used; the message names the key (`clusters[1].bootstrapServers`). */
export class ConsoleConfigError extends Error {
  constructor(
    readonly key: string,
    problem: string,
  ) {
    super(`console config: ${key}: ${problem}`);
    this.name = 'ConsoleConfigError';
  }
}

type Obj = Record<string, unknown>;

function object(value: unknown, key: string, allowed: readonly string[]): Obj {
  if (typeof value !== 'object' || value === null || Array.isArray(value))
    throw new ConsoleConfigError(key, 'expected a mapping');
  for (const k of Object.keys(value)) {
    if (!allowed.includes(k))
      throw new ConsoleConfigError(key === '' ? k : `${key}.${k}`, `unknown key (known: ${allowed.join(', ')})`);
  }
  return value as Obj;
}

function string(value: unknown, key: string, pattern = /^.+$/s): string {
  if (typeof value !== 'string' || !pattern.test(value))
    throw new ConsoleConfigError(key, `expected a string matching ${pattern}`);
  return value;
}

function optional<T>(value: unknown, fallback: T, check: (v: unknown) => T): T {
  return value === undefined || value === null ? fallback : check(value);
}

function positiveInteger(value: unknown, key: string): number {
  if (typeof value !== 'number' || !Number.isSafeInteger(value) || value < 1)
    throw new ConsoleConfigError(key, 'expected a positive integer');
  return value;
}

function port(value: unknown, key: string): number {
  const n = positiveInteger(value, key);
  if (n > 65535) throw new ConsoleConfigError(key, 'expected a port number (1-65535)');
  return n;
}

/** Kafka Connect clusters: `[{ name, url }]`, names unique, URLs http(s). */
function connectList(value: unknown, key: string): ConnectConfig[] {
  if (!Array.isArray(value)) throw new ConsoleConfigError(key, 'expected a list of { name, url }');
  const seen = new Set<string>();
  return value.map((item: unknown, i: number) => {
    const o = object(item, `${key}[${i}]`, ['name', 'url']);
    const name = string(o.name, `${key}[${i}].name`, NAME);
    if (seen.has(name)) throw new ConsoleConfigError(`${key}[${i}].name`, `duplicate Kafka Connect '${name}'`);
    seen.add(name);
    return { name, url: string(o.url, `${key}[${i}].url`, /^https?:\/\/[^\s/]+(\/\S*)?$/) };
  });
}

function boolean(value: unknown, key: string): boolean {
  if (typeof value !== 'boolean') throw new ConsoleConfigError(key, 'expected true or false');
  return value;
}

const NAME = /^[a-zA-Z0-9._-]{1,64}$/;

/** `${env:NAME}` in a client property is replaced by the environment variable, so secrets stay out of the file. */
function properties(value: unknown, key: string, env: NodeJS.ProcessEnv): Record<string, string> {
  const raw = object(value, key, Object.keys((value ?? {}) as Obj));
  const out: Record<string, string> = {};
  for (const [name, v] of Object.entries(raw)) {
    if (typeof v !== 'string' && typeof v !== 'number' && typeof v !== 'boolean')
      throw new ConsoleConfigError(`${key}.${name}`, 'expected a string, number or boolean');
    out[name] = String(v).replace(/\$\{env:([A-Za-z_][A-Za-z0-9_]*)\}/g, (_, variable: string) => {
      const found = env[variable];
      if (found === undefined)
        throw new ConsoleConfigError(`${key}.${name}`, `environment variable ${variable} is not set`);
      return found;
    });
  }
  return out;
}

export function parseConsoleConfig(text: string, env: NodeJS.ProcessEnv = process.env): ConsoleConfig {
  let doc: unknown;
  try {
    doc = parse(text);
  } catch (error) {
    throw new ConsoleConfigError('(file)', `not valid YAML: ${(error as Error).message.split('\n')[0]}`);
  }
  const root = object(doc, '', ['clusters', 'users', 'readOnly', 'audit', 'session']);
  if (!Array.isArray(root.clusters) || root.clusters.length === 0)
    throw new ConsoleConfigError('clusters', 'expected a non-empty list');
  const clusters = root.clusters.map((c: unknown, i: number): ClusterConfig => {
    const key = `clusters[${i}]`;
    const o = object(c, key, ['name', 'bootstrapServers', 'properties', 'metricsPort', 'connect']);
    const props = optional(o.properties, undefined, (v) => properties(v, `${key}.properties`, env));
    const metricsPort = optional(o.metricsPort, undefined, (v) => port(v, `${key}.metricsPort`));
    const connect = optional(o.connect, undefined, (v) => connectList(v, `${key}.connect`));
    return {
      name: string(o.name, `${key}.name`, NAME),
      bootstrapServers: string(o.bootstrapServers, `${key}.bootstrapServers`, /^[^\s,]+:\d+(,[^\s,]+:\d+)*$/),
      ...(props === undefined ? {} : { properties: props }),
      ...(metricsPort === undefined ? {} : { metricsPort }),
      ...(connect === undefined ? {} : { connect }),
    };
  });
  const names = new Set<string>();
  clusters.forEach((c, i) => {
    if (names.has(c.name)) throw new ConsoleConfigError(`clusters[${i}].name`, `duplicate cluster '${c.name}'`);
    names.add(c.name);
  });
  const usersRaw = optional(root.users, [] as unknown[], (v) => {
    if (!Array.isArray(v)) throw new ConsoleConfigError('users', 'expected a list');
    return v as unknown[];
  });
  const users = usersRaw.map((u, i): ConsoleUser => {
    const key = `users[${i}]`;
    const o = object(u, key, ['name', 'passwordHash', 'role']);
    const passwordHash = string(o.passwordHash, `${key}.passwordHash`);
    if (!isPasswordHash(passwordHash))
      throw new ConsoleConfigError(
        `${key}.passwordHash`,
        'expected scrypt$N$r$p$salt$hash (samsa console hash-password)',
      );
    if (!isRole(o.role)) throw new ConsoleConfigError(`${key}.role`, 'expected viewer, operator or admin');
    return { name: string(o.name, `${key}.name`, NAME), passwordHash, role: o.role };
  });
  const audit = object(root.audit ?? {}, 'audit', ['topic']);
  const session = object(root.session ?? {}, 'session', ['idleTimeoutMinutes', 'maxAgeMinutes', 'secureCookie']);
  return {
    clusters,
    users,
    readOnly: optional(root.readOnly, false, (v) => boolean(v, 'readOnly')),
    auditTopic: optional(audit.topic, '__samsa_console_audit', (v) =>
      string(v, 'audit.topic', /^[a-zA-Z0-9._-]{1,249}$/),
    ),
    session: {
      idleTimeoutMinutes: optional(session.idleTimeoutMinutes, 30, (v) =>
        positiveInteger(v, 'session.idleTimeoutMinutes'),
      ),
      maxAgeMinutes: optional(session.maxAgeMinutes, 480, (v) => positiveInteger(v, 'session.maxAgeMinutes')),
      secureCookie: optional(session.secureCookie, false, (v) => boolean(v, 'session.secureCookie')),
    },
  };
}

export async function loadConsoleConfig(path: string, env: NodeJS.ProcessEnv = process.env): Promise<ConsoleConfig> {
  return parseConsoleConfig(await readFile(path, 'utf8'), env);
}
