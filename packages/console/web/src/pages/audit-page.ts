import { api, enc } from '../api.js';
import { html } from '../html.js';
import { useLoad } from '../use-load.js';

interface AuditEntry {
  user: string | null;
  role: string;
  method: string;
  path: string;
  cluster: string;
  status: number;
  timestampMs: number;
}

/** The latest changes made through the console on this cluster (admins only), newest first. */
export function AuditPage({ cluster }: { cluster: string }) {
  const path = `/clusters/${enc(cluster)}/audit?limit=200`;
  const { data, error, reload } = useLoad(() => api<{ topic: string; entries: AuditEntry[] }>('GET', path), path);
  return html`
    <h1>Audit log</h1>
    ${error && html`<p role="alert" class="error">${error}</p>`}
    <p class="muted">Changes made through the console, from the topic ${data?.topic ?? '…'} of cluster ${cluster}; failed attempts show their status.</p>
    <div class="actions"><button type="button" onClick=${reload}>Refresh</button></div>
    <table>
      <caption>${data?.entries.length ?? 0} latest change(s)</caption>
      <thead><tr><th scope="col">Time</th><th scope="col">User</th><th scope="col">Role</th><th scope="col">Method</th><th scope="col">Path</th><th scope="col">Status</th></tr></thead>
      <tbody>
        ${(data?.entries ?? []).map(
          (e) => html`<tr class=${e.status >= 400 ? 'warn' : ''}>
            <td>${new Date(e.timestampMs).toISOString()}</td><td>${e.user ?? '(anonymous)'}</td><td>${e.role}</td>
            <td>${e.method}</td><td>${e.path}</td><td>${e.status}</td>
          </tr>`,
        )}
      </tbody>
    </table>
  `;
}
