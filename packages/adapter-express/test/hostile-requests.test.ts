// Hostile requests over real HTTP on Express 4 and 5: generated hostile tokens never get a 500 or
// an echoed control character; options that could make answering throw fail at creation; and a
// response another middleware already sent (a timeout) is never written to again.
import { listenOnLoopback } from '@entra-verify/example-support';
import express5 from 'express';
import express4 from 'express4';
import { createServer } from 'node:http';
import { expect } from 'vitest';
import { describeHostileRequests, MAX_HEADER_SIZE, TIMEOUT_MS } from '../../../test-support/hostile-requests-suite.js';
import { entraAuth, requireScopes } from '../src/index.js';

for (const [name, express] of [
  ['Express 5', express5],
  ['Express 4', express4 as unknown as typeof express5],
] as const) {
  const listen = (app: ReturnType<typeof express5>) => listenOnLoopback(createServer({ maxHeaderSize: MAX_HEADER_SIZE }, app));

  describeHostileRequests({
    name,
    entraAuth,
    requireScopes,
    serveOwnAndForward(own, forward) {
      const app = express();
      // One mount answers refusals itself, one forwards them to Express's default error handler.
      app.use('/own', entraAuth(own));
      app.use('/forward', entraAuth(forward));
      for (const prefix of ['/own', '/forward']) {
        app.get(`${prefix}/me`, (_req, res) => res.send('ok'));
        app.get(`${prefix}/data`, requireScopes('Data.Read'), (_req, res) => res.send('ok'));
      }
      return listen(app);
    },
    serve(options) {
      const app = express();
      app.use(entraAuth(options));
      app.get('/', (_req, res) => res.send('ok'));
      return listen(app);
    },
    defaultErrorHandling: {
      name: "Express's default error handler",
      // Its HTML error page carries the error's message, which starts with the code.
      expectBody: (body) => expect(body).toContain('malformed_token'),
    },
    behindTimeout: {
      serve(options, watch) {
        const app = express();
        app.use((_req, res, next) => {
          setTimeout(() => {
            res.status(503).send('timed out');
            watch.answered(res);
          }, TIMEOUT_MS);
          next();
        });
        app.use(entraAuth(options));
        app.get('/', (_req, res) => {
          watch.routeRan();
          res.send('ok');
        });
        return listen(app);
      },
    },
  });
}
