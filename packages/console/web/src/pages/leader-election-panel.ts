import { useState } from 'preact/hooks';
import { api, enc } from '../api.js';
import { html } from '../html.js';

interface Result {
  partition: number;
  error: string | null;
  message: string | null;
}

/** Preferred-leader election for all of a topic's partitions, with each partition's outcome. */
export function LeaderElectionPanel({
  cluster,
  topic,
  onDone,
}: {
  cluster: string;
  topic: string;
  onDone: () => void;
}) {
  const [results, setResults] = useState<Result[] | undefined>();
  const [failure, setFailure] = useState<string | undefined>();
  const elect = async () => {
    try {
      const r = await api<{ results: Result[] }>('POST', `/clusters/${enc(cluster)}/elections`, { topic });
      setResults(r.results);
      setFailure(undefined);
      onDone();
    } catch (err) {
      setFailure((err as Error).message);
    }
  };
  const outcome = (r: Result) =>
    r.error === null ? 'elected' : r.error === 'ELECTION_NOT_NEEDED' ? 'preferred leader already leads' : r.message;
  return html`
    <div class="panel">
      <button type="button" onClick=${elect}>Elect preferred leaders</button>
      ${failure && html`<p role="alert" class="error">${failure}</p>`}
      ${
        results &&
        html`<table>
          <caption>Election results</caption>
          <thead><tr><th scope="col">Partition</th><th scope="col">Outcome</th></tr></thead>
          <tbody>${results.map((r) => html`<tr><td>${r.partition}</td><td>${outcome(r)}</td></tr>`)}</tbody>
        </table>`
      }
    </div>
  `;
}
