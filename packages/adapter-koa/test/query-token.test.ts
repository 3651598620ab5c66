// queryToken over real HTTP with an EventSource-style client: the token only on event streams,
// cut out of ctx.url / ctx.originalUrl / ctx.query before later middleware and request logs see it.
import { listenOnLoopback } from '@entra-verify/example-support';
import Koa3, { type Middleware } from 'koa';
import Koa2 from 'koa2';
import { createServer } from 'node:http';
import { describeQueryToken } from '../../../test-support/query-token-suite.js';
import { entraAuth, requireScopes } from '../src/index.js';

for (const [name, Koa] of [
  ['Koa 3', Koa3],
  ['Koa 2', Koa2 as unknown as typeof Koa3],
] as const) {
  describeQueryToken(name, (options, log) => {
    const app = new Koa();
    app.silent = true;
    // A request logger in the style of koa-logger: it writes ctx.originalUrl after the answer.
    app.use(async (ctx, next) => {
      try {
        await next();
      } finally {
        log(`${ctx.method} ${ctx.originalUrl} ${ctx.status}`);
      }
    });
    app.use(entraAuth(options));
    const guard = requireScopes('Events.Read');
    const events: Middleware = (ctx) => {
      ctx.set({ 'content-type': 'text/event-stream', 'cache-control': 'no-cache' });
      ctx.body = `data: ${JSON.stringify({ oid: ctx.state.auth!.principal.objectId, url: ctx.url, originalUrl: ctx.originalUrl, query: { ...ctx.query } })}\n\n`;
    };
    app.use(async (ctx, next) => {
      if (ctx.path === '/events') return guard(ctx, () => events(ctx, next) as Promise<void>);
      ctx.body = { oid: ctx.state.auth?.principal.objectId ?? null };
    });
    return listenOnLoopback(createServer(app.callback()));
  });
}
