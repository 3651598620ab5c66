// queryToken over real HTTP with an EventSource-style client: the token only on event streams,
// cut out of ctx.url / ctx.originalUrl / ctx.query before later middleware and request logs see it.
import { listenOnLoopback } from '@entra-verify/example-support';
import { createFakeEntra, type FakeEntra } from '@entra-verify/testkit';
import Koa3, { type Middleware } from 'koa';
import Koa2 from 'koa2';
import { createServer } from 'node:http';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readEventStream } from '../../../test-support/event-stream-client.js';
import { entraAuth, requireScopes } from '../src/index.js';

let entra: FakeEntra;
const closers: Array<() => Promise<void>> = [];
beforeAll(async () => {
  entra = await createFakeEntra({ apis: [{ scopes: ['Events.Read', 'Other'] }] });
});
afterAll(async () => {
  await Promise.all(closers.map((close) => close()));
});

describe.each([
  ['Koa 3', Koa3],
  ['Koa 2', Koa2 as unknown as typeof Koa3],
])('%s with queryToken', (_name, Koa) => {
  const logs: string[] = [];
  let url: string;
  beforeAll(async () => {
    const app = new Koa();
    app.silent = true;
    // A request logger in the style of koa-logger: it writes ctx.originalUrl after the answer.
    app.use(async (ctx, next) => {
      try {
        await next();
      } finally {
        logs.push(`${ctx.method} ${ctx.originalUrl} ${ctx.status}`);
      }
    });
    app.use(entraAuth({ tenant: entra.tenantId, clientId: entra.api.appId, fetch: entra.fetch, queryToken: true }));
    const guard = requireScopes('Events.Read');
    const events: Middleware = (ctx) => {
      ctx.set({ 'content-type': 'text/event-stream', 'cache-control': 'no-cache' });
      ctx.body = `data: ${JSON.stringify({ oid: ctx.state.auth!.principal.objectId, url: ctx.url, originalUrl: ctx.originalUrl, query: { ...ctx.query } })}\n\n`;
    };
    app.use(async (ctx, next) => {
      if (ctx.path === '/events') return guard(ctx, () => events(ctx, next) as Promise<void>);
      ctx.body = { oid: ctx.state.auth?.principal.objectId ?? null };
    });
    const server = await listenOnLoopback(createServer(app.callback()));
    closers.push(server.close);
    url = server.url;
  });

  it('streams for a valid token in ?access_token=, which no later middleware sees', async () => {
    const token = await entra.mint({ scopes: ['Events.Read'] });
    const { status, events } = await readEventStream(`${url}/events?topic=a&access_token=${token}`);
    expect(status).toBe(200);
    expect(events).toEqual([{ oid: entra.user.objectId, url: '/events?topic=a', originalUrl: '/events?topic=a', query: { topic: 'a' } }]);
  });

  it('answers 401 for an expired token and 403 for a missing scope', async () => {
    const expired = await readEventStream(`${url}/events?access_token=${await entra.mint({ scopes: ['Events.Read'], issuedAt: Math.floor(Date.now() / 1000) - 7200 })}`);
    expect(expired.status).toBe(401);
    expect(expired.challenge).toMatch(/^Bearer error="invalid_token"/);
    expect((await readEventStream(`${url}/events?access_token=${await entra.mint({ scopes: ['Other'] })}`)).status).toBe(403);
  });

  it('refuses the query token on a normal GET with 400, and keeps it out of the request log', async () => {
    const token = await entra.mint({ scopes: ['Events.Read'] });
    expect((await fetch(`${url}/me?access_token=${token}`)).status).toBe(400);
    await readEventStream(`${url}/events?access_token=${token}`);
    expect(logs).toContain('GET /me 400');
    expect(logs).toContain('GET /events 200');
    expect(logs.join('\n')).not.toContain(token.split('.')[2]!);
  });
});
