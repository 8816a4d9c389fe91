/** The console's JSON API, as the pages call it. Errors carry the server's message. */
export class ApiError extends Error {
  constructor(
    readonly status: number,
    message: string,
  ) {
    super(message);
  }
}

export async function api<T>(method: string, path: string, body?: unknown): Promise<T> {
  const init: RequestInit = { method, headers: body === undefined ? {} : { 'content-type': 'application/json' } };
  if (body !== undefined) init.body = JSON.stringify(body);
  const response = await fetch(`/api${path}`, init);
  if (response.status === 204) return undefined as T;
  const json = (await response.json().catch(() => ({ message: response.statusText }))) as { message?: string };
  if (!response.ok) throw new ApiError(response.status, json.message ?? response.statusText);
  return json as T;
}

export const enc = encodeURIComponent;
