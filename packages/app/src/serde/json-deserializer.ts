import type { Deserializer, RecordHeader } from '@samsa/client';
import { TypeHeaders } from '../support/kafka-headers.js';
import { JsonTypeMapper, parseTypeMappings } from './json-type-mapper.js';

/**
 * Spring Kafka's `JsonDeserializer` with its default type mapper (`DefaultJackson2JavaTypeMapper`):
 * UTF-8 JSON in, and the type named by the last `__TypeId__` header (`__Key_TypeId__` for keys)
 * out, built through the `JsonTypeMapper`.
 *
 * Resolution, as Spring's `toJavaType` then `readValue`:
 * 1. with `useTypeHeaders` (default) and a non-null type header: a `typeMappings` token is
 *    replaced by its class name and is trusted as mapped; any other name must pass the trusted
 *    packages check or the deserializer throws Spring's message. The name is then built through
 *    the mapper; a trusted name nobody registered yields the parsed JSON (Spring would fail to
 *    load the class; here plain data is the natural Java `Map`/`List` counterpart);
 * 2. otherwise the default type (`spring.json.value.default.type`), when given;
 * 3. otherwise the parsed JSON. Spring fails here ("No type information in headers and no default
 *    type provided"); a JavaScript caller without types wants the data.
 *
 * Trusted packages follow `DefaultJackson2JavaTypeMapper.addTrustedPackages`/`isTrustedPackage`:
 * the set starts as `[java.util, java.lang]`; the default type's package and `package.*`, the
 * configured packages, then each mapped class's package and `package.*` are added in that order;
 * `*` empties the set, which means trust all, and later additions are ignored. A name is trusted
 * when its package (the text before the last '.', with a leading `[L` removed) matches an entry
 * by Spring's `PatternMatchUtils.simpleMatch` (`*` matches any run of characters, so
 * `com.kun.*` covers sub-packages while `com.kun` covers only that package).
 *
 * Spring also removes the type headers after reading (`spring.json.remove.type.headers`); client
 * records' headers are read-only, so they stay.
 */
export interface JsonDeserializer<T> extends Deserializer<T> {
  readonly isKey: boolean;
  readonly typeHeaderName: string;
  /** The trusted packages in Spring's order; empty means trust all (`*`), as in Spring. */
  readonly trustedPackages: readonly string[];
}

export interface JsonDeserializerOptions<T> {
  readonly mapper?: JsonTypeMapper;
  readonly isKey?: boolean;
  /** Added to `java.util, java.lang`; `'*'` trusts all. A string is comma-separated, as the property. */
  readonly trustedPackages?: string | readonly string[];
  /** `spring.json.type.mapping`: `'user:com.kun.kafka.bean.UserBean'`, or token → class name. */
  readonly typeMappings?: string | Readonly<Record<string, string>>;
  /** Type used without a type header (`spring.json.value.default.type`): a name or a factory. */
  readonly defaultType?: string | ((json: unknown) => T);
  /** `spring.json.use.type.headers`; default true. False ignores type headers. */
  readonly useTypeHeaders?: boolean;
}

const DEFAULT_TRUSTED = ['java.util', 'java.lang'];

export function createJsonDeserializer<T = unknown>(options: JsonDeserializerOptions<T> = {}): JsonDeserializer<T> {
  const mapper = options.mapper ?? new JsonTypeMapper();
  const isKey = options.isKey ?? false;
  const useTypeHeaders = options.useTypeHeaders ?? true;
  const typeHeaderName = isKey ? TypeHeaders.KEY_TYPE_ID : TypeHeaders.VALUE_TYPE_ID;
  const mappings =
    options.typeMappings === undefined ? new Map<string, string>() : parseTypeMappings(options.typeMappings);
  const defaultType = options.defaultType;

  const trusted = new TrustedPackages();
  if (typeof defaultType === 'string') trusted.addPackageOf(defaultType);
  if (options.trustedPackages !== undefined) {
    const list =
      typeof options.trustedPackages === 'string' ? options.trustedPackages.split(',') : options.trustedPackages;
    // Spring splits the property on ',' and deletes whitespace (" \r\n\f\t") from each entry.
    trusted.add(list.map((p) => p.replace(/[ \r\n\f\t]/g, '')).filter((p) => p !== ''));
  }
  for (const className of mappings.values()) trusted.addPackageOf(className);

  const build = (typeName: string, json: unknown): unknown =>
    mapper.has(typeName) ? mapper.construct(typeName, json) : json;

  const deserialize = (data: Buffer, topic: string, headers: readonly RecordHeader[]): T => {
    const typeId = useTypeHeaders ? lastHeaderText(headers, typeHeaderName) : undefined;
    let typeName: string | undefined;
    if (typeId !== undefined) {
      typeName = mappings.get(typeId);
      if (typeName === undefined) {
        if (!trusted.isTrusted(typeId)) {
          throw new Error(
            `The class '${typeId}' is not in the trusted packages: [${trusted.list().join(', ')}]. ` +
              'If you believe this class is safe to deserialize, please provide its name. ' +
              'If the serialization is only done by a trusted source, you can also enable trust all (*).',
          );
        }
        typeName = typeId;
      }
    }
    let json: unknown;
    try {
      json = JSON.parse(data.toString('utf8')) as unknown;
    } catch (cause) {
      // Spring's message, double space included.
      throw new Error(`Can't deserialize data  from topic [${topic}]`, { cause });
    }
    if (typeName !== undefined) return build(typeName, json) as T;
    if (typeof defaultType === 'function') return defaultType(json);
    if (typeof defaultType === 'string') return build(defaultType, json) as T;
    return json as T;
  };

  return Object.assign(deserialize, { isKey, typeHeaderName, trustedPackages: trusted.list() });
}

/** The last header of that name as UTF-8 text; undefined when absent or null (Spring: no type). */
function lastHeaderText(headers: readonly RecordHeader[], name: string): string | undefined {
  for (let i = headers.length - 1; i >= 0; i--) {
    const header = headers[i] as RecordHeader;
    if (header.key === name) return header.value === null ? undefined : header.value.toString('utf8');
  }
  return undefined;
}

/** Spring's trusted-package set: insertion-ordered, `*` clears it for good (empty = trust all). */
class TrustedPackages {
  private readonly packages = new Set<string>(DEFAULT_TRUSTED);
  private trustAll = false;

  add(packages: readonly string[]): void {
    if (this.trustAll) return;
    for (const p of packages) {
      if (p === '*') {
        this.packages.clear();
        this.trustAll = true;
        return;
      }
      this.packages.add(p);
    }
  }

  /** Spring trusts a default or mapped type's package and its sub-packages. */
  addPackageOf(className: string): void {
    const pkg = packageOf(className);
    this.add([pkg, `${pkg}.*`]);
  }

  isTrusted(className: string): boolean {
    if (this.trustAll) return true;
    const pkg = packageOf(className);
    for (const pattern of this.packages) if (simpleMatch(pattern, pkg)) return true;
    return false;
  }

  list(): string[] {
    return [...this.packages];
  }
}

/** `ClassUtils.getPackageName(name).replaceFirst("\\[L", "")`. */
function packageOf(className: string): string {
  const dot = className.lastIndexOf('.');
  return (dot < 0 ? '' : className.slice(0, dot)).replace('[L', '');
}

/** Spring's `PatternMatchUtils.simpleMatch`: `*` is any run of characters, nothing else is special. */
function simpleMatch(pattern: string, text: string): boolean {
  if (!pattern.includes('*')) return pattern === text;
  const regex = new RegExp(`^${pattern.split('*').map(escapeRegExp).join('.*')}$`, 's');
  return regex.test(text);
}

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}
