import { api, enc } from '../api.js';
import { formatBytes } from '../format-bytes.js';
import { html } from '../html.js';
import { useCan } from '../session.js';
import { useAction } from '../use-action.js';
import { useLoad } from '../use-load.js';
import { LeaderElectionPanel } from './leader-election-panel.js';
import { LiveTailPanel } from './live-tail-panel.js';
import { MessagesPanel } from './messages-panel.js';
import { TopicConfigsPanel } from './topic-configs-panel.js';
import { TopicMessagesPanel } from './topic-messages-panel.js';

interface TopicDetail {
  name: string;
  topicId: string;
  partitions: {
    partition: number;
    leader: number;
    replicas: number[];
    isr: number[];
    logStartOffset: string;
    logEndOffset: string;
    size: string | null;
  }[];
  configs: { name: string; value: string | null; source: string; isDefault: boolean }[];
}

/** One topic: partition table with offsets, configs, add partitions, delete, messages. */
export function TopicPage({ cluster, topic }: { cluster: string; topic: string }) {
  const path = `/clusters/${enc(cluster)}/topics/${enc(topic)}`;
  const { data, error, reload } = useLoad(() => api<TopicDetail>('GET', path), path);
  const can = useCan();
  const { act, notice } = useAction(reload);
  const remove = () => {
    if (!window.confirm(`Delete topic ${topic} and all its messages?`)) return;
    act(() => api('DELETE', path), `Topic ${topic} deleted`).then(() => {
      window.location.hash = `#/${enc(cluster)}/topics`;
    });
  };
  const addPartitions = (e: Event) => {
    e.preventDefault();
    const totalCount = Number(new FormData(e.target as HTMLFormElement).get('totalCount'));
    act(() => api('POST', `${path}/partitions`, { totalCount }), `Topic ${topic} now has ${totalCount} partitions`);
  };
  return html`
    <h1>Topic ${topic}</h1>
    ${error && html`<p role="alert" class="error">${error}</p>`}
    ${notice}
    ${
      data &&
      html`
      <div class="actions">
        ${
          can('operator') &&
          html`<form onSubmit=${addPartitions} class="inline">
          <label>Total partitions <input name="totalCount" type="number" min=${data.partitions.length + 1} value=${data.partitions.length + 1} /></label>
          <button type="submit">Add partitions</button>
        </form>`
        }
        ${can('admin') && html`<button type="button" class="danger" onClick=${remove}>Delete topic</button>`}
      </div>
      <table>
        <caption>Partitions</caption>
        <thead><tr><th scope="col">Partition</th><th scope="col">Leader</th><th scope="col">Replicas</th><th scope="col">ISR</th><th scope="col">Log start offset</th><th scope="col">Log end offset</th><th scope="col">Size</th></tr></thead>
        <tbody>
          ${data.partitions.map(
            (p) => html`<tr class=${p.isr.length < p.replicas.length ? 'warn' : ''}>
              <td>${p.partition}</td><td>${p.leader}</td><td>${p.replicas.join(', ')}</td><td>${p.isr.join(', ')}</td>
              <td>${p.logStartOffset}</td><td>${p.logEndOffset}</td><td>${formatBytes(p.size)}</td>
            </tr>`,
          )}
        </tbody>
      </table>
      <${TopicMessagesPanel} cluster=${cluster} topic=${topic} />
      <${LiveTailPanel} cluster=${cluster} topic=${topic} />
      <${MessagesPanel} cluster=${cluster} topic=${topic} partitions=${data.partitions.length} onProduced=${reload} />
      ${can('admin') && html`<${LeaderElectionPanel} cluster=${cluster} topic=${topic} onDone=${reload} />`}
      <${TopicConfigsPanel} cluster=${cluster} topic=${topic} />
    `
    }
  `;
}
