import {
  ConfigDef,
  ConfigException,
  type ConfigKey,
  type ConfigValue,
  NO_DEFAULT_VALUE,
} from '../config/config-def.js';
import { PREDICATES } from './predicates.js';
import type { ConnectRecord, Predicate, Transformation } from './transformation.js';
import { TRANSFORMATIONS } from './transforms.js';

/** A class name, full (`org.apache.kafka.connect.transforms.InsertField$Value`) or simple (`InsertField$Value`). */
function lookup<T>(registry: ReadonlyMap<string, () => T>, className: string): (() => T) | undefined {
  const name = className.trim();
  const exact = registry.get(name);
  if (exact !== undefined) return exact;
  for (const [full, factory] of registry) if (full.slice(full.lastIndexOf('.') + 1) === name) return factory;
  return undefined;
}

function subProps(props: Readonly<Record<string, string>>, prefix: string): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [k, v] of Object.entries(props)) if (k.startsWith(prefix)) out[k.slice(prefix.length)] = v;
  return out;
}

function aliases(props: Readonly<Record<string, string>>, key: string): string[] {
  const raw = (props[key] ?? '').trim();
  return raw === '' ? [] : raw.split(/\s*,\s*/);
}

/** A transformation failed; `className` is the transform's (or predicate's) class, for the error reporter. */
export class TransformationError extends Error {
  override readonly name = 'TransformationError';
  constructor(
    readonly className: string,
    override readonly cause: unknown,
  ) {
    super(cause instanceof Error ? cause.message : String(cause));
  }
}

interface Stage<R extends ConnectRecord> {
  readonly alias: string;
  readonly className: string;
  readonly transformation: Transformation<R>;
  readonly predicate: { readonly className: string; readonly predicate: Predicate<R> } | undefined;
  readonly negate: boolean;
}

/**
 * Kafka's TransformationChain: the connector's `transforms` in order, each applied when its
 * predicate (if any) matches (or, with `negate=true`, does not); a transform returning null drops
 * the record and ends the chain.
 */
export class TransformationChain<R extends ConnectRecord = ConnectRecord> {
  constructor(private readonly stages: readonly Stage<R>[]) {}

  get size(): number {
    return this.stages.length;
  }

  /** Throws a TransformationError naming the class that failed. */
  apply(record: R): R | null {
    let current: R | null = record;
    for (const stage of this.stages) {
      if (current === null) return null;
      if (stage.predicate !== undefined) {
        let matches: boolean;
        try {
          matches = stage.predicate.predicate.test(current);
        } catch (error) {
          throw new TransformationError(stage.predicate.className, error);
        }
        if (matches === stage.negate) continue;
      }
      try {
        current = stage.transformation.apply(current);
      } catch (error) {
        throw new TransformationError(stage.className, error);
      }
    }
    return current;
  }

  close(): void {
    for (const stage of this.stages) {
      try {
        stage.transformation.close();
        stage.predicate?.predicate.close();
      } catch {
        // closing is best effort, as in Kafka
      }
    }
  }
}

/** The connector config's transforms, built and configured (the config is validated first). */
export function buildTransformationChain<R extends ConnectRecord = ConnectRecord>(
  props: Readonly<Record<string, string>>,
): TransformationChain<R> {
  const predicates = new Map<string, { className: string; predicate: Predicate<R> }>();
  for (const alias of aliases(props, 'predicates')) {
    const className = (props[`predicates.${alias}.type`] ?? '').trim();
    const factory = lookup(PREDICATES, className);
    if (factory === undefined)
      throw new ConfigException(`predicates.${alias}.type`, className, `Class ${className} could not be found.`);
    const predicate = factory() as unknown as Predicate<R>;
    predicate.configure(subProps(props, `predicates.${alias}.`));
    predicates.set(alias, { className, predicate });
  }
  const stages: Stage<R>[] = [];
  for (const alias of aliases(props, 'transforms')) {
    const prefix = `transforms.${alias}.`;
    const className = (props[`${prefix}type`] ?? '').trim();
    const factory = lookup(TRANSFORMATIONS, className);
    if (factory === undefined)
      throw new ConfigException(`${prefix}type`, className, `Class ${className} could not be found.`);
    const transformation = factory() as unknown as Transformation<R>;
    const own = subProps(props, prefix);
    delete own.type;
    delete own.predicate;
    delete own.negate;
    transformation.configure(own);
    const predicateAlias = (props[`${prefix}predicate`] ?? '').trim();
    stages.push({
      alias,
      className,
      transformation,
      predicate: predicateAlias === '' ? undefined : predicates.get(predicateAlias),
      negate: (props[`${prefix}negate`] ?? '').trim().toLowerCase() === 'true',
    });
  }
  return new TransformationChain(stages);
}

/** Every transformation and predicate class name, for `/connector-plugins?connectorsOnly=false`. */
export function transformationPlugins(): { className: string; type: 'transformation' | 'predicate' }[] {
  return [
    ...[...TRANSFORMATIONS.keys()].map((className) => ({ className, type: 'transformation' as const })),
    ...[...PREDICATES.keys()].map((className) => ({ className, type: 'predicate' as const })),
  ];
}

/** The ConfigDef of a transformation or predicate class (full or simple name), for `/connector-plugins/{p}/config`. */
export function transformationPluginConfig(className: string): ConfigDef | undefined {
  const factory = lookup<Transformation | Predicate>(TRANSFORMATIONS, className) ?? lookup(PREDICATES, className);
  return factory?.().config();
}

function prefixed(def: ConfigDef, prefix: string, group: string, into: ConfigDef): void {
  let order = 2;
  for (const key of def.keys()) {
    into.define({
      ...key,
      name: `${prefix}${key.name}`,
      defaultValue: key.defaultValue === NO_DEFAULT_VALUE ? NO_DEFAULT_VALUE : key.defaultValue,
      group,
      orderInGroup: order++,
    });
  }
}

/**
 * Kafka's ConnectorConfig.enrich: the keys `transforms.<alias>.type`/`predicate`/`negate` and
 * `predicates.<alias>.type`, plus each class's own options under its prefix, validated against
 * `props` (what `/validate` shows, in groups `Transforms: <alias>` and `Predicates: <alias>`).
 */
export function validateTransformations(props: Readonly<Record<string, string>>): {
  keys: ConfigKey[];
  values: Map<string, ConfigValue>;
  /** Errors on the `transforms` and `predicates` keys themselves. */
  listErrors: { transforms: string[]; predicates: string[] };
} {
  const def = new ConfigDef();
  const extra = new Map<string, string[]>();
  const addError = (key: string, message: string) => extra.set(key, [...(extra.get(key) ?? []), message]);
  const listErrors = { transforms: [] as string[], predicates: [] as string[] };
  const predicateAliases = aliases(props, 'predicates');
  const kinds = [
    { list: 'transforms', registry: TRANSFORMATIONS, aliases: aliases(props, 'transforms'), group: 'Transforms' },
    { list: 'predicates', registry: PREDICATES, aliases: predicateAliases, group: 'Predicates' },
  ] as const;
  for (const kind of kinds) {
    const seen = new Set<string>();
    for (const alias of kind.aliases) {
      if (seen.has(alias)) {
        listErrors[kind.list].push(
          `Invalid value ${props[kind.list]} for configuration ${kind.list}: Duplicate alias provided.`,
        );
        continue;
      }
      seen.add(alias);
      const prefix = `${kind.list}.${alias}.`;
      const group = `${kind.group}: ${alias}`;
      def.define({
        name: `${prefix}type`,
        type: 'CLASS',
        importance: 'HIGH',
        documentation: `Class for the '${alias}' ${kind.list === 'transforms' ? 'transformation' : 'predicate'}.`,
        group,
        orderInGroup: 0,
        width: 'LONG',
        displayName: kind.list === 'transforms' ? `Transformation type for ${alias}` : `Predicate type for ${alias}`,
      });
      if (kind.list === 'transforms') {
        def.define({
          name: `${prefix}predicate`,
          type: 'STRING',
          defaultValue: null,
          importance: 'MEDIUM',
          documentation: 'The alias of a predicate used to determine whether to apply this transformation.',
          group,
          orderInGroup: 1,
          displayName: `Predicate for ${alias}`,
        });
        def.define({
          name: `${prefix}negate`,
          type: 'BOOLEAN',
          defaultValue: false,
          importance: 'MEDIUM',
          documentation: 'Whether the configured predicate should be negated.',
          group,
          orderInGroup: 1,
          displayName: `Negate for ${alias}`,
        });
        const predicate = (props[`${prefix}predicate`] ?? '').trim();
        if (predicate !== '' && !predicateAliases.includes(predicate)) {
          addError(
            `${prefix}predicate`,
            `Invalid value ${predicate} for configuration ${prefix}predicate: Predicate alias ${predicate} not found in predicates`,
          );
        }
      }
      const className = props[`${prefix}type`];
      if (className === undefined) continue;
      const factory = lookup<Transformation | Predicate>(kind.registry, className);
      if (factory === undefined) {
        addError(
          `${prefix}type`,
          `Invalid value ${className.trim()} for configuration ${prefix}type: Class ${className.trim()} could not be found.`,
        );
        continue;
      }
      const instance = factory();
      const own = instance.config();
      prefixed(own, prefix, group, def);
      // Options are valid one by one: let the class check them together, as its configure would.
      const ownValues = own.validate(subProps(props, prefix));
      if ([...ownValues.values()].every((v) => v.errors.length === 0)) {
        try {
          const sub = subProps(props, prefix);
          delete sub.type;
          delete sub.predicate;
          delete sub.negate;
          instance.configure(sub);
        } catch (error) {
          const message = (error as Error).message;
          const named = own.keys().find((k) => message.includes(`configuration ${k.name}`));
          if (named !== undefined) {
            addError(
              `${prefix}${named.name}`,
              message.replace(`configuration ${named.name}`, `configuration ${prefix}${named.name}`),
            );
          } else
            addError(`${prefix}type`, `Invalid value ${className.trim()} for configuration ${prefix}type: ${message}`);
        }
      }
    }
  }
  const values = def.validate(props);
  for (const [key, errors] of extra) values.get(key)?.errors.push(...errors);
  return { keys: [...def.keys()], values, listErrors };
}
