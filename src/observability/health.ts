// Liveness (the process answers) and readiness (its database, and Redis when configured, answer
// too), both with the version, for load balancers and orchestrators. Read replicas are reported
// beside the checks: while the primary answers, their reads go there, so one down is no reason
// to take the process out of a load balancer.
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
    const ready = Object.values(checks).every((c) => c === 'ok');
    const replicas = services.replicas
      ? { replicas: Object.fromEntries(services.replicas.replicas.map((r) => [r.name, r.describe()])) }
      : {};
    return reply.code(ready ? 200 : 503).header('cache-control', 'no-store')
      .send({ status: ready ? 'ok' : 'unavailable', version, checks, ...replicas });
  });
}
