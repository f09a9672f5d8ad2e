// The Fastify application: raw bodies (we decode forms ourselves, exactly as signed),
// Twitter-shaped 404s and errors, then the route groups.
import Fastify, { type FastifyInstance } from 'fastify';
import { V1, V1Error } from '../wire/v1/errors.js';
import type { Services } from './deps.js';
import { registerImages } from './images.js';
import { registerAppOnly } from './oauth/app-only.js';
import { pathOf } from './request-url.js';
import { errorBody, sendJson, sendV1Error } from './v1/reply.js';
import { registerV1 } from './v1/router.js';

export interface AppOptions {
  logger?: boolean | object;
}

export function buildApp(services: Services, opts: AppOptions = {}): FastifyInstance {
  const app = Fastify({
    logger: opts.logger ?? false,
    bodyLimit: 64 * 1024,
    // Query strings are decoded by roost itself (form rules, duplicates kept for signatures).
    routerOptions: { ignoreTrailingSlash: false, maxParamLength: 200 },
  });
  app.removeAllContentTypeParsers();
  app.addContentTypeParser('*', { parseAs: 'string' }, (_req, body, done) => done(null, body));

  app.setNotFoundHandler((req, reply) => sendJson(reply, 404, errorBody(new V1Error(V1.pageNotFound))));
  // Errors raised by Fastify itself before a route runs (oversized or malformed bodies).
  app.setErrorHandler((err: { statusCode?: number }, req, reply) => {
    const status = err.statusCode ?? 500;
    if (status >= 400 && status < 500) {
      return sendJson(reply, status, errorBody(new V1Error(V1.badUrlParameter)));
    }
    return sendV1Error(reply, err, pathOf(req));
  });

  registerV1(app, services);
  registerAppOnly(app, services);
  registerImages(app);
  return app;
}
