import { render } from 'preact';
import { useEffect, useState } from 'preact/hooks';
import { ApiError, api, onUnauthenticated, setCsrfToken } from './api.js';
import { html } from './html.js';
import { AclsPage } from './pages/acls-page.js';
import { AuditPage } from './pages/audit-page.js';
import { ConnectPage } from './pages/connect-page.js';
import { GroupPage } from './pages/group-page.js';
import { GroupsPage } from './pages/groups-page.js';
import { LoginPage } from './pages/login-page.js';
import { OverviewPage } from './pages/overview-page.js';
import { QuotasPage } from './pages/quotas-page.js';
import { ReassignmentPage } from './pages/reassignment-page.js';
import { ScramUsersPage } from './pages/scram-users-page.js';
import { StreamsAppsPage } from './pages/streams-apps-page.js';
import { TopicPage } from './pages/topic-page.js';
import { TopicsPage } from './pages/topics-page.js';
import { type Me, MeContext } from './session.js';

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

function App({ me, onLogout }: { me: Me; onLogout: () => void }) {
  const [clusterName, section, name] = [...useRoute(), undefined, undefined, undefined];
  const [clusters, setClusters] = useState<string[]>([]);
  useEffect(() => {
    api<{ clusters: string[] }>('GET', '/clusters').then((b) => setClusters(b.clusters));
  }, []);
  const cluster = clusterName ?? clusters[0];
  if (cluster === undefined) return html`<p role="status">Loading…</p>`;
  const isAdmin = me.role === 'admin';
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
                      : section === 'connect'
                        ? html`<${ConnectPage} cluster=${cluster} />`
                        : section === 'audit' && isAdmin
                          ? html`<${AuditPage} cluster=${cluster} />`
                          : html`<${OverviewPage} cluster=${cluster} />`;
  const switchCluster = (e: Event) => {
    window.location.hash = `#/${encodeURIComponent((e.target as HTMLSelectElement).value)}`;
  };
  const logout = async () => {
    await api('POST', '/logout').catch(() => undefined);
    onLogout();
  };
  return html`
    <header>
      <span class="brand">Samsa console</span>
      ${
        clusters.length > 1
          ? html`<select class="cluster" aria-label="Cluster" value=${cluster} onChange=${switchCluster}>
              ${clusters.map((c) => html`<option value=${c} selected=${c === cluster}>${c}</option>`)}
            </select>`
          : html`<span class="cluster">cluster <strong>${cluster}</strong></span>`
      }
      <nav aria-label="Main">
        ${link('', 'Overview', section === undefined)} ${link('/topics', 'Topics', section === 'topics')}
        ${link('/groups', 'Consumer groups', section === 'groups')} ${link('/acls', 'ACLs', section === 'acls')}
        ${link('/reassignments', 'Reassign partitions', section === 'reassignments')}
        ${link('/quotas', 'Quotas', section === 'quotas')} ${link('/scram-users', 'SCRAM users', section === 'scram-users')}
        ${link('/streams-apps', 'Streams apps', section === 'streams-apps')} ${link('/connect', 'Connect', section === 'connect')}
        ${isAdmin && me.login ? link('/audit', 'Audit log', section === 'audit') : ''}
      </nav>
      <span class="session">
        ${me.readOnly && html`<span class="tag">read-only</span>`}
        ${
          me.login &&
          html`<span data-testid="current-user">${me.user} (${me.role})</span>
            <button type="button" onClick=${logout}>Log out</button>`
        }
      </span>
    </header>
    <main>${page}</main>
  `;
}

/** Asks /api/me who is logged in: the login form on 401, the console otherwise. */
function Root() {
  const [me, setMe] = useState<Me | 'login' | undefined>(undefined);
  const [failure, setFailure] = useState<string | undefined>();
  const load = () => {
    api<Me>('GET', '/me').then(
      (m) => {
        setCsrfToken(m.csrfToken);
        setMe(m);
      },
      (err: unknown) => {
        setCsrfToken(null);
        if (err instanceof ApiError && err.status === 401) setMe('login');
        else setFailure(`The console does not answer: ${(err as Error).message}`);
      },
    );
  };
  useEffect(() => {
    onUnauthenticated(() => {
      setCsrfToken(null);
      setMe('login');
    });
    load();
  }, []);
  if (me === undefined)
    return failure === undefined
      ? html`<p role="status">Loading…</p>`
      : html`<p role="alert" class="error">${failure}</p>`;
  if (me === 'login') return html`<${LoginPage} onLoggedIn=${load} />`;
  return html`<${MeContext.Provider} value=${me}><${App} me=${me} onLogout=${() => {
    setCsrfToken(null);
    setMe('login');
  }} /></${MeContext.Provider}>`;
}

const root = document.getElementById('app');
if (root !== null) render(html`<${Root} />`, root);
