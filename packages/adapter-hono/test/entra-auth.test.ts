import type { VerifiedAccessToken } from '@entra-verify/core';
import { createFakeEntra, type AttackToken, type FakeEntra } from '@entra-verify/testkit';
import { Hono } from 'hono';
import { HTTPException } from 'hono/http-exception';
import { beforeAll, describe, expect, expectTypeOf, it } from 'vitest';
import { entraAuth, requireAuth, requireRoles, requireScopes, type EntraAuthMiddlewareOptions, type EntraAuthVariables } from '../src/index.js';

let entra: FakeEntra;
let attacks: AttackToken[];
beforeAll(async () => {
  entra = await createFakeEntra({
    apis: [{ scopes: ['Data.Read', 'Data.Write'], appRoles: ['Data.Read.All', 'Admin'] }],
    clientApps: [{ appPermissions: ['Data.Read.All'] }],
  });
  attacks = await entra.attackTokens();
});

function createApp(options: Partial<EntraAuthMiddlewareOptions> = {}) {
  const app = new Hono<{ Variables: EntraAuthVariables }>();
  app.use('*', entraAuth({ tenant: entra.tenantId, clientId: entra.api.appId, fetch: entra.fetch, ...options } as EntraAuthMiddlewareOptions));
  app.get('/me', (c) => c.json({ oid: (c.get('auth') as VerifiedAccessToken | undefined)?.principal.objectId ?? null }));
  app.get('/data', requireScopes('Data.Read'), (c) => c.json({ oid: c.get('auth').principal.objectId, scopes: c.get('auth').scopes }));
  app.get('/admin', requireRoles('Admin'), (c) => c.json({ ok: true }));
  app.get('/either', requireAuth({ scopes: ['Data.Read'], appPermissions: ['Data.Read.All'] }), (c) => c.json({ type: c.get('auth').principal.type }));
  app.get('/any', requireAuth({ scopes: ['Nope', 'Data.Write'], match: 'any' }), (c) => c.json({ ok: true }));
  return app;
}
const bearer = (token: string) => ({ headers: { authorization: `Bearer ${token}` } });

describe('types', () => {
  it('types c.get("auth") as the verified token, optional when authRequired is false', () => {
    const required = new Hono().use(entraAuth({ tenant: entra.tenantId, clientId: entra.api.appId, fetch: entra.fetch }));
    required.get('/', (c) => {
      expectTypeOf(c.get('auth')).toEqualTypeOf<VerifiedAccessToken>();
      return c.text('ok');
    });
    const optional = new Hono().use(entraAuth({ tenant: entra.tenantId, clientId: entra.api.appId, fetch: entra.fetch, authRequired: false }));
    optional.get('/', (c) => {
      expectTypeOf(c.get('auth')).toEqualTypeOf<VerifiedAccessToken | undefined>();
      return c.text('ok');
    });
  });
});

describe('with app.request', () => {
  it('answers 200 with c.get("auth") for a valid token with the right scope', async () => {
    const response = await createApp().request('/data', bearer(await entra.mint({ scopes: ['Data.Read'] })));
    expect(response.status).toBe(200);
    expect(await response.json()).toEqual({ oid: entra.user.objectId, scopes: ['Data.Read'] });
  });

  it('answers 401 with a bare challenge and no secrets when the header is missing', async () => {
    const response = await createApp({ realm: 'lab' }).request('/data');
    expect(response.status).toBe(401);
    expect(response.headers.get('www-authenticate')).toBe('Bearer realm="lab"');
    expect(await response.json()).toEqual({ error: 'missing_token', error_description: 'Authentication is required.' });
  });

  it('answers 403 insufficient_scope with the scope list', async () => {
    const app = createApp();
    const response = await app.request('/data', bearer(await entra.mint({ scopes: ['Data.Write'] })));
    expect(response.status).toBe(403);
    expect(response.headers.get('www-authenticate')).toBe('Bearer error="insufficient_scope", error_description="The token lacks the scope this operation requires.", scope="Data.Read"');
    expect((await app.request('/admin', bearer(await entra.mint()))).status).toBe(403);
  });

  it('lets users in by scope and daemons by app permission; match any', async () => {
    const app = createApp();
    expect(await (await app.request('/either', bearer(await entra.mint({ scopes: ['Data.Read'] })))).json()).toEqual({ type: 'user' });
    expect(await (await app.request('/either', bearer(await entra.mint({ appOnly: true })))).json()).toEqual({ type: 'app' });
    expect((await app.request('/any', bearer(await entra.mint({ scopes: ['Data.Write'] })))).status).toBe(200);
  });

  it('answers 503 with Retry-After on a cold key outage', async () => {
    const fake = await createFakeEntra();
    fake.faults.set('keys', { status: 503 });
    const response = await createApp({ tenant: fake.tenantId, clientId: fake.api.appId, fetch: fake.fetch }).request('/me', bearer(await fake.mint()));
    expect(response.status).toBe(503);
    expect(Number(response.headers.get('retry-after'))).toBeGreaterThan(0);
  });

  it('refuses every testkit attack token with 400 or 401, never a 500', async () => {
    const app = createApp();
    for (const attack of attacks) {
      const response = await app.request('/me', bearer(attack.token));
      const b64token = /^[A-Za-z0-9\-._~+/]+=*$/.test(attack.token);
      expect(response.status, attack.name).toBe(b64token ? 401 : 400);
    }
  });

  it('refuses an oversized Authorization header before parsing it', async () => {
    const response = await createApp().request('/me', { headers: { authorization: `Bearer ${'a'.repeat(40_000)}` } });
    expect(response.status).toBe(401);
    expect(response.headers.get('www-authenticate')).toContain('The Authorization header is too large.');
  });

  it('answers 400 invalid_request for a token in the query, two tokens or another scheme', async () => {
    const app = createApp();
    const token = await entra.mint();
    expect((await app.request(`/me?access_token=${token}`, bearer(token))).status).toBe(400);
    const twice = new Headers();
    twice.append('authorization', `Bearer ${token}`);
    twice.append('authorization', `Bearer ${token}`);
    expect((await app.request('/me', { headers: twice })).status).toBe(400);
    expect((await app.request('/me', { headers: { authorization: 'Basic eDp5' } })).status).toBe(400);
  });

  it('authRequired: false lets anonymous requests through, still refuses bad tokens and guarded routes', async () => {
    const app = createApp({ authRequired: false });
    expect(await (await app.request('/me')).json()).toEqual({ oid: null });
    expect((await app.request('/me', bearer('not-a-token'))).status).toBe(401);
    expect((await app.request('/data')).status).toBe(401);
  });

  it('forwardErrors throws an HTTPException carrying the RFC 6750 response', async () => {
    const app = createApp({ forwardErrors: true });
    const seen: unknown[] = [];
    app.onError((error, c) => {
      seen.push(error);
      return error instanceof HTTPException ? error.getResponse() : c.text('unexpected', 500);
    });
    const response = await app.request('/data', bearer(await entra.mint({ scopes: ['Data.Write'] })));
    expect(response.status).toBe(403);
    expect(response.headers.get('www-authenticate')).toContain('scope="Data.Read"');
    expect(seen[0]).toBeInstanceOf(HTTPException);
    expect((seen[0] as HTTPException).cause).toMatchObject({ code: 'insufficient_scope' });
  });
});
