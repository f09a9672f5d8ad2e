// The "no secrets in logs" check, made real: with ROOST_TEST_LOG_DIR set, every test server logs
// to a file in that directory, and the test helpers note each credential they create or send
// (consumer and client secrets, token secrets, bearer tokens, passwords, signatures) in a
// secrets file beside the logs. scripts/check-log-secrets.ts then looks for every one of them
// in every log line. Without the variable, servers log nothing and nothing is noted.
import { appendFileSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { pino, type DestinationStream } from 'pino';
import type { ITwitterApiClientPlugin } from 'twitter-api-v2';

export const LOG_DIR = process.env.ROOST_TEST_LOG_DIR || null;
let servers = 0;

/** A log file of its own for a server started by this process, or undefined without LOG_DIR. */
export function serverLogFile(): DestinationStream | undefined {
  if (!LOG_DIR) return undefined;
  mkdirSync(LOG_DIR, { recursive: true });
  return pino.destination({ dest: join(LOG_DIR, `server-${process.pid}-${++servers}.log`), sync: true });
}

/** Notes credentials the tests hold, to be looked for in the logs afterwards. */
export function noteSecrets(...values: (string | null | undefined)[]): void {
  if (!LOG_DIR) return;
  const kept = values.filter((v): v is string => typeof v === 'string' && v.length >= 8);
  if (kept.length > 0) appendFileSync(join(LOG_DIR, `secrets-${process.pid}.txt`), `${kept.join('\n')}\n`);
}

/** The credential parts of an Authorization header: a bearer token, or an OAuth signature. */
export function noteAuthorization(header: string | undefined): void {
  if (!LOG_DIR || !header) return;
  const bearer = /^bearer\s+(\S+)/i.exec(header);
  const signature = /oauth_signature="([^"]+)"/.exec(header);
  noteSecrets(bearer?.[1], signature ? decodeURIComponent(signature[1]!) : undefined);
}

/** A client plugin noting what each request it sends is signed with. */
export const noteSentCredentials: ITwitterApiClientPlugin = {
  onBeforeRequest({ requestOptions }) {
    const headers = requestOptions.headers;
    if (!headers || Array.isArray(headers)) return;
    const auth = (headers as Record<string, unknown>).authorization ?? (headers as Record<string, unknown>).Authorization;
    noteAuthorization(typeof auth === 'string' ? auth : undefined);
  },
};
