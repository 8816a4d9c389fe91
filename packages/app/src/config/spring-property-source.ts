import { parseProperties } from '@samsa/client';
import { parseAllDocuments } from 'yaml';

/**
 * A Spring Boot configuration source flattened to Boot's property names, with `${...}`
 * placeholders resolved on read.
 *
 * - `.properties` text is Java's syntax (`parseProperties` of the client);
 * - YAML and plain objects are flattened as Boot's YAML loader does: nested maps join with '.',
 *   a key in brackets (`"[spring.json.trusted.packages]"`) is appended as `[...]`, null becomes
 *   '', and a list of scalars becomes a comma list (what Boot binds a `List<String>` from); a list
 *   of maps is indexed (`[0]`). YAML documents after `---` override earlier ones; a document
 *   activated by a profile (`spring.config.activate.on-profile`, `spring.profiles`) is skipped,
 *   since there are no active profiles here.
 *
 * Placeholders follow Spring's `PropertyPlaceholderHelper`: `${key}` or `${key:default}`, nested
 * in keys, values and defaults; a key is looked up in this source, then in `env` (exactly, then
 * in Boot's environment-variable form `SPRING_KAFKA_ADMIN_CLIENTID`). An unresolvable placeholder
 * and a circular reference throw Spring's messages. Only values that are read are resolved, as in
 * Spring, so an unrelated broken placeholder elsewhere in the file does no harm.
 */
export class SpringPropertySource {
  private readonly values: ReadonlyMap<string, string>;
  private readonly env: Readonly<Record<string, string | undefined>>;

  constructor(values: ReadonlyMap<string, string>, env: Readonly<Record<string, string | undefined>> = {}) {
    this.values = values;
    this.env = env;
  }

  static fromProperties(text: string, env?: Readonly<Record<string, string | undefined>>): SpringPropertySource {
    return new SpringPropertySource(new Map(parseProperties(text)), env);
  }

  static fromYaml(text: string, env?: Readonly<Record<string, string | undefined>>): SpringPropertySource {
    const out = new Map<string, string>();
    for (const doc of parseAllDocuments(text)) {
      if (doc.errors.length > 0) throw new Error(`invalid YAML: ${doc.errors[0]?.message}`);
      const tree = doc.toJS() as unknown;
      if (tree === null || tree === undefined) continue;
      if (typeof tree !== 'object' || Array.isArray(tree)) throw new Error('a YAML configuration must be a map');
      const flat = new Map<string, string>();
      flatten(tree, '', flat);
      if (flat.has('spring.config.activate.on-profile') || flat.has('spring.profiles')) continue;
      for (const [k, v] of flat) out.set(k, v);
    }
    return new SpringPropertySource(out, env);
  }

  static fromObject(
    tree: Readonly<Record<string, unknown>>,
    env?: Readonly<Record<string, string | undefined>>,
  ): SpringPropertySource {
    const out = new Map<string, string>();
    flatten(tree, '', out);
    return new SpringPropertySource(out, env);
  }

  /** Every name, unresolved values aside; in source order. */
  names(): string[] {
    return [...this.values.keys()];
  }

  /** The value with its placeholders resolved, or undefined when the name is absent. */
  get(name: string): string | undefined {
    const raw = this.values.get(name);
    return raw === undefined ? undefined : this.resolve(raw, [name]);
  }

  private lookup(key: string, visiting: readonly string[]): string | undefined {
    if (visiting.includes(key)) throw new Error(`Circular placeholder reference '${key}' in property definitions`);
    const own = this.values.get(key);
    if (own !== undefined) return this.resolve(own, [...visiting, key]);
    const env =
      this.env[key] ??
      this.env[
        key
          .replace(/-/g, '')
          .replace(/[.[\]]+/g, '_')
          .toUpperCase()
      ];
    return env === undefined ? undefined : this.resolve(env, [...visiting, key]);
  }

  private resolve(value: string, visiting: readonly string[]): string {
    let out = '';
    let i = 0;
    while (i < value.length) {
      const start = value.indexOf('${', i);
      if (start < 0) break;
      const end = closingBrace(value, start + 2);
      if (end < 0) break;
      out += value.slice(i, start);
      const inner = value.slice(start + 2, end);
      const sep = separatorIndex(inner);
      const key = this.resolve(sep < 0 ? inner : inner.slice(0, sep), visiting);
      const found = this.lookup(key, visiting);
      if (found !== undefined) out += found;
      else if (sep >= 0) out += this.resolve(inner.slice(sep + 1), visiting);
      else throw new Error(`Could not resolve placeholder '${key}' in value "${value}"`);
      i = end + 1;
    }
    return out + value.slice(i);
  }
}

/** The index of the '}' closing a placeholder whose content starts at `from`, or -1. */
function closingBrace(text: string, from: number): number {
  let depth = 1;
  for (let i = from; i < text.length; i++) {
    if (text.startsWith('${', i)) {
      depth++;
      i++;
    } else if (text[i] === '}' && --depth === 0) return i;
  }
  return -1;
}

/** The first ':' of a placeholder's content outside nested placeholders, or -1. */
function separatorIndex(inner: string): number {
  let depth = 0;
  for (let i = 0; i < inner.length; i++) {
    if (inner.startsWith('${', i)) {
      depth++;
      i++;
    } else if (inner[i] === '}') depth--;
    else if (inner[i] === ':' && depth === 0) return i;
  }
  return -1;
}

function flatten(node: unknown, path: string, out: Map<string, string>): void {
  if (node === null || node === undefined) {
    if (path !== '') out.set(path, '');
    return;
  }
  if (Array.isArray(node)) {
    if (node.every((item) => item === null || typeof item !== 'object')) {
      out.set(path, node.map((item) => (item === null ? '' : String(item))).join(','));
    } else {
      for (const [index, item] of node.entries()) flatten(item, `${path}[${index}]`, out);
    }
    return;
  }
  if (node instanceof Date) {
    out.set(path, node.toISOString());
    return;
  }
  if (typeof node === 'object') {
    for (const [key, child] of Object.entries(node as Record<string, unknown>)) {
      const name = path === '' ? key : key.startsWith('[') ? `${path}${key}` : `${path}.${key}`;
      flatten(child, name, out);
    }
    return;
  }
  out.set(path, String(node));
}
