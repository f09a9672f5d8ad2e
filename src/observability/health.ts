// Liveness (the process answers) and readiness (its database answers), both with the version,
// for load balancers and orchestrators. Redis and read replicas are reported beside it but do not
// decide it: while the primary answers, roost serves without them (reads from the primary,
// shared state from memory), so one of them down is no reason to take every process out of a
// load balancer at once. The status then says 'degraded'.
import { createRequire } from 'node:module';
import type { FastifyInstance } from 'fastify';
import type { Services } from '../services.js';

const { version } = createRequire(import.meta.url)('../../package.json') as { version: string };

type Check = 'ok' | 'down';

async function check(probe: () => Promise<unknown>): Promise<Check> {
  try {
    await probe();
    return 'ok';
  } catch {
    return 'down';
  }
}

export function registerHealth(app: FastifyInstance, services: Services): void {
  app.get('/health/live', async (_req, reply) =>
    reply.header('cache-control', 'no-store').send({ status: 'ok', version }));

  app.get('/health/ready', async (_req, reply) => {
    const checks: Record<string, Check> = {
      // A primary-key lookup: cheap on any size of database, and it needs a live connection.
      database: await check(() => services.store.userById(0n)),
    };
    const redis = services.redis;
    if (redis) checks.redis = await check(() => redis.client.ping());
    const ready = checks.database === 'ok';
    const described = services.replicas?.replicas.map((r) => [r.name, r.describe()] as const) ?? [];
    const replicas = services.replicas ? { replicas: Object.fromEntries(described) } : {};
    const whole = Object.values(checks).every((c) => c === 'ok') && described.every(([, d]) => d.status === 'ok');
    return reply.code(ready ? 200 : 503).header('cache-control', 'no-store')
      .send({ status: !ready ? 'unavailable' : whole ? 'ok' : 'degraded', version, checks, ...replicas });
  });
}
