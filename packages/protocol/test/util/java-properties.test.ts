/**
 * Java's `.properties` format. Every expected value below is what Java 17's
 * `Properties.load(new StringReader(text))` returns for the same text, and every expected text
 * what `Properties.store(writer, comments)` writes (checked with the JDK while writing the tests;
 * running them does not need Java).
 */
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import fc from 'fast-check';
import { formatJavaProperties, parseJavaProperties } from '../../src/util/java-properties.js';

function load(text: string): Record<string, string> {
  return Object.fromEntries(parseJavaProperties(text));
}

describe('parseJavaProperties', () => {
  test('reads key=value, key: value and key value; a key alone has an empty value', () => {
    assert.deepEqual(load('a=1\nb: two\nc three\nd\t=\tx\ne\f:\fy\nf\ng=\n'), {
      a: '1',
      b: 'two',
      c: 'three',
      d: 'x',
      e: 'y',
      f: '',
      g: '',
    });
  });

  test('skips whitespace around the separator, and one = or : after whitespace', () => {
    assert.deepEqual(load('key = = value\nk2  :  v2\nk3=  =x\nk4  value  \n'), {
      key: '= value',
      k2: 'v2',
      k3: '=x',
      k4: 'value  ',
    });
  });

  test('only space, tab and form feed are whitespace', () => {
    assert.deepEqual(load('\u000bkey=v\na\u00a0b=c\n\u00a0x=y\n'), {
      '\u000bkey': 'v',
      'a\u00a0b': 'c',
      '\u00a0x': 'y',
    });
  });

  test('# and ! start comments only at the start of a logical line', () => {
    assert.deepEqual(
      load('# x=1\n! y=2\n   # z=3\n\t! w=4\na=#not a comment\nb=x\\\n#continued\n# c\\\nz=3\n'),
      { a: '#not a comment', b: 'x#continued', z: '3' },
      'a comment line ending in a backslash does not continue',
    );
    assert.deepEqual(load('a=x\\\n# not a comment\n'), { a: 'x# not a comment' });
  });

  test('an odd number of trailing backslashes continues the line; leading whitespace of the next is skipped', () => {
    assert.deepEqual(load('a=x\\\\\nb=y\nc=x\\\\\\\n  y\nd=1\\\n \t\f 2\n'), {
      a: 'x\\',
      b: 'y',
      c: 'x\\y',
      d: '12',
    });
  });

  test('an empty continuation line ends the logical line; a backslash at the end of the text is dropped', () => {
    assert.deepEqual(load('e=b\\\n\nf=g\n'), { e: 'b', f: 'g' });
    assert.deepEqual(load('e=b\\\n   \nf=g\n'), { e: 'b', f: 'g' });
    assert.deepEqual(load('a=b\\'), { a: 'b' });
    assert.deepEqual(load('\\'), { '': '' });
  });

  test('a comment right after a continuation that left the line empty is still a comment', () => {
    assert.deepEqual(load('\\\n#x\ny=1'), { y: '1' });
    assert.deepEqual(load(' \\\n=v'), { '': 'v' });
  });

  test('lines end at \\n, \\r or \\r\\n, also when continued', () => {
    assert.deepEqual(load('a=1\rb=2\r\nc=3\nd=x\\\r\n  y\ne=x\\\r  y\nf=\\\r\n\r\ng=1'), {
      a: '1',
      b: '2',
      c: '3',
      d: 'xy',
      e: 'xy',
      f: '',
      g: '1',
    });
  });

  test('resolves \\t \\n \\r \\f and \\uXXXX in keys and values', () => {
    assert.deepEqual(load('k\\te\\ny\\rs\\f=v\\tv\\nv\\rv\\fv\nu=\\u0041\\u00e9\\u2603\\uD83D\\uDE00\\u00E9\n'), {
      'k\te\ny\rs\f': 'v\tv\nv\rv\fv',
      u: 'Aé☃😀é',
    });
  });

  test('a backslash before any other character yields that character', () => {
    assert.deepEqual(load('a\\=b=1\nc\\:d:2\ne\\ f 3\n\\#g=4\n\\!h=5\ni\\\\j=6\nk=\\b\\q\\z\\"\n'), {
      'a=b': '1',
      'c:d': '2',
      'e f': '3',
      '#g': '4',
      '!h': '5',
      'i\\j': '6',
      k: 'bqz"',
    });
    assert.deepEqual(load('a=\\\\\\\\\nk\\\\\\ ey= v'), { a: '\\\\', 'k\\ ey': 'v' });
  });

  test('a malformed \\u escape throws, as in Java', () => {
    for (const text of ['a=\\uZZZZ', 'a=\\u00', 'a=\\u12G4', '\\u004=1']) {
      assert.throws(() => parseJavaProperties(text), /Malformed \\uxxxx encoding/, text);
    }
  });

  test('a later duplicate wins; the key keeps its first position', () => {
    assert.deepEqual(
      [...parseJavaProperties('a=1\nb=2\na=3\n')],
      [
        ['a', '3'],
        ['b', '2'],
      ],
    );
  });

  test('keeps non-ASCII text as it is', () => {
    assert.deepEqual(load('é☃=ü\n'), { 'é☃': 'ü' });
  });

  test('reads what Kafka writes and what users write', () => {
    assert.deepEqual(
      [...parseJavaProperties('#comment\nversion=1\nnode.id = 3\ncluster.id:abc\\=def\n\n! other\n')],
      [
        ['version', '1'],
        ['node.id', '3'],
        ['cluster.id', 'abc=def'],
      ],
    );
    assert.deepEqual(load('a=1\nb: two\nc three\n# comment\n! also\n  d = x\\\n    y\ne=\\u0041\\t\nf\\=g=h\n'), {
      a: '1',
      b: 'two',
      c: 'three',
      d: 'xy',
      e: 'A\t',
      'f=g': 'h',
    });
  });
});

describe('formatJavaProperties', () => {
  const line = (key: string, value: string) => formatJavaProperties([[key, value]]);

  test('escapes keys and values as store does', () => {
    assert.equal(line('a b', 'a b'), 'a\\ b=a b\n', 'spaces are escaped in keys only');
    assert.equal(line(' k', ' v '), '\\ k=\\ v \n', 'a leading space of a value is escaped');
    assert.equal(line('=:#!', '=:#!'), '\\=\\:\\#\\!=\\=\\:\\#\\!\n');
    assert.equal(line('\\', 'x\\y'), '\\\\=x\\\\y\n');
    assert.equal(line('t\tn\nr\rf\f', 't\tn\nr\rf\f'), 't\\tn\\nr\\rf\\f=t\\tn\\nr\\rf\\f\n');
    assert.equal(line('é☃', 'ü😀\u0001'), 'é☃=ü😀\u0001\n', 'the Writer form does not escape non-ASCII');
  });

  test('writes comments and the date line as store does', () => {
    const entries = [['k', 'v']] as const;
    const date = 'Fri Dec 04 16:25:25 UTC 2026';
    assert.equal(formatJavaProperties(entries, { date }), `#${date}\nk=v\n`);
    assert.equal(formatJavaProperties(entries, { comments: '', date }), `#\n#${date}\nk=v\n`);
    assert.equal(formatJavaProperties(entries, { comments: 'snow ☃ é', date }), `#snow \\u2603 é\n#${date}\nk=v\n`);
    assert.equal(
      formatJavaProperties(entries, { comments: 'one\ntwo\r\nthree\r#four\n!five\n', date }),
      `#one\n#two\n#three\n#four\n!five\n#\n#${date}\nk=v\n`,
    );
  });

  test('writes entries in iteration order', () => {
    const text = formatJavaProperties(
      new Map([
        ['a', 'x'],
        ['directory.id', 'Q1'],
      ]),
      { comments: 'Written by Samsa' },
    );
    assert.equal(text, '#Written by Samsa\na=x\ndirectory.id=Q1\n');
    assert.deepEqual(
      [...parseJavaProperties(text)],
      [
        ['a', 'x'],
        ['directory.id', 'Q1'],
      ],
    );
  });

  test('whatever it writes reads back unchanged', () => {
    const text = fc.string({
      unit: fc.oneof(
        fc.constantFrom(' ', '\t', '\f', '\n', '\r', '\\', '=', ':', '#', '!', 'u', '\u000b', '☃'),
        fc.string({ unit: 'binary', minLength: 1, maxLength: 1 }),
      ),
      maxLength: 12,
    });
    fc.assert(
      fc.property(
        fc.uniqueArray(fc.tuple(text, text), { selector: ([key]) => key }),
        fc.string(),
        (entries, comments) => {
          assert.deepEqual([...parseJavaProperties(formatJavaProperties(entries, { comments }))], entries);
        },
      ),
    );
  });
});
