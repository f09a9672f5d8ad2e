// Finds which of a set of secrets occur in a text, in the forms a request could carry them
// (as is, percent-encoded, form-encoded). One pass over the text whatever the number of
// secrets: candidates are looked up by their first characters.
const PREFIX = 8;

function forms(secret: string): string[] {
  const encoded = encodeURIComponent(secret);
  return [...new Set([secret, encoded, encoded.replace(/%20/g, '+')])];
}

export function secretsIn(text: string, secrets: Iterable<string>): Set<string> {
  const byPrefix = new Map<string, { form: string; secret: string }[]>();
  for (const secret of secrets) {
    if (secret.length < PREFIX) continue;
    for (const form of forms(secret)) {
      const key = form.slice(0, PREFIX);
      byPrefix.set(key, [...(byPrefix.get(key) ?? []), { form, secret }]);
    }
  }
  const found = new Set<string>();
  for (let i = 0; i + PREFIX <= text.length; i++) {
    const candidates = byPrefix.get(text.slice(i, i + PREFIX));
    if (!candidates) continue;
    for (const c of candidates) if (text.startsWith(c.form, i)) found.add(c.secret);
  }
  return found;
}
