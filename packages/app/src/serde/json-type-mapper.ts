/**
 * The registry that gives TypeScript classes the Java class names Spring's JSON serdes put in the
 * `__TypeId__` header (`mapper.register('com.kun.kafka.bean.UserBean', UserBean)`). It plays the
 * part of the JVM's class path: Spring resolves a header's class name with `Class.forName`, this
 * resolves it through what was registered; the trust check on that name stays the deserializer's.
 *
 * A registration is a class (instances are rebuilt with its static `fromJSON(json)` when it has
 * one, else the JSON's fields assigned to `Object.create(Cls.prototype)`, so no constructor runs,
 * as Jackson's field binding does not need one either) or a plain factory `(json) => T`. A
 * `"__proto__"` field is skipped: assigned, it would replace the instance's prototype.
 *
 * One mapper is shared by the serializer and the deserializer of an application; it is not
 * per topic. Registering the same name twice replaces the first registration.
 */

/** A class whose instances travel as JSON (optionally rebuilt by its own `fromJSON`). */
export type JsonClass<T> = (abstract new (...args: never[]) => T) & { fromJSON?: (json: unknown) => T };
/** Builds a value of a registered type from parsed JSON. */
export type JsonFactory<T> = (json: unknown) => T;

interface Registration {
  readonly typeName: string;
  readonly build: JsonFactory<unknown>;
  /** The class, when one was registered: serializing its instances writes `typeName`. */
  readonly cls?: Function;
}

export class JsonTypeMapper {
  private readonly byName = new Map<string, Registration>();
  private readonly byClass = new Map<Function, string>();

  /**
   * Registers a Java class name. With a class, instances of exactly that class (not subclasses,
   * as Spring writes `data.getClass()`) serialize with this name; a factory only reads.
   */
  register<T>(typeName: string, type: JsonClass<T> | JsonFactory<T>): this {
    if (typeName.trim() === '') throw new Error('a JSON type name must not be empty');
    const previous = this.byName.get(typeName);
    if (previous?.cls !== undefined) this.byClass.delete(previous.cls);
    if (isClass(type)) {
      const cls = type;
      const build: JsonFactory<unknown> =
        typeof cls.fromJSON === 'function'
          ? (json) => (cls.fromJSON as JsonFactory<T>)(json)
          : (json) => assignFields(Object.create(cls.prototype as object) as Record<string, unknown>, json);
      this.byName.set(typeName, { typeName, build, cls });
      this.byClass.set(cls, typeName);
    } else {
      this.byName.set(typeName, { typeName, build: type as JsonFactory<unknown> });
    }
    return this;
  }

  has(typeName: string): boolean {
    return this.byName.has(typeName);
  }

  /** The registered name of the value's exact class, or undefined (plain objects, primitives). */
  typeNameOf(value: unknown): string | undefined {
    if (typeof value !== 'object' || value === null) return undefined;
    const proto = Object.getPrototypeOf(value) as { constructor?: unknown } | null;
    const ctor = proto?.constructor;
    return typeof ctor === 'function' ? this.byClass.get(ctor) : undefined;
  }

  /** Builds the registered type from parsed JSON; undefined when the name is not registered. */
  construct(typeName: string, json: unknown): unknown {
    const registration = this.byName.get(typeName);
    return registration === undefined ? undefined : registration.build(json);
  }

  /** Registered names, in registration order. */
  typeNames(): string[] {
    return [...this.byName.keys()];
  }
}

/**
 * Parses Spring's `spring.json.type.mapping` (`'user:com.kun.kafka.bean.UserBean, cat:com.Cat'`)
 * into token → class name. Entries are comma-separated; each must have exactly one ':' (Spring's
 * assertion, with its message); names are trimmed. A record is taken as already parsed.
 */
export function parseTypeMappings(mappings: string | Readonly<Record<string, string>>): Map<string, string> {
  const out = new Map<string, string>();
  if (typeof mappings !== 'string') {
    for (const [token, className] of Object.entries(mappings)) out.set(token.trim(), className.trim());
    return out;
  }
  for (const entry of mappings.split(',')) {
    if (entry.trim() === '') continue;
    const parts = entry.split(':');
    if (parts.length !== 2) throw new Error("Each comma-delimited mapping entry must have exactly one ':'");
    out.set((parts[0] as string).trim(), (parts[1] as string).trim());
  }
  return out;
}

/**
 * `Object.assign(target, json)` (own enumerable fields, set as assignments so that setters run)
 * without `__proto__`: JSON.parse makes it an ordinary own key, which Object.assign would hand to
 * the `__proto__` setter, swapping the instance's class for whatever the JSON says.
 */
function assignFields(target: Record<string, unknown>, json: unknown): Record<string, unknown> {
  if (json === null || json === undefined) return target;
  const source = Object(json) as Record<string, unknown>;
  for (const key of Object.keys(source)) {
    if (key !== '__proto__') target[key] = source[key];
  }
  return target;
}

/**
 * Functions are classes when they have a prototype whose constructor is themselves and either
 * `class` syntax or own prototype members; arrow functions have no prototype at all.
 */
function isClass<T>(type: JsonClass<T> | JsonFactory<T>): type is JsonClass<T> {
  const proto = (type as { prototype?: unknown }).prototype;
  if (typeof proto !== 'object' || proto === null) return false;
  if (/^class[\s{]/.test(Function.prototype.toString.call(type))) return true;
  return (
    Object.getOwnPropertyNames(proto).length > 1 || typeof (type as { fromJSON?: unknown }).fromJSON === 'function'
  );
}
