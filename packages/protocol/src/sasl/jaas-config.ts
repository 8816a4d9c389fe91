/** One login module entry of a JAAS config: `<class> <flag> key="value" ...;`. */
export interface JaasLoginModule {
  readonly loginModule: string;
  readonly flag: 'required' | 'requisite' | 'sufficient' | 'optional';
  readonly options: ReadonlyMap<string, string>;
}

/**
 * Parses the `sasl.jaas.config` syntax Kafka accepts (JaasConfig): one or more
 * `LoginModuleClass flag option="value" option2=value2;` entries. Values may be double-quoted (with
 * `\"` and `\\` escapes) or bare. Throws an Error describing the problem; callers name the key.
 */
export function parseJaasConfig(text: string): JaasLoginModule[] {
  const modules: JaasLoginModule[] = [];
  let pos = 0;
  const skipSpace = () => {
    while (pos < text.length && /\s/.test(text[pos] as string)) pos++;
  };
  const word = (): string => {
    const start = pos;
    while (pos < text.length && /[^\s=;"]/.test(text[pos] as string)) pos++;
    return text.slice(start, pos);
  };
  skipSpace();
  while (pos < text.length) {
    const loginModule = word();
    if (loginModule === '') throw new Error(`JAAS config: expected a login module class at position ${pos}`);
    skipSpace();
    const flag = word();
    if (flag !== 'required' && flag !== 'requisite' && flag !== 'sufficient' && flag !== 'optional') {
      throw new Error(
        `JAAS config: expected a control flag (required, requisite, sufficient, optional) after ${loginModule}`,
      );
    }
    const options = new Map<string, string>();
    for (;;) {
      skipSpace();
      if (pos >= text.length) throw new Error('JAAS config: missing ";" at the end of the login module');
      if (text[pos] === ';') {
        pos++;
        break;
      }
      const key = word();
      if (key === '' || text[pos] !== '=') throw new Error(`JAAS config: expected key=value at position ${pos}`);
      pos++;
      options.set(key, text[pos] === '"' ? quoted() : word());
    }
    modules.push({ loginModule, flag, options });
    skipSpace();
  }
  if (modules.length === 0) throw new Error('JAAS config: no login module');
  return modules;

  function quoted(): string {
    let out = '';
    pos++;
    while (pos < text.length && text[pos] !== '"') {
      if (text[pos] === '\\' && pos + 1 < text.length) pos++;
      out += text[pos];
      pos++;
    }
    if (pos >= text.length) throw new Error('JAAS config: unterminated quoted value');
    pos++;
    return out;
  }
}
