import { ConfigException } from '../../config/config-def.js';
import type { Props } from '../../connector/connector.js';
import { parseJdbcUrl } from '../jdbc-url.js';
import type { DatabaseDialect } from './database-dialect.js';
import { PostgresDialect } from './postgres-dialect.js';
import { SqliteDialect } from './sqlite-dialect.js';

export const CONNECTION_USER_CONFIG = 'connection.user';
export const CONNECTION_PASSWORD_CONFIG = 'connection.password';
export const DIALECT_NAME_CONFIG = 'dialect.name';
export const QUOTE_SQL_IDENTIFIERS_CONFIG = 'quote.sql.identifiers';

const DIALECT_FOR_URL = { postgresql: 'PostgreSqlDatabaseDialect', sqlite: 'SqliteDatabaseDialect' } as const;

/**
 * Opens the dialect (and its connection) for `connection.url`. `dialect.name`, when set, must
 * name the dialect of that URL: there is one driver per database here, not Confluent's list.
 */
export function openDialect(props: Props): DatabaseDialect {
  const url = parseJdbcUrl(props['connection.url'] ?? '');
  const quoteIdentifiers = (props[QUOTE_SQL_IDENTIFIERS_CONFIG] ?? 'always').trim().toLowerCase() !== 'never';
  const wanted = (props[DIALECT_NAME_CONFIG] ?? '').trim();
  if (wanted !== '' && wanted !== DIALECT_FOR_URL[url.kind]) {
    throw new ConfigException(
      DIALECT_NAME_CONFIG,
      wanted,
      `does not match connection.url, which needs ${DIALECT_FOR_URL[url.kind]}`,
    );
  }
  if (url.kind === 'sqlite') return new SqliteDialect(url.path, quoteIdentifiers);
  const user = nonEmpty(props[CONNECTION_USER_CONFIG]) ?? url.properties.user;
  const password = nonEmpty(props[CONNECTION_PASSWORD_CONFIG]) ?? url.properties.password;
  return new PostgresDialect({
    host: url.host,
    port: url.port,
    database: url.database,
    user,
    password,
    quoteIdentifiers,
    connectionAttempts: Math.max(1, Number(props['connection.attempts'] ?? 3) || 3),
    connectionBackoffMs: Math.max(0, Number(props['connection.backoff.ms'] ?? 10_000) || 0),
  });
}

function nonEmpty(value: string | undefined): string | undefined {
  return value === undefined || value === '' ? undefined : value;
}
