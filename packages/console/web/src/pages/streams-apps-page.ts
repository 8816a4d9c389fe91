import { api, enc } from '../api.js';
import { html } from '../html.js';
import { useLoad } from '../use-load.js';

interface StreamsApp {
  applicationId: string;
  group: { state: string; members: number };
  internalTopics: { name: string; kind: string }[];
}

/** Kafka Streams applications: groups whose id prefixes -changelog/-repartition topics, with those topics. */
export function StreamsAppsPage({ cluster }: { cluster: string }) {
  const path = `/clusters/${enc(cluster)}/streams-apps`;
  const { data, error, reload } = useLoad(() => api<{ apps: StreamsApp[] }>('GET', path), path);
  const apps = data?.apps ?? [];
  return html`
    <h1>Streams apps</h1>
    ${error && html`<p role="alert" class="error">${error}</p>`}
    <p class="muted">A consumer group is a Kafka Streams application when internal topics
      (<code>${'<application.id>-…-changelog'}</code> or <code>-repartition</code>) start with its id.</p>
    <div class="actions"><button type="button" onClick=${reload}>Refresh</button></div>
    <table>
      <caption>${data === undefined ? 'Loading…' : `${apps.length} application(s)`}</caption>
      <thead><tr><th scope="col">Application id</th><th scope="col">State</th><th scope="col">Members</th><th scope="col">Internal topics</th></tr></thead>
      <tbody>
        ${apps.map(
          (a) => html`<tr>
            <td><a href=${`#/${enc(cluster)}/groups/${enc(a.applicationId)}`}>${a.applicationId}</a></td>
            <td>${a.group.state}</td><td>${a.group.members}</td>
            <td>${a.internalTopics.map(
              (t) =>
                html`<div><a href=${`#/${enc(cluster)}/topics/${enc(t.name)}`}>${t.name}</a> <span class="muted">${t.kind}</span></div>`,
            )}</td>
          </tr>`,
        )}
      </tbody>
    </table>
  `;
}
