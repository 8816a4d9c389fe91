import { ConfigDef, ConfigException, Validators } from '../config/config-def.js';
import type { NumericMapping } from './dialect/database-dialect.js';
import { defineConnectionKeys } from './jdbc-connection-config.js';

export const MODE_CONFIG = 'mode';
export const MODE_BULK = 'bulk';
export const MODE_INCREMENTING = 'incrementing';
export const MODE_TIMESTAMP = 'timestamp';
export const MODE_TIMESTAMP_INCREMENTING = 'timestamp+incrementing';
export type SourceMode = 'bulk' | 'incrementing' | 'timestamp' | 'timestamp+incrementing';

export const TABLE_WHITELIST_CONFIG = 'table.whitelist';
export const TABLE_BLACKLIST_CONFIG = 'table.blacklist';
export const TABLE_INCLUDE_LIST_CONFIG = 'table.include.list';
export const TABLE_EXCLUDE_LIST_CONFIG = 'table.exclude.list';
export const QUERY_CONFIG = 'query';
export const QUERY_SUFFIX_CONFIG = 'query.suffix';
export const TOPIC_PREFIX_CONFIG = 'topic.prefix';
export const INCREMENTING_COLUMN_NAME_CONFIG = 'incrementing.column.name';
export const TIMESTAMP_COLUMN_NAME_CONFIG = 'timestamp.column.name';
export const TIMESTAMP_DELAY_INTERVAL_MS_CONFIG = 'timestamp.delay.interval.ms';
export const TIMESTAMP_INITIAL_CONFIG = 'timestamp.initial';
export const POLL_INTERVAL_MS_CONFIG = 'poll.interval.ms';
export const BATCH_MAX_ROWS_CONFIG = 'batch.max.rows';
export const NUMERIC_MAPPING_CONFIG = 'numeric.mapping';
export const SCHEMA_PATTERN_CONFIG = 'schema.pattern';
export const TABLE_POLL_INTERVAL_MS_CONFIG = 'table.poll.interval.ms';
export const DEFAULT_TABLE_POLL_INTERVAL_MS = 60_000;
/** Internal: the tables a task reads (JSON array of `schema.table` names), set by the connector. */
export const TABLES_CONFIG = 'tables';
/** `timestamp.initial=-1`: start from the database's current time. */
export const TIMESTAMP_INITIAL_CURRENT = -1;

/** Confluent's JdbcSourceConnectorConfig keys this runtime implements, with its defaults. */
export const SOURCE_CONFIG_DEF = defineConnectionKeys(new ConfigDef())
  .define({
    name: MODE_CONFIG,
    type: 'STRING',
    // Confluent's default is the empty "unspecified" mode, refused by its cross-key check.
    defaultValue: '',
    validator: Validators.validString('', MODE_BULK, MODE_TIMESTAMP, MODE_INCREMENTING, MODE_TIMESTAMP_INCREMENTING),
    importance: 'HIGH',
    group: 'Mode',
    documentation:
      'The mode for updating a table each time it is polled: bulk, incrementing, timestamp or timestamp+incrementing.',
  })
  .define({
    name: INCREMENTING_COLUMN_NAME_CONFIG,
    type: 'STRING',
    defaultValue: '',
    importance: 'MEDIUM',
    group: 'Mode',
    documentation:
      'The name of the strictly incrementing column to use to detect new rows; empty means the auto-increment column.',
  })
  .define({
    name: TIMESTAMP_COLUMN_NAME_CONFIG,
    type: 'LIST',
    defaultValue: '',
    importance: 'MEDIUM',
    group: 'Mode',
    documentation:
      'Comma separated list of timestamp columns used to detect new or modified rows (the first non-null one counts).',
  })
  .define({
    name: TIMESTAMP_INITIAL_CONFIG,
    type: 'LONG',
    defaultValue: null,
    importance: 'LOW',
    group: 'Mode',
    documentation: 'Epoch milliseconds to start timestamp mode from; -1 for the current time; unset for all rows.',
  })
  .define({
    name: TIMESTAMP_DELAY_INTERVAL_MS_CONFIG,
    type: 'LONG',
    defaultValue: 0,
    validator: Validators.atLeast(0),
    importance: 'HIGH',
    group: 'Mode',
    documentation: 'How long to wait after a row with a certain timestamp appears before including it.',
  })
  .define({
    name: TABLE_WHITELIST_CONFIG,
    type: 'LIST',
    defaultValue: '',
    importance: 'MEDIUM',
    group: 'Database',
    documentation: 'List of tables to include in copying (table or schema.table).',
  })
  .define({
    name: TABLE_BLACKLIST_CONFIG,
    type: 'LIST',
    defaultValue: '',
    importance: 'MEDIUM',
    group: 'Database',
    documentation: 'List of tables to exclude from copying.',
  })
  .define({
    name: TABLE_INCLUDE_LIST_CONFIG,
    type: 'LIST',
    defaultValue: '',
    importance: 'MEDIUM',
    group: 'Database',
    documentation: 'Regular expressions matching the fully qualified names of the tables to copy.',
  })
  .define({
    name: TABLE_EXCLUDE_LIST_CONFIG,
    type: 'LIST',
    defaultValue: '',
    importance: 'MEDIUM',
    group: 'Database',
    documentation: 'Regular expressions matching the fully qualified names of the tables not to copy.',
  })
  .define({
    name: SCHEMA_PATTERN_CONFIG,
    type: 'STRING',
    defaultValue: null,
    importance: 'MEDIUM',
    group: 'Database',
    documentation: 'Schema pattern (SQL LIKE) to fetch table metadata from the database (PostgreSQL).',
  })
  .define({
    name: NUMERIC_MAPPING_CONFIG,
    type: 'STRING',
    defaultValue: 'none',
    validator: Validators.validString('none', 'precision_only', 'best_fit', 'best_fit_eager_double'),
    importance: 'LOW',
    group: 'Database',
    documentation: 'Map NUMERIC values by precision and optionally scale to integral or decimal types.',
  })
  .define({
    name: QUERY_CONFIG,
    type: 'STRING',
    defaultValue: '',
    importance: 'MEDIUM',
    group: 'Mode',
    documentation: 'If specified, the query to perform to select new or updated rows instead of whole tables.',
  })
  .define({
    name: QUERY_SUFFIX_CONFIG,
    type: 'STRING',
    defaultValue: '',
    importance: 'LOW',
    group: 'Mode',
    documentation: 'Suffix to append at the end of the generated query.',
  })
  .define({
    name: POLL_INTERVAL_MS_CONFIG,
    type: 'INT',
    defaultValue: 5000,
    validator: Validators.atLeast(1),
    importance: 'HIGH',
    group: 'Connector',
    documentation: 'Frequency in ms to poll for new data in each table.',
  })
  .define({
    name: BATCH_MAX_ROWS_CONFIG,
    type: 'INT',
    defaultValue: 100,
    validator: Validators.atLeast(1),
    importance: 'LOW',
    group: 'Connector',
    documentation: 'Maximum number of rows to include in a single batch when polling for new data.',
  })
  .define({
    name: TOPIC_PREFIX_CONFIG,
    type: 'STRING',
    defaultValue: '',
    validator: {
      ensureValid: (name, value) => {
        const trimmed = String(value).trim();
        if (trimmed.length > 249) {
          throw new ConfigException(
            name,
            value,
            'Topic prefix length must not exceed max topic name length, 249 chars',
          );
        }
        if (/[^a-zA-Z0-9._-]/.test(trimmed)) {
          throw new ConfigException(
            name,
            value,
            "Topic prefix must not contain any character other than ASCII alphanumerics, '.', '_' and '-'.",
          );
        }
      },
      toString: () => 'ASCII alphanumerics, ., _ and -',
    },
    importance: 'HIGH',
    group: 'Connector',
    documentation:
      'Prefix to prepend to table names to generate the name of the Kafka topic to publish data to, or in query mode, the full topic name.',
  })
  .define({
    name: TABLE_POLL_INTERVAL_MS_CONFIG,
    type: 'LONG',
    defaultValue: DEFAULT_TABLE_POLL_INTERVAL_MS,
    validator: Validators.atLeast(1),
    importance: 'LOW',
    group: 'Connector',
    documentation:
      'Frequency in ms to poll for new or removed tables, which may result in updated task configurations.',
  })
  .define({
    name: 'table.types',
    type: 'LIST',
    defaultValue: 'TABLE',
    validator: {
      ensureValid: (name, value) => {
        for (const type of value as string[]) Validators.validString('TABLE').ensureValid(name, type);
      },
      toString: () => '[TABLE]',
    },
    importance: 'LOW',
    group: 'Connector',
    documentation: 'Only TABLE here.',
  })
  .define({
    name: 'validate.non.null',
    type: 'BOOLEAN',
    defaultValue: true,
    importance: 'LOW',
    group: 'Mode',
    documentation: 'Accepted for compatibility; nullability of the mode columns is not checked.',
  });

/** The parsed source config, typed. */
export interface JdbcSourceConfig {
  readonly mode: SourceMode;
  readonly incrementingColumn: string;
  readonly timestampColumns: readonly string[];
  readonly timestampInitial: number | null;
  readonly timestampDelayMs: number;
  readonly whitelist: readonly string[];
  readonly blacklist: readonly string[];
  readonly includeList: readonly RegExp[];
  readonly excludeList: readonly RegExp[];
  readonly schemaPattern: string | null;
  readonly numericMapping: NumericMapping;
  readonly query: string;
  readonly querySuffix: string;
  readonly pollIntervalMs: number;
  readonly batchMaxRows: number;
  readonly topicPrefix: string;
}

/** Parses `props` (throwing Kafka's ConfigException naming the key), with Confluent's cross-key checks. */
export function parseSourceConfig(props: Readonly<Record<string, string>>): JdbcSourceConfig {
  const p = SOURCE_CONFIG_DEF.parse(props);
  const config: JdbcSourceConfig = {
    mode: p[MODE_CONFIG] as SourceMode,
    incrementingColumn: p[INCREMENTING_COLUMN_NAME_CONFIG] as string,
    timestampColumns: p[TIMESTAMP_COLUMN_NAME_CONFIG] as string[],
    timestampInitial: p[TIMESTAMP_INITIAL_CONFIG] === null ? null : Number(p[TIMESTAMP_INITIAL_CONFIG]),
    timestampDelayMs: Number(p[TIMESTAMP_DELAY_INTERVAL_MS_CONFIG]),
    whitelist: p[TABLE_WHITELIST_CONFIG] as string[],
    blacklist: p[TABLE_BLACKLIST_CONFIG] as string[],
    includeList: regexes(TABLE_INCLUDE_LIST_CONFIG, p[TABLE_INCLUDE_LIST_CONFIG] as string[]),
    excludeList: regexes(TABLE_EXCLUDE_LIST_CONFIG, p[TABLE_EXCLUDE_LIST_CONFIG] as string[]),
    schemaPattern: p[SCHEMA_PATTERN_CONFIG] as string | null,
    numericMapping: p[NUMERIC_MAPPING_CONFIG] as NumericMapping,
    query: (p[QUERY_CONFIG] as string).trim(),
    querySuffix: (p[QUERY_SUFFIX_CONFIG] as string).trim(),
    pollIntervalMs: p[POLL_INTERVAL_MS_CONFIG] as number,
    batchMaxRows: p[BATCH_MAX_ROWS_CONFIG] as number,
    topicPrefix: (p[TOPIC_PREFIX_CONFIG] as string).trim(),
  };
  const problem = crossKeyProblem(config);
  if (problem !== null) throw problem;
  return config;
}

/** The first inconsistency between keys, as Confluent reports it, or null. */
export function crossKeyProblem(c: JdbcSourceConfig): ConfigException | null {
  if ((c.mode as string) === '') return new ConfigException('Query mode must be specified');
  const filters = [
    [TABLE_WHITELIST_CONFIG, c.whitelist.length],
    [TABLE_BLACKLIST_CONFIG, c.blacklist.length],
    [TABLE_INCLUDE_LIST_CONFIG, c.includeList.length],
    [TABLE_EXCLUDE_LIST_CONFIG, c.excludeList.length],
  ] as const;
  const set = filters.filter(([, n]) => n > 0).map(([name]) => name);
  if (set.includes(TABLE_WHITELIST_CONFIG) && set.includes(TABLE_BLACKLIST_CONFIG)) {
    return new ConfigException(`${TABLE_WHITELIST_CONFIG} and ${TABLE_BLACKLIST_CONFIG} are exclusive.`);
  }
  if (set.includes(TABLE_INCLUDE_LIST_CONFIG) && set.includes(TABLE_WHITELIST_CONFIG)) {
    return new ConfigException(`${TABLE_INCLUDE_LIST_CONFIG} and ${TABLE_WHITELIST_CONFIG} are exclusive.`);
  }
  if (set.includes(TABLE_EXCLUDE_LIST_CONFIG) && set.includes(TABLE_BLACKLIST_CONFIG)) {
    return new ConfigException(`${TABLE_EXCLUDE_LIST_CONFIG} and ${TABLE_BLACKLIST_CONFIG} are exclusive.`);
  }
  if (c.query !== '' && set.length > 0) {
    return new ConfigException(`${QUERY_CONFIG} may not be combined with whole-table copying settings.`);
  }
  if ((c.mode === MODE_TIMESTAMP || c.mode === MODE_TIMESTAMP_INCREMENTING) && c.timestampColumns.length === 0) {
    return new ConfigException(
      TIMESTAMP_COLUMN_NAME_CONFIG,
      '',
      `Timestamp column name must be specified in mode '${c.mode}'`,
    );
  }
  if (c.query !== '' && c.mode !== MODE_BULK && c.mode !== MODE_TIMESTAMP && c.incrementingColumn === '') {
    return new ConfigException(
      INCREMENTING_COLUMN_NAME_CONFIG,
      '',
      `Incrementing column name must be specified in mode '${c.mode}' with a query`,
    );
  }
  return null;
}

function regexes(name: string, patterns: readonly string[]): RegExp[] {
  return patterns.map((pattern) => {
    try {
      return new RegExp(`^(?:${pattern})$`);
    } catch (error) {
      throw new ConfigException(name, pattern, `Invalid regular expression: ${(error as Error).message}`);
    }
  });
}
