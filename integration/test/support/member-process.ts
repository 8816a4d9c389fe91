import { type ChildProcess, spawn } from 'node:child_process';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

export const FIXTURES = join(dirname(fileURLToPath(import.meta.url)), '..', '..', '..', 'fixtures');

export interface MemberEvent {
  readonly ev: string;
  readonly partitions?: number[];
  readonly p?: number;
  readonly o?: number;
  readonly v?: string;
  readonly error?: string;
  /** Milliseconds since the member started, when the event arrived. */
  readonly atMs: number;
}

/**
 * A consumer-group member running in its own process (a client library's script printing JSON
 * events), with its assignment tracked from those events.
 */
export class MemberProcess {
  readonly events: MemberEvent[] = [];
  private readonly assigned = new Set<number>();
  private stderr = '';
  private readonly startedAt = Date.now();
  readonly exited: Promise<number | null>;

  constructor(
    readonly name: string,
    readonly child: ChildProcess,
    private readonly incremental: boolean,
  ) {
    let pending = '';
    child.stdout?.on('data', (chunk: Buffer) => {
      pending += chunk.toString('utf8');
      const lines = pending.split('\n');
      pending = lines.pop() ?? '';
      for (const line of lines) {
        if (line.trim() === '') continue;
        let event: MemberEvent;
        try {
          event = { ...(JSON.parse(line) as Omit<MemberEvent, 'atMs'>), atMs: Date.now() - this.startedAt };
        } catch {
          continue;
        }
        this.events.push(event);
        if (event.ev === 'assign') {
          if (!this.incremental) this.assigned.clear();
          for (const p of event.partitions ?? []) this.assigned.add(p);
        } else if (event.ev === 'revoke') {
          if (!this.incremental) this.assigned.clear();
          else for (const p of event.partitions ?? []) this.assigned.delete(p);
        }
      }
    });
    child.stderr?.on('data', (chunk: Buffer) => {
      this.stderr += chunk.toString('utf8');
    });
    this.exited = new Promise((resolve) => child.once('exit', (code) => resolve(code)));
  }

  static spawn(
    name: string,
    command: string,
    args: string[],
    env: Record<string, string>,
    incremental = false,
  ): MemberProcess {
    const child = spawn(command, args, { env: { ...process.env, ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
    return new MemberProcess(name, child, incremental);
  }

  get assignment(): number[] {
    return [...this.assigned].sort((a, b) => a - b);
  }

  get logs(): string {
    return this.stderr;
  }

  messages(): { p: number; o: number; v: string }[] {
    return this.events
      .filter((e) => e.ev === 'msg')
      .map((e) => ({ p: e.p as number, o: e.o as number, v: e.v as string }));
  }

  /** Last committed next-offset per partition. */
  commits(): Map<number, number> {
    const out = new Map<number, number>();
    for (const e of this.events) if (e.ev === 'commit') out.set(e.p as number, e.o as number);
    return out;
  }

  count(ev: string): number {
    return this.events.filter((e) => e.ev === ev).length;
  }

  async stop(): Promise<void> {
    if (this.child.exitCode === null && this.child.signalCode === null) this.child.kill('SIGTERM');
    await this.exited;
  }

  async kill(): Promise<void> {
    if (this.child.exitCode === null && this.child.signalCode === null) this.child.kill('SIGKILL');
    await this.exited;
  }
}

export async function waitUntil(predicate: () => boolean, timeoutMs: number, what: () => string): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!predicate()) {
    if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what()}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

/** True when the members' assignments are disjoint, cover 0..n-1, and are as even as possible. */
export function balanced(members: readonly MemberProcess[], partitions: number): boolean {
  const all = members.flatMap((m) => m.assignment);
  if (all.length !== partitions || new Set(all).size !== partitions) return false;
  const sizes = members.map((m) => m.assignment.length);
  return Math.max(...sizes) - Math.min(...sizes) <= 1;
}

export function describeAssignments(members: readonly MemberProcess[]): string {
  return members.map((m) => `${m.name}=[${m.assignment.join(',')}]`).join(' ');
}
