import { ConfigError } from '../../config/config-def.js';

interface Rule {
  readonly isDefault: boolean;
  readonly pattern?: RegExp;
  readonly replacement?: string;
  readonly toLowerCase?: boolean;
  readonly toUpperCase?: boolean;
}

/**
 * One rule of the list: DEFAULT, or RULE:pattern/replacement/ with an optional L or U; rules are
 * separated by commas or newlines, and anything else after a rule is an error (Kafka's
 * SslPrincipalMapper: "unmatched substring").
 */
const RULE_SYNTAX = /\s*(?:(DEFAULT)|RULE:((?:\\.|[^\\/])*)\/((?:\\.|[^\\/])*)\/([LU]?))\s*(?:[,\n]\s*|$)/y;

/**
 * Kafka's SslPrincipalMapper (KIP-371): turns a client certificate's distinguished name (RFC 2253,
 * "CN=alice,OU=eng,O=corp") into a principal name with `ssl.principal.mapping.rules`. The first
 * rule whose pattern matches the whole DN wins; DEFAULT keeps the DN; no match refuses the client.
 */
export class SslPrincipalMapper {
  private readonly rules: readonly Rule[];

  constructor(rulesText: string) {
    this.rules = parseRules(rulesText);
  }

  /** The principal name for `dn`, or undefined when no rule matches (authentication fails). */
  principalName(dn: string): string | undefined {
    for (const rule of this.rules) {
      if (rule.isDefault) return dn;
      const pattern = rule.pattern as RegExp;
      if (!pattern.test(dn)) continue;
      let name = dn.replace(pattern, rule.replacement as string);
      if (rule.toLowerCase === true) name = name.toLowerCase();
      else if (rule.toUpperCase === true) name = name.toUpperCase();
      return name;
    }
    return undefined;
  }
}

function parseRules(text: string): Rule[] {
  const trimmed = text.trim();
  if (trimmed === '') return [{ isDefault: true }];
  const rules: Rule[] = [];
  RULE_SYNTAX.lastIndex = 0;
  while (RULE_SYNTAX.lastIndex < trimmed.length) {
    const start = RULE_SYNTAX.lastIndex;
    const match = RULE_SYNTAX.exec(trimmed);
    if (match === null || RULE_SYNTAX.lastIndex === start) {
      throw new ConfigError(
        'ssl.principal.mapping.rules',
        `Invalid rule: ${trimmed.slice(start)} in ssl.principal.mapping.rules (expected DEFAULT or RULE:pattern/replacement/[LU])`,
      );
    }
    if (match[1] === 'DEFAULT') {
      rules.push({ isDefault: true });
      continue;
    }
    let pattern: RegExp;
    try {
      pattern = new RegExp(`^(?:${match[2] as string})$`);
    } catch (err) {
      throw new ConfigError('ssl.principal.mapping.rules', `Invalid rule pattern: ${(err as Error).message}`);
    }
    rules.push({
      isDefault: false,
      pattern,
      replacement: (match[3] as string).replace(/\\\//g, '/'),
      toLowerCase: match[4] === 'L',
      toUpperCase: match[4] === 'U',
    });
  }
  return rules;
}

/**
 * A certificate subject as Java's X500Principal.getName() prints it (RFC 2253): most specific
 * attribute first, comma separated. Node's X509Certificate.subject lists them one per line in
 * certificate order.
 */
export function rfc2253Name(nodeSubject: string): string {
  return nodeSubject
    .split('\n')
    .filter((line) => line !== '')
    .reverse()
    .join(',');
}
