// Hostile requests over real HTTP on Koa 2 and 3: generated hostile tokens never get a 500 or an
// echoed control character; options that could make answering throw fail at creation; and a
// response another middleware already sent (a timeout writing to ctx.res) is never written again.
import { listenOnLoopback } from '@entra-verify/example-support';
import Koa3, { type Middleware } from 'koa';
import Koa2 from 'koa2';
import { createServer } from 'node:http';
import { expect } from 'vitest';
import { describeHostileRequests, MAX_HEADER_SIZE, TIMEOUT_MS, type Served } from '../../../test-support/hostile-requests-suite.js';
import { entraAuth, requireScopes } from '../src/index.js';

for (const [name, Koa] of [
  ['Koa 3', Koa3],
  ['Koa 2', Koa2 as unknown as typeof Koa3],
] as const) {
  /** An app whose errors are recorded instead of logged. */
  async function serve(...chain: Middleware[]): Promise<Served & { errors: unknown[] }> {
    const app = new Koa();
    const errors: unknown[] = [];
    app.silent = true;
    app.on('error', (error: unknown) => errors.push(error));
    for (const middleware of chain) app.use(middleware);
    const server = await listenOnLoopback(createServer({ maxHeaderSize: MAX_HEADER_SIZE }, app.callback()));
    return { ...server, errors };
  }
  const ok: Middleware = (ctx) => {
    ctx.body = 'ok';
  };

  describeHostileRequests({
    name,
    entraAuth,
    requireScopes,
    serveOwnAndForward(ownOptions, forwardOptions) {
      // One middleware answers refusals itself, one throws them to Koa's own error handling.
      const own = entraAuth(ownOptions);
      const forward = entraAuth(forwardOptions);
      const guard = requireScopes('Data.Read');
      return serve(
        (ctx, next) => (ctx.path.startsWith('/forward') ? forward(ctx, next) : own(ctx, next)),
        (ctx, next) => (ctx.path.endsWith('/data') ? guard(ctx, next) : next()),
        ok,
      );
    },
    serve: (options) => serve(entraAuth(options), ok),
    defaultErrorHandling: {
      name: "Koa's default error handling",
      // Koa writes the error's message as plain text, and emits the error once.
      expectBody(body, { errors }) {
        expect(body).toMatch(/^malformed_token: /);
        expect(errors).toHaveLength(1);
      },
    },
    behindTimeout: {
      serve(options, watch) {
        const timeout: Middleware = async (ctx, next) => {
          const timer = setTimeout(() => {
            // What koa-timeout-style middleware does: answer on the raw response and tell Koa not to.
            ctx.respond = false;
            ctx.res.writeHead(503, { 'content-type': 'text/plain' }).end('timed out');
            watch.answered(ctx.res);
          }, TIMEOUT_MS);
          try {
            await next();
          } finally {
            clearTimeout(timer);
          }
        };
        return serve(timeout, entraAuth(options), (ctx) => {
          watch.routeRan();
          ctx.body = 'ok';
        });
      },
      // A forwarded refusal reaches Koa's error event (marked headerSent), never the client.
      expectAfterwards({ errors }) {
        for (const error of errors) expect(error).toMatchObject({ code: 'invalid_signature', headerSent: true });
      },
    },
  });
}
