import { ConfigException } from '../config/config-def.js';
import { type Connector, SinkConnector, SourceConnector } from '../connector/connector.js';
import { FileStreamSinkConnector } from '../file/file-stream-sink-connector.js';
import { FileStreamSourceConnector } from '../file/file-stream-source-connector.js';
import { JdbcSinkConnector } from '../jdbc/jdbc-sink-connector.js';
import { JdbcSourceConnector } from '../jdbc/jdbc-source-connector.js';
import { PluginPathLoader } from './plugin-path-loader.js';

export type ConnectorType = 'source' | 'sink';

export interface ConnectorPlugin {
  readonly className: string;
  readonly type: ConnectorType;
  readonly version: string;
  readonly ctor: new () => Connector;
}

/**
 * The connector classes a worker can run, found by Kafka's rules for `connector.class`: the full
 * class name, the simple name (`FileStreamSourceConnector`) or the simple name without its
 * `Connector` suffix (`FileStreamSource`). Connectors come from `register` and from the
 * `plugin.path` directories (`loadPluginPath`).
 */
export class Plugins {
  private readonly plugins = new Map<string, ConnectorPlugin>();

  constructor() {
    this.register(FileStreamSourceConnector.CLASS, FileStreamSourceConnector);
    this.register(FileStreamSinkConnector.CLASS, FileStreamSinkConnector);
    this.register(JdbcSourceConnector.CLASS, JdbcSourceConnector);
    this.register(JdbcSinkConnector.CLASS, JdbcSinkConnector);
  }

  register(className: string, ctor: new () => Connector): void {
    const instance = new ctor();
    const type = connectorType(instance);
    if (type === undefined) throw new Error(`${className} is neither a SourceConnector nor a SinkConnector`);
    this.plugins.set(className, { className, type, version: instance.version(), ctor });
  }

  /** Whether a connector is registered under exactly this class name. */
  has(className: string): boolean {
    return this.plugins.has(className);
  }

  /**
   * Loads the connectors, converters, transformations and predicates of every `plugin.path`
   * directory (a comma-separated list; see PluginPathLoader). Never throws: a missing directory
   * or a plugin failing to load is logged and skipped, as Kafka's worker does.
   */
  async loadPluginPath(pluginPath: string | undefined, warn?: (message: string) => void): Promise<void> {
    const dirs = (pluginPath ?? '')
      .split(',')
      .map((d) => d.trim())
      .filter((d) => d !== '');
    if (dirs.length === 0) return;
    await new PluginPathLoader(this, warn).load(dirs);
  }

  list(): ConnectorPlugin[] {
    return [...this.plugins.values()].sort((a, b) => a.className.localeCompare(b.className));
  }

  /** The plugin `name` designates, or undefined. */
  find(name: string): ConnectorPlugin | undefined {
    const wanted = name.trim();
    const exact = this.plugins.get(wanted);
    if (exact !== undefined) return exact;
    for (const plugin of this.plugins.values()) {
      const simple = plugin.className.slice(plugin.className.lastIndexOf('.') + 1);
      if (wanted === simple || (simple.endsWith('Connector') && wanted === simple.slice(0, -'Connector'.length))) {
        return plugin;
      }
    }
    return undefined;
  }

  /** As `find`, throwing Kafka's message when there is none. */
  require(name: string): ConnectorPlugin {
    const plugin = this.find(name);
    if (plugin !== undefined) return plugin;
    throw new ConfigException(
      `Failed to find any class that implements Connector and which name matches ${name}, available connectors are: ${this.list()
        .map(
          (p) =>
            `PluginDesc{klass=class ${p.className}, name='${p.className}', version='${p.version}', type=${p.type}}`,
        )
        .join(', ')}`,
    );
  }
}

/**
 * A connector's type: by its base class, or for a class that does not extend ours (a plugin
 * bundling its own copy of @samsa/connect) by what its tasks do: `poll` → source, `put` → sink.
 */
function connectorType(instance: Connector): ConnectorType | undefined {
  if (instance instanceof SourceConnector) return 'source';
  if (instance instanceof SinkConnector) return 'sink';
  const taskClass = typeof instance.taskClass === 'function' ? instance.taskClass() : undefined;
  const proto = typeof taskClass === 'function' ? (taskClass.prototype as Record<string, unknown>) : undefined;
  if (typeof proto?.poll === 'function') return 'source';
  if (typeof proto?.put === 'function') return 'sink';
  return undefined;
}
