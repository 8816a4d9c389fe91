import { ConfigDef } from '../config/config-def.js';
import { DataException } from '../data/schema.js';
import { BaseTransform, regexValidator } from './transform-support.js';
import type { ConnectRecord } from './transformation.js';

/** Java's Matcher.replaceFirst replacement: `$1`, `${name}`, `\$` for a literal `$`. */
export function javaReplacement(match: RegExpExecArray, replacement: string): string {
  let out = '';
  for (let i = 0; i < replacement.length; i++) {
    const c = replacement[i]!;
    if (c === '\\') {
      i++;
      if (i >= replacement.length) throw new DataException('character to be escaped is missing');
      out += replacement[i];
    } else if (c === '$') {
      if (replacement[i + 1] === '{') {
        const end = replacement.indexOf('}', i);
        const name = replacement.slice(i + 2, end);
        if (end < 0 || match.groups === undefined || !(name in match.groups)) {
          throw new DataException(`No group with name {${name}}`);
        }
        out += match.groups[name] ?? '';
        i = end;
      } else {
        let j = i + 1;
        if (!/\d/.test(replacement[j] ?? '')) throw new DataException('Illegal group reference');
        let group = Number(replacement[j]);
        if (group >= match.length) throw new DataException(`No group ${group}`);
        // Java takes further digits while the group number stays valid.
        while (/\d/.test(replacement[j + 1] ?? '') && group * 10 + Number(replacement[j + 1]) < match.length) {
          group = group * 10 + Number(replacement[j + 1]);
          j++;
        }
        out += match[group] ?? '';
        i = j;
      }
    } else out += c;
  }
  return out;
}

const REGEX_ROUTER_DEF = new ConfigDef()
  .define({
    name: 'regex',
    type: 'STRING',
    validator: regexValidator(),
    importance: 'HIGH',
    documentation: 'Regular expression to use for matching.',
  })
  .define({
    name: 'replacement',
    type: 'STRING',
    importance: 'HIGH',
    documentation: 'Replacement string.',
  });

/** Kafka's RegexRouter: a topic matching `regex` as a whole is renamed to `replacement`. */
export class RegexRouter extends BaseTransform {
  private regex = /^$/;
  private replacement = '';

  constructor() {
    super('value');
  }

  config(): ConfigDef {
    return REGEX_ROUTER_DEF;
  }

  protected configured(v: Record<string, unknown>): void {
    this.regex = new RegExp(`^(?:${v.regex as string})$`);
    this.replacement = v.replacement as string;
  }

  apply(record: ConnectRecord): ConnectRecord {
    const match = this.regex.exec(record.topic);
    if (match === null) return record;
    return { ...record, topic: javaReplacement(match, this.replacement) };
  }
}
