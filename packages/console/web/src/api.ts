/** The console's JSON API, as the pages call it. Errors carry the server's message. */
export class ApiError extends Error {
  constructor(
    readonly status: number,
    message: string,
  ) {
    super(message);
  }
}

let csrfToken: string | null = null;
let unauthenticated: (() => void) | undefined;

/** The session's CSRF token (from /api/me or the login), sent as x-csrf-token on every change. */
export function setCsrfToken(token: string | null): void {
  csrfToken = token;
}

/** Called when the server answers 401 (the session expired or was ended): show the login form. */
export function onUnauthenticated(callback: () => void): void {
  unauthenticated = callback;
}

/** Every call to the API goes through here (no page calls fetch itself). */
export async function api<T>(method: string, path: string, body?: unknown): Promise<T> {
  const headers: Record<string, string> = {};
  if (body !== undefined) headers['content-type'] = 'application/json';
  if (method !== 'GET' && method !== 'HEAD' && csrfToken !== null) headers['x-csrf-token'] = csrfToken;
  const init: RequestInit = { method, headers, credentials: 'same-origin' };
  if (body !== undefined) init.body = JSON.stringify(body);
  const response = await fetch(`/api${path}`, init);
  if (response.status === 401 && path !== '/login' && path !== '/me') unauthenticated?.();
  if (response.status === 204) return undefined as T;
  const json = (await response.json().catch(() => ({ message: response.statusText }))) as { message?: string };
  if (!response.ok) throw new ApiError(response.status, json.message ?? response.statusText);
  return json as T;
}

export const enc = encodeURIComponent;
