import { render } from 'preact';
import { useEffect, useState } from 'preact/hooks';
import { html } from './html.js';
import { AclsPage } from './pages/acls-page.js';
import { GroupPage } from './pages/group-page.js';
import { GroupsPage } from './pages/groups-page.js';
import { OverviewPage } from './pages/overview-page.js';
import { QuotasPage } from './pages/quotas-page.js';
import { ReassignmentPage } from './pages/reassignment-page.js';
import { ScramUsersPage } from './pages/scram-users-page.js';
import { StreamsAppsPage } from './pages/streams-apps-page.js';
import { TopicPage } from './pages/topic-page.js';
import { TopicsPage } from './pages/topics-page.js';

/**
 * Hash routes (#/<cluster>/topics/<name>): the server serves one index.html for every path and
 * a reload keeps the page. A cluster is a named entry; the first one is the default.
 */
function useRoute(): string[] {
  const parse = () => window.location.hash.replace(/^#\/?/, '').split('/').filter(Boolean).map(decodeURIComponent);
  const [route, setRoute] = useState(parse);
  useEffect(() => {
    const changed = () => setRoute(parse());
    window.addEventListener('hashchange', changed);
    return () => window.removeEventListener('hashchange', changed);
  }, []);
  return route;
}

function App() {
  const [clusterName, section, name] = [...useRoute(), undefined, undefined, undefined];
  const [clusters, setClusters] = useState<string[]>([]);
  useEffect(() => {
    fetch('/api/clusters')
      .then((r) => r.json())
      .then((b: { clusters: string[] }) => setClusters(b.clusters));
  }, []);
  const cluster = clusterName ?? clusters[0];
  if (cluster === undefined) return html`<p role="status">Loading…</p>`;
  const link = (path: string, label: string, current: boolean) =>
    html`<a href=${`#/${encodeURIComponent(cluster)}${path}`} aria-current=${current ? 'page' : undefined}>${label}</a>`;
  const page =
    section === 'topics' && name !== undefined
      ? html`<${TopicPage} cluster=${cluster} topic=${name} />`
      : section === 'topics'
        ? html`<${TopicsPage} cluster=${cluster} />`
        : section === 'groups' && name !== undefined
          ? html`<${GroupPage} cluster=${cluster} group=${name} />`
          : section === 'groups'
            ? html`<${GroupsPage} cluster=${cluster} />`
            : section === 'reassignments'
              ? html`<${ReassignmentPage} cluster=${cluster} />`
              : section === 'acls'
                ? html`<${AclsPage} cluster=${cluster} />`
                : section === 'quotas'
                  ? html`<${QuotasPage} cluster=${cluster} />`
                  : section === 'scram-users'
                    ? html`<${ScramUsersPage} cluster=${cluster} />`
                    : section === 'streams-apps'
                      ? html`<${StreamsAppsPage} cluster=${cluster} />`
                      : html`<${OverviewPage} cluster=${cluster} />`;
  return html`
    <header>
      <span class="brand">Samsa console</span>
      <span class="cluster">cluster <strong>${cluster}</strong></span>
      <nav aria-label="Main">
        ${link('', 'Overview', section === undefined)} ${link('/topics', 'Topics', section === 'topics')}
        ${link('/groups', 'Consumer groups', section === 'groups')} ${link('/acls', 'ACLs', section === 'acls')}
        ${link('/reassignments', 'Reassign partitions', section === 'reassignments')}
        ${link('/quotas', 'Quotas', section === 'quotas')} ${link('/scram-users', 'SCRAM users', section === 'scram-users')}
        ${link('/streams-apps', 'Streams apps', section === 'streams-apps')}
      </nav>
    </header>
    <main>${page}</main>
  `;
}

const root = document.getElementById('app');
if (root !== null) render(html`<${App} />`, root);
