import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { register } from 'node:module';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import type { Connector } from '../connector/connector.js';
import type { Converter } from '../converters/converter.js';
import { registerConverter } from '../converters/converters.js';
import { PREDICATES, registerPredicate } from '../transforms/predicates.js';
import type { Predicate, Transformation } from '../transforms/transformation.js';
import { registerTransformation, TRANSFORMATIONS } from '../transforms/transforms.js';
import { getLogger } from './loggers.js';
import type { Plugins } from './plugins.js';

const log = getLogger('org.apache.kafka.connect.runtime.isolation.PluginUtils');

type PluginClass = (new () => unknown) & {
  readonly name: string;
  readonly className?: unknown;
  readonly Key?: unknown;
  readonly Value?: unknown;
};

let hooksRegistered = false;

/** Lets plugins `import … from '@samsa/connect'` without installing it (see plugin-resolve-hooks.ts). */
function registerResolveHooks(): void {
  if (hooksRegistered) return;
  hooksRegistered = true;
  register(new URL('./plugin-resolve-hooks.js', import.meta.url), {
    data: { connectUrl: new URL('../index.js', import.meta.url).href },
  });
}

function isClass(value: unknown): value is PluginClass {
  return typeof value === 'function' && typeof (value as { prototype?: unknown }).prototype === 'object';
}

function hasMethods(ctor: PluginClass, ...names: string[]): boolean {
  const proto = ctor.prototype as Record<string, unknown>;
  return names.every((n) => typeof proto[n] === 'function');
}

/**
 * Kafka's `plugin.path` for JavaScript: every entry is a directory whose children are plugins.
 * A child is a `.mjs` file, a `.js` file (ESM when the directory's package.json says
 * `"type": "module"`), or a directory holding an ESM package (its package.json `exports` string
 * or `main`, else `index.mjs`/`index.js`). Each is imported once, and each exported class is
 * registered by what it is:
 *
 * - a connector (extends SourceConnector/SinkConnector, or has `taskClass` and `taskConfigs`),
 * - a converter (`fromConnectData` and `toConnectData`),
 * - a predicate (`test`, `configure`, `config`),
 * - a transformation (`apply`, `configure`, `config`); its static `Key`/`Value` classes, if any,
 *   become `<name>$Key`/`<name>$Value` as Kafka's nested classes.
 *
 * The name is the class's `static className` (`'com.example.MySinkConnector'`) when it has one,
 * else its export name; the simple name (after the last dot) works too, as Kafka's aliases. A
 * name already taken (a built-in, an earlier plugin) is not replaced. A directory that does not
 * exist, a module that fails to import and a class that fails to register are logged and
 * skipped: the worker starts with the rest, as Kafka's does.
 */
export class PluginPathLoader {
  constructor(
    private readonly plugins: Plugins,
    private readonly warn: (message: string) => void = (message) => log.warn(`connect: WARN ${message}`),
  ) {}

  async load(dirs: readonly string[]): Promise<void> {
    registerResolveHooks();
    for (const dir of dirs) {
      let children: string[];
      try {
        children = readdirSync(dir).sort();
      } catch {
        this.warn(`Could not get listing for plugin path: ${dir}. Ignoring.`);
        continue;
      }
      for (const child of children) {
        const entry = this.entryPoint(join(dir, child));
        if (entry !== undefined) await this.loadModule(entry);
      }
    }
  }

  /** The file to import for a plugin path child, or undefined if it is not a plugin. */
  private entryPoint(path: string): string | undefined {
    let isDir: boolean;
    try {
      isDir = statSync(path).isDirectory();
    } catch {
      return undefined;
    }
    if (!isDir) return /\.(m?js)$/.test(path) ? path : undefined;
    const pkgFile = join(path, 'package.json');
    if (existsSync(pkgFile)) {
      try {
        const pkg = JSON.parse(readFileSync(pkgFile, 'utf8')) as { exports?: unknown; main?: unknown };
        const main =
          typeof pkg.exports === 'string' ? pkg.exports : typeof pkg.main === 'string' ? pkg.main : undefined;
        if (main !== undefined) return join(path, main);
      } catch (error) {
        this.warn(`Could not read ${pkgFile}: ${(error as Error).message}. Ignoring the plugin.`);
        return undefined;
      }
    }
    for (const index of ['index.mjs', 'index.js']) if (existsSync(join(path, index))) return join(path, index);
    this.warn(`No index.mjs, index.js or package.json entry point in plugin directory ${path}. Ignoring.`);
    return undefined;
  }

  private async loadModule(file: string): Promise<void> {
    let exports: Record<string, unknown>;
    try {
      exports = (await import(pathToFileURL(file).href)) as Record<string, unknown>;
    } catch (error) {
      this.warn(`Could not load plugin ${file}: ${error instanceof Error ? error.message : String(error)}. Ignoring.`);
      return;
    }
    for (const [exportName, value] of Object.entries(exports)) {
      if (!isClass(value)) continue;
      const name =
        typeof value.className === 'string' && value.className.trim() !== ''
          ? value.className.trim()
          : exportName === 'default'
            ? value.name
            : exportName;
      try {
        this.registerClass(name, value, file);
      } catch (error) {
        this.warn(`Could not register ${name} from ${file}: ${(error as Error).message}. Ignoring.`);
      }
    }
  }

  private registerClass(name: string, ctor: PluginClass, file: string): void {
    const taken = () => this.warn(`${name} from ${file} is already defined; keeping the first one.`);
    if (hasMethods(ctor, 'taskClass', 'taskConfigs')) {
      if (this.plugins.has(name)) taken();
      else this.plugins.register(name, ctor as new () => Connector);
    } else if (hasMethods(ctor, 'fromConnectData', 'toConnectData')) {
      if (!registerConverter(name, ctor as new () => Converter)) taken();
    } else if (hasMethods(ctor, 'test', 'configure', 'config')) {
      if (PREDICATES.has(name)) taken();
      else registerPredicate(name, () => new ctor() as Predicate);
    } else {
      const isTransformation = (c: unknown) => isClass(c) && hasMethods(c, 'apply', 'configure', 'config');
      const variants = (['Key', 'Value'] as const).filter((side) => isTransformation(ctor[side]));
      if (variants.length === 0 && !isTransformation(ctor)) return;
      const entries: [string, PluginClass][] =
        variants.length === 0 ? [[name, ctor]] : variants.map((side) => [`${name}$${side}`, ctor[side] as PluginClass]);
      for (const [className, cls] of entries) {
        if (TRANSFORMATIONS.has(className)) taken();
        else registerTransformation(className, () => new cls() as Transformation);
      }
    }
  }
}
