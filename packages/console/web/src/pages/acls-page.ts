import { useState } from 'preact/hooks';
import { api, enc } from '../api.js';
import { html } from '../html.js';
import { useCan } from '../session.js';
import { useAction } from '../use-action.js';
import { useLoad } from '../use-load.js';

interface Acl {
  resourceType: string;
  resourceName: string;
  patternType: string;
  principal: string;
  host: string;
  operation: string;
  permissionType: string;
}

const RESOURCE_TYPES = ['TOPIC', 'GROUP', 'CLUSTER', 'TRANSACTIONAL_ID', 'USER'];
const OPERATIONS = [
  'ALL',
  'READ',
  'WRITE',
  'CREATE',
  'DELETE',
  'ALTER',
  'DESCRIBE',
  'DESCRIBE_CONFIGS',
  'ALTER_CONFIGS',
  'IDEMPOTENT_WRITE',
];
const options = (values: string[]) => values.map((v) => html`<option value=${v}>${v}</option>`);

/** ACL bindings: filter by principal, create one, delete one (confirmed). */
export function AclsPage({ cluster }: { cluster: string }) {
  const path = `/clusters/${enc(cluster)}/acls`;
  const [principal, setPrincipal] = useState('');
  const query = principal === '' ? '' : `?principal=${enc(principal)}`;
  const { data, error, reload } = useLoad(() => api<{ acls: Acl[] }>('GET', `${path}${query}`), `${path}${query}`);
  const can = useCan();
  const { act, notice } = useAction(reload);
  const create = (e: Event) => {
    e.preventDefault();
    const body = Object.fromEntries(new FormData(e.target as HTMLFormElement));
    void act(() => api('POST', path, body), `ACL for ${String(body.principal)} created`);
  };
  const remove = (acl: Acl) => {
    if (!window.confirm(`Delete the ACL ${acl.permissionType} ${acl.operation} for ${acl.principal}?`)) return;
    void act(() => api('DELETE', path, acl), `ACL for ${acl.principal} deleted`);
  };
  return html`
    <h1>ACLs</h1>
    ${error && html`<p role="alert" class="error">${error}</p>`}
    ${notice}
    ${
      can('admin') &&
      html`<details class="panel">
      <summary>Create ACL</summary>
      <form onSubmit=${create} aria-label="Create ACL">
        <label>Resource type <select name="resourceType" aria-label="Resource type">${options(RESOURCE_TYPES)}</select></label>
        <label>Resource name <input name="resourceName" required /></label>
        <label>Pattern type <select name="patternType" aria-label="Pattern type">${options(['LITERAL', 'PREFIXED'])}</select></label>
        <label>Principal <input name="principal" required placeholder="User:alice" /></label>
        <label>Host <input name="host" value="*" required /></label>
        <label>Operation <select name="operation" aria-label="Operation">${options(OPERATIONS)}</select></label>
        <label>Permission <select name="permissionType" aria-label="Permission">${options(['ALLOW', 'DENY'])}</select></label>
        <button type="submit">Create ACL</button>
      </form>
    </details>`
    }
    <label class="inline">Principal filter <input type="search" value=${principal} placeholder="User:alice" onChange=${(e: Event) => setPrincipal((e.target as HTMLInputElement).value)} /></label>
    <table>
      <caption>${data?.acls.length ?? 0} ACL(s)</caption>
      <thead><tr><th scope="col">Resource</th><th scope="col">Pattern</th><th scope="col">Principal</th><th scope="col">Host</th><th scope="col">Operation</th><th scope="col">Permission</th><th scope="col">Actions</th></tr></thead>
      <tbody>
        ${(data?.acls ?? []).map(
          (a) => html`<tr>
            <td>${a.resourceType}:${a.resourceName}</td><td>${a.patternType}</td><td>${a.principal}</td><td>${a.host}</td>
            <td>${a.operation}</td><td>${a.permissionType}</td>
            <td>${can('admin') && html`<button type="button" class="danger" onClick=${() => remove(a)}>Delete</button>`}</td>
          </tr>`,
        )}
      </tbody>
    </table>
  `;
}
