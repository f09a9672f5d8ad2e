// Calls to the console's admin routes. The cookie carries the token; writes add the header
// that tells roost they come from the console page (no cross-site form can send it).
export class ApiError extends Error {
  constructor(readonly status: number, message: string) {
    super(message);
  }
}

async function call<T>(method: string, path: string, body?: unknown, raw = false): Promise<T> {
  const headers: Record<string, string> = method === 'GET' ? {} : { 'x-roost-console': '1' };
  if (body !== undefined) headers['content-type'] = typeof body === 'string' ? 'application/yaml' : 'application/json';
  const res = await fetch(`/_roost/${path}`, {
    method, headers, credentials: 'same-origin',
    body: body === undefined ? undefined : typeof body === 'string' ? body : JSON.stringify(body),
  });
  const text = await res.text();
  if (!res.ok) {
    let message = `${res.status}`;
    try {
      message = (JSON.parse(text) as { error?: string }).error ?? message;
    } catch { /* not JSON */ }
    throw new ApiError(res.status, message);
  }
  if (raw) return text as T;
  return (text ? JSON.parse(text) : null) as T;
}

export const api = {
  get: <T>(path: string) => call<T>('GET', path),
  text: (path: string) => call<string>('GET', path, undefined, true),
  post: <T>(path: string, body?: unknown) => call<T>('POST', path, body ?? {}),
  del: (path: string) => call<null>('DELETE', path),
};

/** The message to show for a failed call. */
export const messageOf = (err: unknown) => (err instanceof Error ? err.message : String(err));
