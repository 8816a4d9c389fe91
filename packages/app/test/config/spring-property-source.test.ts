// biome-ignore-all lint/suspicious/noTemplateCurlyInString: ${...} here are Spring placeholders, not template slips.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { SpringPropertySource } from '../../src/config/spring-property-source.js';

describe('SpringPropertySource', () => {
  it('flattens YAML as Boot does: dots, [bracketed] keys, scalar lists, indexed maps, nulls', () => {
    const source = SpringPropertySource.fromYaml(
      [
        'a:',
        '  b: 1',
        '  "[x.y]": z',
        '  list: [p, q]',
        '  maps:',
        '    - name: m0',
        '    - name: m1',
        '  empty:',
        '  flag: true',
      ].join('\n'),
    );
    assert.deepEqual(Object.fromEntries(source.names().map((n) => [n, source.get(n)])), {
      'a.b': '1',
      'a[x.y]': 'z',
      'a.list': 'p,q',
      'a.maps[0].name': 'm0',
      'a.maps[1].name': 'm1',
      'a.empty': '',
      'a.flag': 'true',
    });
  });

  it('later YAML documents override earlier ones', () => {
    const source = SpringPropertySource.fromYaml('a: 1\nb: 2\n---\na: 3\n');
    assert.equal(source.get('a'), '3');
    assert.equal(source.get('b'), '2');
  });

  it('resolves placeholders lazily, with defaults containing colons and placeholders', () => {
    const source = SpringPropertySource.fromProperties(
      ['url=${host:localhost}:${port:9092}', 'nested=${missing:${url}}', 'broken=${nope}', 'literal=${'].join('\n'),
    );
    assert.equal(source.get('url'), 'localhost:9092');
    assert.equal(source.get('nested'), 'localhost:9092');
    assert.equal(source.get('literal'), '${');
    assert.throws(() => source.get('broken'), /Could not resolve placeholder 'nope' in value "\$\{nope\}"/);
    assert.equal(source.get('absent'), undefined);
  });

  it('falls back to the environment, exactly or in Boot\u2019s upper-case form', () => {
    const source = SpringPropertySource.fromProperties('a=${HOME_DIR}/${spring.kafka.client-id}', {
      HOME_DIR: '/home/k',
      SPRING_KAFKA_CLIENTID: 'c1',
    });
    assert.equal(source.get('a'), '/home/k/c1');
  });
});
