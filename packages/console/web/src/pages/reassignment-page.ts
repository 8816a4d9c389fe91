import { useEffect, useState } from 'preact/hooks';
import { api, enc } from '../api.js';
import { html } from '../html.js';
import { useCan } from '../session.js';

interface InProgress {
  topic: string;
  partition: number;
  replicas: number[];
  addingReplicas: number[];
  removingReplicas: number[];
}

/**
 * Reassign partitions as kafka-reassign-partitions.sh does: generate a balanced plan for topics
 * over chosen brokers, review (and edit) it as Kafka's JSON, execute, watch the moves in progress
 * (polled every 2 s), cancel.
 */
export function ReassignmentPage({ cluster }: { cluster: string }) {
  const base = `/clusters/${enc(cluster)}/reassignments`;
  const [plan, setPlan] = useState('');
  const [current, setCurrent] = useState('');
  const [notice, setNotice] = useState<{ ok: boolean; text: string } | undefined>();
  const [moves, setMoves] = useState<InProgress[] | undefined>();
  const can = useCan();
  useEffect(() => {
    let live = true;
    const poll = () =>
      api<{ reassignments: InProgress[] }>('GET', base).then(
        (r) => live && setMoves(r.reassignments),
        () => undefined,
      );
    poll();
    const timer = setInterval(poll, 2000);
    return () => {
      live = false;
      clearInterval(timer);
    };
  }, [base]);
  const run = async (work: () => Promise<string>) => {
    try {
      setNotice({ ok: true, text: await work() });
    } catch (err) {
      setNotice({ ok: false, text: (err as Error).message });
    }
  };
  const generate = (e: Event) => {
    e.preventDefault();
    const form = new FormData(e.target as HTMLFormElement);
    const list = (key: string) =>
      String(form.get(key) ?? '')
        .split(',')
        .map((s) => s.trim())
        .filter(Boolean);
    run(async () => {
      const r = await api<{ current: unknown; proposed: unknown }>('POST', `${base}/plan`, {
        topics: list('topics'),
        brokers: list('brokers').map(Number),
        rackAware: form.get('rackAware') === 'on',
      });
      setPlan(JSON.stringify(r.proposed, null, 2));
      setCurrent(JSON.stringify(r.current, null, 2));
      return 'Plan generated: review it, then execute';
    });
  };
  const execute = () =>
    run(async () => {
      let json: unknown;
      try {
        json = JSON.parse(plan);
      } catch {
        throw new Error('the plan is not valid JSON');
      }
      const r = await api<{ results: { error: string | null }[] }>('POST', base, json);
      const failed = r.results.filter((x) => x.error !== null).length;
      return `Reassignment started for ${r.results.length - failed} partition(s)${failed ? `, ${failed} refused` : ''}`;
    });
  const cancel = () =>
    run(async () => {
      const r = await api<{ results: unknown[] }>('POST', `${base}/cancel`, {});
      return `Cancelled ${r.results.length} reassignment(s)`;
    });
  return html`
    <h1>Reassign partitions</h1>
    ${notice && html`<p role=${notice.ok ? 'status' : 'alert'} class=${notice.ok ? 'ok' : 'error'}>${notice.text}</p>`}
    <form onSubmit=${generate} aria-label="Generate a plan" class="panel">
      <label>Topics (comma-separated) <input name="topics" required /></label>
      <label>Brokers (comma-separated ids) <input name="brokers" required /></label>
      <label class="inline"><input type="checkbox" name="rackAware" /> Rack-aware</label>
      <button type="submit" disabled=${!can('viewer')}>Generate plan</button>
    </form>
    <label>Proposed assignment (Kafka's reassignment JSON)
      <textarea rows="10" value=${plan} onInput=${(e: Event) => setPlan((e.target as HTMLTextAreaElement).value)}></textarea></label>
    ${current && html`<details><summary>Current assignment (keep it to roll back)</summary><pre>${current}</pre></details>`}
    <div class="actions">
      <button type="button" onClick=${execute} disabled=${plan === '' || !can('admin')}>Execute</button>
      <button type="button" class="danger" onClick=${cancel} disabled=${(moves?.length ?? 0) === 0 || !can('admin')}>Cancel reassignments</button>
    </div>
    <table>
      <caption>${moves === undefined ? 'Loading…' : moves.length === 0 ? 'No reassignment in progress' : `${moves.length} reassignment(s) in progress`}</caption>
      <thead><tr><th scope="col">Topic</th><th scope="col">Partition</th><th scope="col">Replicas</th><th scope="col">Adding</th><th scope="col">Removing</th></tr></thead>
      <tbody>
        ${(moves ?? []).map(
          (m) =>
            html`<tr><td>${m.topic}</td><td>${m.partition}</td><td>${m.replicas.join(', ')}</td><td>${m.addingReplicas.join(', ')}</td><td>${m.removingReplicas.join(', ')}</td></tr>`,
        )}
      </tbody>
    </table>
  `;
}
