import { ConfigDef, ConfigException, Validators } from '../config/config-def.js';
import { defineConnectionKeys } from './jdbc-connection-config.js';

export const INSERT_MODE_CONFIG = 'insert.mode';
export const PK_MODE_CONFIG = 'pk.mode';
export const PK_FIELDS_CONFIG = 'pk.fields';
export const FIELDS_WHITELIST_CONFIG = 'fields.whitelist';
export const TABLE_NAME_FORMAT_CONFIG = 'table.name.format';
export const BATCH_SIZE_CONFIG = 'batch.size';
export const DELETE_ENABLED_CONFIG = 'delete.enabled';
export const AUTO_CREATE_CONFIG = 'auto.create';
export const AUTO_EVOLVE_CONFIG = 'auto.evolve';
export const MAX_RETRIES_CONFIG = 'max.retries';
export const RETRY_BACKOFF_MS_CONFIG = 'retry.backoff.ms';

/** Confluent's placeholder in `table.name.format`, a literal `${topic}` (not a JS template). */
// biome-ignore lint/suspicious/noTemplateCurlyInString: the placeholder is Confluent's literal text
export const TOPIC_PLACEHOLDER = '${topic}';

export type InsertMode = 'insert' | 'upsert' | 'update';
export type PkMode = 'none' | 'kafka' | 'record_key' | 'record_value';

/** Confluent's JdbcSinkConfig keys this runtime implements, with its defaults. */
export const SINK_CONFIG_DEF = defineConnectionKeys(new ConfigDef())
  .define({
    name: INSERT_MODE_CONFIG,
    type: 'STRING',
    defaultValue: 'insert',
    validator: enumValidator('insert', 'upsert', 'update'),
    importance: 'HIGH',
    group: 'Writes',
    documentation: 'The insertion mode to use: insert, upsert or update.',
  })
  .define({
    name: BATCH_SIZE_CONFIG,
    type: 'INT',
    defaultValue: 3000,
    validator: Validators.atLeast(0),
    importance: 'MEDIUM',
    group: 'Writes',
    documentation: 'Specifies how many records to attempt to batch together for insertion into the destination table.',
  })
  .define({
    name: DELETE_ENABLED_CONFIG,
    type: 'BOOLEAN',
    defaultValue: false,
    importance: 'MEDIUM',
    group: 'Writes',
    documentation: 'Whether to treat null record values as deletes. Requires pk.mode to be record_key.',
  })
  .define({
    name: TABLE_NAME_FORMAT_CONFIG,
    type: 'STRING',
    defaultValue: TOPIC_PLACEHOLDER,
    importance: 'MEDIUM',
    group: 'Data Mapping',
    documentation: `A format string for the destination table name, which may contain '${TOPIC_PLACEHOLDER}'.`,
  })
  .define({
    name: PK_MODE_CONFIG,
    type: 'STRING',
    defaultValue: 'none',
    validator: enumValidator('none', 'kafka', 'record_key', 'record_value'),
    importance: 'HIGH',
    group: 'Data Mapping',
    documentation: 'The primary key mode: none, kafka, record_key or record_value.',
  })
  .define({
    name: PK_FIELDS_CONFIG,
    type: 'LIST',
    defaultValue: '',
    importance: 'MEDIUM',
    group: 'Data Mapping',
    documentation: 'List of comma-separated primary key field names; their meaning depends on pk.mode.',
  })
  .define({
    name: FIELDS_WHITELIST_CONFIG,
    type: 'LIST',
    defaultValue: '',
    importance: 'MEDIUM',
    group: 'Data Mapping',
    documentation: 'List of comma-separated record value field names; if empty, all fields are used.',
  })
  .define({
    name: AUTO_CREATE_CONFIG,
    type: 'BOOLEAN',
    defaultValue: false,
    importance: 'MEDIUM',
    group: 'DDL Support',
    documentation: 'Whether to automatically create the destination table based on record schema.',
  })
  .define({
    name: AUTO_EVOLVE_CONFIG,
    type: 'BOOLEAN',
    defaultValue: false,
    importance: 'MEDIUM',
    group: 'DDL Support',
    documentation:
      'Whether to automatically add columns in the table schema when found missing relative to the record schema.',
  })
  .define({
    name: MAX_RETRIES_CONFIG,
    type: 'INT',
    defaultValue: 10,
    validator: Validators.atLeast(0),
    importance: 'MEDIUM',
    group: 'Retries',
    documentation: 'The maximum number of times to retry on errors before failing the task.',
  })
  .define({
    name: RETRY_BACKOFF_MS_CONFIG,
    type: 'INT',
    defaultValue: 3000,
    validator: Validators.atLeast(0),
    importance: 'MEDIUM',
    group: 'Retries',
    documentation: 'The time in milliseconds to wait following an error before a retry attempt is made.',
  });

export interface JdbcSinkConfig {
  readonly insertMode: InsertMode;
  readonly pkMode: PkMode;
  readonly pkFields: readonly string[];
  readonly fieldsWhitelist: ReadonlySet<string>;
  readonly tableNameFormat: string;
  readonly batchSize: number;
  readonly deleteEnabled: boolean;
  readonly autoCreate: boolean;
  readonly autoEvolve: boolean;
  readonly maxRetries: number;
  readonly retryBackoffMs: number;
}

export function parseSinkConfig(props: Readonly<Record<string, string>>): JdbcSinkConfig {
  const p = SINK_CONFIG_DEF.parse(props);
  const config: JdbcSinkConfig = {
    insertMode: (p[INSERT_MODE_CONFIG] as string).toLowerCase() as InsertMode,
    pkMode: (p[PK_MODE_CONFIG] as string).toLowerCase() as PkMode,
    pkFields: p[PK_FIELDS_CONFIG] as string[],
    fieldsWhitelist: new Set(p[FIELDS_WHITELIST_CONFIG] as string[]),
    tableNameFormat: p[TABLE_NAME_FORMAT_CONFIG] as string,
    batchSize: p[BATCH_SIZE_CONFIG] as number,
    deleteEnabled: p[DELETE_ENABLED_CONFIG] as boolean,
    autoCreate: p[AUTO_CREATE_CONFIG] as boolean,
    autoEvolve: p[AUTO_EVOLVE_CONFIG] as boolean,
    maxRetries: p[MAX_RETRIES_CONFIG] as number,
    retryBackoffMs: p[RETRY_BACKOFF_MS_CONFIG] as number,
  };
  if (config.deleteEnabled && config.pkMode !== 'record_key') {
    throw new ConfigException("Primary key mode must be 'record_key' when delete support is enabled");
  }
  return config;
}

/** Confluent's EnumValidator: the lower- or upper-case name (`upsert`, `UPSERT`), else "Invalid enumerator". */
function enumValidator(...allowed: string[]) {
  const valid = new Set([...allowed, ...allowed.map((a) => a.toUpperCase())]);
  return {
    ensureValid(name: string, value: unknown) {
      if (typeof value !== 'string' || !valid.has(value)) throw new ConfigException(name, value, 'Invalid enumerator');
    },
    toString: () => `[${allowed.join(', ')}]`,
  };
}
