// bin/roost: the operator's and scripts' interface. Errors print one line and exit non-zero.
import { Command, CommanderError } from 'commander';
import { registerApps } from './apps.js';
import { registerLoad } from './emulator.js';
import { registerGenerate } from './generate.js';
import { registerImportExport } from './import-export.js';
import { registerCa } from './ca.js';
import { registerMaintenance } from './maintenance.js';
import { registerServe } from './serve.js';
import { registerUsers } from './users.js';

const program = new Command('roost')
  .description('The social graph of the X (Twitter) API, self-hosted')
  .exitOverride()
  .showHelpAfterError(false);
registerServe(program);
registerUsers(program);
registerApps(program);
registerMaintenance(program);
registerLoad(program);
registerGenerate(program);
registerImportExport(program);
registerCa(program);

try {
  await program.parseAsync(process.argv);
} catch (err) {
  if (err instanceof CommanderError) process.exit(err.exitCode);
  process.stderr.write(`roost: ${err instanceof Error ? err.message : String(err)}\n`);
  process.exit(1);
}
