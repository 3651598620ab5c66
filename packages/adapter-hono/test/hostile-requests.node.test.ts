// Hostile requests over real HTTP (@hono/node-server, so Node only: the portable suite leaves
// *.node.test.ts out): generated hostile tokens never get a 500 or an echoed control character,
// whether the middleware answers or throws HTTPException to Hono's error handling; options that
// could make answering throw fail at creation; a timeout that answers first causes no crash.
import { serve } from '@hono/node-server';
import { Hono } from 'hono';
import { timeout } from 'hono/timeout';
import type { AddressInfo } from 'node:net';
import { expect, it } from 'vitest';
import { describeHostileRequests, KEY_FETCH_DELAY_MS, MAX_HEADER_SIZE, type Served } from '../../../test-support/hostile-requests-suite.js';
import { entraAuth, requireScopes } from '../src/index.js';

async function listen(app: Hono): Promise<Served> {
  const server = serve({ fetch: app.fetch, port: 0, hostname: '127.0.0.1', serverOptions: { maxHeaderSize: MAX_HEADER_SIZE } });
  await new Promise<void>((resolve) => server.once('listening', () => resolve()));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    close: () =>
      new Promise<void>((resolve) => {
        (server as { closeAllConnections?: () => void }).closeAllConnections?.();
        server.close(() => resolve());
      }),
  };
}

describeHostileRequests({
  name: 'Hono over @hono/node-server',
  entraAuth,
  requireScopes,
  serveOwnAndForward(own, forward) {
    const app = new Hono();
    // One middleware answers refusals itself, one throws HTTPException to Hono's error handling.
    app.use('/own/*', entraAuth(own));
    app.use('/forward/*', entraAuth(forward));
    for (const prefix of ['/own', '/forward']) {
      app.get(`${prefix}/me`, (c) => c.text('ok'));
      app.get(`${prefix}/data`, requireScopes('Data.Read'), (c) => c.text('ok'));
    }
    return listen(app);
  },
  serve(options) {
    const app = new Hono();
    app.use(entraAuth(options));
    app.get('/', (c) => c.text('ok'));
    return listen(app);
  },
  defaultErrorHandling: {
    name: "Hono's default error handler",
    // The HTTPException carries the RFC 6750 response, which Hono's handler sends as it is.
    expectBody: (body) => expect(JSON.parse(body)).toMatchObject({ error: 'invalid_token' }),
  },
  // hono/timeout answers 504 through Hono itself rather than on the raw response, so the suite's
  // 503 case does not apply; this is what it does instead.
  more(suite) {
    it.each([
      ['a valid token', false, () => suite.entra.mint()],
      ['a forged signature', false, async () => `${(await suite.entra.mint()).slice(0, -8)}AAAAAAAA`],
      ['a forged signature, forwardErrors', true, async () => `${(await suite.entra.mint()).slice(0, -8)}AAAAAAAA`],
    ])('with %s, hono/timeout answering 504 before the key set arrives causes no crash and no unhandled rejection', async (_case, forwardErrors, token) => {
      const app = new Hono();
      let routeRan = false;
      app.use(timeout(50));
      app.use(entraAuth(suite.options({ fetch: suite.slowKeys(KEY_FETCH_DELAY_MS), forwardErrors })));
      app.get('/', (c) => {
        routeRan = true;
        return c.text('ok');
      });
      const response = await fetch(suite.closeAfterTest(await listen(app)), { headers: { authorization: `Bearer ${await token()}` } });
      expect(response.status).toBe(504);
      // The verification finishes later; its answer (or HTTPException) must go nowhere, quietly,
      // and the route must not run for a request that was already answered.
      await new Promise((resolve) => setTimeout(resolve, KEY_FETCH_DELAY_MS + 150));
      expect(routeRan).toBe(false);
    });
  },
});
