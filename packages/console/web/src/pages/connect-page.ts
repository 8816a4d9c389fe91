import { useEffect, useState } from 'preact/hooks';
import { api, enc } from '../api.js';
import { html } from '../html.js';
import { useCan } from '../session.js';
import { useAction } from '../use-action.js';
import { useLoad } from '../use-load.js';

interface Task {
  id: number;
  state: string;
  workerId: string;
  trace: string | null;
}
interface Connector {
  name: string;
  type: string;
  state: string;
  workerId: string;
  trace: string | null;
  tasks: Task[];
  config: Record<string, string>;
}

const REFRESH_MS = 3000;
const EXAMPLE = `{
  "connector.class": "FileStreamSource",
  "tasks.max": "1",
  "file": "test.txt",
  "topic": "connect-test"
}`;

/** Kafka Connect: the cluster's Connect clusters, their connectors and tasks, and actions on them. */
export function ConnectPage({ cluster }: { cluster: string }) {
  const connects = useLoad(
    () => api<{ connects: { name: string }[] }>('GET', `/clusters/${enc(cluster)}/connects`),
    cluster,
  );
  const [chosen, setChosen] = useState<string | undefined>();
  const names = (connects.data?.connects ?? []).map((c) => c.name);
  const connect = chosen ?? names[0];
  if (connects.error) return html`<h1>Kafka Connect</h1><p role="alert" class="error">${connects.error}</p>`;
  if (connects.data === undefined) return html`<h1>Kafka Connect</h1><p role="status">Loading…</p>`;
  if (connect === undefined)
    return html`<h1>Kafka Connect</h1>
      <p class="muted">No Kafka Connect is configured for this cluster: start the console with
      <code>--connect-url http://host:8083</code>, or list them under <code>clusters[].connect</code>
      in its config file.</p>`;
  return html`
    <h1>Kafka Connect</h1>
    ${
      names.length > 1 &&
      html`<label class="inline">Connect cluster <select aria-label="Connect cluster" value=${connect}
        onChange=${(e: Event) => setChosen((e.target as HTMLSelectElement).value)}>
        ${names.map((n) => html`<option value=${n}>${n}</option>`)}</select></label>`
    }
    <${Connectors} key=${`${cluster}/${connect}`} cluster=${cluster} connect=${connect} />
  `;
}

function Connectors({ cluster, connect }: { cluster: string; connect: string }) {
  const base = `/clusters/${enc(cluster)}/connects/${enc(connect)}`;
  const { data, error, reload } = useLoad(
    () => api<{ version: string; connectors: Connector[] }>('GET', `${base}/connectors`),
    base,
  );
  const can = useCan();
  // Connectors change state on their own (a task fails, a rebalance moves it): followed live.
  useEffect(() => {
    const timer = setInterval(reload, REFRESH_MS);
    return () => clearInterval(timer);
  }, [reload]);
  const { act, notice, setNotice } = useAction(reload);
  const create = (e: Event) => {
    e.preventDefault();
    const form = new FormData(e.target as HTMLFormElement);
    const name = String(form.get('name')).trim();
    let config: unknown;
    try {
      config = JSON.parse(String(form.get('config')));
    } catch (err) {
      setNotice({ ok: false, text: `The config is not JSON: ${(err as Error).message}` });
      return;
    }
    void act(() => api('POST', `${base}/connectors`, { name, config }), `Connector ${name} created`);
  };
  const on = (c: Connector, rest: string) => `${base}/connectors/${enc(c.name)}${rest}`;
  const remove = (c: Connector) => {
    if (!window.confirm(`Delete connector ${c.name}? Its tasks stop; its offsets stay in Connect.`)) return;
    void act(() => api('DELETE', on(c, '')), `Connector ${c.name} deleted`);
  };
  return html`
    ${error && html`<p role="alert" class="error">${error}</p>`}
    ${notice}
    ${data && html`<p class="muted">Connect ${connect}, version ${data.version}</p>`}
    ${
      can('admin') &&
      html`<details class="panel">
      <summary>Create connector</summary>
      <form onSubmit=${create} aria-label="Create connector">
        <label>Name <input name="name" required /></label>
        <label>Config (JSON, Kafka Connect's properties)
          <textarea name="config" rows="8" cols="60" required>${EXAMPLE}</textarea></label>
        <button type="submit">Create connector</button>
      </form>
    </details>`
    }
    <table>
      <caption>${data?.connectors.length ?? 0} connector(s)</caption>
      <thead><tr><th scope="col">Connector</th><th scope="col">Type</th><th scope="col">State</th><th scope="col">Tasks</th><th scope="col">Class</th><th scope="col">Actions</th></tr></thead>
      <tbody>
        ${(data?.connectors ?? []).map(
          (c) => html`<tr data-testid="connector-row">
            <td>${c.name}</td>
            <td>${c.type}</td>
            <td data-testid="connector-state">${c.state}${c.trace && html`<details><summary>trace</summary><pre>${c.trace}</pre></details>`}</td>
            <td>${c.tasks.map(
              (t) => html`<div>
                <span data-testid="task-state">${t.id}: ${t.state}</span> <span class="muted">${t.workerId}</span>
                ${t.trace && html`<details><summary>trace</summary><pre>${t.trace}</pre></details>`}
                ${can('operator') && t.state === 'FAILED' && html`<button type="button" onClick=${() => act(() => api('POST', on(c, `/tasks/${t.id}/restart`)), `Task ${t.id} of ${c.name} restarted`)}>Restart task</button>`}
              </div>`,
            )}</td>
            <td>${c.config['connector.class']}</td>
            <td class="actions">
              ${
                can('operator') &&
                html`${
                  c.state === 'PAUSED' || c.state === 'STOPPED'
                    ? html`<button type="button" onClick=${() => act(() => api('PUT', on(c, '/resume')), `Connector ${c.name} resumed`)}>Resume</button>`
                    : html`<button type="button" onClick=${() => act(() => api('PUT', on(c, '/pause')), `Connector ${c.name} paused`)}>Pause</button>`
                }
                <button type="button" onClick=${() => act(() => api('POST', on(c, '/restart?includeTasks=true')), `Connector ${c.name} restarted`)}>Restart</button>`
              }
              ${can('admin') && html`<button type="button" class="danger" onClick=${() => remove(c)}>Delete</button>`}
            </td>
          </tr>`,
        )}
      </tbody>
    </table>
  `;
}
