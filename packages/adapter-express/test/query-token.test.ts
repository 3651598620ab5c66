// queryToken over real HTTP with an EventSource-style client: the token only on event streams,
// cut out of req.url / req.originalUrl / req.query before routes and request logs see it.
import { listenOnLoopback } from '@entra-verify/example-support';
import express5 from 'express';
import express4 from 'express4';
import { createServer } from 'node:http';
import { describeQueryToken } from '../../../test-support/query-token-suite.js';
import { entraAuth, requireScopes } from '../src/index.js';

for (const [name, express] of [
  ['Express 5', express5],
  ['Express 4', express4 as unknown as typeof express5],
] as const) {
  describeQueryToken(name, (options, log) => {
    const app = express();
    // A request logger in the style of morgan: it writes req.originalUrl once the answer is sent.
    app.use((req, res, next) => {
      res.on('finish', () => log(`${req.method} ${req.originalUrl} ${res.statusCode}`));
      next();
    });
    app.use(entraAuth(options));
    app.get('/events', requireScopes('Events.Read'), (req, res) => {
      res.set({ 'content-type': 'text/event-stream', 'cache-control': 'no-cache' });
      res.end(`data: ${JSON.stringify({ oid: req.auth!.principal.objectId, url: req.url, originalUrl: req.originalUrl, query: { ...req.query } })}\n\n`);
    });
    app.get('/me', (req, res) => res.json({ oid: req.auth?.principal.objectId ?? null }));
    return listenOnLoopback(createServer(app));
  });
}
