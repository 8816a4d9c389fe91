import { appendFileSync } from 'node:fs';

/**
 * Kafka Streams' `Printed` (for `KStream.print`): where records are printed — standard output
 * or a file — as `[<label>]: <key>, <value>`, Java's format. The label defaults to the print
 * node's name; `withKeyValueMapper` replaces the `<key>, <value>` part.
 */
export class Printed<K, V> {
  private constructor(
    readonly write: (line: string) => void,
    readonly label: string | undefined,
    readonly mapper: (key: K, value: V) => string,
    readonly processorName: string | undefined,
  ) {}

  static toSysOut<K, V>(): Printed<K, V> {
    return new Printed<K, V>(
      (line) => process.stdout.write(`${line}\n`),
      undefined,
      (k, v) => `${k}, ${v}`,
      undefined,
    );
  }

  static toFile<K, V>(filePath: string): Printed<K, V> {
    return new Printed<K, V>(
      (line) => appendFileSync(filePath, `${line}\n`),
      undefined,
      (k, v) => `${k}, ${v}`,
      undefined,
    );
  }

  withLabel(label: string): Printed<K, V> {
    return new Printed(this.write, label, this.mapper, this.processorName);
  }

  withKeyValueMapper(mapper: (key: K, value: V) => string): Printed<K, V> {
    return new Printed(this.write, this.label, mapper, this.processorName);
  }

  withName(processorName: string): Printed<K, V> {
    return new Printed(this.write, this.label, this.mapper, processorName);
  }
}
