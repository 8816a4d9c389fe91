import { UsageError } from '../support/command-errors.js';

/**
 * One command-line option, declared the way Kafka's tools declare theirs with joptsimple
 * (`parser.accepts("topic", "...").withRequiredArg().describedAs("topic").ofType(String.class)`),
 * so that parsing and `--help` behave as Kafka users expect.
 */
export interface OptionSpec {
  readonly name: string;
  readonly description: string;
  /** 'required': `--x value`; 'optional': `--x` alone or `--x value`; absent: a switch. */
  readonly arg?: 'required' | 'optional';
  /** joptsimple's `describedAs`: shown as `<String: topic>` in the help. */
  readonly argName?: string;
  readonly argType?: 'String' | 'Integer' | 'Long' | 'Double';
  readonly defaultValue?: string;
  /** argparse4j's `nargs("+")`: every following token up to the next option is a value. */
  readonly variadic?: boolean;
}

/** What a command line parsed into; option names without the leading dashes. */
export class ParsedOptions {
  constructor(
    private readonly specs: ReadonlyMap<string, OptionSpec>,
    private readonly given: ReadonlyMap<string, readonly string[]>,
    readonly nonOptions: readonly string[],
    private readonly sequence: readonly string[] = [],
  ) {}

  has(name: string): boolean {
    return this.given.has(name);
  }

  /** The last value given, else the declared default. */
  value(name: string): string | undefined {
    const values = this.given.get(name);
    const last = values?.[values.length - 1];
    if (last !== undefined) return last;
    return this.specs.get(name)?.defaultValue;
  }

  values(name: string): string[] {
    return [...(this.given.get(name) ?? [])];
  }

  /** An Integer/Long option's value, checked as joptsimple checks `ofType(Integer.class)`. */
  number(name: string): number | undefined {
    const raw = this.value(name);
    if (raw === undefined) return undefined;
    const spec = this.specs.get(name);
    const ok =
      spec?.argType === 'Double' ? /^[-+]?(\d+\.?\d*|\.\d+)([eE][-+]?\d+)?$/.test(raw) : /^[-+]?\d+$/.test(raw);
    const n = Number(raw);
    if (!ok || !Number.isFinite(n)) throw new UsageError(`Cannot parse argument '${raw}' of option ${name}`);
    return n;
  }

  bigint(name: string): bigint | undefined {
    const raw = this.value(name);
    if (raw === undefined) return undefined;
    if (!/^[-+]?\d+$/.test(raw)) throw new UsageError(`Cannot parse argument '${raw}' of option ${name}`);
    return BigInt(raw);
  }

  /** The option names given, in Kafka's `[name]` notation order of the command line. */
  givenNames(): string[] {
    return [...this.given.keys()];
  }

  /**
   * The option names in command-line order, once per value (a switch once per occurrence), as
   * joptsimple's `OptionSet.specs()` lists them: what relates values of different options given
   * in turns (kafka-configs.sh's `--entity-name a --entity-default`).
   */
  occurrences(): string[] {
    return [...this.sequence];
  }
}

/**
 * A joptsimple-like parser: `--name value`, `--name=value`, unambiguous abbreviations
 * (`--bootstrap` for `--bootstrap-server`, as joptsimple allows), repeatable options collecting
 * every value. Unknown options fail with joptsimple's message.
 */
export class OptionParser {
  readonly specs: ReadonlyMap<string, OptionSpec>;

  constructor(specs: readonly OptionSpec[]) {
    const map = new Map<string, OptionSpec>();
    for (const spec of specs) map.set(spec.name, spec);
    if (!map.has('help')) map.set('help', { name: 'help', description: 'Print usage information.' });
    if (!map.has('version')) map.set('version', { name: 'version', description: 'Display Kafka version.' });
    this.specs = map;
  }

  private resolve(name: string): OptionSpec {
    const exact = this.specs.get(name);
    if (exact !== undefined) return exact;
    const candidates = [...this.specs.keys()].filter((k) => k.startsWith(name));
    if (candidates.length === 1) return this.specs.get(candidates[0] as string) as OptionSpec;
    if (candidates.length > 1) {
      throw new UsageError(
        `Option '${name}' is ambiguous; possibilities: ${candidates.map((c) => `'${c}'`).join(' ')}`,
      );
    }
    throw new UsageError(`${name} is not a recognized option`);
  }

  parse(argv: readonly string[]): ParsedOptions {
    const given = new Map<string, string[]>();
    const nonOptions: string[] = [];
    const sequence: string[] = [];
    const add = (name: string, value: string) => {
      sequence.push(name);
      const list = given.get(name);
      if (list === undefined) given.set(name, [value]);
      else list.push(value);
    };
    for (let i = 0; i < argv.length; i++) {
      const token = argv[i] as string;
      if (token === '--') {
        nonOptions.push(...argv.slice(i + 1));
        break;
      }
      if (!token.startsWith('-') || token === '-') {
        nonOptions.push(token);
        continue;
      }
      const body = token.replace(/^--?/, '');
      const eq = body.indexOf('=');
      const name = eq < 0 ? body : body.slice(0, eq);
      const spec = this.resolve(name);
      if (spec.arg === undefined) {
        if (eq >= 0) throw new UsageError(`Option ${spec.name} does not take an argument`);
        add(spec.name, '');
        continue;
      }
      if (eq >= 0) {
        add(spec.name, body.slice(eq + 1));
      } else if (spec.variadic === true) {
        let taken = 0;
        while (i + 1 < argv.length && !(argv[i + 1] as string).startsWith('--')) {
          add(spec.name, argv[++i] as string);
          taken++;
        }
        if (taken === 0) throw new UsageError(`Option ${spec.name} requires at least one argument`);
      } else {
        const next = argv[i + 1];
        const looksLikeOption = next?.startsWith('--') === true && next.length > 2;
        if (next === undefined || (spec.arg === 'optional' && looksLikeOption)) {
          if (spec.arg === 'required') throw new UsageError(`Option ${spec.name} requires an argument`);
          add(spec.name, '');
        } else {
          add(spec.name, next);
          i++;
        }
      }
    }
    return new ParsedOptions(this.specs, given, nonOptions, sequence);
  }
}

/** `[name]`, the way joptsimple prints an option in Kafka's messages ("Missing required argument \"[topic]\""). */
export function optionLabel(name: string): string {
  return `[${name}]`;
}
