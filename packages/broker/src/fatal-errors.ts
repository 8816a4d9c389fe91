/**
 * Conditions after which a broker cannot go on — every log dir has failed — and must stop at once,
 * without a controlled shutdown (Kafka halts the JVM). The process owner (main.ts) exits; a broker
 * embedded without a listener shuts itself down instead.
 */
export class FatalErrors {
  private readonly listeners = new Set<(message: string) => void>();
  private raised = false;

  constructor(private readonly fallback: (message: string) => void) {}

  onFatal(listener: (message: string) => void): void {
    this.listeners.add(listener);
  }

  raise(message: string): void {
    if (this.raised) return;
    this.raised = true;
    // Raised from inside the failing operation: act once it has unwound (and answered).
    setImmediate(() => {
      if (this.listeners.size === 0) this.fallback(message);
      for (const listener of this.listeners) listener(message);
    });
  }
}
