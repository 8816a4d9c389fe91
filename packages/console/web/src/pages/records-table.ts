import { enc } from '../api.js';
import { html } from '../html.js';
import type { RecordView } from '../record-types.js';

interface Props {
  cluster: string;
  topic: string;
  records: RecordView[];
  caption: string;
  label?: string;
}

/** Records of several partitions: partition, offset, time, key, value (cut ones link their download), headers. */
export function RecordsTable({ cluster, topic, records, caption, label }: Props) {
  const base = `/api/clusters/${enc(cluster)}/topics/${enc(topic)}`;
  return html`<table class="messages" aria-label=${label}>
    <caption>${caption}</caption>
    <thead><tr><th scope="col">Partition</th><th scope="col">Offset</th><th scope="col">Timestamp</th><th scope="col">Key</th><th scope="col">Value</th><th scope="col">Headers</th></tr></thead>
    <tbody>
      ${records.map(
        (r) => html`<tr key=${`${r.partition}:${r.offset}`} data-record=${`${r.partition}:${r.offset}`}>
          <td>${r.partition}</td>
          <td>${r.offset}</td>
          <td><time datetime=${new Date(r.timestamp).toISOString()}>${new Date(r.timestamp).toISOString()}</time> <span class="muted">${r.timestampType}</span></td>
          <td><code>${r.key ?? '(null)'}</code></td>
          <td><pre>${r.value ?? '(null)'}</pre>
            ${
              r.truncated &&
              html`<p>Truncated (${r.valueBytes} bytes). <a href=${`${base}/partitions/${r.partition}/messages/${r.offset}/value`} download>Download value</a></p>`
            }
          </td>
          <td>${r.headers.map((h) => html`<div><code>${h.key}=${h.value ?? '(null)'}</code></div>`)}</td>
        </tr>`,
      )}
    </tbody>
  </table>`;
}
