import * as fs from 'node:fs';
import { atomicWriteFile } from '../util/file-ops.js';

/**
 * A minimal reader/writer for Java `.properties` files such as `meta.properties`
 * (`version=1`, `node.id=1`, `directory.id=...`, `cluster.id=...`). Supports `key=value` and
 * `key: value`, `#`/`!` comments and backslash escapes of the common characters; enough for the
 * files Kafka writes, which contain only simple keys and values.
 */
export function parseProperties(text: string): Map<string, string> {
  const props = new Map<string, string>();
  const lines = text.split(/\r?\n/);
  for (let i = 0; i < lines.length; i++) {
    let line = (lines[i] as string).trimStart();
    if (line === '' || line.startsWith('#') || line.startsWith('!')) continue;
    while (line.endsWith('\\') && !line.endsWith('\\\\') && i + 1 < lines.length) {
      line = line.slice(0, -1) + (lines[++i] as string).trimStart();
    }
    const match = /^((?:\\.|[^=:\s\\])*)\s*[=:\s]\s*(.*)$/.exec(line);
    const key = unescapeJava(match ? (match[1] as string) : line);
    const value = match ? unescapeJava(match[2] as string) : '';
    props.set(key, value);
  }
  return props;
}

function unescapeJava(s: string): string {
  return s.replace(/\\(u[0-9a-fA-F]{4}|.)/g, (_, c: string) => {
    if (c.length === 5) return String.fromCharCode(Number.parseInt(c.slice(1), 16));
    return ({ n: '\n', t: '\t', r: '\r', f: '\f' } as Record<string, string>)[c] ?? c;
  });
}

function escapeKey(s: string): string {
  return s.replace(/[\\=: #!]/g, (c) => `\\${c}`).replace(/\n/g, '\\n');
}

function escapeValue(s: string): string {
  return s.replace(/\\/g, '\\\\').replace(/\n/g, '\\n').replace(/^ /, '\\ ');
}

/** Renders properties in insertion order, preceded by an optional comment line. */
export function formatProperties(props: ReadonlyMap<string, string>, comment?: string): string {
  let text = comment === undefined ? '' : `#${comment}\n`;
  for (const [k, v] of props) text += `${escapeKey(k)}=${escapeValue(v)}\n`;
  return text;
}

export function readPropertiesFile(path: string): Map<string, string> | undefined {
  try {
    return parseProperties(fs.readFileSync(path, 'utf8'));
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw err;
  }
}

/** Atomic, durable write (temp file + fsync + rename). */
export function writePropertiesFile(path: string, props: ReadonlyMap<string, string>, comment?: string): Promise<void> {
  return atomicWriteFile(path, formatProperties(props, comment));
}
