import { useState } from 'preact/hooks';
import { api, enc } from '../api.js';
import { html } from '../html.js';
import { useCan } from '../session.js';
import { useAction } from '../use-action.js';
import { useLoad } from '../use-load.js';

interface Entity {
  user?: string | null;
  clientId?: string | null;
}
interface Quota {
  entity: Entity;
  values: Record<string, number>;
}

const KEYS = ['producer_byte_rate', 'consumer_byte_rate', 'request_percentage'] as const;

/** `user alice, client-id (default)`: a name, or "(default)" for the type's default entity. */
export function entityLabel(entity: Entity): string {
  const part = (name: string, value: string | null | undefined) =>
    value === undefined ? [] : [`${name} ${value === null ? '(default)' : value}`];
  return [...part('user', entity.user), ...part('client-id', entity.clientId)].join(', ');
}

/** Client quotas of users, client ids and their defaults: list, set, remove (confirmed). */
export function QuotasPage({ cluster }: { cluster: string }) {
  const path = `/clusters/${enc(cluster)}/quotas`;
  const { data, error, reload } = useLoad(() => api<{ quotas: Quota[] }>('GET', path), path);
  const [kind, setKind] = useState('user');
  const { act, notice } = useAction(reload);
  const set = (e: Event) => {
    e.preventDefault();
    const form = new FormData(e.target as HTMLFormElement);
    const name = (field: string) => {
      const v = String(form.get(field) ?? '').trim();
      return v === '' ? null : v;
    };
    const entity: Entity = {};
    if (kind !== 'client-id') entity.user = name('user');
    if (kind !== 'user') entity.clientId = name('clientId');
    const values: Record<string, number> = {};
    for (const key of KEYS) {
      const v = String(form.get(key) ?? '').trim();
      if (v !== '') values[key] = Number(v);
    }
    void act(() => api('PUT', path, { entity, values }), `Quota of ${entityLabel(entity)} set`);
  };
  const remove = (quota: Quota) => {
    if (!window.confirm(`Remove every quota of ${entityLabel(quota.entity)}?`)) return;
    const values = Object.fromEntries(Object.keys(quota.values).map((k) => [k, null]));
    void act(
      () => api('PUT', path, { entity: quota.entity, values }),
      `Quotas of ${entityLabel(quota.entity)} removed`,
    );
  };
  const can = useCan();
  const quotas = data?.quotas ?? [];
  return html`
    <h1>Quotas</h1>
    ${error && html`<p role="alert" class="error">${error}</p>`}
    ${notice}
    ${
      can('admin') &&
      html`<details class="panel">
      <summary>Set a quota</summary>
      <form onSubmit=${set} aria-label="Set a quota">
        <label>Entity <select aria-label="Entity" value=${kind} onChange=${(e: Event) => setKind((e.target as HTMLSelectElement).value)}>
          <option value="user">user</option><option value="client-id">client id</option><option value="both">user and client id</option>
        </select></label>
        ${kind !== 'client-id' && html`<label>User <input name="user" placeholder="(default)" /></label>`}
        ${kind !== 'user' && html`<label>Client id <input name="clientId" placeholder="(default)" /></label>`}
        <label>Producer bytes/s <input name="producer_byte_rate" type="number" min="1" step="any" /></label>
        <label>Consumer bytes/s <input name="consumer_byte_rate" type="number" min="1" step="any" /></label>
        <label>Request percentage <input name="request_percentage" type="number" min="1" step="any" /></label>
        <button type="submit">Set quota</button>
      </form>
      <p class="muted">A blank name is the default entity; blank values stay as they are.</p>
    </details>`
    }
    <table>
      <caption>${quotas.length} quota entit${quotas.length === 1 ? 'y' : 'ies'}</caption>
      <thead><tr><th scope="col">Entity</th><th scope="col">Producer bytes/s</th><th scope="col">Consumer bytes/s</th><th scope="col">Request percentage</th><th scope="col">Actions</th></tr></thead>
      <tbody>
        ${quotas.map(
          (q) => html`<tr>
            <td>${entityLabel(q.entity)}</td>
            ${KEYS.map((k) => html`<td>${q.values[k] ?? '—'}</td>`)}
            <td>${can('admin') && html`<button type="button" class="danger" onClick=${() => remove(q)}>Remove</button>`}</td>
          </tr>`,
        )}
      </tbody>
    </table>
  `;
}
