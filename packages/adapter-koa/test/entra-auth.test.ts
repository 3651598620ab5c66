import type { VerifiedAccessToken } from '@entra-verify/core';
import { listenOnLoopback } from '@entra-verify/example-support';
import { createFakeEntra, type AttackToken, type FakeEntra } from '@entra-verify/testkit';
import Koa3, { type Middleware } from 'koa';
import Koa2 from 'koa2';
import { createServer } from 'node:http';
import { afterAll, beforeAll, describe, expect, expectTypeOf, it } from 'vitest';
import { entraAuth, requireAuth, requireRoles, requireScopes, type EntraAuthMiddlewareOptions } from '../src/index.js';
import { expectCachedTokenAnswers } from '../../../test-support/cached-token-requests.js';
import { expectInnerJudgesAlone, twoApis } from '../../../test-support/stacked-entra-auth.js';

let entra: FakeEntra;
let attacks: AttackToken[];
const closers: Array<() => Promise<void>> = [];
beforeAll(async () => {
  entra = await createFakeEntra({
    apis: [{ scopes: ['Data.Read', 'Data.Write'], appRoles: ['Data.Read.All', 'Admin'] }],
    clientApps: [{ appPermissions: ['Data.Read.All'] }],
  });
  attacks = await entra.attackTokens();
});
afterAll(async () => {
  await Promise.all(closers.map((close) => close()));
});

/** A tiny router so the tests need no router dependency: method + path → middleware chain. */
function route(path: string, ...chain: Middleware[]): Middleware {
  return async (ctx, next) => {
    if (ctx.path !== path) return next();
    const run = async (i: number): Promise<void> => {
      const step = chain[i];
      if (step) await step(ctx, () => run(i + 1));
    };
    await run(0);
  };
}

/** 431 from Node's parser for headers over 16 KiB; 400 when the value is no RFC 6750 b64token; else 401. */
const expectedStatus = (attack: AttackToken) =>
  attack.token.length > 16_000 ? 431 : /^[A-Za-z0-9\-._~+/]+=*$/.test(attack.token) ? 401 : 400;

describe.each([
  ['Koa 3', Koa3],
  ['Koa 2', Koa2 as unknown as typeof Koa3],
])('%s', (_name, Koa) => {
  async function start(options: Partial<EntraAuthMiddlewareOptions> = {}, errorHandler?: Middleware) {
    const app = new Koa();
    if (errorHandler) app.use(errorHandler);
    app.silent = true;
    app.use(entraAuth({ tenant: entra.tenantId, clientId: entra.api.appId, fetch: entra.fetch, ...options } as EntraAuthMiddlewareOptions));
    app.use(route('/me', (ctx) => {
      expectTypeOf(ctx.state.auth).toEqualTypeOf<VerifiedAccessToken | undefined>();
      ctx.body = { oid: ctx.state.auth?.principal.objectId ?? null };
    }));
    app.use(route('/data', requireScopes('Data.Read'), (ctx) => {
      ctx.body = { oid: ctx.state.auth!.principal.objectId, scopes: ctx.state.auth!.scopes };
    }));
    app.use(route('/admin', requireRoles('Admin'), (ctx) => {
      ctx.body = { ok: true };
    }));
    app.use(route('/either', requireAuth({ scopes: ['Data.Read'], appPermissions: ['Data.Read.All'] }), (ctx) => {
      ctx.body = { type: ctx.state.auth!.principal.type };
    }));
    app.use(route('/any', requireAuth({ scopes: ['Nope', 'Data.Write'], match: 'any' }), (ctx) => {
      ctx.body = { ok: true };
    }));
    const server = await listenOnLoopback(createServer(app.callback()));
    closers.push(server.close);
    return server.url;
  }

  const get = (url: string, headers: Record<string, string> = {}) => fetch(url, { headers });
  const bearer = (token: string) => ({ authorization: `Bearer ${token}` });

  it('answers 200 with ctx.state.auth for a valid token with the right scope', async () => {
    const url = await start();
    const response = await get(`${url}/data`, bearer(await entra.mint({ scopes: ['Data.Read'] })));
    expect(response.status).toBe(200);
    expect(await response.json()).toEqual({ oid: entra.user.objectId, scopes: ['Data.Read'] });
  });

  it('answers a cached token (the synchronous path) as the full path would: 400 for two headers or a query token, 403 by a guard, 401 once expired', async () => {
    await expectCachedTokenAnswers((now) => start({ now }), entra);
  });

  it('lets a second entraAuth (another API) judge alone: the first one\'s query-token identity does not pass for it', async () => {
    await expectInnerJudgesAlone(async (outer, inner) => {
      const app = new Koa();
      app.silent = true;
      const forY = entraAuth(inner);
      app.use(entraAuth(outer));
      app.use((ctx, next) => (ctx.path.startsWith('/y/') ? forY(ctx, next) : next()));
      app.use(route('/y/data', requireScopes('Data.Read'), (ctx) => {
        ctx.body = String(ctx.state.auth!.claims.aud);
      }));
      const server = await listenOnLoopback(createServer(app.callback()));
      closers.push(server.close);
      return server.url;
    }, await twoApis());
  });

  it('answers 401 with a bare challenge and no secrets when the header is missing', async () => {
    const url = await start();
    const response = await get(`${url}/data`);
    expect(response.status).toBe(401);
    expect(response.headers.get('www-authenticate')).toBe('Bearer');
    expect(await response.json()).toEqual({ error: 'missing_token', error_description: 'Authentication is required.' });
  });

  it('answers 403 insufficient_scope with the scope list', async () => {
    const url = await start();
    const response = await get(`${url}/data`, bearer(await entra.mint({ scopes: ['Data.Write'] })));
    expect(response.status).toBe(403);
    expect(response.headers.get('www-authenticate')).toContain('error="insufficient_scope"');
    expect(response.headers.get('www-authenticate')).toContain('scope="Data.Read"');
    expect((await get(`${url}/admin`, bearer(await entra.mint()))).status).toBe(403);
  });

  it('lets users in by scope and daemons by app permission; match any', async () => {
    const url = await start();
    expect(await (await get(`${url}/either`, bearer(await entra.mint({ scopes: ['Data.Read'] })))).json()).toEqual({ type: 'user' });
    expect(await (await get(`${url}/either`, bearer(await entra.mint({ appOnly: true })))).json()).toEqual({ type: 'app' });
    expect((await get(`${url}/any`, bearer(await entra.mint({ scopes: ['Data.Write'] })))).status).toBe(200);
  });

  it('answers 503 with Retry-After on a cold key outage', async () => {
    const fake = await createFakeEntra();
    fake.faults.set('keys', { status: 503 });
    const url = await start({ tenant: fake.tenantId, clientId: fake.api.appId, fetch: fake.fetch });
    const response = await get(`${url}/me`, bearer(await fake.mint()));
    expect(response.status).toBe(503);
    expect(Number(response.headers.get('retry-after'))).toBeGreaterThan(0);
  });

  it('refuses every testkit attack token with 400, 401 or 431, never a 500', async () => {
    const url = await start();
    for (const attack of attacks) {
      const response = await get(`${url}/me`, bearer(attack.token));
      expect(response.status, attack.name).toBe(expectedStatus(attack));
    }
  });

  it('answers 400 invalid_request for a token in the query, two tokens or another scheme', async () => {
    const url = await start();
    const token = await entra.mint();
    expect((await get(`${url}/me?access_token=${token}`, bearer(token))).status).toBe(400);
    expect((await get(`${url}/me`, { authorization: `Bearer ${token}, Bearer ${token}` })).status).toBe(400);
    expect((await get(`${url}/me`, { authorization: 'Digest abc' })).status).toBe(400);
  });

  it('authRequired: false lets anonymous requests through, still refuses bad tokens and guarded routes', async () => {
    const url = await start({ authRequired: false });
    expect(await (await get(`${url}/me`)).json()).toEqual({ oid: null });
    expect((await get(`${url}/me`, bearer('not-a-token'))).status).toBe(401);
    expect((await get(`${url}/data`)).status).toBe(401);
  });

  it('forwardErrors throws to Koa with status, headers and expose set', async () => {
    const seen: unknown[] = [];
    const url = await start({ forwardErrors: true }, async (ctx, next) => {
      try {
        await next();
      } catch (error) {
        seen.push(error);
        throw error;
      }
    });
    const response = await get(`${url}/data`, bearer(await entra.mint({ scopes: ['Data.Write'] })));
    expect(response.status).toBe(403);
    expect(response.headers.get('www-authenticate')).toContain('scope="Data.Read"');
    expect(await response.text()).toBe('insufficient_scope: The token lacks the scope this operation requires.');
    expect(seen[0]).toMatchObject({ code: 'insufficient_scope', status: 403, expose: true });
  });

  it('serves 200 concurrent requests on a cold cache with one key-set fetch', async () => {
    const fake = await createFakeEntra();
    const url = await start({ tenant: fake.tenantId, clientId: fake.api.appId, fetch: fake.fetch });
    const token = await fake.mint();
    const statuses = await Promise.all(Array.from({ length: 200 }, () => get(`${url}/me`, bearer(token)).then((r) => r.status)));
    expect(statuses.every((s) => s === 200)).toBe(true);
    expect(fake.requests.count('keys')).toBe(1);
  });
});
