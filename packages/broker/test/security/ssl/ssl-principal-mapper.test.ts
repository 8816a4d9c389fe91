/**
 * SslPrincipalMapper (KIP-371, Kafka's ssl.principal.mapping.rules) and the RFC 2253 form of a
 * certificate subject that the rules are applied to.
 */
import assert from 'node:assert/strict';
import { X509Certificate } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { after, before, describe, test } from 'node:test';
import { createTestCertificates, type TestCertificates } from '@samsa/test-pki';
import { ConfigError } from '../../../src/config/config-def.js';
import { rfc2253Name, SslPrincipalMapper } from '../../../src/security/ssl/ssl-principal-mapper.js';

const DN = 'CN=alice,OU=eng,O=Samsa Test';

function invalidRules(text: string): void {
  assert.throws(
    () => new SslPrincipalMapper(text),
    (err) => err instanceof ConfigError && err.key === 'ssl.principal.mapping.rules',
    JSON.stringify(text),
  );
}

describe('SslPrincipalMapper', () => {
  test('DEFAULT (and an empty rule list) keeps the whole DN', () => {
    assert.equal(new SslPrincipalMapper('DEFAULT').principalName(DN), DN);
    assert.equal(new SslPrincipalMapper('').principalName(DN), DN);
    assert.equal(new SslPrincipalMapper('  DEFAULT  ').principalName(DN), DN);
  });

  test("Kafka's documented rule: RULE:^CN=(.*?),OU=(.*?),O=(.*?)$/$1@$2/L", () => {
    const mapper = new SslPrincipalMapper('RULE:^CN=(.*?),OU=(.*?),O=(.*?)$/$1@$2/L');
    assert.equal(mapper.principalName('CN=Alice,OU=Eng,O=Samsa Test'), 'alice@eng');
  });

  test("Kafka's documented list: the first rule that matches wins, DEFAULT last", () => {
    const mapper = new SslPrincipalMapper(
      'RULE:^CN=(.*?),OU=ServiceUsers.*$/$1/,\n' +
        'RULE:^CN=(.*?),OU=(.*?),O=(.*?),L=(.*?),ST=(.*?),C=(.*?)$/$1@$2/L,\n' +
        'RULE:^.*[Cc][Nn]=([a-zA-Z0-9.]*).*$/$1/L,\n' +
        'DEFAULT',
    );
    assert.equal(mapper.principalName('CN=kafka-connect,OU=ServiceUsers,O=Corp'), 'kafka-connect');
    assert.equal(mapper.principalName('CN=Bob,OU=Sales,O=Corp,L=Paris,ST=IDF,C=FR'), 'bob@sales');
    assert.equal(mapper.principalName('O=Corp,CN=Carol.Smith,OU=x'), 'carol.smith');
    assert.equal(mapper.principalName('O=No Common Name'), 'O=No Common Name');
  });

  test('U upper-cases; no suffix keeps the case', () => {
    assert.equal(new SslPrincipalMapper('RULE:^CN=(.*?),.*$/$1/U').principalName(DN), 'ALICE');
    assert.equal(new SslPrincipalMapper('RULE:^CN=(.*?),OU=(.*?),.*$/$2-$1/').principalName(DN), 'eng-alice');
  });

  test('the pattern must match the whole DN', () => {
    const mapper = new SslPrincipalMapper('RULE:CN=(.*?),OU=eng/$1/');
    assert.equal(mapper.principalName(DN), undefined, 'matches only a prefix');
    assert.equal(mapper.principalName('CN=alice,OU=eng'), 'alice');
  });

  test('no rule matching refuses the client (undefined)', () => {
    const mapper = new SslPrincipalMapper('RULE:^CN=(.*?),OU=ops,.*$/$1/');
    assert.equal(mapper.principalName(DN), undefined);
  });

  test('an escaped "/" in the replacement is a "/"', () => {
    const mapper = new SslPrincipalMapper(String.raw`RULE:^CN=(.*?),OU=(.*?),.*$/$2\/$1/`);
    assert.equal(mapper.principalName(DN), 'eng/alice');
  });

  test('rules separated by newlines only, as Kafka splits them', () => {
    const mapper = new SslPrincipalMapper('RULE:^CN=(.*?),OU=ops,.*$/$1/\nDEFAULT');
    assert.equal(mapper.principalName('CN=dave,OU=ops,O=x'), 'dave');
    assert.equal(mapper.principalName(DN), DN);
  });

  test('invalid rule text is a ConfigError naming ssl.principal.mapping.rules', () => {
    for (const text of [
      'RULE:^CN=(.*?)$/$1',
      'RULE:^CN=(.*?)$',
      'DEFAULTS',
      'default',
      'RULE:^CN=(.*?)$/$1/,garbage',
      'RULE:^CN=((.*?)$/$1/',
      'RULE:^CN=(.*?)$/$1/X',
      'RULE:^CN=(.*?)$/$1/l',
    ]) {
      invalidRules(text);
    }
  });
});

describe('rfc2253Name', () => {
  let pki: TestCertificates;
  before(() => {
    pki = createTestCertificates();
  });
  after(() => pki.remove());

  test("the most specific attribute first, as Java's X500Principal prints it", () => {
    // The client certificate's subject was made as /O=Samsa Test/OU=eng/CN=alice.
    const subject = new X509Certificate(readFileSync(pki.clientCert)).subject;
    assert.equal(rfc2253Name(subject), 'CN=alice,OU=eng,O=Samsa Test');
    assert.equal(
      new SslPrincipalMapper('RULE:^CN=(.*?),OU=(.*?),O=(.*?)$/$1@$2/L').principalName(rfc2253Name(subject)),
      'alice@eng',
    );
  });

  test('one attribute, and the subject text Node prints, reversed line by line', () => {
    assert.equal(rfc2253Name('CN=solo'), 'CN=solo');
    assert.equal(rfc2253Name('C=US\nO=Acme\\, Inc\nCN=alice'), 'CN=alice,O=Acme\\, Inc,C=US');
  });
});
