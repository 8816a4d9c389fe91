import { api, enc } from '../api.js';
import { html } from '../html.js';
import { useLoad } from '../use-load.js';

interface GroupRow {
  groupId: string;
  state: string;
  protocolType: string;
  members: number;
  totalLag: string;
}

/** Consumer groups with their state, member count and total lag. */
export function GroupsPage({ cluster }: { cluster: string }) {
  const { data, error, reload } = useLoad(
    () => api<{ groups: GroupRow[] }>('GET', `/clusters/${enc(cluster)}/groups`),
    cluster,
  );
  return html`
    <h1>Consumer groups</h1>
    ${error && html`<p role="alert" class="error">${error}</p>`}
    <button type="button" onClick=${reload}>Refresh</button>
    <table>
      <caption>${data?.groups.length ?? 0} group(s)</caption>
      <thead><tr><th scope="col">Group</th><th scope="col">State</th><th scope="col">Members</th><th scope="col">Total lag</th></tr></thead>
      <tbody>
        ${(data?.groups ?? []).map(
          (g) => html`<tr>
            <td><a href=${`#/${enc(cluster)}/groups/${enc(g.groupId)}`}>${g.groupId}</a></td>
            <td>${g.state}</td><td>${g.members}</td><td>${g.totalLag}</td>
          </tr>`,
        )}
      </tbody>
    </table>
  `;
}
