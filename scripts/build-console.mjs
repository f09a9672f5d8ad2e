// Builds the console's client (src/console/client, plain TypeScript and CSS) into
// dist/console/public, where roost serves it: one bundled, minified script and one stylesheet.
import { build } from 'esbuild';
import { copyFileSync, mkdirSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('..', import.meta.url));
const out = `${root}dist/console/public`;
mkdirSync(out, { recursive: true });
await build({
  entryPoints: [`${root}src/console/client/main.ts`],
  bundle: true, minify: true, format: 'esm', target: 'es2022', outfile: `${out}/app.js`, logLevel: 'warning', legalComments: 'none',
});
copyFileSync(`${root}src/console/client/style.css`, `${out}/app.css`);
