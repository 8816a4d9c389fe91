/**
 * A table as the database names it: an optional schema (PostgreSQL's namespace; SQLite has none
 * here) and the table name. `fqn` is the unquoted dotted form Confluent's connector writes in its
 * source partitions (`public.orders`, or `orders` in SQLite).
 */
export interface TableId {
  readonly schema: string | null;
  readonly table: string;
}

export function tableFqn(id: TableId): string {
  return id.schema === null ? id.table : `${id.schema}.${id.table}`;
}

/** `schema.table` or `table` as a user writes it in `table.whitelist` or a task config. */
export function parseTableId(text: string): TableId {
  const dot = text.lastIndexOf('.');
  return dot < 0 ? { schema: null, table: text } : { schema: text.slice(0, dot), table: text.slice(dot + 1) };
}
