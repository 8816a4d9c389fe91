import { type Cluster, isAuthenticationError } from '@samsa/client';
import { CommandError, UsageError } from './command-errors.js';

/**
 * How long a tool waits for the first broker of `--bootstrap-server` to answer before giving up
 * with a one-line error. Java's tools wait `default.api.timeout.ms` (60 s) and then print a
 * TimeoutException; a person at a terminal learns sooner that the address is wrong.
 * `SAMSA_CONNECT_TIMEOUT_MS` changes it.
 */
export const DEFAULT_CONNECT_TIMEOUT_MS = 5000;

export function connectTimeoutMs(env: NodeJS.ProcessEnv): number {
  const raw = env.SAMSA_CONNECT_TIMEOUT_MS;
  const n = raw === undefined ? Number.NaN : Number(raw);
  return Number.isInteger(n) && n > 0 ? n : DEFAULT_CONNECT_TIMEOUT_MS;
}

/**
 * Kafka's `ToolsUtils.validateBootstrapServer`: a non-empty comma-separated list of host:port.
 * Spaces after commas (as in `a:9092, b:9092`) are tolerated, as Java's clients trim them.
 */
export function validateBootstrapServer(value: string | undefined): string {
  if (value === undefined || value.trim() === '') throw new UsageError('Error while validating the bootstrap address');
  const entries = value.split(',').map((s) => s.trim());
  if (entries.some((e) => !/^(?:[0-9a-zA-Z\-%._]*:\/\/)?\[?[0-9a-zA-Z\-%._:]*\]?:\d+$/.test(e))) {
    throw new UsageError('Please provide valid host:port like host1:9091,host2:9092');
  }
  return entries.map((e) => e.replace(/^[0-9a-zA-Z\-%._]*:\/\//, '')).join(',');
}

/**
 * Waits until some broker answers a Metadata request, retrying refused connections (a broker
 * still starting) until `timeoutMs`, then fails with a one-line error naming the addresses.
 */
export async function awaitBroker(cluster: Cluster, bootstrap: string, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  let lastError: unknown;
  for (;;) {
    const remaining = deadline - Date.now();
    if (remaining <= 0) break;
    try {
      await withTimeout(cluster.fetchMetadata([], false), remaining);
      return;
    } catch (error) {
      lastError = error;
      // A refused login or certificate will not get better by retrying: say so at once.
      if (isAuthenticationError(error)) {
        throw new CommandError(`Error: ${error.message}`);
      }
      if (error instanceof TimeoutReached) break;
      await new Promise((r) => setTimeout(r, Math.min(200, Math.max(0, deadline - Date.now()))));
    }
  }
  const cause =
    lastError instanceof Error && !(lastError instanceof TimeoutReached) ? ` (${causeText(lastError)})` : '';
  throw new CommandError(
    `Error: could not reach any broker at ${bootstrap} within ${timeoutMs} ms${cause}. Is the broker running? Check --bootstrap-server.`,
  );
}

function causeText(error: Error): string {
  const inner = (error as { cause?: unknown }).cause;
  const code = (inner as NodeJS.ErrnoException | undefined)?.code ?? (error as NodeJS.ErrnoException).code;
  return typeof code === 'string' && /^E[A-Z]+$/.test(code) ? code : (error.message.split('\n')[0] ?? '');
}

class TimeoutReached extends Error {}

export function withTimeout<T>(promise: Promise<T>, ms: number): Promise<T> {
  return new Promise<T>((resolve, reject) => {
    const timer = setTimeout(() => reject(new TimeoutReached('timed out')), ms);
    promise.then(
      (v) => {
        clearTimeout(timer);
        resolve(v);
      },
      (e: unknown) => {
        clearTimeout(timer);
        reject(e);
      },
    );
  });
}
