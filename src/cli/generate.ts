import type { Command } from 'commander';
import { count, figures, withTarget, type BulkFlags } from './bulk-common.js';
import { CliError, print } from './output.js';

/** Generated accounts are created between these instants: fixed, so a seed always makes the same ids. */
const FROM = Date.UTC(2010, 10, 5);
const TO = Date.UTC(2025, 0, 1);

export function registerGenerate(program: Command): void {
  program.command('generate').description('generate a power-law follow graph with realistic profiles, straight into the database')
    .requiredOption('--users <n>', 'accounts to create', count('--users'))
    .requiredOption('--follows <n>', 'follows to create', count('--follows'))
    .option('--seed <n>', 'the same seed makes the same graph', count('--seed'), 1)
    .option('--celebrities <k>', 'accounts followed by most users', count('--celebrities'), 0)
    .option('--db <location>').option('--quiet', 'no progress bars').option('--json', 'print a JSON summary')
    .action((opts: BulkFlags & { users: number; follows: number; seed: number; celebrities: number }) => withTarget(opts, async (target, progress) => {
      const startedAt = performance.now();
      const { generateGraph, GenerateOptionsError } = await import('../bulk/generate.js');
      let graph;
      try {
        graph = generateGraph({ users: opts.users, follows: opts.follows, seed: opts.seed, celebrities: opts.celebrities, from: FROM, to: TO }, progress);
      } catch (err) {
        if (err instanceof GenerateOptionsError) throw new CliError(err.message);
        throw err;
      }
      const taken = await target.screenNameKeys();
      const loaded = await target.load(async (w) => {
        const clash = await w.existingIds(graph.edges.ids);
        if (clash.size > 0) throw new CliError(`${clash.size} generated ids are already stored (the same --seed again?): nothing generated`);
        const users = await w.insertUsers(graph.profiles(taken), opts.users, progress);
        return { users, ...(await w.insertFollows(graph.edges, progress)) };
      }, progress);
      const f = await figures(target, loaded.users, loaded.added, startedAt);
      if (opts.json) print({ ...f, seed: opts.seed, celebrities: graph.celebrities.map((i) => graph.edges.ids[i]!.toString()) });
      else process.stdout.write(`generated ${f.users} users and ${f.follows} follows in ${f.seconds} s (${f.edges_per_second} follows/s, ${f.bytes_per_edge} B/follow on disk)\n`);
    }));
}
