import type { Command } from 'commander';
import { createUser, setPassword } from '../admin/accounts.js';
import { DEFAULT_SCRYPT } from '../auth/passwords.js';
import { checkPassword } from '../auth/passwords.js';
import { ProfileTooLongError, type ProfileChange } from '../graph/profile.js';
import type { UserRow, UserState } from '../store/types.js';
import type { Services } from '../services.js';
import { withServices, type DbOption } from './context.js';
import { CliError, print, userJson } from './output.js';

type Flags = DbOption & { json?: boolean };

/** Refuses an unusable password before anything is written. */
function passwordOrFail(password: string): void {
  try {
    checkPassword(password);
  } catch (err) {
    throw new CliError((err as Error).message);
  }
}

async function mustFind(s: Services, screenName: string): Promise<UserRow> {
  const user = await s.store.userByScreenName(screenName);
  if (!user) throw new CliError(`no user @${screenName}`);
  return user;
}

function show(s: Services, user: UserRow, json: boolean | undefined): void {
  if (json) print(userJson(user, s.config));
  else process.stdout.write(`@${user.screenName} ${user.id} ${user.state}${user.protected ? ' protected' : ''} followers=${user.followersCount} friends=${user.friendsCount}\n`);
}

/** An operator action on one user: the change, then the user as it is now. */
function action(users: Command, name: string, description: string, change: (s: Services, u: UserRow) => Promise<UserRow>) {
  users.command(`${name} <screen_name>`).description(description)
    .option('--db <location>').option('--json', 'print the v1.1 user object')
    .action((screenName: string, opts: Flags) => withServices(opts, async (s) => show(s, await change(s, await mustFind(s, screenName)), opts.json)));
}

const setState = (state: UserState) => (s: Services, u: UserRow) => s.graph.setState(u.id, state);

export function registerUsers(program: Command): void {
  const users = program.command('users').description('create and manage users');
  users.command('create <screen_name>').description('create a user')
    .option('--name <text>').option('--description <text>').option('--location <text>').option('--url <url>')
    .option('--email <address>').option('--protected').option('--verified')
    .option('--password <password>', 'the password for signing in to apps on roost\'s pages (stored as a scrypt hash)')
    .option('--db <location>').option('--json', 'print the v1.1 user object')
    .action((screenName: string, opts: Flags & { name?: string; description?: string; location?: string; url?: string; email?: string; protected?: boolean; verified?: boolean; password?: string }) =>
      withServices(opts, async (s) => {
        if (opts.password !== undefined) passwordOrFail(opts.password);
        const user = await createUser(s.store, s.ids, s.clock, {
          screenName, name: opts.name, description: opts.description, location: opts.location, url: opts.url ?? null,
          email: opts.email ?? null, protected: opts.protected ?? false, verified: opts.verified ?? false,
        });
        if (opts.password !== undefined) await setPassword(s.store, user, opts.password, { ...DEFAULT_SCRYPT, N: s.config.scryptN });
        show(s, user, opts.json);
      }));
  users.command('set-password <screen_name> <password>').description('set the password a user signs in with on roost\'s sign-in pages')
    .option('--db <location>').option('--json', 'print the v1.1 user object')
    .action((screenName: string, password: string, opts: Flags) => withServices(opts, async (s) => {
      const user = await mustFind(s, screenName);
      await setPassword(s.store, user, password, { ...DEFAULT_SCRYPT, N: s.config.scryptN });
      if (opts.json) print(userJson(user, s.config));
      else process.stdout.write(`password set for @${user.screenName}\n`);
    }));
  users.command('update <screen_name>').description('edit a profile as account/update_profile does: one event per changed field')
    .option('--name <text>').option('--url <url>', 'an empty value clears it').option('--location <text>').option('--description <text>')
    .option('--db <location>').option('--json', 'print the v1.1 user object')
    .action((screenName: string, opts: Flags & ProfileChange) => withServices(opts, async (s) => {
      const user = await mustFind(s, screenName);
      try {
        show(s, await s.graph.updateProfile(user.id, { name: opts.name, url: opts.url, location: opts.location, description: opts.description }), opts.json);
      } catch (err) {
        if (err instanceof ProfileTooLongError) throw new CliError(err.message);
        throw err;
      }
    }));
  users.command('show <screen_name>').description('print a user')
    .option('--db <location>').option('--json', 'print the v1.1 user object')
    .action((screenName: string, opts: Flags) => withServices(opts, async (s) => show(s, await mustFind(s, screenName), opts.json)));
  action(users, 'suspend', 'suspend a user: hidden from lists and counts, API calls refused (63/64)', setState('suspended'));
  action(users, 'unsuspend', 'lift a suspension', setState('active'));
  action(users, 'deactivate', 'deactivate a user: answers as if it did not exist', setState('deactivated'));
  action(users, 'reactivate', 'undo a deactivation', setState('active'));
  action(users, 'protect', 'make the account protected: new follows become requests', (s, u) => s.graph.setProtected(u.id, true));
  action(users, 'unprotect', 'make the account public: pending requests are accepted', (s, u) => s.graph.setProtected(u.id, false));
  action(users, 'lock', 'lock the account: writes refused with 326', async (s, u) => {
    await s.store.transaction((tx) => tx.updateUser(u.id, { locked: true }));
    return mustFind(s, u.screenName);
  });
  action(users, 'unlock', 'unlock the account', async (s, u) => {
    await s.store.transaction((tx) => tx.updateUser(u.id, { locked: false }));
    return mustFind(s, u.screenName);
  });
}
