// While the server stops, a request that still reaches it (on a connection kept alive, or one
// whose head was arriving when the stop began) is told to come back later, in Twitter's format,
// and its connection is closed after the answer.
import type { FastifyInstance } from 'fastify';
import { dialectOf } from './dialect-of.js';

export function answerWhileClosing(app: FastifyInstance, closing: () => boolean): void {
  app.addHook('onRequest', (req, reply, done) => {
    if (!closing()) return done();
    reply.header('connection', 'close');
    dialectOf(req).sendStatus(reply, 503);
  });
}
