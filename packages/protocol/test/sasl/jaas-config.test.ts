/** The `sasl.jaas.config` syntax Kafka accepts (JaasConfig), and its errors. */
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { parseJaasConfig } from '../../src/sasl/jaas-config.js';

describe('parseJaasConfig', () => {
  test("Kafka's PlainLoginModule example for brokers, with user_ entries", () => {
    const modules = parseJaasConfig(
      'org.apache.kafka.common.security.plain.PlainLoginModule required \n' +
        '    username="admin" \n' +
        '    password="admin-secret" \n' +
        '    user_admin="admin-secret" \n' +
        '    user_alice="alice-secret";',
    );
    assert.equal(modules.length, 1);
    const [module] = modules;
    assert.equal(module?.loginModule, 'org.apache.kafka.common.security.plain.PlainLoginModule');
    assert.equal(module?.flag, 'required');
    assert.deepEqual(
      module?.options,
      new Map([
        ['username', 'admin'],
        ['password', 'admin-secret'],
        ['user_admin', 'admin-secret'],
        ['user_alice', 'alice-secret'],
      ]),
    );
  });

  test('quoted values keep spaces, "=" and ";", and unescape \\" and \\\\', () => {
    const [module] = parseJaasConfig(
      String.raw`org.example.Login optional password="a \"quoted\" pass; with = and \\ backslash" empty="";`,
    );
    assert.equal(module?.flag, 'optional');
    assert.equal(module?.options.get('password'), 'a "quoted" pass; with = and \\ backslash');
    assert.equal(module?.options.get('empty'), '');
  });

  test('bare values, and no options at all', () => {
    const [withBare, withNone] = parseJaasConfig(
      'org.apache.kafka.common.security.oauthbearer.OAuthBearerLoginModule required unsecuredLoginStringClaim_sub=alice debug=true; ' +
        'org.example.Other sufficient;',
    );
    assert.deepEqual(
      withBare?.options,
      new Map([
        ['unsecuredLoginStringClaim_sub', 'alice'],
        ['debug', 'true'],
      ]),
    );
    assert.equal(withNone?.loginModule, 'org.example.Other');
    assert.equal(withNone?.flag, 'sufficient');
    assert.equal(withNone?.options.size, 0);
  });

  test('several modules, each with its own flag and options', () => {
    const modules = parseJaasConfig(
      'a.First required k="1";\n  b.Second requisite k="2" ;c.Third sufficient k=3; d.Fourth optional;',
    );
    assert.deepEqual(
      modules.map((m) => [m.loginModule, m.flag, m.options.get('k')]),
      [
        ['a.First', 'required', '1'],
        ['b.Second', 'requisite', '2'],
        ['c.Third', 'sufficient', '3'],
        ['d.Fourth', 'optional', undefined],
      ],
    );
  });

  test('a missing ";" is an error', () => {
    assert.throws(() => parseJaasConfig('a.Login required user_a="x"'), /missing ";"/);
    assert.throws(() => parseJaasConfig('a.Login required'), /missing ";"/);
  });

  test('a bad or missing control flag is an error', () => {
    assert.throws(() => parseJaasConfig('a.Login mandatory;'), /control flag/);
    assert.throws(() => parseJaasConfig('a.Login user_a="x";'), /control flag/);
    assert.throws(() => parseJaasConfig('a.Login;'), /control flag/);
  });

  test('an unterminated quoted value is an error', () => {
    assert.throws(() => parseJaasConfig('a.Login required password="secret;'), /unterminated/);
    assert.throws(() => parseJaasConfig('a.Login required password="ends with escape\\"'), /unterminated/);
  });

  test('an option without "=" and an empty config are errors', () => {
    assert.throws(() => parseJaasConfig('a.Login required password;'), /key=value/);
    assert.throws(() => parseJaasConfig('a.Login required ="x";'), /key=value/);
    assert.throws(() => parseJaasConfig(''), /no login module/);
    assert.throws(() => parseJaasConfig('   \n '), /no login module/);
    assert.throws(() => parseJaasConfig(';'), /login module class/);
  });
});
