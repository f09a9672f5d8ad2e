// OAuth 1.0a HMAC-SHA1 signing helpers (RFC 5849 §3.4, spec §7.3–7.4). Pure: no I/O.
import { createHmac, timingSafeEqual } from 'node:crypto';
import { percentDecode, type Param } from './percent-encoding.js';

const encoder = new TextEncoder();

// Byte → its encoded form: unreserved characters as themselves, the rest as %XX (upper case).
const ENCODED_BYTE: readonly string[] = Array.from({ length: 256 }, (_, b) => {
  const ch = String.fromCharCode(b);
  return /[A-Za-z0-9\-._~]/.test(ch) ? ch : '%' + b.toString(16).toUpperCase().padStart(2, '0');
});

/** RFC 3986 percent-encoding of the UTF-8 bytes, as Twitter requires (space → %20, `*` → %2A). */
export function percentEncode(s: string): string {
  if (UNRESERVED.test(s)) return s;
  try {
    // encodeURIComponent leaves !'()* as they are; RFC 3986 wants them escaped.
    return encodeURIComponent(s).replace(SUB_DELIMS, (c) => ENCODED_BYTE[c.charCodeAt(0)]!);
  } catch {
    return encodeBytewise(s); // a lone surrogate: encoded as U+FFFD, as TextEncoder does
  }
}

const UNRESERVED = /^[A-Za-z0-9\-._~]*$/;
const SUB_DELIMS = /[!'()*]/g;

function encodeBytewise(s: string): string {
  let out = '';
  for (const b of encoder.encode(s)) out += ENCODED_BYTE[b];
  return out;
}

const SCHEME = /^\s*oauth\s+/i;
// One `name="value"` pair plus its separator (a comma, or the end of the header).
// Values are percent-encoded, so they never contain a quote and need no escape handling.
const PAIR = /\s*([^\s=,"]+)\s*=\s*"([^"]*)"\s*(,|$)/y;

/** Parses an `Authorization: OAuth …` value. Null if unparsable (→ 400/215 upstream). */
export function parseOAuthHeader(header: string): Map<string, string> | null {
  const scheme = SCHEME.exec(header);
  if (scheme === null) return null;
  const params = new Map<string, string>();
  const seen = new Set<string>();
  let pos = scheme[0].length;
  for (;;) {
    PAIR.lastIndex = pos;
    const m = PAIR.exec(header);
    if (m === null) return null;
    const name = percentDecode(m[1] ?? '', false);
    const value = percentDecode(m[2] ?? '', false);
    if (name === null || value === null || seen.has(name)) return null;
    seen.add(name);
    if (name !== 'realm') params.set(name, value); // realm is never signed
    if (m[3] === '') break; // reached the end of the header
    pos = PAIR.lastIndex;
  }
  return params.size === 0 ? null : params;
}

const DEFAULT_PORT: Readonly<Record<string, string>> = { http: '80', https: '443' };

/** Signature base URL: lower-case scheme and host, default port dropped, path verbatim. */
export function baseUrl(scheme: string, host: string, path: string): string {
  const s = scheme.toLowerCase();
  let h = host.toLowerCase();
  // host:port, where host is colon-free or a bracketed IPv6 literal.
  const m = /^([^:]+|\[[^\]]*\]):(\d+)$/.exec(h);
  if (m !== null && m[1] !== undefined && Number(m[2]) === Number(DEFAULT_PORT[s])) h = m[1];
  return `${s}://${h}${path}`;
}

/** `METHOD&enc(url)&enc(sorted, encoded parameter string)`; params are decoded pairs. */
export function signatureBaseString(method: string, url: string, params: readonly Param[]): string {
  const encoded = params.map(([n, v]) => [percentEncode(n), percentEncode(v)] as const);
  // Plain code-unit order (the encoded strings are ASCII, so this is byte order).
  const cmp = (a: string, b: string): number => (a < b ? -1 : a > b ? 1 : 0);
  encoded.sort((a, b) => cmp(a[0], b[0]) || cmp(a[1], b[1]));
  const paramString = encoded.map(([n, v]) => `${n}=${v}`).join('&');
  return `${method.toUpperCase()}&${percentEncode(url)}&${percentEncode(paramString)}`;
}

/** base64 HMAC-SHA1 with key `enc(consumerSecret)&enc(tokenSecret)` (the `&` stays when no token). */
export function sign(baseString: string, consumerSecret: string, tokenSecret: string): string {
  const key = `${percentEncode(consumerSecret)}&${percentEncode(tokenSecret)}`;
  return createHmac('sha1', key).update(baseString).digest('base64');
}

function safeEqual(a: string, b: string): boolean {
  const x = Buffer.from(a, 'utf8');
  const y = Buffer.from(b, 'utf8');
  return x.length === y.length && timingSafeEqual(x, y);
}

/** Exact duplicate pairs (same name and value) counted once. */
function collapseDuplicates(params: readonly Param[]): Param[] {
  const seen = new Set<string>();
  return params.filter(([n, v]) => {
    const key = JSON.stringify([n, v]);
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
}

export interface VerifyInput {
  method: string;
  /** Candidate base URLs: roost may be reachable under several public URLs (spec §2.5). */
  urls: readonly string[];
  params: readonly Param[];
  signature: string;
  consumerSecret: string;
  tokenSecret: string;
}

/** True if the signature matches for any candidate URL, strictly or with the §7.4 tolerance. */
export function verifySignature(input: VerifyInput): boolean {
  const matches = (params: readonly Param[]): boolean =>
    input.urls.some((url) =>
      safeEqual(
        sign(signatureBaseString(input.method, url, params), input.consumerSecret, input.tokenSecret),
        input.signature,
      ),
    );
  if (matches(input.params)) return true;
  // twitter-api-v2 sends oauth_token in header and body but signs it once (spec §7.4).
  const collapsed = collapseDuplicates(input.params);
  return collapsed.length < input.params.length && matches(collapsed);
}
