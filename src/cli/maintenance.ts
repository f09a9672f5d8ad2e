import type { Command } from 'commander';
import { openStore } from '../store/open-store.js';
import { defaultDb } from '../config.js';
import type { DbOption } from './context.js';
import { withTarget, type BulkFlags } from './bulk-common.js';
import { print } from './output.js';

export function registerMaintenance(program: Command): void {
  program.command('recount').description('check every stored count against its edges (one grouped pass) and repair drift')
    .option('--check', 'report drift without repairing it').option('--db <location>').option('--json')
    .action((opts: BulkFlags & { check?: boolean }) => withTarget(opts, async (target) => {
      const users = await target.countUsers();
      const drift = await target.recount(!opts.check);
      if (opts.json) {
        print({ repaired: !opts.check, users_checked: users, drift: drift.map((d) => ({
          user_id: d.userId.toString(), stored: [d.stored.followers, d.stored.friends], actual: [d.actual.followers, d.actual.friends],
        })) });
      } else {
        for (const d of drift) {
          process.stdout.write(`user ${d.userId}: followers ${d.stored.followers} -> ${d.actual.followers}, friends ${d.stored.friends} -> ${d.actual.friends}\n`);
        }
        process.stdout.write(drift.length === 0 ? `no drift (${users} users checked)\n` : `${drift.length} users drifted${opts.check ? '' : ', repaired'}\n`);
      }
      if (opts.check && drift.length > 0) process.exitCode = 2;
    }));
  program.command('migrate').description('apply pending schema migrations').option('--db <location>')
    .action(async (opts: DbOption) => {
      const store = await openStore(opts.db ?? defaultDb());
      await store.close();
      process.stdout.write('schema up to date\n');
    });
}
