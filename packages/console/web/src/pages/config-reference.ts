import { api } from '../api.js';
import { html } from '../html.js';
import { useLoad } from '../use-load.js';

interface Doc {
  name: string;
  type: string;
  validValues?: string[];
  doc: string;
}

/** Kafka's documented topic configs (the console's paraphrases), beside the create-topic form. */
export function ConfigReference() {
  const { data } = useLoad(() => api<{ configs: Doc[] }>('GET', '/topic-config-docs'), 'docs');
  return html`
    <details>
      <summary>Topic config reference</summary>
      <table>
        <caption>Topic configs Kafka documents</caption>
        <thead><tr><th scope="col">Name</th><th scope="col">Type</th><th scope="col">What it does</th></tr></thead>
        <tbody>
          ${(data?.configs ?? []).map(
            (d) =>
              html`<tr><td>${d.name}</td><td>${d.validValues ? d.validValues.join(' | ') : d.type}</td><td>${d.doc}</td></tr>`,
          )}
        </tbody>
      </table>
    </details>
  `;
}
