// Node only (named *.node.test.ts): it stubs process.env, which Workers do not have.
// Issue #18 in the Hono adapter: the logger option (Hono's own print function works), 403s from
// route guards reach onEvent and the log, exposeHints in development, and options from the
// environment.
import { createFakeEntra, type FakeEntra } from '@entra-verify/testkit';
import { Hono } from 'hono';
import { afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import type { EntraVerifierEvent } from '@entra-verify/core';
import { entraAuth, requireScopes, type EntraAuthVariables, type OptionalEntraAuthVariables } from '../src/index.js';

let entra: FakeEntra;
beforeAll(async () => {
  entra = await createFakeEntra({ apis: [{ scopes: ['Data.Read', 'Data.Write'] }] });
});
afterEach(() => vi.unstubAllEnvs());
const bearer = (token: string) => ({ headers: { authorization: `Bearer ${token}` } });

describe('Hono: logging and events', () => {
  it('logs refusals through a print function, and a 403 from requireScopes() emits token_rejected', async () => {
    const printed: string[] = [];
    const events: EntraVerifierEvent[] = [];
    const app = new Hono<{ Variables: EntraAuthVariables }>();
    app.use(entraAuth({ tenant: entra.tenantId, clientId: entra.api.appId, fetch: entra.fetch, logger: (line: string) => void printed.push(line), onEvent: (event) => void events.push(event) }));
    app.get('/data', requireScopes('Data.Read'), (c) => c.json({ ok: true }));
    const response = await app.request('/data', bearer(await entra.mint({ scopes: ['Data.Write'] })));
    expect(response.status).toBe(403);
    expect(events.find((event) => event.type === 'token_rejected')).toMatchObject({ code: 'insufficient_scope', status: 403, requirement: { scopes: ['Data.Read'] }, tenantId: entra.tenantId });
    expect(printed.some((line) => line.includes('insufficient_scope'))).toBe(true);
  });

  it('exposeHints puts the hint in the body', async () => {
    const app = new Hono<{ Variables: OptionalEntraAuthVariables }>();
    app.use(entraAuth({ tenant: entra.tenantId, clientId: entra.api.appId, fetch: entra.fetch, logger: false, exposeHints: true, authRequired: false }));
    app.get('/', (c) => c.text(c.get('auth')?.tenantId ?? 'anonymous'));
    const response = await app.request('/', bearer(await entra.mint({ issuedAt: Math.floor(Date.now() / 1000) - 7200, expiresIn: 60 })));
    expect(response.status).toBe(401);
    expect(await response.json()).toMatchObject({ error: 'invalid_token', hint: expect.stringMatching(/expired/) });
  });

  it('entraAuth() with no tenant or audience reads AZURE_TENANT_ID and AZURE_CLIENT_ID', async () => {
    vi.stubEnv('AZURE_TENANT_ID', entra.tenantId);
    vi.stubEnv('AZURE_CLIENT_ID', entra.api.appId);
    const app = new Hono<{ Variables: EntraAuthVariables }>();
    app.use(entraAuth({ fetch: entra.fetch, logger: false }));
    app.get('/', (c) => c.text(c.get('auth').tenantId));
    expect(await (await app.request('/', bearer(await entra.mint()))).text()).toBe(entra.tenantId);
    vi.stubEnv('AZURE_TENANT_ID', '');
    expect(() => entraAuth({ fetch: entra.fetch, logger: false })).toThrow(/AZURE_TENANT_ID/);
  });
});
