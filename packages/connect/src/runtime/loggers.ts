/**
 * The worker's named loggers and their levels (what log4j gives Kafka Connect, and what KIP-495's
 * `/admin/loggers` endpoints read and change). Names are Kafka's class names
 * (`org.apache.kafka.connect.runtime.distributed.DistributedHerder`); a logger without a level of
 * its own takes the level of its nearest dotted ancestor, then of `root` (INFO at startup).
 *
 * One registry per process, as log4j's context is: several workers in one process (tests) share
 * levels. Output goes to the console methods the runtime always used (`console.log` for INFO,
 * `console.warn` for WARN, `console.error` for ERROR and FATAL), unchanged, so a level change
 * only decides whether a line is written.
 */

/** log4j 2's levels, most severe first; a logger writes an event whose rank is at most its level's. */
export const LEVELS = ['OFF', 'FATAL', 'ERROR', 'WARN', 'INFO', 'DEBUG', 'TRACE', 'ALL'] as const;
export type Level = (typeof LEVELS)[number];

/** What `/admin/loggers` shows of a logger: its (effective) level and when the REST API last changed it. */
export interface LoggerLevel {
  level: string;
  /** Epoch ms of the last change through `setLevel`, null if never changed since startup. */
  last_modified: number | null;
}

export const ROOT_LOGGER_NAME = 'root';

const rank = (level: Level) => LEVELS.indexOf(level);

/** A level named case-insensitively, as log4j's `Level.toLevel` reads it; undefined if unknown. */
export function parseLevel(name: string): Level | undefined {
  const upper = name.toUpperCase();
  return (LEVELS as readonly string[]).includes(upper) ? (upper as Level) : undefined;
}

export class Logger {
  constructor(
    readonly name: string,
    private readonly registry: Loggers,
  ) {}

  isEnabled(level: Level): boolean {
    return level !== 'OFF' && rank(level) <= rank(this.registry.effectiveLevel(this.name));
  }

  error(...args: unknown[]): void {
    if (this.isEnabled('ERROR')) console.error(...args);
  }
  warn(...args: unknown[]): void {
    if (this.isEnabled('WARN')) console.warn(...args);
  }
  info(...args: unknown[]): void {
    if (this.isEnabled('INFO')) console.log(...args);
  }
  debug(...args: unknown[]): void {
    if (this.isEnabled('DEBUG')) console.log(...args);
  }
  trace(...args: unknown[]): void {
    if (this.isEnabled('TRACE')) console.log(...args);
  }
}

/**
 * The registry (Kafka's `Loggers`): known loggers are those the code asked for plus any a
 * `setLevel` created; only `setLevel` changes levels, and it records when.
 */
export class Loggers {
  private readonly loggers = new Map<string, Logger>();
  /** Levels set explicitly, by logger name; `root` always has one. */
  private readonly levels = new Map<string, Level>([[ROOT_LOGGER_NAME, 'INFO']]);
  private readonly lastModified = new Map<string, number>();

  constructor(private readonly now: () => number = Date.now) {}

  logger(name: string): Logger {
    let logger = this.loggers.get(name);
    if (logger === undefined) this.loggers.set(name, (logger = new Logger(name, this)));
    return logger;
  }

  /** The logger's own level, else its nearest dotted ancestor's, else root's. */
  effectiveLevel(name: string): Level {
    for (let current = name; ; ) {
      const level = this.levels.get(current);
      if (level !== undefined) return level;
      const dot = current.lastIndexOf('.');
      if (dot < 0) return this.levels.get(ROOT_LOGGER_NAME) ?? 'INFO';
      current = current.slice(0, dot);
    }
  }

  /** A known logger's level, or undefined (Kafka answers 404) for a name no code uses. */
  level(name: string): LoggerLevel | undefined {
    const key = isRoot(name) ? ROOT_LOGGER_NAME : name;
    if (key !== ROOT_LOGGER_NAME && !this.loggers.has(key)) return undefined;
    return this.levelOf(key);
  }

  /** Every known logger and root, sorted by name, leaving out those turned OFF (as Kafka does). */
  allLevels(): Record<string, LoggerLevel> {
    const out: Record<string, LoggerLevel> = {};
    for (const name of [ROOT_LOGGER_NAME, ...this.loggers.keys()].sort()) {
      const level = this.levelOf(name);
      if (level.level !== 'OFF') out[name] = level;
    }
    return out;
  }

  /**
   * Sets `level` on the namespace's logger and on every known logger whose name starts with it
   * (log4j's `Configurator.setAllLevels`; Kafka matches by plain prefix, not by dotted segment,
   * and so does this). `root` sets every logger. Returns, sorted, the loggers whose level changed.
   */
  setLevel(namespace: string, level: Level): string[] {
    const root = isRoot(namespace);
    const names = [...this.loggers.keys()].filter((name) => root || name.startsWith(namespace));
    if (root) names.push(ROOT_LOGGER_NAME);
    else if (!this.loggers.has(namespace)) {
      this.logger(namespace);
      names.push(namespace);
    }
    const before = new Map(names.map((name) => [name, this.effectiveLevel(name)]));
    for (const name of names) this.levels.set(name, level);
    const changed: string[] = [];
    const at = this.now();
    for (const name of names) {
      if (before.get(name) === level) continue;
      this.lastModified.set(name, at);
      changed.push(name);
    }
    return changed.sort();
  }

  private levelOf(name: string): LoggerLevel {
    return { level: this.effectiveLevel(name), last_modified: this.lastModified.get(name) ?? null };
  }
}

/** log4j 2 names the root "" and log4j 1 "root"; Kafka accepts both, case-insensitively. */
function isRoot(name: string): boolean {
  return name === '' || name.toLowerCase() === ROOT_LOGGER_NAME;
}

/** The process's registry, which the runtime logs through and `/admin/loggers` adjusts. */
export const LOGGERS = new Loggers();

/** The named logger of the process's registry (Kafka's `LoggerFactory.getLogger(Class)`). */
export const getLogger = (name: string): Logger => LOGGERS.logger(name);
