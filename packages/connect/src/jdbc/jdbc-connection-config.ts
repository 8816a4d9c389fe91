import type { ConfigDef } from '../config/config-def.js';
import { Validators } from '../config/config-def.js';
import {
  CONNECTION_PASSWORD_CONFIG,
  CONNECTION_USER_CONFIG,
  DIALECT_NAME_CONFIG,
  QUOTE_SQL_IDENTIFIERS_CONFIG,
} from './dialect/dialects.js';
import { CONNECTION_URL_CONFIG, parseJdbcUrl } from './jdbc-url.js';

/** The keys Confluent's source and sink share (group `Database`), added to `def`. */
export function defineConnectionKeys(def: ConfigDef): ConfigDef {
  return def
    .define({
      name: CONNECTION_URL_CONFIG,
      type: 'STRING',
      validator: {
        ensureValid: (_name, value) => {
          parseJdbcUrl(value as string);
        },
        toString: () => 'jdbc:postgresql://host:port/database or jdbc:sqlite:<file>',
      },
      importance: 'HIGH',
      group: 'Database',
      documentation: 'JDBC connection URL: jdbc:postgresql://host:port/database or jdbc:sqlite:/path/to/file.db',
    })
    .define({
      name: CONNECTION_USER_CONFIG,
      type: 'STRING',
      defaultValue: null,
      importance: 'HIGH',
      group: 'Database',
      documentation: 'JDBC connection user.',
    })
    .define({
      name: CONNECTION_PASSWORD_CONFIG,
      type: 'PASSWORD',
      defaultValue: null,
      importance: 'HIGH',
      group: 'Database',
      documentation: 'JDBC connection password.',
    })
    .define({
      name: 'connection.attempts',
      type: 'INT',
      defaultValue: 3,
      validator: Validators.atLeast(1),
      importance: 'LOW',
      group: 'Database',
      documentation: 'Maximum number of attempts to retrieve a valid JDBC connection.',
    })
    .define({
      name: 'connection.backoff.ms',
      type: 'LONG',
      defaultValue: 10000,
      importance: 'LOW',
      group: 'Database',
      documentation: 'Backoff time in milliseconds between connection attempts.',
    })
    .define({
      name: DIALECT_NAME_CONFIG,
      type: 'STRING',
      defaultValue: '',
      validator: Validators.validString('', 'PostgreSqlDatabaseDialect', 'SqliteDatabaseDialect'),
      importance: 'LOW',
      group: 'Database',
      documentation: 'The dialect to use; empty means the one of the connection URL.',
    })
    .define({
      name: QUOTE_SQL_IDENTIFIERS_CONFIG,
      type: 'STRING',
      defaultValue: 'always',
      validator: Validators.validString('always', 'never'),
      importance: 'MEDIUM',
      group: 'Database',
      documentation: 'When to quote table names, column names, and other identifiers in SQL statements.',
    })
    .define({
      name: 'db.timezone',
      type: 'STRING',
      defaultValue: 'UTC',
      validator: Validators.validString('UTC'),
      importance: 'MEDIUM',
      group: 'Database',
      documentation: 'Time zone of timestamps without one in the database; only UTC here.',
    });
}
