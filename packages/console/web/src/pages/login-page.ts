import { useState } from 'preact/hooks';
import { api } from '../api.js';
import { html } from '../html.js';

/** The login form, shown while /api/me answers 401. */
export function LoginPage({ onLoggedIn }: { onLoggedIn: () => void }) {
  const [failure, setFailure] = useState<string | undefined>();
  const [busy, setBusy] = useState(false);
  const submit = async (e: Event) => {
    e.preventDefault();
    const form = new FormData(e.target as HTMLFormElement);
    setBusy(true);
    try {
      await api('POST', '/login', { username: String(form.get('username')), password: String(form.get('password')) });
      setFailure(undefined);
      onLoggedIn();
    } catch (err) {
      setFailure((err as Error).message);
    } finally {
      setBusy(false);
    }
  };
  return html`
    <main class="login">
      <h1>Samsa console</h1>
      <form onSubmit=${submit} aria-label="Log in" class="panel">
        <label>User name <input name="username" autocomplete="username" required /></label>
        <label>Password <input name="password" type="password" autocomplete="current-password" required /></label>
        <button type="submit" disabled=${busy}>Log in</button>
      </form>
      ${failure && html`<p role="alert" class="error">${failure}</p>`}
    </main>
  `;
}
