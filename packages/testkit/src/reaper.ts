import type { ChildProcess } from 'node:child_process';

const running = new Set<ChildProcess>();

/**
 * Kills a child (SIGKILL) if the test process exits while it still runs: a failed test that never
 * reached its cleanup must not leave a broker or a ZooKeeper holding ports and CPU for the next
 * test file.
 */
export function killOnExit(child: ChildProcess): void {
  if (running.size === 0) process.once('exit', killAll);
  running.add(child);
  child.once('exit', () => running.delete(child));
}

function killAll(): void {
  for (const child of running) child.kill('SIGKILL');
  running.clear();
}
