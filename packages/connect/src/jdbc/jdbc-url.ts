import { ConfigException } from '../config/config-def.js';

export const CONNECTION_URL_CONFIG = 'connection.url';

export type JdbcUrl =
  | {
      readonly kind: 'postgresql';
      readonly host: string;
      readonly port: number;
      readonly database: string;
      /** `?user=…&password=…` and the other properties of the URL. */
      readonly properties: Readonly<Record<string, string>>;
    }
  | { readonly kind: 'sqlite'; readonly path: string };

/**
 * The two JDBC URL forms this runtime has drivers for: `jdbc:postgresql://host[:port]/database[?k=v&…]`
 * (pgjdbc's; host defaults to localhost, port to 5432) and `jdbc:sqlite:<path>` (xerial's;
 * `:memory:` is an in-memory database). Anything else is refused naming `connection.url`, as
 * Confluent refuses a URL no driver accepts.
 */
export function parseJdbcUrl(url: string): JdbcUrl {
  const text = url.trim();
  if (text.startsWith('jdbc:sqlite:')) {
    const path = text.slice('jdbc:sqlite:'.length).replace(/^\/\/(?=\/)/, '');
    if (path === '') throw new ConfigException(CONNECTION_URL_CONFIG, url, 'jdbc:sqlite: needs a file path');
    return { kind: 'sqlite', path };
  }
  const pg = /^jdbc:postgresql:(?:\/\/([^/:?]*)(?::(\d+))?\/)?([^?]*)(?:\?(.*))?$/.exec(text);
  if (pg !== null) {
    const properties: Record<string, string> = {};
    for (const pair of (pg[4] ?? '').split('&')) {
      if (pair === '') continue;
      const eq = pair.indexOf('=');
      const key = decodeURIComponent(eq < 0 ? pair : pair.slice(0, eq));
      properties[key] = eq < 0 ? '' : decodeURIComponent(pair.slice(eq + 1));
    }
    return {
      kind: 'postgresql',
      host: pg[1] === undefined || pg[1] === '' ? 'localhost' : pg[1],
      port: pg[2] === undefined ? 5432 : Number(pg[2]),
      database: decodeURIComponent(pg[3] ?? ''),
      properties,
    };
  }
  throw new ConfigException(
    CONNECTION_URL_CONFIG,
    url,
    'No suitable driver: the supported URLs are jdbc:postgresql://host:port/database and jdbc:sqlite:<file>',
  );
}
