/**
 * Kafka's `ToolsUtils.prettyPrintTable`, the table layout of `kafka-transactions.sh`: each column
 * as wide as its widest value (header included), every cell padded to that width and followed
 * by a tab — the last one too, so each line ends with a tab — one line per row after the headers.
 */
export function prettyPrintTable(headers: readonly string[], rows: readonly (readonly string[])[]): string {
  const widths = headers.map((header, i) => Math.max(header.length, ...rows.map((row) => (row[i] ?? '').length)));
  const line = (row: readonly string[]) =>
    `${headers.map((_, i) => `${(row[i] ?? '').padEnd(widths[i] ?? 0)}\t`).join('')}\n`;
  return line(headers) + rows.map(line).join('');
}
