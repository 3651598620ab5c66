import type { VerifiedAccessToken } from '@entra-verify/core';
import { listenOnLoopback } from '@entra-verify/example-support';
import { createFakeEntra, type AttackToken, type FakeEntra } from '@entra-verify/testkit';
import express5, { type ErrorRequestHandler } from 'express';
import express4 from 'express4';
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

/** 431 from Node's parser for headers over 16 KiB; 400 when the value is no RFC 6750 b64token; else 401. */
const expectedStatus = (attack: AttackToken) =>
  attack.token.length > 16_000 ? 431 : /^[A-Za-z0-9\-._~+/]+=*$/.test(attack.token) ? 401 : 400;

describe.each([
  ['Express 5', express5],
  ['Express 4', express4 as unknown as typeof express5],
])('%s', (_name, express) => {
  async function start(options: Partial<EntraAuthMiddlewareOptions> = {}, withErrorHandler = false) {
    const app = express();
    app.use(entraAuth({ tenant: entra.tenantId, clientId: entra.api.appId, fetch: entra.fetch, ...options } as EntraAuthMiddlewareOptions));
    app.get('/me', (req, res) => {
      expectTypeOf(req.auth).toEqualTypeOf<VerifiedAccessToken | undefined>();
      res.json({ oid: req.auth?.principal.objectId ?? null });
    });
    app.get('/data', requireScopes('Data.Read'), (req, res) => res.json({ oid: req.auth!.principal.objectId, scopes: req.auth!.scopes }));
    app.get('/admin', requireRoles('Admin'), (_req, res) => res.json({ ok: true }));
    app.get('/either', requireAuth({ scopes: ['Data.Read'], appPermissions: ['Data.Read.All'] }), (req, res) => res.json({ type: req.auth!.principal.type }));
    app.get('/any', requireAuth({ scopes: ['Nope', 'Data.Write'], match: 'any' }), (_req, res) => res.json({ ok: true }));
    if (withErrorHandler) {
      const handler: ErrorRequestHandler = (err: { status: number; code: string; headers: Record<string, string> }, _req, res, _next) => {
        res.status(err.status).set(err.headers).json({ handledBy: 'app', code: err.code });
      };
      app.use(handler);
    }
    const server = await listenOnLoopback(createServer(app));
    closers.push(server.close);
    return server.url;
  }

  const get = (url: string, headers: Record<string, string> = {}) => fetch(url, { headers });
  const bearer = (token: string) => ({ authorization: `Bearer ${token}` });

  it('answers 200 with req.auth for a valid token with the right scope', async () => {
    const url = await start();
    const response = await get(`${url}/data`, bearer(await entra.mint({ scopes: ['Data.Read'] })));
    expect(response.status).toBe(200);
    expect(await response.json()).toEqual({ oid: entra.user.objectId, scopes: ['Data.Read'] });
  });

  it('answers 401 with a bare challenge and no secrets when the header is missing', async () => {
    const url = await start({ realm: 'lab' });
    const response = await get(`${url}/data`);
    expect(response.status).toBe(401);
    expect(response.headers.get('www-authenticate')).toBe('Bearer realm="lab"');
    const body = (await response.json()) as Record<string, string>;
    expect(body).toEqual({ error: 'missing_token', error_description: 'Authentication is required.' });
  });

  it('answers 403 insufficient_scope with the scope list', async () => {
    const url = await start();
    const response = await get(`${url}/data`, bearer(await entra.mint({ scopes: ['Data.Write'] })));
    expect(response.status).toBe(403);
    expect(response.headers.get('www-authenticate')).toBe('Bearer error="insufficient_scope", error_description="The token lacks the scope this operation requires.", scope="Data.Read"');
    expect(((await response.json()) as { error: string }).error).toBe('insufficient_scope');
    expect((await get(`${url}/admin`, bearer(await entra.mint()))).status).toBe(403);
  });

  it('lets users in by scope and daemons by app permission; match any', async () => {
    const url = await start();
    expect(await (await get(`${url}/either`, bearer(await entra.mint({ scopes: ['Data.Read'] })))).json()).toEqual({ type: 'user' });
    expect(await (await get(`${url}/either`, bearer(await entra.mint({ appOnly: true })))).json()).toEqual({ type: 'app' });
    expect((await get(`${url}/either`, bearer(await entra.mint({ appOnly: true, roles: ['Other'] })))).status).toBe(403);
    expect((await get(`${url}/any`, bearer(await entra.mint({ scopes: ['Data.Write'] })))).status).toBe(200);
  });

  it('answers 503 with Retry-After on a cold key outage', async () => {
    const fake = await createFakeEntra();
    fake.faults.set('keys', { status: 503 });
    const url = await start({ tenant: fake.tenantId, clientId: fake.api.appId, fetch: fake.fetch });
    const response = await get(`${url}/me`, bearer(await fake.mint()));
    expect(response.status).toBe(503);
    expect(Number(response.headers.get('retry-after'))).toBeGreaterThan(0);
    expect(response.headers.get('www-authenticate')).toBeNull();
  });

  it('refuses every testkit attack token with 400, 401 or 431, never a 500', async () => {
    const url = await start();
    for (const attack of attacks) {
      const response = await get(`${url}/me`, bearer(attack.token));
      // Node's HTTP parser answers 431 for headers over its 16 KiB default before Express runs.
      expect(response.status, attack.name).toBe(expectedStatus(attack));
      if (response.status === 401) expect(response.headers.get('www-authenticate'), attack.name).toMatch(/^Bearer error="invalid_token"/);
    }
  });

  it('answers 400 invalid_request for a token in the query, two tokens or a malformed header', async () => {
    const url = await start();
    const token = await entra.mint();
    expect((await get(`${url}/me?access_token=${token}`, bearer(token))).status).toBe(400);
    expect((await get(`${url}/me`, { authorization: `Bearer ${token}, Bearer ${token}` })).status).toBe(400);
    expect((await get(`${url}/me`, { authorization: `Basic ${btoa('user:pass')}` })).status).toBe(400);
    const duplicated = await new Promise<number>((resolve, reject) => {
      import('node:http').then(({ request }) => {
        const req = request(`${url}/me`, { headers: ['host', new URL(url).host, 'authorization', `Bearer ${token}`, 'authorization', `Bearer ${token}`] as unknown as Record<string, string> }, (res) => resolve(res.statusCode ?? 0));
        req.on('error', reject);
        req.end();
      }, reject);
    });
    expect(duplicated).toBe(400);
  });

  it('answers a cached token (the synchronous path) as the full path would: 400 for two headers or a query token, 403 by a guard, 401 once expired', async () => {
    await expectCachedTokenAnswers((now) => start({ now }), entra);
  });

  it('lets a second entraAuth (another API) judge alone: the first one\'s query-token identity does not pass for it', async () => {
    await expectInnerJudgesAlone(async (outer, inner) => {
      const app = express();
      app.use(entraAuth(outer));
      app.use('/y', entraAuth(inner));
      app.get('/y/data', requireScopes('Data.Read'), (req, res) => void res.send(String(req.auth!.claims.aud)));
      const server = await listenOnLoopback(createServer(app));
      closers.push(server.close);
      return server.url;
    }, await twoApis());
  });

  it('refuses an oversized header without a 500', async () => {
    const url = await start();
    const response = await get(`${url}/me`, { authorization: `Bearer ${'a'.repeat(20_000)}` });
    expect([401, 431]).toContain(response.status);
  });

  it('authRequired: false lets anonymous requests through, still refuses bad tokens and guarded routes', async () => {
    const url = await start({ authRequired: false });
    expect(await (await get(`${url}/me`)).json()).toEqual({ oid: null });
    expect((await get(`${url}/me`, bearer('not-a-token'))).status).toBe(401);
    const guarded = await get(`${url}/data`);
    expect(guarded.status).toBe(401);
    expect(guarded.headers.get('www-authenticate')).toBe('Bearer');
    expect(await (await get(`${url}/me`, bearer(await entra.mint()))).json()).toEqual({ oid: entra.user.objectId });
  });

  it('forwardErrors hands refusals to next(err) with status and headers', async () => {
    const url = await start({ forwardErrors: true }, true);
    const response = await get(`${url}/data`, bearer(await entra.mint({ scopes: ['Data.Write'] })));
    expect(response.status).toBe(403);
    expect(response.headers.get('www-authenticate')).toContain('scope="Data.Read"');
    expect(await response.json()).toEqual({ handledBy: 'app', code: 'insufficient_scope' });
  });

  it("forwardErrors works with Express's default error handler too", async () => {
    const url = await start({ forwardErrors: true });
    const response = await get(`${url}/me`);
    expect(response.status).toBe(401);
    expect(response.headers.get('www-authenticate')).toBe('Bearer');
  });

  it('serves 200 concurrent requests on a cold cache with one key-set fetch', async () => {
    const fake = await createFakeEntra();
    const url = await start({ tenant: fake.tenantId, clientId: fake.api.appId, fetch: fake.fetch });
    const token = await fake.mint();
    const statuses = await Promise.all(Array.from({ length: 200 }, () => get(`${url}/me`, bearer(token)).then((r) => r.status)));
    expect(statuses.every((s) => s === 200)).toBe(true);
    expect(fake.requests.count('keys')).toBe(1);
  });

  it('fails at start-up on bad options, and guards need entraAuth upstream', () => {
    expect(() => entraAuth({ tenant: 'contoso.com', audience: 'api://x' })).toThrow(TypeError);
    expect(() => requireScopes()).toThrow(TypeError);
  });
});
