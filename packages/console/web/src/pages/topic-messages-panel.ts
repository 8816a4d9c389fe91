import { useState } from 'preact/hooks';
import { api, enc } from '../api.js';
import { html } from '../html.js';
import type { RecordView } from '../record-types.js';
import { RecordsTable } from './records-table.js';

interface Page {
  records: RecordView[];
  scanned: number;
  reachedEnd: boolean;
  nextCursor: string;
}

/**
 * Every partition at once (GET …/topics/:topic/messages): from the earliest, the latest, an offset
 * or a time; "Next page" follows the server's cursor, so each record is shown once; a search
 * scans keys, values and headers and says how far it looked.
 */
export function TopicMessagesPanel({ cluster, topic }: { cluster: string; topic: string }) {
  const path = `/clusters/${enc(cluster)}/topics/${enc(topic)}/messages`;
  const [query, setQuery] = useState<string | undefined>();
  const [page, setPage] = useState<(Page & { number: number; searched: boolean }) | undefined>();
  const [error, setError] = useState<string | undefined>();
  const [from, setFrom] = useState('earliest');
  const load = async (base: string, cursor: string | undefined, number: number, searched: boolean) => {
    try {
      const result = await api<Page>('GET', `${path}?${base}${cursor === undefined ? '' : `&cursor=${enc(cursor)}`}`);
      setPage({ ...result, number, searched });
      setError(undefined);
    } catch (err) {
      setError((err as Error).message);
    }
  };
  const browse = (e: Event) => {
    e.preventDefault();
    const form = new FormData(e.target as HTMLFormElement);
    const at = String(form.get('at') ?? '').trim();
    const q = String(form.get('q') ?? '');
    const params = new URLSearchParams({
      from,
      limit: String(form.get('limit')),
      encoding: String(form.get('encoding')),
    });
    if (from === 'offset') params.set('offset', at);
    if (from === 'timestamp') {
      const ms = /^\d+$/.test(at) ? Number(at) : Date.parse(at);
      if (Number.isNaN(ms)) {
        setError(`invalid time '${at}': ISO 8601 (2026-01-01T00:00:00Z) or milliseconds`);
        return;
      }
      params.set('timestamp', String(ms));
    }
    if (q !== '') params.set('q', q);
    const base = params.toString();
    setQuery(base);
    void load(base, undefined, 1, q !== '');
  };
  const next = () => {
    if (query !== undefined && page !== undefined) void load(query, page.nextCursor, page.number + 1, page.searched);
  };
  const caption =
    page === undefined
      ? ''
      : `Page ${page.number}: ${page.records.length} message(s)` +
        (page.searched ? `, ${page.scanned} scanned` : '') +
        (page.reachedEnd ? ', end of the topic reached' : ', more to read');
  return html`
    <section aria-labelledby="topic-messages-heading">
      <h2 id="topic-messages-heading">Messages of all partitions</h2>
      ${error && html`<p role="alert" class="error">${error}</p>`}
      <form onSubmit=${browse} class="inline" aria-label="Browse all partitions">
        <label>From <select name="from" aria-label="From" value=${from} onChange=${(e: Event) => setFrom((e.target as HTMLSelectElement).value)}>
          <option value="earliest">earliest</option><option value="latest">latest</option>
          <option value="offset">offset</option><option value="timestamp">timestamp</option>
        </select></label>
        ${from === 'offset' && html`<label>Offset (each partition) <input name="at" required pattern="[0-9]+" size="10" /></label>`}
        ${from === 'timestamp' && html`<label>Time (ISO 8601 or ms) <input name="at" required placeholder="2026-01-01T00:00:00Z" /></label>`}
        <label>Page size <input name="limit" type="number" min="1" max="500" value="50" /></label>
        <label>Search <input name="q" type="search" placeholder="key, value or header" /></label>
        <label>Decode as <select name="encoding" aria-label="Decode as"><option value="string">string</option><option value="json">JSON</option><option value="hex">hex</option></select></label>
        <button type="submit">Browse all</button>
      </form>
      ${
        page &&
        html`
        <p role="status" data-testid="topic-messages-status">${caption}</p>
        <${RecordsTable} cluster=${cluster} topic=${topic} records=${page.records} caption=${`${page.records.length} message(s)`} label="Messages of all partitions" />
        ${!page.reachedEnd && html`<button type="button" onClick=${next}>Next page</button>`}`
      }
    </section>
  `;
}
