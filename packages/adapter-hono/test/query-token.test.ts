// queryToken with app.request (any runtime): the token only on event streams and WebSocket
// upgrades, cut out of c.req.url and c.req.query() before the route (or a logger) sees it.
import { createFakeEntra, type FakeEntra } from '@entra-verify/testkit';
import { Hono } from 'hono';
import { beforeAll, describe, expect, it } from 'vitest';
import { entraAuth, requireScopes, type EntraAuthVariables } from '../src/index.js';

let entra: FakeEntra;
beforeAll(async () => {
  entra = await createFakeEntra({ apis: [{ scopes: ['Events.Read', 'Other'] }] });
});

function createApp(logs: string[] = []) {
  const app = new Hono<{ Variables: EntraAuthVariables }>();
  app.use('*', async (c, next) => {
    await next();
    logs.push(`${c.req.method} ${c.req.url} ${c.res.status}`);
  });
  app.use('*', entraAuth({ tenant: entra.tenantId, clientId: entra.api.appId, fetch: entra.fetch, queryToken: true }));
  app.get('/events', requireScopes('Events.Read'), (c) => {
    const event = { oid: c.get('auth').principal.objectId, url: c.req.url, query: c.req.query() };
    return c.body(`data: ${JSON.stringify(event)}\n\n`, 200, { 'content-type': 'text/event-stream' });
  });
  app.get('/socket', requireScopes('Events.Read'), (c) => c.json({ upgraded: true, url: c.req.url }));
  app.get('/me', (c) => c.json({ oid: c.get('auth').principal.objectId }));
  return app;
}
const stream = { accept: 'text/event-stream' };

describe('queryToken', () => {
  it('accepts a valid token on an event stream; the route sees the URL without it', async () => {
    const token = await entra.mint({ scopes: ['Events.Read'] });
    const response = await createApp().request(`/events?topic=a&access_token=${token}`, { headers: stream });
    expect(response.status).toBe(200);
    const event = JSON.parse((await response.text()).slice(6)) as Record<string, unknown>;
    expect(event).toEqual({ oid: entra.user.objectId, url: 'http://localhost/events?topic=a', query: { topic: 'a' } });
  });

  it('accepts it on a WebSocket upgrade request', async () => {
    const token = await entra.mint({ scopes: ['Events.Read'] });
    const response = await createApp().request(`/socket?access_token=${token}`, { headers: { upgrade: 'websocket', connection: 'Upgrade' } });
    expect(await response.json()).toEqual({ upgraded: true, url: 'http://localhost/socket' });
  });

  it('answers 401 expired, 403 missing scope, 400 on a normal GET or beside a header', async () => {
    const app = createApp();
    const expired = await entra.mint({ scopes: ['Events.Read'], issuedAt: Math.floor(Date.now() / 1000) - 7200 });
    expect((await app.request(`/events?access_token=${expired}`, { headers: stream })).status).toBe(401);
    expect((await app.request(`/events?access_token=${await entra.mint({ scopes: ['Other'] })}`, { headers: stream })).status).toBe(403);
    const token = await entra.mint({ scopes: ['Events.Read'] });
    expect((await app.request(`/me?access_token=${token}`)).status).toBe(400);
    expect((await app.request(`/events?access_token=${token}`, { headers: { ...stream, authorization: `Bearer ${token}` } })).status).toBe(400);
  });

  it('keeps the token out of a logger that reads c.req.url', async () => {
    const logs: string[] = [];
    const app = createApp(logs);
    const token = await entra.mint({ scopes: ['Events.Read'] });
    await app.request(`/events?access_token=${token}`, { headers: stream });
    await app.request(`/me?access_token=${token}`);
    expect(logs).toEqual(['GET http://localhost/events 200', 'GET http://localhost/me 400']);
  });
});
