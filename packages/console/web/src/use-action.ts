import { useState } from 'preact/hooks';
import { html } from './html.js';

export interface Notice {
  readonly ok: boolean;
  readonly text: string;
}

/**
 * A page's change actions: `act(run, done)` runs one, then shows `done` and reloads the page's
 * data, or shows the API's message; it resolves whether the change succeeded. `notice` renders
 * the outcome (`role=status` or `role=alert`).
 */
export function useAction(reload: () => void) {
  const [current, setNotice] = useState<Notice | undefined>();
  const act = async (run: () => Promise<unknown>, done: string): Promise<boolean> => {
    try {
      await run();
      setNotice({ ok: true, text: done });
      reload();
      return true;
    } catch (err) {
      setNotice({ ok: false, text: (err as Error).message });
      return false;
    }
  };
  const notice =
    current &&
    html`<p role=${current.ok ? 'status' : 'alert'} class=${current.ok ? 'ok' : 'error'}>${current.text}</p>`;
  return { act, notice, setNotice };
}
