import { useState } from 'preact/hooks';
import { api, enc } from '../api.js';
import { formatBytes } from '../format-bytes.js';
import { html } from '../html.js';
import { useCan } from '../session.js';
import { useLoad } from '../use-load.js';
import { ConfigReference } from './config-reference.js';

interface TopicRow {
  name: string;
  internal: boolean;
  partitions: number;
  replicationFactor: number;
  underReplicated: number;
  offline: number;
  size: string;
  messagesPerSec: number | null;
}

/** Topics with a filter, and the create-topic form. */
export function TopicsPage({ cluster }: { cluster: string }) {
  const { data, error, reload } = useLoad(
    () => api<{ topics: TopicRow[] }>('GET', `/clusters/${enc(cluster)}/topics?internal=true`),
    cluster,
  );
  const [filter, setFilter] = useState('');
  const can = useCan();
  const shown = (data?.topics ?? []).filter((t) => t.name.includes(filter));
  return html`
    <h1>Topics</h1>
    ${error && html`<p role="alert" class="error">${error}</p>`}
    ${can('operator') && html`<${CreateTopicForm} cluster=${cluster} onCreated=${reload} />`}
    <label class="inline">Filter <input type="search" value=${filter} onInput=${(e: Event) => setFilter((e.target as HTMLInputElement).value)} /></label>
    <table>
      <caption>${shown.length} topic(s)</caption>
      <thead><tr><th scope="col">Name</th><th scope="col">Partitions</th><th scope="col">Replication factor</th><th scope="col">Under-replicated</th><th scope="col">Offline</th><th scope="col">Size</th><th scope="col">Messages/s</th></tr></thead>
      <tbody>
        ${shown.map(
          (t) => html`<tr>
            <td><a href=${`#/${enc(cluster)}/topics/${enc(t.name)}`}>${t.name}</a>${t.internal ? html` <span class="tag">internal</span>` : ''}</td>
            <td>${t.partitions}</td><td>${t.replicationFactor}</td>
            <td class=${t.underReplicated > 0 ? 'warn' : ''}>${t.underReplicated}</td>
            <td class=${t.offline > 0 ? 'warn' : ''}>${t.offline}</td><td>${formatBytes(t.size)}</td><td>${t.messagesPerSec === null ? '—' : t.messagesPerSec.toFixed(1)}</td>
          </tr>`,
        )}
      </tbody>
    </table>
  `;
}

function CreateTopicForm({ cluster, onCreated }: { cluster: string; onCreated: () => void }) {
  const [message, setMessage] = useState<{ ok: boolean; text: string } | undefined>();
  const submit = async (e: Event) => {
    e.preventDefault();
    const form = new FormData(e.target as HTMLFormElement);
    const configs: Record<string, string> = {};
    for (const line of String(form.get('configs') ?? '').split('\n')) {
      const [k, ...v] = line.split('=');
      if (k !== undefined && k.trim() !== '') configs[k.trim()] = v.join('=').trim();
    }
    try {
      await api('POST', `/clusters/${enc(cluster)}/topics`, {
        name: form.get('name'),
        partitions: Number(form.get('partitions')),
        replicationFactor: Number(form.get('replicationFactor')),
        configs,
      });
      setMessage({ ok: true, text: `Topic ${form.get('name')} created` });
      (e.target as HTMLFormElement).reset();
      onCreated();
    } catch (err) {
      setMessage({ ok: false, text: (err as Error).message });
    }
  };
  return html`
    <details class="panel">
      <summary>Create topic</summary>
      <form onSubmit=${submit}>
        <label>Name <input name="name" required pattern="[a-zA-Z0-9._\\-]{1,249}" /></label>
        <label>Partitions <input name="partitions" type="number" min="1" value="1" required /></label>
        <label>Replication factor <input name="replicationFactor" type="number" min="1" value="1" required /></label>
        <label>Configs (one name=value a line) <textarea name="configs" rows="3" placeholder="cleanup.policy=compact"></textarea></label>
        <button type="submit">Create</button>
      </form>
      <${ConfigReference} />
      ${message && html`<p role=${message.ok ? 'status' : 'alert'} class=${message.ok ? 'ok' : 'error'}>${message.text}</p>`}
    </details>
  `;
}
