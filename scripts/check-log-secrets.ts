// After a test run with ROOST_TEST_LOG_DIR set: every credential the tests created or sent
// (test/support/log-capture.ts) is looked for in every server log line. Exits 1 when one is
// found, or when there is nothing to check (no log lines, no secrets), so the check cannot pass
// by being empty.
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { secretsIn } from '../src/observability/secret-scan.js';

const dir = process.argv[2] ?? process.env.ROOST_TEST_LOG_DIR;
if (!dir) {
  process.stderr.write('usage: check-log-secrets <log dir>\n');
  process.exit(2);
}
const files = readdirSync(dir);
const read = (prefix: string, ext: string) =>
  files.filter((f) => f.startsWith(prefix) && f.endsWith(ext)).map((f) => readFileSync(join(dir, f), 'utf8')).join('\n');
const secrets = new Set(read('secrets-', '.txt').split('\n').filter((s) => s !== ''));
const logs = read('server-', '.log');
const lines = logs.split('\n').filter((l) => l !== '').length;
if (secrets.size === 0 || lines === 0) {
  process.stderr.write(`check-log-secrets: nothing to check in ${dir} (${lines} log lines, ${secrets.size} secrets)\n`);
  process.exit(1);
}
const leaked = secretsIn(logs, secrets);
if (leaked.size > 0) {
  const shown = [...leaked].slice(0, 5).map((s) => `${s.slice(0, 4)}…(${s.length} chars)`).join(', ');
  process.stderr.write(`check-log-secrets: ${leaked.size} of ${secrets.size} secrets appear in the server logs: ${shown}\n`);
  process.exit(1);
}
process.stdout.write(`check-log-secrets: ${lines} log lines, none of ${secrets.size} secrets in them\n`);
