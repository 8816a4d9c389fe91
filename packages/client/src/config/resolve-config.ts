import { ConfigError } from '../errors/client-errors.js';
import { type SerdeName, serdeNameOf } from '../serdes/serdes.js';
import { CONFIG_DEFINITIONS, type ConfigDefinition, type ConfigRole, camelCaseOf } from './config-definitions.js';

/** User input: Kafka's dotted names or camelCase, values typed or as `.properties` strings. */
export type ConfigInput = Readonly<Record<string, unknown>>;

const byName = new Map<string, { def: ConfigDefinition; camel: string }>();
for (const def of CONFIG_DEFINITIONS) {
  const camel = camelCaseOf(def.key);
  if (def.camelOnly !== true) byName.set(def.key, { def, camel });
  byName.set(camel, { def, camel });
}

/** Java's class names for the built-in assignors and partitioners, so `.properties` files work as-is. */
const JAVA_ASSIGNORS: Readonly<Record<string, string>> = {
  'org.apache.kafka.clients.consumer.RangeAssignor': 'range',
  'org.apache.kafka.clients.consumer.RoundRobinAssignor': 'roundrobin',
  'org.apache.kafka.clients.consumer.StickyAssignor': 'sticky',
  'org.apache.kafka.clients.consumer.CooperativeStickyAssignor': 'cooperative-sticky',
};
const ASSIGNOR_NAMES = ['range', 'roundrobin', 'sticky', 'cooperative-sticky'];
const JAVA_PARTITIONERS: Readonly<Record<string, string>> = {
  'org.apache.kafka.clients.producer.RoundRobinPartitioner': 'round-robin',
  'org.apache.kafka.clients.producer.UniformStickyPartitioner': 'uniform-sticky',
  'org.apache.kafka.clients.producer.internals.DefaultPartitioner': 'default',
};
const PARTITIONER_NAMES = ['default', 'murmur2', 'round-robin', 'uniform-sticky'];

function fail(key: string, message: string): never {
  throw new ConfigError(key, message);
}

function parseInt32(key: string, def: ConfigDefinition, value: unknown): number {
  let n: number;
  if (typeof value === 'number') n = value;
  else if (typeof value === 'bigint') n = Number(value);
  else if (typeof value === 'string' && /^\s*-?\d+\s*$/.test(value)) n = Number(value.trim());
  else fail(key, `expected an integer, got ${JSON.stringify(value)}`);
  if (!Number.isSafeInteger(n)) fail(key, `expected an integer, got ${String(value)}`);
  if (def.min !== undefined && n < def.min) fail(key, `${n} is below the minimum ${def.min}`);
  if (def.max !== undefined && n > def.max) fail(key, `${n} is above the maximum ${def.max}`);
  return n;
}

function parseValue(key: string, def: ConfigDefinition, value: unknown): unknown {
  switch (def.type) {
    case 'string':
      if (typeof value !== 'string') fail(key, `expected a string, got ${typeof value}`);
      return value;
    case 'nullable-string':
      if (value === null) return null;
      if (typeof value !== 'string') fail(key, `expected a string, got ${typeof value}`);
      return value.trim() === '' ? null : value;
    case 'int':
      return parseInt32(key, def, value);
    case 'boolean':
      if (typeof value === 'boolean') return value;
      if (value === 'true' || value === 'false') return value === 'true';
      return fail(key, `expected true or false, got ${JSON.stringify(value)}`);
    case 'list': {
      const list = typeof value === 'string' ? value.split(',') : Array.isArray(value) ? value : undefined;
      if (list === undefined || list.some((x) => typeof x !== 'string')) {
        fail(key, 'expected a comma-separated string or an array of strings');
      }
      const items = (list as string[]).map((x) => x.trim()).filter((x) => x !== '');
      if (items.length === 0) fail(key, 'must not be empty');
      return items;
    }
    case 'enum': {
      const s = typeof value === 'string' ? value.trim() : value;
      const values = def.values ?? [];
      const match = values.find((v) => v.toLowerCase() === String(s).toLowerCase());
      if (match === undefined) fail(key, `expected one of ${values.join(', ')}, got ${JSON.stringify(value)}`);
      return match;
    }
    case 'acks': {
      const s = String(value).trim().toLowerCase();
      if (s === 'all' || s === '-1') return -1;
      if (s === '0') return 0;
      if (s === '1') return 1;
      return fail(key, `expected 0, 1, all or -1, got ${JSON.stringify(value)}`);
    }
    case 'serializer':
    case 'deserializer': {
      if (typeof value === 'function') return value;
      if (typeof value === 'string') {
        const name: SerdeName | undefined = serdeNameOf(value);
        if (name !== undefined) return name;
      }
      return fail(
        key,
        `expected a function or one of string, json, buffer (or a Java serde class), got ${String(value)}`,
      );
    }
    case 'partitioner': {
      if (typeof value === 'function') return value;
      if (typeof value === 'string') {
        const name = JAVA_PARTITIONERS[value.trim()] ?? value.trim();
        if (PARTITIONER_NAMES.includes(name)) return name;
      }
      return fail(key, `expected a function or one of ${PARTITIONER_NAMES.join(', ')}, got ${String(value)}`);
    }
    case 'assignors': {
      const list = typeof value === 'string' ? value.split(',') : Array.isArray(value) ? value : [value];
      const out: unknown[] = [];
      for (const item of list) {
        if (typeof item === 'string') {
          const trimmed = item.trim();
          if (trimmed === '') continue;
          const name = JAVA_ASSIGNORS[trimmed] ?? trimmed;
          if (!ASSIGNOR_NAMES.includes(name)) {
            fail(key, `unknown assignor '${trimmed}' (known: ${ASSIGNOR_NAMES.join(', ')})`);
          }
          out.push(name);
        } else if (typeof item === 'object' && item !== null && typeof (item as { name?: unknown }).name === 'string') {
          out.push(item);
        } else fail(key, 'expected assignor names or assignor objects');
      }
      if (out.length === 0) fail(key, 'must name at least one assignor');
      return out;
    }
    case 'object':
      if (typeof value !== 'object' || value === null) fail(key, 'expected an object');
      return value;
    case 'function':
      if (typeof value !== 'function') fail(key, 'expected a function');
      return value;
  }
}

/**
 * Resolves user input for one client role into a camelCase object with every setting of that
 * role present (defaults filled in). Unknown keys, keys of another role, the same setting given
 * twice (dotted and camelCase) with different values, and ill-typed values throw `ConfigError`.
 */
export function resolveConfig(role: Exclude<ConfigRole, 'common'>, input: ConfigInput): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  const seenFrom: Record<string, string> = {};
  for (const [key, raw] of Object.entries(input)) {
    if (raw === undefined) continue;
    const entry = byName.get(key);
    if (entry === undefined) {
      const hint = [...byName.keys()].find((k) => k.toLowerCase() === key.toLowerCase().replace(/_/g, '.'));
      fail(key, `unknown setting${hint === undefined ? '' : ` (did you mean '${hint}'?)`}`);
    }
    const { def, camel } = entry;
    if (!def.roles.includes('common') && !def.roles.includes(role)) {
      fail(key, `is a ${def.roles.join('/')} setting, not valid for a ${role}`);
    }
    const value = parseValue(key, def, raw);
    const previous = seenFrom[camel];
    if (previous !== undefined && !sameValue(out[camel], value)) {
      fail(key, `conflicts with '${previous}' given with another value`);
    }
    seenFrom[camel] = key;
    out[camel] = value;
  }
  for (const def of CONFIG_DEFINITIONS) {
    if (!def.roles.includes('common') && !def.roles.includes(role)) continue;
    const camel = camelCaseOf(def.key);
    if (!(camel in out) && def.default !== undefined) out[camel] = parseValue(def.key, def, def.default);
  }
  if (out.bootstrapServers === undefined) fail('bootstrap.servers', 'is required');
  return out;
}

function sameValue(a: unknown, b: unknown): boolean {
  if (Array.isArray(a) && Array.isArray(b)) return a.length === b.length && a.every((x, i) => x === b[i]);
  return a === b;
}
