import type { AuthRequirement, VerifiedAccessToken } from '@entra-verify/core';
import { createFakeEntra, type AttackToken, type FakeEntra } from '@entra-verify/testkit';
import fastify5, { type FastifyContextConfig, type FastifyInstance } from 'fastify';
import fastify4 from 'fastify4';
import { request as httpRequest } from 'node:http';
import { afterAll, beforeAll, describe, expect, expectTypeOf, it } from 'vitest';
import { entraAuth, requireAuth, requireRoles, requireScopes, type EntraFastifyOptions } from '../src/index.js';
import { expectCachedTokenAnswers } from '../../../test-support/cached-token-requests.js';
import { expectInnerJudgesAlone, twoApis } from '../../../test-support/stacked-entra-auth.js';
import { routeConfigOf } from '../src/entra-auth.js';

let entra: FakeEntra;
let attacks: AttackToken[];
const apps: FastifyInstance[] = [];
beforeAll(async () => {
  entra = await createFakeEntra({
    apis: [{ scopes: ['Data.Read', 'Data.Write'], appRoles: ['Data.Read.All', 'Admin'] }],
    clientApps: [{ appPermissions: ['Data.Read.All'] }],
  });
  attacks = await entra.attackTokens();
});
afterAll(async () => {
  await Promise.all(apps.map((app) => app.close()));
});

/** 431 from Node's parser for headers over 16 KiB; 400 when the value is no RFC 6750 b64token; else 401. */
const expectedStatus = (attack: AttackToken) =>
  attack.token.length > 16_000 ? 431 : /^[A-Za-z0-9\-._~+/]+=*$/.test(attack.token) ? 401 : 400;
const bearer = (token: string) => ({ authorization: `Bearer ${token}` });

describe.each([
  ['Fastify 5', fastify5],
  ['Fastify 4', fastify4 as unknown as typeof fastify5],
])('%s', (_name, Fastify) => {
  async function build(options: Partial<EntraFastifyOptions> = {}, setup?: (app: FastifyInstance) => void) {
    const app = Fastify();
    apps.push(app);
    await app.register(entraAuth, { tenant: entra.tenantId, clientId: entra.api.appId, fetch: entra.fetch, ...options } as EntraFastifyOptions);
    app.get('/me', async (request) => {
      expectTypeOf(request.auth).toEqualTypeOf<VerifiedAccessToken | undefined>();
      return { oid: request.auth?.principal.objectId ?? null };
    });
    app.get('/data', { preHandler: requireScopes('Data.Read') }, async (request) => ({ oid: request.auth!.principal.objectId, scopes: request.auth!.scopes }));
    app.get('/admin', { preHandler: requireRoles('Admin') }, async () => ({ ok: true }));
    app.get('/either', { preHandler: requireAuth({ scopes: ['Data.Read'], appPermissions: ['Data.Read.All'] }) }, async (request) => ({ type: request.auth!.principal.type }));
    app.get('/any', { config: { entra: { scopes: ['Nope', 'Data.Write'], match: 'any' } } }, async () => ({ ok: true }));
    app.get('/config-scope', { config: { entra: { scopes: ['Data.Read'] } } }, async () => ({ ok: true }));
    setup?.(app);
    await app.ready();
    return app;
  }
  it("reads each route's config (config.entra) as request.routeOptions.config has it, on every route and for 404s", async () => {
    const seen: Array<[unknown, unknown]> = [];
    const app = await build({}, (instance) => {
      instance.addHook('preHandler', (request, _reply, done) => {
        seen.push([routeConfigOf(request), request.routeOptions.config]);
        done();
      });
    });
    const token = await entra.mint({ scopes: ['Data.Read'] });
    for (const url of ['/me', '/data', '/config-scope', '/any']) await app.inject({ url, headers: bearer(token) });
    expect(seen.length).toBeGreaterThanOrEqual(3);
    for (const [ours, fastifys] of seen) expect(ours).toBe(fastifys);
    expect(seen.some(([config]) => (config as { entra?: unknown }).entra !== undefined)).toBe(true);
  });

  it('answers a cached token (the synchronous path) as the full path would: 400 for two headers or a query token, 403 by a guard, 401 once expired', async () => {
    await expectCachedTokenAnswers(async (now) => listen(await build({ now })), entra);
  });

  it('lets the plugin registered again in a child context (another API) judge alone: the parent\'s query-token identity does not pass for it', async () => {
    await expectInnerJudgesAlone(async (outer, inner) => {
      const app = Fastify();
      apps.push(app);
      await app.register(entraAuth, outer as EntraFastifyOptions);
      await app.register(async (y) => {
        await y.register(entraAuth, inner as EntraFastifyOptions);
        y.get('/y/data', { preHandler: requireScopes('Data.Read') }, async (request) => String(request.auth!.claims.aud));
      });
      return listen(app);
    }, await twoApis());
  });

  async function listen(app: FastifyInstance) {
    return app.listen({ port: 0, host: '127.0.0.1' });
  }

  describe('with fastify.inject', () => {
    it('answers 200 with request.auth for a valid token with the right scope', async () => {
      const app = await build();
      const response = await app.inject({ url: '/data', headers: bearer(await entra.mint({ scopes: ['Data.Read'] })) });
      expect(response.statusCode).toBe(200);
      expect(response.json()).toEqual({ oid: entra.user.objectId, scopes: ['Data.Read'] });
    });

    it('answers 401 with a bare challenge when the header is missing', async () => {
      const app = await build({ realm: 'lab' });
      const response = await app.inject({ url: '/data' });
      expect(response.statusCode).toBe(401);
      expect(response.headers['www-authenticate']).toBe('Bearer realm="lab"');
      expect(response.json()).toEqual({ error: 'missing_token', error_description: 'Authentication is required.' });
    });

    it('answers 403 insufficient_scope from requireScopes() and from config.entra', async () => {
      const app = await build();
      const token = await entra.mint({ scopes: ['Data.Write'] });
      for (const url of ['/data', '/config-scope']) {
        const response = await app.inject({ url, headers: bearer(token) });
        expect(response.statusCode, url).toBe(403);
        expect(response.headers['www-authenticate']).toBe('Bearer error="insufficient_scope", error_description="The token lacks the scope this operation requires.", scope="Data.Read"');
      }
      expect((await app.inject({ url: '/admin', headers: bearer(await entra.mint()) })).statusCode).toBe(403);
    });

    it('lets users in by scope and daemons by app permission; match any by route config', async () => {
      const app = await build();
      expect((await app.inject({ url: '/either', headers: bearer(await entra.mint({ scopes: ['Data.Read'] })) })).json()).toEqual({ type: 'user' });
      expect((await app.inject({ url: '/either', headers: bearer(await entra.mint({ appOnly: true })) })).json()).toEqual({ type: 'app' });
      expect((await app.inject({ url: '/either', headers: bearer(await entra.mint({ appOnly: true, roles: ['Other'] })) })).statusCode).toBe(403);
      expect((await app.inject({ url: '/any', headers: bearer(await entra.mint({ scopes: ['Data.Write'] })) })).statusCode).toBe(200);
    });

    it('answers 503 with Retry-After on a cold key outage', async () => {
      const fake = await createFakeEntra();
      fake.faults.set('keys', { status: 503 });
      const app = await build({ tenant: fake.tenantId, clientId: fake.api.appId, fetch: fake.fetch });
      const response = await app.inject({ url: '/me', headers: bearer(await fake.mint()) });
      expect(response.statusCode).toBe(503);
      expect(Number(response.headers['retry-after'])).toBeGreaterThan(0);
      expect(response.headers['www-authenticate']).toBeUndefined();
    });

    it('authRequired: false lets anonymous requests through, still refuses bad tokens and guarded routes', async () => {
      const app = await build({ authRequired: false });
      expect((await app.inject({ url: '/me' })).json()).toEqual({ oid: null });
      expect((await app.inject({ url: '/me', headers: bearer('not-a-token') })).statusCode).toBe(401);
      const guarded = await app.inject({ url: '/data' });
      expect(guarded.statusCode).toBe(401);
      expect(guarded.headers['www-authenticate']).toBe('Bearer');
    });

    it("forwardErrors hands refusals to the app's setErrorHandler with status and headers", async () => {
      const app = await build({ forwardErrors: true }, (instance) => {
        instance.setErrorHandler((error: { statusCode: number; code: string; headers: Record<string, string> }, _request, reply) => {
          void reply.code(error.statusCode).headers(error.headers).send({ handledBy: 'app', code: error.code });
        });
      });
      const response = await app.inject({ url: '/data', headers: bearer(await entra.mint({ scopes: ['Data.Write'] })) });
      expect(response.statusCode).toBe(403);
      expect(response.headers['www-authenticate']).toContain('scope="Data.Read"');
      expect(response.json()).toEqual({ handledBy: 'app', code: 'insufficient_scope' });
    });

    it("forwardErrors works with Fastify's default error handler: status and challenge header", async () => {
      const app = await build({ forwardErrors: true });
      const response = await app.inject({ url: '/me' });
      expect(response.statusCode).toBe(401);
      expect(response.headers['www-authenticate']).toBe('Bearer');
      const expired = await app.inject({ url: '/me', headers: bearer(await entra.mint({ issuedAt: Math.floor(Date.now() / 1000) - 7200 })) });
      expect(expired.statusCode).toBe(401);
      expect(expired.headers['www-authenticate']).toMatch(/^Bearer error="invalid_token"/);
    });

    it('protects only the encapsulation context it is registered in', async () => {
      const app = Fastify();
      apps.push(app);
      app.get('/public', async (request) => ({ auth: request.auth ?? null }));
      await app.register(async (api) => {
        await api.register(entraAuth, { tenant: entra.tenantId, clientId: entra.api.appId, fetch: entra.fetch });
        api.get('/private', { preHandler: requireScopes('Data.Read') }, async (request) => ({ oid: request.auth!.principal.objectId }));
      });
      app.get('/guarded-outside', { preHandler: requireScopes('Data.Read') }, async () => ({ ok: true }));
      await app.ready();
      expect((await app.inject({ url: '/public' })).json()).toEqual({ auth: null });
      expect((await app.inject({ url: '/private' })).statusCode).toBe(401);
      expect((await app.inject({ url: '/private', headers: bearer(await entra.mint({ scopes: ['Data.Read'] })) })).statusCode).toBe(200);
      // A guard outside the plugin's context is a programming error, answered 500, never a pass.
      expect((await app.inject({ url: '/guarded-outside', headers: bearer(await entra.mint({ scopes: ['Data.Read'] })) })).statusCode).toBe(500);
    });

    it('enforces config.entra even on a route declared before the plugin loaded', async () => {
      const app = Fastify();
      apps.push(app);
      app.get('/early', { config: { entra: { scopes: ['Data.Read'] } } }, async () => ({ ok: true }));
      void app.register(entraAuth, { tenant: entra.tenantId, clientId: entra.api.appId, fetch: entra.fetch });
      app.get('/late', { config: { entra: { scopes: ['Data.Read'] } } }, async () => ({ ok: true }));
      await app.ready();
      const narrow = bearer(await entra.mint({ scopes: ['Data.Write'] }));
      const right = bearer(await entra.mint({ scopes: ['Data.Read'] }));
      for (const url of ['/early', '/late']) {
        expect((await app.inject({ url, headers: narrow })).statusCode, url).toBe(403);
        expect((await app.inject({ url, headers: right })).statusCode, url).toBe(200);
      }
    });

    it('fails at start-up on bad options and bad guards', async () => {
      const app = Fastify();
      apps.push(app);
      await expect(app.register(entraAuth, { tenant: 'contoso.com', audience: 'api://x' })).rejects.toThrow(TypeError);
      expect(() => requireScopes()).toThrow(TypeError);
      expect(() => requireScopes('api://x/Data.Read')).toThrow(TypeError);
      expect(() => requireAuth({ roles: ['has space'] })).toThrow(TypeError);
      const other = Fastify();
      apps.push(other);
      await other.register(entraAuth, { tenant: entra.tenantId, clientId: entra.api.appId, fetch: entra.fetch });
      expect(() => other.get('/x', { config: { entra: { scopes: ['api://x/Data.Read'] } } }, async () => 'x')).toThrow(TypeError);
    });

    it('types request.auth and config.entra by declaration merging', () => {
      const app = Fastify();
      app.get('/', { config: { entra: { scopes: ['Data.Read'] } } }, async (request) => {
        expectTypeOf(request.auth).toEqualTypeOf<VerifiedAccessToken | undefined>();
        return request.auth?.scopes ?? [];
      });
      // @ts-expect-error config.entra is a requirement object, not a scope string
      app.get('/wrong', { config: { entra: 'Data.Read' } }, async () => 'no');
      expectTypeOf<FastifyContextConfig['entra']>().toEqualTypeOf<AuthRequirement | undefined>();
      expectTypeOf(requireScopes('Data.Read')).toBeFunction();
      void app.close();
    });
  });

  describe('over real HTTP', () => {
    it('refuses every testkit attack token with 400, 401 or 431, never a 500', async () => {
      const app = await build();
      const url = await listen(app);
      for (const attack of attacks) {
        const response = await fetch(`${url}/me`, { headers: bearer(attack.token) });
        expect(response.status, attack.name).toBe(expectedStatus(attack));
        if (response.status === 401) expect(response.headers.get('www-authenticate'), attack.name).toMatch(/^Bearer error="invalid_token"/);
      }
    });

    it('answers 400 invalid_request for a token in the query, two tokens or another scheme', async () => {
      const app = await build();
      const url = await listen(app);
      const token = await entra.mint();
      expect((await fetch(`${url}/me?access_token=${token}`, { headers: bearer(token) })).status).toBe(400);
      expect((await fetch(`${url}/me?access_token=${token}`)).status).toBe(400);
      expect((await fetch(`${url}/me`, { headers: { authorization: `Bearer ${token}, Bearer ${token}` } })).status).toBe(400);
      expect((await fetch(`${url}/me`, { headers: { authorization: 'Basic eDp5' } })).status).toBe(400);
      const duplicated = await new Promise<number>((resolve, reject) => {
        const req = httpRequest(`${url}/me`, { headers: ['host', new URL(url).host, 'authorization', `Bearer ${token}`, 'authorization', `Bearer ${token}`] as unknown as Record<string, string> }, (res) => resolve(res.statusCode ?? 0));
        req.on('error', reject);
        req.end();
      });
      expect(duplicated).toBe(400);
    });

    it('serves 200 concurrent requests on a cold cache with one key-set fetch', async () => {
      const fake = await createFakeEntra();
      const app = await build({ tenant: fake.tenantId, clientId: fake.api.appId, fetch: fake.fetch });
      const url = await listen(app);
      const token = await fake.mint();
      const statuses = await Promise.all(Array.from({ length: 200 }, () => fetch(`${url}/me`, { headers: bearer(token) }).then((r) => r.status)));
      expect(statuses.every((s) => s === 200)).toBe(true);
      expect(fake.requests.count('keys')).toBe(1);
    });
  });
});
