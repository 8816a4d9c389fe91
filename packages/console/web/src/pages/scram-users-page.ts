import { api, enc } from '../api.js';
import { html } from '../html.js';
import { useCan } from '../session.js';
import { useAction } from '../use-action.js';
import { useLoad } from '../use-load.js';

interface ScramUser {
  user: string;
  credentials: { mechanism: string; iterations: number }[];
}

/** SCRAM users: list (mechanisms, iterations; never a password), create or update one, delete one credential (confirmed). */
export function ScramUsersPage({ cluster }: { cluster: string }) {
  const path = `/clusters/${enc(cluster)}/scram-users`;
  const { data, error, reload } = useLoad(() => api<{ users: ScramUser[] }>('GET', path), path);
  const { act, notice } = useAction(reload);
  const save = (e: Event) => {
    e.preventDefault();
    const formElement = e.target as HTMLFormElement;
    const form = new FormData(formElement);
    const user = String(form.get('user')).trim();
    const mechanism = String(form.get('mechanism'));
    const body = { mechanism, password: String(form.get('password')), iterations: Number(form.get('iterations')) };
    void act(() => api('PUT', `${path}/${enc(user)}`, body), `Credential ${mechanism} of ${user} saved`).then((ok) => {
      // The password leaves the page once sent.
      const password = formElement.elements.namedItem('password') as HTMLInputElement | null;
      if (ok && password !== null) password.value = '';
    });
  };
  const remove = (user: string, mechanism: string) => {
    if (!window.confirm(`Delete the ${mechanism} credential of ${user}?`)) return;
    void act(
      () => api('DELETE', `${path}/${enc(user)}?mechanism=${enc(mechanism)}`),
      `Credential ${mechanism} of ${user} deleted`,
    );
  };
  const users = data?.users ?? [];
  const can = useCan();
  return html`
    <h1>SCRAM users</h1>
    ${error && html`<p role="alert" class="error">${error}</p>`}
    ${notice}
    ${
      can('admin') &&
      html`<details class="panel">
      <summary>Create or update a credential</summary>
      <form onSubmit=${save} aria-label="Save a SCRAM credential">
        <label>User <input name="user" required autocomplete="off" /></label>
        <label>Mechanism <select name="mechanism" aria-label="Mechanism"><option value="SCRAM-SHA-256">SCRAM-SHA-256</option><option value="SCRAM-SHA-512">SCRAM-SHA-512</option></select></label>
        <label>Password <input name="password" type="password" required autocomplete="new-password" /></label>
        <label>Iterations <input name="iterations" type="number" min="4096" max="16384" value="4096" /></label>
        <button type="submit">Save credential</button>
      </form>
      <p class="muted">The client salts and hashes the password; the console never stores or answers it.</p>
    </details>`
    }
    <table>
      <caption>${users.length} user(s)</caption>
      <thead><tr><th scope="col">User</th><th scope="col">Mechanism</th><th scope="col">Iterations</th><th scope="col">Actions</th></tr></thead>
      <tbody>
        ${users.flatMap((u) =>
          u.credentials.map(
            (c) => html`<tr>
              <td>${u.user}</td><td>${c.mechanism}</td><td>${c.iterations}</td>
              <td>${can('admin') && html`<button type="button" class="danger" onClick=${() => remove(u.user, c.mechanism)}>Delete</button>`}</td>
            </tr>`,
          ),
        )}
      </tbody>
    </table>
  `;
}
