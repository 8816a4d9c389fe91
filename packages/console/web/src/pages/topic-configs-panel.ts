import { useState } from 'preact/hooks';
import { api, enc } from '../api.js';
import { html } from '../html.js';
import { useCan } from '../session.js';
import { useLoad } from '../use-load.js';

interface Config {
  name: string;
  value: string | null;
  source: string;
  isDefault: boolean;
  readOnly: boolean;
  documentation: string | null;
}

/**
 * A topic's configs with their source (DEFAULT_CONFIG, DYNAMIC_TOPIC_CONFIG, STATIC_BROKER_CONFIG…)
 * and Kafka's documentation; set a value, or remove a topic override so the broker's applies.
 */
export function TopicConfigsPanel({ cluster, topic }: { cluster: string; topic: string }) {
  const path = `/clusters/${enc(cluster)}/topics/${enc(topic)}/configs`;
  const { data, error, reload } = useLoad(() => api<{ configs: Config[] }>('GET', path), path);
  const [notice, setNotice] = useState<{ ok: boolean; text: string } | undefined>();
  const [name, setName] = useState('');
  const can = useCan();
  const change = async (body: unknown, done: string) => {
    try {
      await api('PATCH', path, body);
      setNotice({ ok: true, text: done });
      reload();
    } catch (err) {
      setNotice({ ok: false, text: (err as Error).message });
    }
  };
  const submit = (e: Event) => {
    e.preventDefault();
    const form = new FormData(e.target as HTMLFormElement);
    const key = String(form.get('name') ?? '').trim();
    const value = String(form.get('value') ?? '');
    change({ set: { [key]: value } }, `${key} set to ${value}`);
  };
  const configs = data?.configs ?? [];
  const doc = configs.find((c) => c.name === name)?.documentation;
  return html`
    <details class="panel" open>
      <summary>Configs (${configs.filter((c) => c.source === 'DYNAMIC_TOPIC_CONFIG').length} set on the topic)</summary>
      ${error && html`<p role="alert" class="error">${error}</p>`}
      ${
        can('admin') &&
        html`<form onSubmit=${submit} aria-label="Edit config" class="inline">
        <label>Config <input name="name" list="topic-config-names" required value=${name}
          onInput=${(e: Event) => setName((e.target as HTMLInputElement).value)} /></label>
        <datalist id="topic-config-names">${configs.map((c) => html`<option value=${c.name} />`)}</datalist>
        <label>New value <input name="value" required /></label>
        <button type="submit">Set</button>
      </form>`
      }
      ${doc && html`<p class="muted" data-testid="config-doc">${doc}</p>`}
      ${notice && html`<p role=${notice.ok ? 'status' : 'alert'} class=${notice.ok ? 'ok' : 'error'}>${notice.text}</p>`}
      <table>
        <caption>Topic configs</caption>
        <thead><tr><th scope="col">Name</th><th scope="col">Value</th><th scope="col">Source</th><th scope="col">Documentation</th><th scope="col"></th></tr></thead>
        <tbody>
          ${configs.map(
            (c) => html`<tr class=${c.isDefault ? 'muted' : ''}>
              <td>${c.name}</td><td>${c.value ?? '(sensitive)'}</td><td>${c.source}</td>
              <td class="doc">${c.documentation ?? ''}</td>
              <td>${
                c.source === 'DYNAMIC_TOPIC_CONFIG' &&
                can('admin') &&
                html`<button type="button" aria-label=${`Reset ${c.name}`}
                  onClick=${() => change({ delete: [c.name] }, `${c.name} reset`)}>Reset</button>`
              }</td>
            </tr>`,
          )}
        </tbody>
      </table>
    </details>
  `;
}
