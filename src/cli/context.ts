import { loadConfig, replicaSettings, type ServerConfig } from '../config.js';
import type { Services } from '../services.js';

export interface DbOption {
  db?: string;
}

/**
 * Opens the services a command needs on --db (or ROOST_DB), and closes them afterwards.
 * Commands share nothing with running servers through Redis, so they do not connect to it, and
 * they check no OAuth signature, so they neither read nor leave a nonce journal. They read the
 * primary alone: what a command reads must be current.
 */
export async function withServices<T>(opts: DbOption, work: (s: Services) => Promise<T>, overrides: Partial<ServerConfig> = {}): Promise<T> {
  const config = loadConfig({ ...(opts.db ? { db: opts.db } : {}), redisUrl: null, nonceJournal: false,
    replicas: replicaSettings({}, ''), ...overrides });
  const { closeServices, createServices } = await import('../services.js');
  const services = await createServices(config);
  try {
    return await work(services);
  } finally {
    await closeServices(services);
  }
}
