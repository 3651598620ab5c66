// The middleware behind a real socket with @hono/node-server: Node only, so it sits outside the
// portable suite that `npm run test:runtimes` runs on Bun, Deno and workerd (which use app.request).
import { serve } from '@hono/node-server';
import { createFakeEntra, type FakeEntra } from '@entra-verify/testkit';
import { Hono } from 'hono';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { expectCachedTokenAnswers } from '../../../test-support/cached-token-requests.js';
import { expectInnerJudgesAlone, twoApis } from '../../../test-support/stacked-entra-auth.js';
import { entraAuth, requireRoles, requireScopes, type EntraAuthVariables } from '../src/index.js';

const bearer = (token: string) => ({ headers: { authorization: `Bearer ${token}` } });

describe('over HTTP with @hono/node-server', () => {
  let url: string;
  let fake: FakeEntra;
  let close: () => void;
  beforeAll(async () => {
    fake = await createFakeEntra({ apis: [{ scopes: ['Data.Read'] }] });
    const app = new Hono<{ Variables: EntraAuthVariables }>();
    app.use('*', entraAuth({ tenant: fake.tenantId, clientId: fake.api.appId, fetch: fake.fetch }));
    app.get('/me', (c) => c.json({ oid: c.get('auth').principal.objectId }));
    app.get('/data', requireScopes('Data.Read'), (c) => c.json({ ok: true }));
    const server = serve({ fetch: app.fetch, port: 0, hostname: '127.0.0.1' });
    await new Promise<void>((resolve) => server.once('listening', () => resolve()));
    url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    close = () => server.close();
  });
  afterAll(() => close());

  it('serves 200 concurrent requests on a cold cache with one key-set fetch', async () => {
    const token = await fake.mint();
    const statuses = await Promise.all(Array.from({ length: 200 }, () => fetch(`${url}/me`, bearer(token)).then((r) => r.status)));
    expect(statuses.every((s) => s === 200)).toBe(true);
    expect(fake.requests.count('keys')).toBe(1);
  });

  it('lets a second entraAuth (another API) judge alone: the first one\'s query-token identity does not pass for it', async () => {
    const servers: Array<{ close(): void }> = [];
    try {
      await expectInnerJudgesAlone(async (outer, inner) => {
        const app = new Hono<{ Variables: EntraAuthVariables }>();
        app.use('*', entraAuth(outer));
        app.use('/y/*', entraAuth(inner));
        app.get('/y/data', requireScopes('Data.Read'), (c) => c.text(String(c.get('auth').claims.aud)));
        const server = serve({ fetch: app.fetch, port: 0, hostname: '127.0.0.1' });
        servers.push(server);
        await new Promise<void>((resolve) => server.once('listening', () => resolve()));
        return `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
      }, await twoApis());
    } finally {
      for (const server of servers) server.close();
    }
  });

  it('answers a cached token (the synchronous path) as the full path would: 400 for two headers or a query token, 403 by a guard, 401 once expired', async () => {
    const servers: Array<{ close(): void }> = [];
    try {
      await expectCachedTokenAnswers(async (now) => {
        const app = new Hono<{ Variables: EntraAuthVariables }>();
        app.use('*', entraAuth({ tenant: fake.tenantId, clientId: fake.api.appId, fetch: fake.fetch, now }));
        app.get('/data', requireScopes('Data.Read'), (c) => c.json({ ok: true }));
        app.get('/admin', requireRoles('Admin'), (c) => c.json({ ok: true }));
        const server = serve({ fetch: app.fetch, port: 0, hostname: '127.0.0.1' });
        servers.push(server);
        await new Promise<void>((resolve) => server.once('listening', () => resolve()));
        return `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
      }, fake);
    } finally {
      for (const server of servers) server.close();
    }
  });

  it('answers 401 with a challenge over the wire', async () => {
    const response = await fetch(`${url}/data`);
    expect(response.status).toBe(401);
    expect(response.headers.get('www-authenticate')).toBe('Bearer');
  });
});
