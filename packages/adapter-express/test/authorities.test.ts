import { refuse } from '@entra-verify/core';
import { listenOnLoopback, type RunningServer } from '@entra-verify/example-support';
import { createFakeEntra, type FakeEntra } from '@entra-verify/testkit';
import express from 'express';
import { createServer } from 'node:http';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { entraAuth, requireAuth } from '../src/index.js';

let entra: FakeEntra;
let server: RunningServer;
let seen: unknown;
beforeAll(async () => {
  entra = await createFakeEntra({ tenants: 2, apis: [{ scopes: ['Data.Read'] }] });
  const [ours, partner] = entra.tenants;
  const app = express();
  app.use(entraAuth({ authorities: [{ name: 'employees', tenant: ours!.id, clientId: entra.api.appId }, { name: 'partner', tenant: partner!.id, clientId: entra.api.appId }], fetch: entra.fetch }));
  app.get('/employees', requireAuth({ authority: 'employees' }), (req, res) => res.json({ authority: req.auth!.authority }));
  app.get('/checked', requireAuth({ check: async (_auth, req) => {
    seen = (req as express.Request).path;
    if ((req as express.Request).query.deny !== undefined) throw refuse('denied_here', 'Not here.');
  } }), (_req, res) => res.json({ ok: true }));
  server = await listenOnLoopback(createServer(app));
});
afterAll(() => server.close());

const get = async (path: string, token: string) => fetch(`${server.url}${path}`, { headers: { authorization: `Bearer ${token}` } });

describe('Express with several authorities', () => {
  it('routes by authority, and answers a refusal with 403', async () => {
    expect(await (await get('/employees', await entra.mint())).json()).toEqual({ authority: 'employees' });
    const refused = await get('/employees', await entra.mint({ tenantId: entra.tenants[1]!.id }));
    expect(refused.status).toBe(403);
    expect(refused.headers.get('www-authenticate')).toContain('error="insufficient_scope"');
  });

  it('runs an async check with the Express request, and answers its refusal', async () => {
    expect((await get('/checked', await entra.mint())).status).toBe(200);
    expect(seen).toBe('/checked');
    const denied = await get('/checked?deny', await entra.mint());
    expect(denied.status).toBe(403);
    expect(await denied.json()).toEqual({ error: 'insufficient_scope', error_description: 'Not here.' });
  });

  it('refuses an unknown requirement key when the route is declared', () => {
    expect(() => requireAuth({ group: ['x'] } as never)).toThrow(/unknown key "group"/);
  });
});
