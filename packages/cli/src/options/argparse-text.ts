/**
 * argparse4j's text layout (0.7's TextHelper), for help and error text that must look as Kafka's
 * argparse4j tools print it: lines filled up to 75 columns (ArgumentParsers.DEFAULT_FORMAT_WIDTH,
 * what Java uses when it cannot read the terminal's width), broken where Java's line
 * BreakIterator allows, and every line but a paragraph's last justified with extra spaces.
 */

/** ArgumentParsers.DEFAULT_FORMAT_WIDTH. */
export const FORMAT_WIDTH = 75;

const isSpace = (c: string | undefined) => c === ' ' || c === '\t';
const isDigit = (c: string | undefined) => c !== undefined && c >= '0' && c <= '9';
const isWordChar = (c: string | undefined) => c !== undefined && /[A-Za-z0-9]/.test(c);
const isQuote = (c: string | undefined) => c === "'" || c === '"';

/**
 * Where Java's `BreakIterator.getLineInstance()` may break ASCII text, for the text Kafka's tools
 * print (checked against the JDK): after spaces; after hyphens (`comma-|separated`, `--|partition`)
 * unless a leading minus starts a number (`-1`); after `: , ; ! ? .` and any quotes right after
 * them (`host:|port`, `Value:"|40000`) unless a full stop sits between digits (`1.5`); and before
 * an opening parenthesis glued to a word (`Spec|(topic`).
 */
export function lineSegments(text: string): string[] {
  const segments: string[] = [];
  let start = 0;
  for (let i = 0; i < text.length - 1; i++) {
    const c = text[i];
    const next = text[i + 1];
    let breakAfter = false;
    if (isSpace(c)) breakAfter = !isSpace(next);
    else if (c === '-') {
      let first = i;
      while (text[first - 1] === '-') first--;
      const leadingMinus = first === 0 || isSpace(text[first - 1]);
      breakAfter = !isSpace(next) && next !== '-' && !(leadingMinus && isDigit(next));
    } else if (':,;!?.'.includes(c as string) && !isSpace(next) && !isQuote(next)) {
      breakAfter = !(c === '.' && isDigit(text[i - 1]) && isDigit(next)) && !':,;!?.'.includes(next as string);
    } else if (isQuote(c) && ':,;!?.'.includes(text[i - 1] ?? ' ')) {
      breakAfter = !isSpace(next) && !isQuote(next);
    } else if (next === '(' && isWordChar(c)) breakAfter = true;
    if (breakAfter) {
      segments.push(text.slice(start, i + 1));
      start = i + 1;
    }
  }
  if (start < text.length) segments.push(text.slice(start));
  return segments;
}

/**
 * TextHelper.adjustSpace: `line` without its outer spaces, widened to end at column `width` by
 * spreading spaces over its blanks, the remainder going one each to the middle blanks.
 * `lineWidth` is where the line ended, counting the columns before it.
 */
function adjustSpace(line: string, width: number, lineWidth: number): string {
  const trimmed = line.trim();
  const used = lineWidth - (line.length - trimmed.length);
  const blanks = trimmed.match(/ +/g)?.length ?? 0;
  if (blanks === 0) return trimmed;
  const needed = width - used;
  const each = Math.floor(needed / blanks);
  const rem = needed % blanks;
  const remStart = Math.floor((blanks - rem + 1) / 2);
  let b = 0;
  return trimmed.replace(/ +/g, (run) => {
    const extra = each + (b >= remStart && b < remStart + rem ? 1 : 0);
    b++;
    return run + ' '.repeat(Math.max(0, extra));
  });
}

/**
 * TextHelper.wrap: `text` laid out from column `offset` (the first line) and `indent.length`
 * (the others, which start with `indent`), no line past `width` unless one segment is longer.
 * Returns the lines joined with newlines, the first without indent.
 */
export function wrapText(text: string, width: number, offset: number, indent: string): string {
  const out: string[] = [];
  let line = '';
  let column = offset;
  for (const segment of lineSegments(text)) {
    column += segment.length;
    if (column > width) {
      out.push(adjustSpace(line, width, column - segment.length));
      line = '';
      column = indent.length + segment.length;
    }
    line += segment;
  }
  out.push(line);
  return out.join(`\n${indent}`);
}

/** Damerau–Levenshtein distance with git's costs, as argparse4j ranks "Did you mean" candidates. */
function distance(a: string, b: string): number {
  const [swap, sub, add, del] = [0, 2, 1, 4];
  let prev2: number[] = new Array(b.length + 1).fill(0);
  let prev: number[] = Array.from({ length: b.length + 1 }, (_, i) => i);
  for (let i = 1; i <= a.length; i++) {
    const row: number[] = [i];
    for (let j = 1; j <= b.length; j++) {
      let d = (prev[j - 1] as number) + (a[i - 1] === b[j - 1] ? 0 : sub);
      if (i >= 2 && j >= 2 && a[i - 1] !== b[j - 1] && a[i - 2] === b[j - 1] && a[i - 1] === b[j - 2]) {
        d = Math.min(d, (prev2[j - 2] as number) + swap);
      }
      row.push(Math.min(d, (prev[j] as number) + del, (row[j - 1] as number) + add));
    }
    prev2 = prev;
    prev = row;
  }
  return prev[b.length] as number;
}

/**
 * argparse4j's "Did you mean" lines after an unknown command or flag: the subjects most like
 * `typed` (a prefix match counts as identical), none if even the best is too far off.
 */
export function didYouMean(typed: string, subjects: readonly { subject: string; body: string }[]): string {
  const ranked = subjects
    .map((s) => ({ subject: s.subject, similarity: s.body.startsWith(typed) ? 0 : distance(typed, s.body) }))
    .sort((x, y) => x.similarity - y.similarity || (x.subject < y.subject ? -1 : x.subject > y.subject ? 1 : 0));
  const best = ranked[0]?.similarity;
  if (best === undefined || best >= 7) return '';
  const lines = ranked.filter((c) => c.similarity <= best).map((c) => `\t${c.subject}\n`);
  return `\nDid you mean:\n${lines.join('')}`;
}
