// Server-rendered HTML for the sign-in pages: a template tag that escapes every interpolated
// value, one layout (inline CSS only, nothing fetched), and the headers every page carries.
import type { FastifyReply } from 'fastify';

/** Markup that is already safe: produced by `html`, never by concatenating input. */
export class Html {
  constructor(readonly value: string) {}
  toString(): string {
    return this.value;
  }
}

const ESCAPES: Readonly<Record<string, string>> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' };

export const escapeHtml = (s: string): string => s.replace(/[&<>"']/g, (c) => ESCAPES[c]!);

function render(v: unknown): string {
  if (v instanceof Html) return v.value;
  if (Array.isArray(v)) return v.map(render).join('');
  if (v === null || v === undefined || v === false) return '';
  return escapeHtml(String(v));
}

/** `html\`<p>${text}</p>\``: strings are escaped; Html values and arrays of them are kept. */
export function html(strings: TemplateStringsArray, ...values: unknown[]): Html {
  let out = strings[0]!;
  values.forEach((v, i) => {
    out += render(v) + strings[i + 1]!;
  });
  return new Html(out);
}

const STYLE = `
*{box-sizing:border-box}
html{font-family:system-ui,-apple-system,"Segoe UI",Roboto,Helvetica,Arial,sans-serif;font-size:100%;line-height:1.5;color:#0f1419;background:#f7f9f9}
body{margin:0;padding:2rem 1rem}
main{max-width:28rem;margin:0 auto;background:#fff;border:1px solid #cfd9de;border-radius:1rem;padding:1.5rem 2rem}
h1{font-size:1.5rem;line-height:1.25;margin:0 0 1rem}
h2{font-size:1.1rem;margin:1.25rem 0 .5rem}
p{margin:0 0 1rem}
ul{margin:0 0 1rem;padding-left:1.25rem}
li{margin:.25rem 0}
label{display:block;font-weight:600;margin:1rem 0 .25rem}
input[type=text],input[type=password]{display:block;width:100%;font:inherit;padding:.6rem .75rem;border:1px solid #536471;border-radius:.375rem;color:inherit;background:#fff}
input[aria-invalid=true]{border-color:#b3261e}
.actions{display:flex;gap:.75rem;flex-wrap:wrap;margin-top:1.5rem}
button{font:inherit;font-weight:700;padding:.6rem 1.25rem;border-radius:999px;border:2px solid #0f1419;cursor:pointer}
button.primary{background:#0f1419;color:#fff}
button.secondary{background:#fff;color:#0f1419}
:focus-visible{outline:3px solid #1d4ed8;outline-offset:2px}
.error{color:#8c1d18;background:#fdecea;border:1px solid #b3261e;border-radius:.375rem;padding:.5rem .75rem}
.pin{font-size:2.5rem;font-weight:700;letter-spacing:.3em;font-variant-numeric:tabular-nums;margin:.5rem 0 1rem}
.muted{color:#536471}
@media (prefers-color-scheme:dark){html{color:#e7e9ea;background:#000}main{background:#16181c;border-color:#2f3336}
input[type=text],input[type=password]{background:#000;border-color:#8b98a5}button.primary{background:#eff3f4;color:#0f1419;border-color:#eff3f4}
button.secondary{background:transparent;color:#eff3f4;border-color:#eff3f4}.muted{color:#8b98a5}.error{color:#ffb4ab;background:#410e0b}}
`.trim();

export function layout(title: string, body: Html): Html {
  return html`<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="referrer" content="no-referrer">
<title>${title} · roost</title>
<style>${new Html(STYLE)}</style>
</head>
<body>
<main>
${body}
</main>
</body>
</html>
`;
}

/**
 * The CSP of a page. `formTargets` are origins a form on it may end up at: Chrome applies
 * form-action to every redirect after a submission, so the consent page must name the
 * client's callback origin for its Allow to reach it.
 */
export function contentSecurityPolicy(formTargets: readonly string[] = []): string {
  const origins = [...new Set(formTargets)].filter((o) => /^https?:\/\/[A-Za-z0-9.\-[\]:]+$/.test(o));
  return ["default-src 'none'", "style-src 'unsafe-inline'", `form-action ${["'self'", ...origins].join(' ')}`, "frame-ancestors 'none'",
    "base-uri 'none'"].join('; ');
}

/** Headers of every sign-in page and of every redirect they send. */
export function pageHeaders(formTargets: readonly string[] = []): Record<string, string> {
  return {
    'content-security-policy': contentSecurityPolicy(formTargets),
    'x-frame-options': 'DENY',
    'cache-control': 'no-store',
    pragma: 'no-cache',
    'x-content-type-options': 'nosniff',
    'referrer-policy': 'no-referrer',
  };
}

export function sendPage(reply: FastifyReply, status: number, page: Html, formTargets: readonly string[] = []): FastifyReply {
  return reply.code(status).headers(pageHeaders(formTargets)).header('content-type', 'text/html; charset=utf-8').send(page.value);
}

/** A redirect out of a page (to the client's callback, or back to a flow after sign-in). */
export function sendRedirect(reply: FastifyReply, status: 302 | 303, location: string): FastifyReply {
  return reply.code(status).headers(pageHeaders()).header('location', location).send('');
}

/** The origin of an http(s) URL, for form-action; null for anything else. */
export function originOf(url: string): string | null {
  try {
    const u = new URL(url);
    return u.protocol === 'http:' || u.protocol === 'https:' ? u.origin : null;
  } catch {
    return null;
  }
}
