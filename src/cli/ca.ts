// `bin/roost ca`: where roost's CA is (created on first use) and how each kind of client is told
// to trust it, with the hosts-file line and the proxy setting that send the Twitter hosts to roost.
import type { Command } from 'commander';
import { loadConfig } from '../config.js';
import type { CertificateAuthority } from '../tls/ca.js';
import { caDirFor } from '../tls/ca-dir.js';
import { TWITTER_HOSTS } from '../tls/hosts.js';
import { print } from './output.js';
import { DEFAULT_PROXY_PORT } from './serve-tls.js';

const shellWord = (s: string) => (/^[\w@%+=:,./-]+$/.test(s) ? s : `'${s.replace(/'/g, `'\\''`)}'`);

/** Variables clients read: NODE_EXTRA_CA_CERTS adds to Node's roots; the others replace their client's list. */
export function trustEnv(ca: CertificateAuthority): Record<string, string> {
  return {
    NODE_EXTRA_CA_CERTS: ca.certPath, // Node
    REQUESTS_CA_BUNDLE: ca.bundlePath, // Python requests (tweepy)
    SSL_CERT_FILE: ca.bundlePath, // Ruby (OpenSSL), Python's ssl module
    PERL_LWP_SSL_CA_FILE: ca.bundlePath, // Perl LWP
    CURL_CA_BUNDLE: ca.bundlePath, // curl
  };
}

export const hostsLine = (address = '127.0.0.1') => `${address} ${TWITTER_HOSTS.join(' ')}`;

export function registerCa(program: Command): void {
  program
    .command('ca')
    .description('print where roost\'s CA is and how to make clients trust it (creates it on first use)')
    .option('--db <location>', 'the database the CA sits beside (env ROOST_DB, default ./roost.db)')
    .option('--ca-dir <dir>', 'the CA\'s directory (env ROOST_CA_DIR)')
    .option('--json', 'print the paths and settings as JSON')
    .action(async (opts: { db?: string; caDir?: string; json?: boolean }) => {
      const config = loadConfig({ ...(opts.db ? { db: opts.db } : {}), ...(opts.caDir ? { caDir: opts.caDir } : {}) });
      const { ensureCa } = await import('../tls/ca.js'); // node-forge: only for this command
      const ca = ensureCa(caDirFor(config.db, config.caDir));
      const env = trustEnv(ca);
      const proxy = `http://127.0.0.1:${config.proxyPort ?? DEFAULT_PROXY_PORT}`;
      if (opts.json) {
        print({ ca: ca.certPath, bundle: ca.bundlePath, env, hosts: hostsLine(), https_proxy: proxy });
        return;
      }
      process.stdout.write([
        `# roost's CA: ${ca.certPath}`,
        `# ${ca.bundlePath} is the usual public roots plus roost's CA.`,
        '# Make clients trust it (Node, Python requests, Ruby and Python ssl, Perl LWP, curl):',
        ...Object.entries(env).map(([k, v]) => `export ${k}=${shellWord(v)}`),
        '# Then either go through roost\'s proxy (bin/roost serve --proxy), which answers only the Twitter hosts:',
        `export HTTPS_PROXY=${proxy}`,
        '# or send the Twitter hosts here with this line in /etc/hosts (and bin/roost serve --tls --port 443):',
        hostsLine(),
      ].join('\n') + '\n');
    });
}
