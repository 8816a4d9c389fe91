import { useEffect, useState } from 'preact/hooks';
import { api, enc } from '../api.js';
import { html } from '../html.js';
import { useCan } from '../session.js';
import { useLoad } from '../use-load.js';
import { LagChart } from './lag-chart.js';

interface GroupDetail {
  state: string;
  protocol: string;
  coordinator: number;
  members: { memberId: string; clientId: string; clientHost: string; assignment: string[] }[];
  offsets: { topic: string; partition: number; committedOffset: string; logEndOffset: string; lag: string }[];
}

const LAG_SAMPLE_MS = 2000;

interface ResetResult {
  dryRun: boolean;
  offsets: { partition: number; newOffset: string }[];
}

/**
 * One group, refreshed every 2 s: members, per-partition committed/end/lag, lag over time, delete
 * a topic's offsets, reset offsets (preview, then execute), delete.
 */
export function GroupPage({ cluster, group }: { cluster: string; group: string }) {
  const path = `/clusters/${enc(cluster)}/groups/${enc(group)}`;
  const { data, error, reload } = useLoad(() => api<GroupDetail>('GET', path), path);
  const [notice, setNotice] = useState<{ ok: boolean; text: string } | undefined>();
  const [plan, setPlan] = useState<ResetResult | undefined>();
  const can = useCan();
  // Live: the table and the lag chart follow the group every few seconds while the page is open.
  useEffect(() => {
    const timer = setInterval(reload, LAG_SAMPLE_MS);
    return () => clearInterval(timer);
  }, [reload]);
  const topics = [...new Set((data?.offsets ?? []).map((o) => o.topic))];
  const reset = async (e: Event) => {
    e.preventDefault();
    const submitter = (e as SubmitEvent).submitter as HTMLButtonElement | null;
    const form = new FormData(e.target as HTMLFormElement);
    const to = String(form.get('to'));
    const value = String(form.get('value'));
    const body = {
      topic: String(form.get('topic')),
      to,
      ...(to === 'offset' ? { offset: value } : {}),
      ...(to === 'timestamp' ? { timestamp: String(Date.parse(value)) } : {}),
      ...(to === 'shift' ? { shift: value } : {}),
      execute: submitter?.value === 'execute',
    };
    try {
      const result = await api<ResetResult>('POST', `${path}/reset-offsets`, body);
      setPlan(result);
      setNotice({ ok: true, text: result.dryRun ? 'Preview: nothing written yet' : 'Offsets reset' });
      if (!result.dryRun) reload();
    } catch (err) {
      setNotice({ ok: false, text: (err as Error).message });
    }
  };
  const deleteOffsets = async (topic: string) => {
    if (!window.confirm(`Delete the committed offsets of group ${group} for topic ${topic}?`)) return;
    try {
      await api('DELETE', `${path}/offsets/${enc(topic)}`);
      setNotice({ ok: true, text: `Offsets of ${topic} deleted` });
      reload();
    } catch (err) {
      setNotice({ ok: false, text: (err as Error).message });
    }
  };
  const remove = async () => {
    if (!window.confirm(`Delete consumer group ${group} and its committed offsets?`)) return;
    try {
      await api('DELETE', path);
      window.location.hash = `#/${enc(cluster)}/groups`;
    } catch (err) {
      setNotice({ ok: false, text: (err as Error).message });
    }
  };
  return html`
    <h1>Consumer group ${group}</h1>
    ${error && html`<p role="alert" class="error">${error}</p>`}
    ${notice && html`<p role=${notice.ok ? 'status' : 'alert'} class=${notice.ok ? 'ok' : 'error'}>${notice.text}</p>`}
    ${
      data &&
      html`
      <dl class="facts">
        <dt>State</dt><dd data-testid="group-state">${data.state}</dd>
        <dt>Coordinator</dt><dd>${data.coordinator}</dd>
        <dt>Assignor</dt><dd>${data.protocol || '—'}</dd>
      </dl>
      <div class="actions">
        <button type="button" onClick=${reload}>Refresh</button>
        ${can('admin') && html`<button type="button" class="danger" onClick=${remove}>Delete group</button>`}
      </div>
      <table>
        <caption>Members</caption>
        <thead><tr><th scope="col">Member</th><th scope="col">Client</th><th scope="col">Host</th><th scope="col">Assignment</th></tr></thead>
        <tbody>
          ${data.members.map((m) => html`<tr><td>${m.memberId}</td><td>${m.clientId}</td><td>${m.clientHost}</td><td>${m.assignment.join(', ')}</td></tr>`)}
        </tbody>
      </table>
      <table>
        <caption>Offsets</caption>
        <thead><tr><th scope="col">Topic</th><th scope="col">Partition</th><th scope="col">Committed offset</th><th scope="col">Log end offset</th><th scope="col">Lag</th></tr></thead>
        <tbody>
          ${data.offsets.map(
            (o) =>
              html`<tr><td>${o.topic}</td><td>${o.partition}</td><td>${o.committedOffset}</td><td>${o.logEndOffset}</td><td data-testid="lag">${o.lag}</td></tr>`,
          )}
        </tbody>
      </table>
      <table>
        <caption>Committed topics</caption>
        <thead><tr><th scope="col">Topic</th><th scope="col">Partitions</th><th scope="col">Lag</th><th scope="col">Actions</th></tr></thead>
        <tbody>
          ${topics.map((t) => {
            const of = data.offsets.filter((o) => o.topic === t);
            return html`<tr>
              <td>${t}</td><td>${of.length}</td><td>${of.reduce((sum, o) => sum + BigInt(o.lag), 0n).toString()}</td>
              <td>${can('operator') && html`<button type="button" class="danger" onClick=${() => deleteOffsets(t)}>Delete offsets</button>`}</td>
            </tr>`;
          })}
        </tbody>
      </table>
      <${LagChart} key=${path} offsets=${data.offsets} intervalMs=${LAG_SAMPLE_MS} />
      ${
        can('operator') &&
        html`<section aria-labelledby="reset-heading" class="panel">
        <h2 id="reset-heading">Reset offsets</h2>
        <p class="muted">Kafka refuses a reset while the group has members: stop its consumers first.</p>
        <form onSubmit=${reset}>
          <label>Topic <select name="topic" aria-label="Topic">${topics.map((t) => html`<option value=${t}>${t}</option>`)}</select></label>
          <label>To <select name="to" aria-label="To">
            <option value="earliest">earliest</option><option value="latest">latest</option>
            <option value="offset">offset</option><option value="timestamp">timestamp</option>
            <option value="shift">shift by</option>
          </select></label>
          <label>Offset, timestamp (ISO 8601) or shift <input name="value" placeholder="0, 2026-01-01T00:00:00Z or -10" /></label>
          <button type="submit" name="action" value="preview">Preview</button>
          <button type="submit" name="action" value="execute" class="danger">Execute</button>
        </form>
        ${
          plan &&
          html`<table>
          <caption>${plan.dryRun ? 'Planned offsets (dry run)' : 'Offsets written'}</caption>
          <thead><tr><th scope="col">Partition</th><th scope="col">New offset</th></tr></thead>
          <tbody>${plan.offsets.map((o) => html`<tr><td>${o.partition}</td><td>${o.newOffset}</td></tr>`)}</tbody>
        </table>`
        }
      </section>`
      }
    `
    }
  `;
}
