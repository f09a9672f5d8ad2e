// The auth tests' requests: the reference signer (scripts/lib/oauth1.ts), with every secret it
// signs with noted so the log checks can look for it, and a fetch that keeps the raw reply.
import { signedRequest as sign, type Credentials, type RequestOptions, type SignedRequest } from '../../scripts/lib/oauth1.js';
import { noteSecrets } from './log-capture.js';

export * from '../../scripts/lib/oauth1.js';

/** Builds a signed request ready for fetch; it may be sent more than once (replay). */
export function signedRequest(creds: Credentials, o: RequestOptions): SignedRequest {
  const req = sign(creds, o);
  noteSecrets(creds.consumerSecret, creds.tokenSecret, req.oauth.oauth_signature);
  return req;
}

export interface Reply {
  status: number;
  headers: Headers;
  text: string;
  /** the parsed body; undefined when it is not JSON (ids above 2^53 lose digits here: use *_str) */
  json: any;
}

export async function send(url: string, init: RequestInit = {}): Promise<Reply> {
  const res = await fetch(url, init);
  const text = await res.text();
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    json = undefined;
  }
  return { status: res.status, headers: res.headers, text, json };
}

export const sendSigned = (req: SignedRequest): Promise<Reply> => send(req.url, req.init);
