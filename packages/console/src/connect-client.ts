import { HttpError } from './http-error.js';

/** A Kafka Connect cluster the console manages: a name (its URL segment) and its REST address. */
export interface ConnectConfig {
  readonly name: string;
  /** The REST base URL of any worker, e.g. http://localhost:8083 (Connect forwards to its leader). */
  readonly url: string;
}

const TIMEOUT_MS = 15000;

/**
 * Kafka Connect's REST API, called by the console server (never by the browser: the address and
 * anything on it stay server-side). Connect's own errors (`{error_code, message}`) come back as an
 * HttpError with Connect's status and message; an unreachable worker is a 502.
 */
export class ConnectClient {
  constructor(readonly config: ConnectConfig) {}

  async call<T>(method: string, path: string, body?: unknown): Promise<T> {
    const url = `${this.config.url.replace(/\/+$/, '')}${path}`;
    let response: Response;
    try {
      response = await fetch(url, {
        method,
        headers: body === undefined ? { accept: 'application/json' } : { 'content-type': 'application/json' },
        body: body === undefined ? null : JSON.stringify(body),
        signal: AbortSignal.timeout(TIMEOUT_MS),
      });
    } catch (error) {
      throw new HttpError(
        502,
        `Kafka Connect '${this.config.name}' at ${this.config.url} did not answer: ${(error as Error).message}`,
        'CONNECT_UNREACHABLE',
      );
    }
    const text = await response.text();
    let parsed: unknown;
    try {
      parsed = text === '' ? undefined : JSON.parse(text);
    } catch {
      throw new HttpError(
        502,
        `Kafka Connect '${this.config.name}' answered ${response.status} with non-JSON`,
        'CONNECT_ERROR',
      );
    }
    if (!response.ok) {
      const message =
        typeof parsed === 'object' && parsed !== null && typeof (parsed as { message?: unknown }).message === 'string'
          ? (parsed as { message: string }).message
          : `HTTP ${response.status}`;
      // Connect's 4xx are the caller's (unknown connector, invalid config, conflict): passed on.
      // Its 5xx are the worker's own failure: a bad gateway from the console's point of view.
      const status = response.status >= 400 && response.status < 500 ? response.status : 502;
      throw new HttpError(status, `Kafka Connect: ${message}`, 'CONNECT_ERROR');
    }
    return parsed as T;
  }
}
