import { ConfigDef, ConfigException } from '../config/config-def.js';
import type { ConnectRecord, Predicate } from './transformation.js';

/** Kafka's TopicNameMatches: the topic matches `pattern` as a whole (Java's Matcher.matches). */
export class TopicNameMatches implements Predicate {
  private pattern = /^$/;

  config(): ConfigDef {
    return new ConfigDef().define({
      name: 'pattern',
      type: 'STRING',
      validator: {
        ensureValid(name, value) {
          if (value === '') throw new ConfigException(name, value, 'String must be non-empty');
          try {
            new RegExp(String(value));
          } catch (error) {
            throw new ConfigException(name, value, `entry must be a valid regex: ${(error as Error).message}`);
          }
        },
        toString: () => 'A valid regex',
      },
      importance: 'MEDIUM',
      documentation: "A Java regular expression for matching against the name of a record's topic.",
    });
  }

  configure(props: Readonly<Record<string, string>>): void {
    this.pattern = new RegExp(`^(?:${this.config().parse(props).pattern as string})$`);
  }

  test(record: ConnectRecord): boolean {
    return this.pattern.test(record.topic);
  }

  close(): void {}
}

/** Kafka's HasHeaderKey: the record has at least one header named `name`. */
export class HasHeaderKey implements Predicate {
  private name = '';

  config(): ConfigDef {
    return new ConfigDef().define({
      name: 'name',
      type: 'STRING',
      validator: {
        ensureValid(name, value) {
          if (value === '') throw new ConfigException(name, value, 'String must be non-empty');
        },
        toString: () => 'non-empty string',
      },
      importance: 'MEDIUM',
      documentation: 'The header name.',
    });
  }

  configure(props: Readonly<Record<string, string>>): void {
    this.name = this.config().parse(props).name as string;
  }

  test(record: ConnectRecord): boolean {
    return (record.headers ?? []).some((h) => h.key === this.name);
  }

  close(): void {}
}

/** Kafka's RecordIsTombstone: the value is null. */
export class RecordIsTombstone implements Predicate {
  config(): ConfigDef {
    return new ConfigDef();
  }

  configure(): void {}

  test(record: ConnectRecord): boolean {
    return record.value === null || record.value === undefined;
  }

  close(): void {}
}

const P = 'org.apache.kafka.connect.transforms.predicates.';

export const PREDICATES: ReadonlyMap<string, () => Predicate> = new Map<string, () => Predicate>([
  [`${P}TopicNameMatches`, () => new TopicNameMatches()],
  [`${P}HasHeaderKey`, () => new HasHeaderKey()],
  [`${P}RecordIsTombstone`, () => new RecordIsTombstone()],
]);

/** Makes a custom predicate available under `className` in `predicates.<alias>.type`. */
export function registerPredicate(className: string, factory: () => Predicate): void {
  (PREDICATES as Map<string, () => Predicate>).set(className, factory);
}
