// While the server stops, a request that still reaches it (on a connection kept alive, or one
// whose head was arriving when the stop began) is told to come back later, in Twitter's format,
// and its connection is closed after the answer.
import type { FastifyInstance } from 'fastify';
import { V1, V1Error } from '../wire/v1/errors.js';
import { httpProblem } from '../wire/v2/problems.js';
import { pathOf } from './request-url.js';
import { errorBody, sendJson } from './v1/reply.js';
import { sendProblem } from './v2/router.js';

export function answerWhileClosing(app: FastifyInstance, closing: () => boolean): void {
  app.addHook('onRequest', async (req, reply) => {
    if (!closing()) return;
    reply.header('connection', 'close');
    if (pathOf(req).startsWith('/2/')) return sendProblem(reply, httpProblem(503, 'Service Unavailable'));
    return sendJson(reply, 503, errorBody(new V1Error(V1.overCapacity)));
  });
}
