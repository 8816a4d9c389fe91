import * as fs from 'node:fs';
import { formatJavaProperties, type JavaPropertiesHeader, parseJavaProperties } from '@samsa/protocol';
import { atomicWriteFile } from '../util/file-ops.js';

/**
 * Java `.properties` files such as `meta.properties` (`version`, `broker.id`/`node.id`,
 * `cluster.id`, `directory.id`), read and written as Kafka's `PropertiesUtils` does: UTF-8 text in
 * `java.util.Properties` syntax (@samsa/protocol's `parseJavaProperties`/`formatJavaProperties`).
 */
export function readPropertiesFile(path: string): Map<string, string> | undefined {
  try {
    return parseJavaProperties(fs.readFileSync(path, 'utf8'));
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw err;
  }
}

/** Atomic, durable write (temp file + fsync + rename + directory fsync). */
export function writePropertiesFile(
  path: string,
  props: Iterable<readonly [string, string]>,
  header?: JavaPropertiesHeader,
): Promise<void> {
  return atomicWriteFile(path, formatJavaProperties(props, header));
}
