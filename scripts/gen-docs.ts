import { writeFileSync } from 'node:fs';
import { renderApiDoc } from '../src/docs/api-doc.js';

writeFileSync(new URL('../docs/api.md', import.meta.url), renderApiDoc());
process.stdout.write('wrote docs/api.md\n');
