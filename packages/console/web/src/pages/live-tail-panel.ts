import { useEffect, useState } from 'preact/hooks';
import { enc } from '../api.js';
import { html } from '../html.js';
import type { RecordView } from '../record-types.js';
import { RecordsTable } from './records-table.js';

/** The browser keeps the newest this many records of a tail. */
const KEEP = 100;

type TailState = 'off' | 'starting' | 'live' | 'stopped';

/**
 * "Live tail": an EventSource on …/topics/:topic/tail (Server-Sent Events from a group-less
 * consumer at the end of every partition), newest first, the last 100 kept. Stopping, leaving the
 * page or closing it closes the EventSource, and the server closes its consumer. A lost
 * connection is not retried (EventSource would, and restart at the end, hiding the gap).
 */
export function LiveTailPanel({ cluster, topic }: { cluster: string; topic: string }) {
  const [on, setOn] = useState(false);
  const [encoding, setEncoding] = useState('string');
  const [state, setState] = useState<TailState>('off');
  const [message, setMessage] = useState('');
  const [records, setRecords] = useState<RecordView[]>([]);
  const [received, setReceived] = useState(0);
  const [skipped, setSkipped] = useState(0);
  useEffect(() => {
    if (!on) return;
    setState('starting');
    setRecords([]);
    setReceived(0);
    setSkipped(0);
    const source = new EventSource(`/api/clusters/${enc(cluster)}/topics/${enc(topic)}/tail?encoding=${enc(encoding)}`);
    const stop = (text: string) => {
      source.close();
      setState('stopped');
      setMessage(text);
      setOn(false);
    };
    source.addEventListener('ready', () => setState('live'));
    source.addEventListener('skipped', (e) =>
      setSkipped((n) => n + (JSON.parse((e as MessageEvent).data) as { count: number }).count),
    );
    source.addEventListener('failed', (e) =>
      stop(`Tail failed: ${(JSON.parse((e as MessageEvent).data) as { message: string }).message}`),
    );
    source.onmessage = (e) => {
      const record = JSON.parse(e.data as string) as RecordView;
      setReceived((n) => n + 1);
      setRecords((rs) => [record, ...rs].slice(0, KEEP));
    };
    source.onerror = () => stop('Tail stopped: the connection to the console was lost');
    return () => source.close();
  }, [on, cluster, topic, encoding]);
  const status =
    state === 'starting'
      ? 'Starting the tail…'
      : state === 'live'
        ? `Tailing: ${received} new record(s)${skipped > 0 ? `, ${skipped} skipped (too many at once)` : ''}`
        : message;
  return html`
    <section aria-labelledby="tail-heading">
      <h2 id="tail-heading">Live tail</h2>
      <div class="toolbar">
        <label>Decode as <select aria-label="Tail decode as" value=${encoding} disabled=${on} onChange=${(e: Event) => setEncoding((e.target as HTMLSelectElement).value)}>
          <option value="string">string</option><option value="json">JSON</option><option value="hex">hex</option>
        </select></label>
        <button type="button" aria-pressed=${on} onClick=${() => {
          if (on) setMessage(`Tail stopped after ${received} record(s)`);
          setState(on ? 'stopped' : 'starting');
          setOn(!on);
        }}>${on ? 'Stop live tail' : 'Start live tail'}</button>
      </div>
      ${status !== '' && html`<p role="status" data-testid="tail-status">${status}</p>`}
      ${
        (on || records.length > 0) &&
        html`<${RecordsTable} cluster=${cluster} topic=${topic} records=${records}
          caption=${`Newest first, the last ${KEEP} kept`} label="Live tail" />`
      }
    </section>
  `;
}
