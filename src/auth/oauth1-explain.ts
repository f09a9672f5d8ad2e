// Why an OAuth 1.0a request was refused, in the terms a developer debugging a client needs: the
// step that failed, the signature base string roost built for each URL it accepts, the
// parameters it signed, the clock skew and what the signature would match instead. Built only
// when the authenticator is asked to explain (emulator mode with its console), on the refusal
// path: an accepted request never builds one.
import { percentEncode, sign, signatureBaseString } from './oauth1-signature.js';
import type { Param } from './percent-encoding.js';

export type OAuth1Step =
  | 'malformed' | 'nonce-too-long' | 'unknown-consumer' | 'signature-method' | 'version'
  | 'stale-timestamp' | 'bad-signature' | 'reused-nonce' | 'unknown-token' | 'token-of-another-app' | 'no-token';

export interface OAuth1Explanation {
  step: OAuth1Step;
  /** one sentence, for people */
  why: string;
  method: string;
  /** the base URLs roost accepted a signature for: the scheme and host it assumed */
  urls: string[];
  /** the parameters it signed, decoded, sorted as signed */
  params: [string, string][];
  /** for each URL, the base string roost built */
  baseStrings: string[];
  /** seconds the client's oauth_timestamp is ahead (+) or behind (-) roost's wall clock */
  skewSeconds: number | null;
  allowedSkewSeconds: number;
  oauth: Record<string, string>;
  /** what the sent signature would have matched, when roost found it (another scheme, no token secret) */
  hints: string[];
}

export interface ExplainInput {
  method: string;
  urls: readonly string[];
  params: readonly Param[];
  oauth: Map<string, string>;
  nowMs: number;
  allowedSkewSeconds: number;
  /** null when the consumer is unknown */
  secrets: { consumer: string; token: string } | null;
}

const WHY: Record<OAuth1Step, string> = {
  'malformed': 'an oauth_* parameter roost needs is missing or the Authorization header does not parse',
  'nonce-too-long': 'oauth_nonce is longer than roost stores',
  'unknown-consumer': 'no app has this oauth_consumer_key',
  'signature-method': 'oauth_signature_method must be HMAC-SHA1',
  'version': 'oauth_version must be 1.0 when given',
  'stale-timestamp': 'oauth_timestamp is too far from the server clock',
  'bad-signature': 'the signature does not match the base string roost built with the stored secrets',
  'reused-nonce': 'the signature is right, but this oauth_nonce was already used with this timestamp window',
  'unknown-token': 'no live access token has this oauth_token',
  'token-of-another-app': 'the access token belongs to another app than oauth_consumer_key',
  'no-token': 'the request is signed by the consumer alone; the API needs a user access token',
};

function swapScheme(url: string): string {
  return url.startsWith('https://') ? `http://${url.slice(8)}` : `https://${url.slice(7)}`;
}

/** The sent signature, tried against near misses, so the explanation can say which one it was. */
function hintsFor(input: ExplainInput): string[] {
  const sent = input.oauth.get('oauth_signature');
  if (!sent || !input.secrets) return [];
  const { consumer, token } = input.secrets;
  const tries: [string, () => string][] = [];
  for (const url of input.urls) {
    const other = swapScheme(url);
    tries.push([`the client signed ${other}: it assumed the scheme ${other.split(':')[0]}`, () => sign(signatureBaseString(input.method, other, input.params), consumer, token)]);
    tries.push([`the client signed without the token secret (key ${percentEncode(consumer).slice(0, 4)}…&)`, () => sign(signatureBaseString(input.method, url, input.params), consumer, '')]);
    const query = new URL(url);
    if (query.port) {
      const noPort = url.replace(`:${query.port}`, '');
      tries.push([`the client signed ${noPort}: it left the port out of the host`, () => sign(signatureBaseString(input.method, noPort, input.params), consumer, token)]);
    }
  }
  const hits = tries.filter(([, f]) => f() === sent).map(([h]) => h);
  return hits.length > 0 ? hits : ['no near miss matched: compare the base string above with the client\'s, then the consumer and token secrets'];
}

export function explainOAuth1(step: OAuth1Step, input: ExplainInput): OAuth1Explanation {
  const ts = input.oauth.get('oauth_timestamp');
  const params = input.params.map(([k, v]) => [k, v] as [string, string]).sort((a, b) => (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : a[1] < b[1] ? -1 : 1));
  const skew = ts && /^\d{1,12}$/.test(ts) ? Number(ts) - Math.floor(input.nowMs / 1000) : null;
  const oauth = Object.fromEntries([...input.oauth].map(([k, v]) => [k, k === 'oauth_signature' ? v : v]));
  return {
    step,
    why: WHY[step],
    method: input.method.toUpperCase(),
    urls: [...input.urls],
    params,
    baseStrings: input.urls.map((u) => signatureBaseString(input.method, u, input.params)),
    skewSeconds: skew,
    allowedSkewSeconds: input.allowedSkewSeconds,
    oauth,
    hints: step === 'bad-signature' ? hintsFor(input) : [],
  };
}
