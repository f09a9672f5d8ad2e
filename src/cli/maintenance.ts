import type { Command } from 'commander';
import { openStore } from '../store/open-store.js';
import { defaultDb } from '../config.js';
import { withServices, type DbOption } from './context.js';
import { print } from './output.js';

export function registerMaintenance(program: Command): void {
  program.command('recount').description('check every stored count against its edges and repair drift')
    .option('--check', 'report drift without repairing it').option('--db <location>').option('--json')
    .action((opts: DbOption & { check?: boolean; json?: boolean }) => withServices(opts, async (s) => {
      const users = await s.store.countUsers();
      const drift = await s.graph.recount(!opts.check);
      if (opts.json) {
        print({ repaired: !opts.check, users_checked: users, drift: drift.map((d) => ({ user_id: d.userId.toString(), stored: d.stored, actual: d.actual })) });
      } else {
        process.stdout.write(drift.length === 0 ? 'no drift\n' : `${drift.length} users drifted${opts.check ? '' : ', repaired'}\n`);
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
