// Emulator mode around startServer: prepares the database and the emulator before the services
// are built, then adds its hooks and admin routes to the app and loads the fixture.
import type { FastifyInstance } from 'fastify';
import type { ServerConfig } from '../config.js';
import type { Services } from '../services.js';
import { registerAdminRoutes } from './admin-routes.js';
import { Emulator } from './emulator.js';
import { registerFaultHooks } from './faults.js';

export { Emulator };

export async function installEmulator(app: FastifyInstance, services: Services, emulator: Emulator): Promise<void> {
  registerFaultHooks(app, emulator);
  registerAdminRoutes(app, services, emulator);
  await emulator.start(services);
}

/** The emulator for a config in emulator mode (and the config it runs with), else null. */
export function prepareEmulator(config: ServerConfig): { emulator: Emulator | null; config: ServerConfig } {
  return config.emulator ? Emulator.prepare(config) : { emulator: null, config };
}
