// bin/roost import / export: SNAP edge lists, the users CSV and Mastodon's following CSV.
import { Option, type Command } from 'commander';
import { systemClock } from '../clock.js';
import type { BadLines, OnError, Output } from '../bulk/formats/files.js';
import type { ImportResult } from '../bulk/importers.js';
import type { BulkTarget } from '../store/bulk/bulk-target.js';
import type { Progress } from '../store/bulk/progress.js';
import { figures, withTarget, type BulkFlags } from './bulk-common.js';
import { CliError, print } from './output.js';

type ImportFlags = BulkFlags & { onError: OnError; user?: string };
// The formats (csv-parse, csv-stringify) load when a command runs, not at every CLI start.
const files = () => import('../bulk/formats/files.js');
const importers = () => import('../bulk/importers.js');

type Importer = (t: BulkTarget, file: string, bad: BadLines, progress: Progress, opts: ImportFlags) => Promise<ImportResult>;

const IMPORTERS: Record<string, { description: string; run: Importer }> = {
  snap: { description: 'a SNAP edge list: "follower followee" per line, # comments, optionally gzipped', run: async (t, f, b, p) => (await importers()).importSnap(t, f, b, p) },
  users: { description: 'a users CSV (id,screen_name,name,description,location,url,protected,verified,created_at)', run: async (t, f, b, p) => (await importers()).importUsers(t, f, b, p) },
  mastodon: {
    description: 'a Mastodon following CSV (Account address,Show boosts,...) of the user given by --user',
    run: async (t, f, b, p, o) => {
      if (!o.user) throw new CliError('mastodon imports need --user <screen_name>: whose following list it is');
      return (await importers()).importMastodon(t, f, o.user, b, systemClock, p);
    },
  },
};

function importCommand(parent: Command, format: string, spec: (typeof IMPORTERS)[string]): void {
  parent.command(`${format} <file>`).description(`import ${spec.description}; "-" reads stdin`)
    .addOption(new Option('--on-error <mode>', 'a bad line stops the import (nothing is written) or is reported and skipped').choices(['fail', 'skip']).default('fail'))
    .option('--user <screen_name>', 'mastodon: the user who follows the accounts listed')
    .option('--db <location>').option('--quiet', 'no progress bars').option('--json', 'print a JSON summary')
    .action((file: string, opts: ImportFlags) => withTarget(opts, async (target, progress) => {
      const startedAt = performance.now();
      const [{ BadLineError, BadLines }, { ImportError }] = await Promise.all([files(), importers()]);
      const bad = new BadLines(file, opts.onError, (e) => process.stderr.write(`roost: skipped ${e.message}\n`));
      let result: ImportResult;
      try {
        result = await spec.run(target, file, bad, progress, opts);
      } catch (err) {
        if (err instanceof BadLineError || err instanceof ImportError) throw new CliError(`${err.message} (nothing imported)`);
        throw err;
      }
      const f = await figures(target, result.users_added, result.follows_added, startedAt);
      if (opts.json) print({ ...result, seconds: f.seconds, edges_per_second: f.edges_per_second, total_follows: f.total_follows, disk_bytes: f.disk_bytes, bytes_per_edge: f.bytes_per_edge });
      else process.stdout.write(`imported ${result.users_added} users and ${result.follows_added} follows in ${f.seconds} s (${result.existing} already stored, ${result.repeats} repeated, ${result.bad_lines} bad lines skipped)\n`);
    }));
}

export function registerImportExport(program: Command): void {
  const imp = program.command('import').description('load a graph file in one transaction: all of it or, on failure, none');
  for (const [format, spec] of Object.entries(IMPORTERS)) importCommand(imp, format, spec);

  const exp = program.command('export').description('write the graph in the import formats (gzipped when the file name ends in .gz; "-" is stdout)');
  const exporter = (format: string, description: string, write: (t: BulkTarget, out: Output, p: Progress, o: BulkFlags & { user?: string; host: string }) => Promise<number>) =>
    exp.command(`${format} <file>`).description(description)
      .option('--user <screen_name>', 'mastodon: whose following list').option('--host <host>', 'mastodon: the host in account addresses', 'localhost')
      .option('--db <location>').option('--quiet', 'no progress bars').option('--json', 'print a JSON summary')
      .action((file: string, opts: BulkFlags & { user?: string; host: string }) => withTarget(opts, async (target, progress) => {
        const out = new (await files()).Output(file);
        const rows = await write(target, out, progress, opts).finally(() => out.close());
        if (opts.json) print({ format, rows });
        else if (file !== '-') process.stdout.write(`exported ${rows} rows to ${file}\n`);
      }));
  exporter('snap', 'every follow, oldest first, as a SNAP edge list', async (t, out, p) => (await import('../bulk/formats/snap.js')).writeSnap(t, out, p));
  exporter('users', 'every user as the users CSV', async (t, out, p) => (await import('../bulk/formats/users-csv.js')).writeUsersCsv(t, out, p));
  exporter('mastodon', 'the accounts --user follows, as a Mastodon following CSV', async (t, out, _p, o) => {
    if (!o.user) throw new CliError('mastodon exports need --user <screen_name>');
    const user = await t.userByScreenName(o.user);
    if (!user) throw new CliError(`no user @${o.user}`);
    return (await import('../bulk/formats/mastodon-csv.js')).writeMastodonCsv(t, user.id, o.host, out);
  });
}
