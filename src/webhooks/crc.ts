// The Challenge-Response Check: GET <url>?crc_token=<random>; the receiver proves it holds the
// app's consumer secret by answering {"response_token": "sha256=<HMAC of the token>"}.
import { call } from './http-call.js';
import { crcToken, sameSignature, signature } from './signature.js';
import { resolveTarget, WebhookUrlError, type UrlPolicy } from './url-guard.js';

export interface CrcOutcome {
  ok: boolean;
  /** why it failed, for the error message */
  reason: string;
  /** the URL itself was refused (url-guard), before any request */
  urlRefused?: boolean;
}

export async function checkCrc(rawUrl: string, consumerSecret: string, policy: UrlPolicy, timeoutMs: number): Promise<CrcOutcome> {
  let target;
  try {
    target = await resolveTarget(rawUrl, policy);
  } catch (err) {
    if (err instanceof WebhookUrlError) return { ok: false, reason: err.message, urlRefused: true };
    throw err;
  }
  const token = crcToken();
  const url = new URL(target.url);
  url.searchParams.set('crc_token', token);
  const answer = await call({ ...target, url }, { method: 'GET', timeoutMs });
  if (answer.status === null) return { ok: false, reason: answer.error ?? 'no answer' };
  if (answer.status !== 200) return { ok: false, reason: `the URL answered HTTP ${answer.status}` };
  let given: unknown;
  try {
    given = (JSON.parse(answer.text) as { response_token?: unknown }).response_token;
  } catch {
    return { ok: false, reason: 'the answer is not JSON' };
  }
  if (typeof given !== 'string' || !sameSignature(given, signature(consumerSecret, token))) {
    return { ok: false, reason: 'the response_token does not match' };
  }
  return { ok: true, reason: '' };
}
