import assert from 'node:assert/strict';
import { test } from 'node:test';
import { parseJdbcUrl } from '../../src/jdbc/jdbc-url.js';

test('jdbc:postgresql URLs: host, port (5432 by default), database and properties', () => {
  assert.deepEqual(parseJdbcUrl('jdbc:postgresql://db.example:6543/shop?user=app&password=p%40ss'), {
    kind: 'postgresql',
    host: 'db.example',
    port: 6543,
    database: 'shop',
    properties: { user: 'app', password: 'p@ss' },
  });
  assert.deepEqual(parseJdbcUrl('jdbc:postgresql://localhost/x'), {
    kind: 'postgresql',
    host: 'localhost',
    port: 5432,
    database: 'x',
    properties: {},
  });
  assert.deepEqual(parseJdbcUrl('jdbc:postgresql:shop'), {
    kind: 'postgresql',
    host: 'localhost',
    port: 5432,
    database: 'shop',
    properties: {},
  });
});

test('jdbc:sqlite URLs: a path, relative or absolute, or :memory:', () => {
  assert.deepEqual(parseJdbcUrl('jdbc:sqlite:test.db'), { kind: 'sqlite', path: 'test.db' });
  assert.deepEqual(parseJdbcUrl('jdbc:sqlite:/var/data/a.db'), { kind: 'sqlite', path: '/var/data/a.db' });
  assert.deepEqual(parseJdbcUrl('jdbc:sqlite:///var/data/a.db'), { kind: 'sqlite', path: '/var/data/a.db' });
  assert.deepEqual(parseJdbcUrl('jdbc:sqlite::memory:'), { kind: 'sqlite', path: ':memory:' });
});

test('any other URL is a ConfigException naming connection.url', () => {
  assert.throws(() => parseJdbcUrl('jdbc:mysql://h/db'), {
    name: 'ConfigException',
    message:
      'Invalid value jdbc:mysql://h/db for configuration connection.url: No suitable driver: the supported URLs are jdbc:postgresql://host:port/database and jdbc:sqlite:<file>',
  });
  assert.throws(() => parseJdbcUrl('jdbc:sqlite:'), /configuration connection.url/);
});
