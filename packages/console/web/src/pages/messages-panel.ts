import { useState } from 'preact/hooks';
import { api, enc } from '../api.js';
import { html } from '../html.js';
import { useCan } from '../session.js';

interface RecordView {
  partition: number;
  offset: string;
  timestamp: number;
  timestampType: string;
  key: string | null;
  value: string | null;
  valueBytes: number;
  truncated: boolean;
  headers: { key: string; value: string | null }[];
}

interface Props {
  cluster: string;
  topic: string;
  partitions: number;
  onProduced: () => void;
}

/** Browse a partition from an offset or the latest, decode as string/JSON/hex; produce one message. */
export function MessagesPanel({ cluster, topic, partitions, onProduced }: Props) {
  const base = `/clusters/${enc(cluster)}/topics/${enc(topic)}`;
  const [records, setRecords] = useState<RecordView[] | undefined>();
  const [notice, setNotice] = useState<{ ok: boolean; text: string } | undefined>();
  const [browsed, setBrowsed] = useState(0);
  const can = useCan();
  const browse = async (e: Event) => {
    e.preventDefault();
    const form = new FormData(e.target as HTMLFormElement);
    const partition = String(form.get('partition'));
    const from = String(form.get('offset')).trim() || 'latest';
    setBrowsed(Number(partition));
    try {
      const query = `offset=${enc(from)}&limit=${enc(String(form.get('limit')))}&encoding=${enc(String(form.get('encoding')))}`;
      const result = await api<{ records: RecordView[] }>('GET', `${base}/partitions/${partition}/messages?${query}`);
      setRecords(result.records);
      setNotice(undefined);
    } catch (err) {
      setNotice({ ok: false, text: (err as Error).message });
    }
  };
  const produce = async (e: Event) => {
    e.preventDefault();
    const formElement = e.target as HTMLFormElement;
    const form = new FormData(formElement);
    const headers: Record<string, string> = {};
    for (const line of String(form.get('headers') ?? '').split('\n')) {
      const [k, ...v] = line.split('=');
      if (k !== undefined && k.trim() !== '') headers[k.trim()] = v.join('=');
    }
    const key = String(form.get('key'));
    try {
      const sent = await api<{ partition: number; offset: string }>('POST', `${base}/messages`, {
        key: key === '' ? null : key,
        value: String(form.get('value')),
        headers,
        partition: String(form.get('partition')),
      });
      setNotice({ ok: true, text: `Produced to partition ${sent.partition} at offset ${sent.offset}` });
      onProduced();
    } catch (err) {
      setNotice({ ok: false, text: (err as Error).message });
    }
  };
  const partitionOptions = Array.from({ length: partitions }, (_, p) => html`<option value=${p}>${p}</option>`);
  return html`
    <section aria-labelledby="messages-heading">
      <h2 id="messages-heading">Messages</h2>
      ${notice && html`<p role=${notice.ok ? 'status' : 'alert'} class=${notice.ok ? 'ok' : 'error'}>${notice.text}</p>`}
      <form onSubmit=${browse} class="inline" aria-label="Browse messages">
        <label>Partition <select name="partition" aria-label="Partition">${partitionOptions}</select></label>
        <label>From offset <input name="offset" placeholder="latest" size="10" /></label>
        <label>Limit <input name="limit" type="number" min="1" max="500" value="50" /></label>
        <label>Decode as <select name="encoding" aria-label="Decode as"><option value="string">string</option><option value="json">JSON</option><option value="hex">hex</option></select></label>
        <button type="submit">Browse</button>
      </form>
      ${
        records &&
        html`<table class="messages">
        <caption>${records.length} message(s)</caption>
        <thead><tr><th scope="col">Offset</th><th scope="col">Timestamp</th><th scope="col">Key</th><th scope="col">Value</th><th scope="col">Headers</th></tr></thead>
        <tbody>
          ${records.map(
            (r) => html`<tr>
              <td>${r.offset}</td>
              <td><time datetime=${new Date(r.timestamp).toISOString()}>${new Date(r.timestamp).toISOString()}</time> <span class="muted">${r.timestampType}</span></td>
              <td><code>${r.key ?? '(null)'}</code></td>
              <td><pre>${r.value ?? '(null)'}</pre>
                ${
                  r.truncated &&
                  html`<p>Truncated (${r.valueBytes} bytes). <a href=${`/api${base}/partitions/${browsed}/messages/${r.offset}/value`} download>Download value</a></p>`
                }
              </td>
              <td>${r.headers.map((h) => html`<div><code>${h.key}=${h.value ?? '(null)'}</code></div>`)}</td>
            </tr>`,
          )}
        </tbody>
      </table>`
      }
      ${
        can('operator') &&
        html`<details class="panel">
        <summary>Produce a message</summary>
        <form onSubmit=${produce}>
          <label>Partition <select name="partition" aria-label="Partition"><option value="">(partitioner)</option>${partitionOptions}</select></label>
          <label>Key <input name="key" /></label>
          <label>Value <textarea name="value" rows="4"></textarea></label>
          <label>Headers (one name=value a line) <textarea name="headers" rows="2"></textarea></label>
          <button type="submit">Produce</button>
        </form>
      </details>`
      }
    </section>
  `;
}
