import type { OptionSpec } from './option-parser.js';

const LINE_WIDTH = 80;
const OPTION_COLUMN = 40;

/**
 * Splits text into lines at spaces: the first at most `width` characters, the others at most
 * `restWidth` (long words are cut). Newlines in the text start new lines.
 */
export function wrap(text: string, width: number, restWidth = width): string[] {
  const out: string[] = [];
  const limit = () => (out.length === 0 ? width : restWidth);
  for (const paragraph of text.split('\n')) {
    let line = '';
    for (const word of paragraph.split(/ +/)) {
      if (word === '') continue;
      let w = word;
      while (w.length > limit()) {
        if (line !== '') {
          out.push(line);
          line = '';
        }
        const cut = limit();
        out.push(w.slice(0, cut));
        w = w.slice(cut);
      }
      if (line === '') line = w;
      else if (line.length + 1 + w.length <= limit()) line += ` ${w}`;
      else {
        out.push(line);
        line = w;
      }
    }
    out.push(line);
  }
  return out;
}

function optionText(spec: OptionSpec): string {
  const type = spec.argType ?? 'String';
  const arg = spec.argName === undefined ? type : `${type}: ${spec.argName}`;
  if (spec.arg === 'required') return `--${spec.name} <${arg}>`;
  if (spec.arg === 'optional') return `--${spec.name} [${arg}]`;
  return `--${spec.name}`;
}

/**
 * Kafka's `--help` layout, as joptsimple's BuiltinHelpFormatter prints it for Kafka's tools: the
 * tool's one-line purpose, then an `Option` / `Description` table sorted by option name, option
 * text wrapped in a 40-column first column (continuations indented by two), descriptions
 * wrapped beside it with `(default: …)` appended.
 */
export function formatHelp(purpose: string, specs: Iterable<OptionSpec>): string {
  const lines = [
    purpose,
    `${'Option'.padEnd(OPTION_COLUMN)} Description`,
    `${'------'.padEnd(OPTION_COLUMN)} -----------`,
  ];
  const sorted = [...specs].sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
  const descriptionWidth = LINE_WIDTH - OPTION_COLUMN - 1;
  for (const spec of sorted) {
    const left = wrap(optionText(spec), OPTION_COLUMN, OPTION_COLUMN - 2).map((l, i) => (i === 0 ? l : `  ${l}`));
    const description =
      spec.defaultValue === undefined ? spec.description : `${spec.description} (default: ${spec.defaultValue})`;
    const right = wrap(description, descriptionWidth, descriptionWidth - 2).map((l, i) => (i === 0 ? l : `  ${l}`));
    const rows = Math.max(left.length, right.length);
    for (let i = 0; i < rows; i++) {
      const l = left[i] ?? '';
      const r = right[i] ?? '';
      lines.push(r === '' ? l : `${l.padEnd(OPTION_COLUMN)} ${r}`);
    }
  }
  return `${lines.join('\n')}\n`;
}
