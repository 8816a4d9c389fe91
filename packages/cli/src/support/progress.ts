import type { CommandIo } from './command-io.js';

/**
 * A progress line for long operations, redrawn in place on stderr when stderr is a terminal and
 * silent otherwise, so that piped output and scripts see only what Kafka's tools print.
 */
export class Progress {
  private lastDrawMs = 0;
  private drawn = false;

  constructor(
    private readonly io: CommandIo,
    private readonly label: string,
    private readonly total?: number,
  ) {}

  get enabled(): boolean {
    return this.io.stderrIsTTY;
  }

  update(done: number, force = false): void {
    if (!this.enabled) return;
    const now = Date.now();
    if (!force && now - this.lastDrawMs < 100) return;
    this.lastDrawMs = now;
    const ofTotal =
      this.total === undefined ? '' : `/${this.total} (${Math.floor((100 * done) / Math.max(1, this.total))}%)`;
    this.io.stderr.write(`\r\x1b[2K${this.label}: ${done}${ofTotal}`);
    this.drawn = true;
  }

  /** Erases the line, so the next output starts clean. */
  done(): void {
    if (this.drawn) this.io.stderr.write('\r\x1b[2K');
    this.drawn = false;
  }
}
