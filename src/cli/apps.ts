import type { Command } from 'commander';
import { checkCallbackUrls, createApp, createToken } from '../admin/accounts.js';
import { appJson, appListJson, tokenJson } from '../admin/credentials-json.js';
import { DEFAULT_SCOPES, issueOAuth2Tokens, unknownScopes } from '../auth/oauth2-tokens.js';
import type { AccessLevel, AppPatch } from '../store/types.js';
import { withServices, type DbOption } from './context.js';
import { CliError, print } from './output.js';

type Flags = DbOption & { json?: boolean };
const collect = (value: string, previous: string[]) => [...previous, value];
const LEVELS: AccessLevel[] = ['read', 'read-write', 'read-write-directmessages'];

export function registerApps(program: Command): void {
  const apps = program.command('apps').description('create and list client apps');
  apps.command('create <name>').description('create an app with its consumer key and secret')
    .option('--callback-url <url>', 'an allowed OAuth callback URL (repeatable)', collect, [])
    .option('--public', 'a public OAuth 2.0 client (single-page or native app): no client secret, PKCE only')
    .option('--db <location>').option('--json', 'print the credentials as JSON')
    .action((name: string, opts: Flags & { callbackUrl: string[]; public?: boolean }) => withServices(opts, async (s) => {
      const app = await createApp(s.store, s.ids, s.clock, name, opts.callbackUrl, opts.public ? 'public' : 'confidential');
      if (opts.json) print(appJson(app));
      else process.stdout.write(`app "${app.name}"\n  consumer key:    ${app.consumerKey}\n  consumer secret: ${app.consumerSecret}\n  client id:       ${app.clientId}\n`);
    }));
  apps.command('update <consumer_key>').description('change an app\'s callback URLs or OAuth 2.0 client type')
    .option('--callback-url <url>', 'an allowed OAuth callback URL (repeatable; the list given replaces the registered one)', collect, [])
    .option('--no-callback-urls', 'remove every registered callback URL')
    .option('--public', 'make it a public OAuth 2.0 client (no client secret)')
    .option('--confidential', 'make it a confidential OAuth 2.0 client (Basic auth with the client secret)')
    .option('--db <location>').option('--json', 'print the app as JSON')
    .action((consumerKey: string, opts: Flags & { callbackUrl: string[]; callbackUrls: boolean; public?: boolean; confidential?: boolean }) => withServices(opts, async (s) => {
      const app = await s.store.appByConsumerKey(consumerKey);
      if (!app) throw new CliError(`no app with consumer key ${consumerKey}`);
      if (opts.public && opts.confidential) throw new CliError('--public and --confidential exclude each other');
      if (opts.callbackUrl.length > 0 && !opts.callbackUrls) throw new CliError('--callback-url and --no-callback-urls exclude each other');
      const patch: AppPatch = {};
      if (opts.callbackUrl.length > 0) {
        checkCallbackUrls(opts.callbackUrl);
        patch.callbackUrls = [...new Set(opts.callbackUrl)];
      }
      if (!opts.callbackUrls) patch.callbackUrls = [];
      if (opts.public) patch.clientType = 'public';
      if (opts.confidential) patch.clientType = 'confidential';
      if (Object.keys(patch).length === 0) throw new CliError('nothing to change: give --callback-url, --no-callback-urls, --public or --confidential');
      await s.store.updateApp(app.id, patch);
      const updated = (await s.store.appById(app.id))!;
      if (opts.json) print(appListJson(updated));
      else process.stdout.write(`app "${updated.name}" (${updated.clientType})\n${updated.callbackUrls.map((u) => `  callback: ${u}\n`).join('')}`);
    }));
  apps.command('list').description('list apps').option('--db <location>').option('--json')
    .action((opts: Flags) => withServices(opts, async (s) => {
      const all = await s.store.listApps();
      if (opts.json) print(all.map(appListJson));
      else for (const a of all) process.stdout.write(`${a.consumerKey}  ${a.name}\n`);
    }));

  const tokens = program.command('tokens').description('issue and revoke access tokens');
  tokens.command('create').description('issue an OAuth 1.0a access token (or, with --oauth2, OAuth 2.0 user tokens) for a user of an app')
    .option('--consumer-key <key>', 'the app, for an OAuth 1.0a token').option('--client-id <id>', 'the app, for OAuth 2.0 tokens')
    .requiredOption('--user <screen_name>')
    .option('--access <level>', `OAuth 1.0a access level: ${LEVELS.join(', ')}`)
    .option('--oauth2', 'issue OAuth 2.0 user tokens instead')
    .option('--scopes <list>', `OAuth 2.0 scopes, space-separated (default: ${DEFAULT_SCOPES.join(' ')})`)
    .option('--db <location>').option('--json', 'print the token as JSON')
    .action((opts: Flags & { consumerKey?: string; clientId?: string; user: string; access?: string; oauth2?: boolean; scopes?: string }) => withServices(opts, async (s) => {
      const user = await s.store.userByScreenName(opts.user);
      if (!user) throw new CliError(`no user @${opts.user}`);
      if (opts.oauth2) {
        if (!opts.clientId) throw new CliError('--oauth2 needs --client-id');
        const client = await s.store.appByClientId(opts.clientId);
        if (!client) throw new CliError(`no app with client id ${opts.clientId}`);
        const scopes = opts.scopes ? [...new Set(opts.scopes.split(/[\s,]+/).filter((x) => x !== ''))] : DEFAULT_SCOPES;
        const unknown = unknownScopes(scopes);
        if (unknown.length > 0) throw new CliError(`unknown scope ${unknown.join(', ')}`);
        const issued = await issueOAuth2Tokens(s.store, s.clock, client, user, scopes);
        if (opts.json) print({ access_token: issued.access_token, refresh_token: issued.refresh_token ?? null, expires_in: issued.expires_in, scope: issued.scope, token_type: issued.token_type });
        else process.stdout.write(`access token:  ${issued.access_token}\nrefresh token: ${issued.refresh_token ?? '(none: no offline.access)'}\n`);
        return;
      }
      if (!opts.consumerKey) throw new CliError('--consumer-key is required (or --oauth2 with --client-id)');
      const app = await s.store.appByConsumerKey(opts.consumerKey);
      if (!app) throw new CliError(`no app with consumer key ${opts.consumerKey}`);
      if (opts.access !== undefined && !LEVELS.includes(opts.access as AccessLevel)) throw new CliError(`--access must be one of ${LEVELS.join(', ')}`);
      const token = await createToken(s.store, s.clock, app, user, (opts.access as AccessLevel | undefined) ?? app.accessLevel);
      if (opts.json) print(tokenJson(token, user));
      else process.stdout.write(`access token:        ${token.token}\naccess token secret: ${token.secret}\n`);
    }));
  tokens.command('revoke <token>').description('revoke an access token').option('--db <location>').option('--json')
    .action((token: string, opts: Flags) => withServices(opts, async (s) => {
      const revoked = await s.store.revokeToken(token);
      if (!revoked) throw new CliError('no such live token');
      if (opts.json) print({ revoked: token });
      else process.stdout.write('revoked\n');
    }));
}
