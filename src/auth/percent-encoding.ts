// Percent-encoding as OAuth 1.0a reads it (RFC 5849 §3.4.1.3 and §3.5.1): the rules its
// signatures and Authorization header depend on, kept with the OAuth code. Forms decode through
// them too (src/http/form.ts).

export type Param = readonly [name: string, value: string];

const encoder = new TextEncoder();
// fatal: reject invalid UTF-8 instead of substituting U+FFFD;
// ignoreBOM: keep a leading U+FEFF, it is part of the value.
const decoder = new TextDecoder('utf-8', { fatal: true, ignoreBOM: true });
const HEX2 = /^[0-9A-Fa-f]{2}$/;

/**
 * Percent-decodes one component into a UTF-8 string; `+` becomes a space only when
 * `plusIsSpace` (forms yes, OAuth header values no). Null on a bad `%` escape or
 * invalid UTF-8.
 */
export function percentDecode(raw: string, plusIsSpace: boolean): string | null {
  // Most components (ids, counts, oauth_* values) have nothing to decode: returned as they are.
  if (!(plusIsSpace ? NEEDS_FORM_DECODING : NEEDS_DECODING).test(raw)) return raw;
  // The engine's decoder applies the same rules (an escape is % and two hex digits, the bytes
  // must be UTF-8, a BOM stays) in native code; only lone surrogates need the byte-wise path.
  if (!SURROGATE.test(raw)) {
    try {
      return decodeURIComponent(plusIsSpace ? raw.replaceAll('+', ' ') : raw);
    } catch {
      return null;
    }
  }
  return decodeBytewise(raw, plusIsSpace);
}

const NEEDS_DECODING = /[%\uD800-\uDFFF]/;
const NEEDS_FORM_DECODING = /[%+\uD800-\uDFFF]/;
const SURROGATE = /[\uD800-\uDFFF]/;

/** The reference decoder: a literal lone surrogate becomes U+FFFD through its UTF-8 round trip. */
function decodeBytewise(raw: string, plusIsSpace: boolean): string | null {
  const bytes: number[] = [];
  let i = 0;
  while (i < raw.length) {
    const c = raw[i];
    if (c === '%') {
      const hex = raw.slice(i + 1, i + 3);
      if (!HEX2.test(hex)) return null;
      bytes.push(parseInt(hex, 16));
      i += 3;
    } else if (c === '+' && plusIsSpace) {
      bytes.push(0x20);
      i += 1;
    } else {
      // A run of literal characters: re-encode as UTF-8 so it joins the escaped bytes.
      let j = i + 1;
      while (j < raw.length && raw[j] !== '%' && !(plusIsSpace && raw[j] === '+')) j++;
      for (const b of encoder.encode(raw.slice(i, j))) bytes.push(b);
      i = j;
    }
  }
  try {
    return decoder.decode(Uint8Array.from(bytes));
  } catch {
    return null;
  }
}
