/**
 * Java's `.properties` text format, read exactly as `java.util.Properties.load(Reader)` reads it
 * and written as `store(Writer, comments)` writes it. Kafka's `server.properties`, client config
 * files and `meta.properties` are all this format, and a file that Java reads one way must not
 * read another way here. Pure string functions: callers do the file I/O.
 *
 * Reading (Java 17's `LineReader.readLine` and `load0`):
 * - Lines end at `\n`, `\r` or `\r\n`. A line ending in an odd number of backslashes continues on
 *   the next one: the last backslash and the terminator are dropped, and the next line's leading
 *   whitespace is skipped. An empty continuation line ends the logical line. A backslash at the
 *   very end of the text is dropped.
 * - Whitespace is only space, `\t` and `\f`. Leading whitespace and blank lines are skipped.
 * - `#` or `!` as the first non-whitespace character of a logical line makes it a comment (the
 *   comment ends at the first terminator: a backslash does not continue it). Elsewhere both are
 *   ordinary characters.
 * - The key ends at the first unescaped `=`, `:` or whitespace. Whitespace after it is skipped,
 *   then one `=` or `:` if the key was ended by whitespace, then whitespace again; the value is
 *   the rest of the logical line (trailing whitespace kept). A line with no separator is a key
 *   with an empty value.
 * - In keys and values, `\t \n \r \f` and `\uXXXX` are escapes; a backslash before any other
 *   character yields that character (`\=`, `\:`, `\ `, `\#`, `\\`). A malformed `\u` throws, as
 *   Java's `IllegalArgumentException("Malformed \uxxxx encoding.")` does.
 * - A later duplicate key replaces the earlier value (the key keeps its first position).
 */
export function parseJavaProperties(text: string): Map<string, string> {
  const props = new Map<string, string>();
  for (const line of logicalLines(text)) {
    const limit = line.length;
    let keyLength = 0;
    let valueStart = limit;
    let hasSeparator = false;
    let precedingBackslash = false;
    while (keyLength < limit) {
      const c = line[keyLength] as string;
      if ((c === '=' || c === ':') && !precedingBackslash) {
        valueStart = keyLength + 1;
        hasSeparator = true;
        break;
      }
      if (isWhitespace(c) && !precedingBackslash) {
        valueStart = keyLength + 1;
        break;
      }
      precedingBackslash = c === '\\' ? !precedingBackslash : false;
      keyLength++;
    }
    while (valueStart < limit) {
      const c = line[valueStart] as string;
      if (!isWhitespace(c)) {
        if (hasSeparator || (c !== '=' && c !== ':')) break;
        hasSeparator = true;
      }
      valueStart++;
    }
    props.set(loadConvert(line, 0, keyLength), loadConvert(line, valueStart, limit));
  }
  return props;
}

/** What `store` writes before the entries. */
export interface JavaPropertiesHeader {
  /** Written as `#` comment lines, as `store(writer, comments)` writes its `comments` argument. */
  readonly comments?: string;
  /** The `#<date>` line `store` always writes after the comments; left out when not given. */
  readonly date?: string;
}

/**
 * Renders `props` in iteration order, one `key=value` line each, escaped as Java's `store(Writer,
 * comments)` escapes them: `\\`, `\t \n \r \f`, and `= : # !` everywhere; spaces everywhere in
 * keys but only a leading one in values. Non-ASCII characters are written as they are (the
 * `Writer` form; the caller encodes the text as UTF-8, as Kafka's `PropertiesUtils` does). Lines
 * end with `\n`, Java's line separator on Linux.
 */
export function formatJavaProperties(
  props: Iterable<readonly [string, string]>,
  header: JavaPropertiesHeader = {},
): string {
  let text = '';
  if (header.comments !== undefined) text += formatComments(header.comments);
  if (header.date !== undefined) text += `#${header.date}\n`;
  for (const [key, value] of props) text += `${saveConvert(key, true)}=${saveConvert(value, false)}\n`;
  return text;
}

function isWhitespace(c: string): boolean {
  return c === ' ' || c === '\t' || c === '\f';
}

/**
 * The logical lines of `text`: comments and blank lines removed, continuations joined, leading
 * whitespace skipped, escapes not yet resolved. A port of Java's `LineReader.readLine`, whose
 * corner cases (a comment right after a continuation that left the line empty, a trailing
 * backslash at the end of the text) it keeps.
 */
function* logicalLines(text: string): Generator<string> {
  const end = text.length;
  let pos = 0;
  for (;;) {
    let line = '';
    let skipWhitespace = true;
    let appendedLineBegin = false;
    let precedingBackslash = false;
    for (;;) {
      if (pos >= end) {
        if (line.length > 0) yield precedingBackslash ? line.slice(0, -1) : line;
        return;
      }
      const c = text[pos++] as string;
      if (skipWhitespace) {
        if (isWhitespace(c)) continue;
        // Blank lines are skipped, but an empty continuation line ends the logical line.
        if (!appendedLineBegin && (c === '\r' || c === '\n')) continue;
        skipWhitespace = false;
        appendedLineBegin = false;
      }
      if (line.length === 0 && (c === '#' || c === '!')) {
        while (pos < end) {
          const d = text[pos++];
          if (d === '\r' || d === '\n') break;
        }
        skipWhitespace = true;
        continue;
      }
      if (c !== '\n' && c !== '\r') {
        line += c;
        precedingBackslash = c === '\\' ? !precedingBackslash : false;
        continue;
      }
      if (line.length === 0) {
        skipWhitespace = true;
        continue;
      }
      if (pos >= end) {
        yield precedingBackslash ? line.slice(0, -1) : line;
        return;
      }
      if (!precedingBackslash) {
        yield line;
        break;
      }
      line = line.slice(0, -1);
      skipWhitespace = true;
      appendedLineBegin = true;
      precedingBackslash = false;
      if (c === '\r' && text[pos] === '\n') pos++;
    }
  }
}

/** Java's `loadConvert`: resolves the escapes of `line[start, end)`. */
function loadConvert(line: string, start: number, end: number): string {
  const first = line.indexOf('\\', start);
  if (first < 0 || first >= end) return line.slice(start, end);
  let out = line.slice(start, first);
  let pos = first;
  while (pos < end) {
    const c = line[pos++] as string;
    // Logical lines never end in an unescaped backslash, so one is always followed by a character.
    if (c !== '\\' || pos >= end) {
      out += c;
      continue;
    }
    const e = line[pos++] as string;
    if (e === 'u') {
      const hex = line.slice(pos, pos + 4);
      if (pos + 4 > end || !/^[0-9a-fA-F]{4}$/.test(hex)) throw new Error('Malformed \\uxxxx encoding.');
      out += String.fromCharCode(Number.parseInt(hex, 16));
      pos += 4;
    } else {
      out += e === 't' ? '\t' : e === 'n' ? '\n' : e === 'r' ? '\r' : e === 'f' ? '\f' : e;
    }
  }
  return out;
}

/** Java's `saveConvert` without unicode escaping (the `Writer` form of `store`). */
function saveConvert(s: string, isKey: boolean): string {
  let out = '';
  for (let i = 0; i < s.length; i++) {
    const c = s[i] as string;
    switch (c) {
      case '\\':
        out += '\\\\';
        break;
      case ' ':
        out += i === 0 || isKey ? '\\ ' : ' ';
        break;
      case '\t':
        out += '\\t';
        break;
      case '\n':
        out += '\\n';
        break;
      case '\r':
        out += '\\r';
        break;
      case '\f':
        out += '\\f';
        break;
      case '=':
      case ':':
      case '#':
      case '!':
        out += `\\${c}`;
        break;
      default:
        out += c;
    }
  }
  return out;
}

/**
 * Java's `writeComments`: each line of `comments` becomes a `#` line (a line that already starts
 * with `#` or `!` keeps it), and characters above U+00FF are written as `\uXXXX`.
 */
function formatComments(comments: string): string {
  let out = '#';
  for (let i = 0; i < comments.length; i++) {
    const c = comments[i] as string;
    const code = c.charCodeAt(0);
    if (code > 0xff) {
      out += `\\u${code.toString(16).toUpperCase().padStart(4, '0')}`;
    } else if (c === '\n' || c === '\r') {
      out += '\n';
      if (c === '\r' && comments[i + 1] === '\n') i++;
      const next = comments[i + 1];
      if (next !== '#' && next !== '!') out += '#';
    } else {
      out += c;
    }
  }
  return `${out}\n`;
}
