// queryToken over real HTTP with an EventSource-style client: the token only on event streams,
// cut out of req.url / req.originalUrl / req.query before routes and request logs see it.
import { listenOnLoopback } from '@entra-verify/example-support';
import { createFakeEntra, type FakeEntra } from '@entra-verify/testkit';
import express5 from 'express';
import express4 from 'express4';
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
  ['Express 5', express5],
  ['Express 4', express4 as unknown as typeof express5],
])('%s with queryToken', (_name, express) => {
  const logs: string[] = [];
  let url: string;
  beforeAll(async () => {
    const app = express();
    // A request logger in the style of morgan: it writes req.originalUrl once the answer is sent.
    app.use((req, res, next) => {
      res.on('finish', () => logs.push(`${req.method} ${req.originalUrl} ${res.statusCode}`));
      next();
    });
    app.use(entraAuth({ tenant: entra.tenantId, clientId: entra.api.appId, fetch: entra.fetch, queryToken: true }));
    app.get('/events', requireScopes('Events.Read'), (req, res) => {
      res.set({ 'content-type': 'text/event-stream', 'cache-control': 'no-cache' });
      res.end(`data: ${JSON.stringify({ oid: req.auth!.principal.objectId, url: req.url, originalUrl: req.originalUrl, query: { ...req.query } })}\n\n`);
    });
    app.get('/me', (req, res) => res.json({ oid: req.auth?.principal.objectId ?? null }));
    const server = await listenOnLoopback(createServer(app));
    closers.push(server.close);
    url = server.url;
  });

  it('streams for a valid token in ?access_token=, which no route sees', async () => {
    const token = await entra.mint({ scopes: ['Events.Read'] });
    const { status, events } = await readEventStream(`${url}/events?topic=a&access_token=${token}`);
    expect(status).toBe(200);
    expect(events).toEqual([{ oid: entra.user.objectId, url: '/events?topic=a', originalUrl: '/events?topic=a', query: { topic: 'a' } }]);
  });

  it('answers 401 for an expired token and 403 for a missing scope', async () => {
    const expired = await readEventStream(`${url}/events?access_token=${await entra.mint({ scopes: ['Events.Read'], issuedAt: Math.floor(Date.now() / 1000) - 7200 })}`);
    expect(expired.status).toBe(401);
    expect(expired.challenge).toMatch(/^Bearer error="invalid_token"/);
    const narrow = await readEventStream(`${url}/events?access_token=${await entra.mint({ scopes: ['Other'] })}`);
    expect(narrow.status).toBe(403);
  });

  it('refuses the query token on a normal GET with 400', async () => {
    const token = await entra.mint({ scopes: ['Events.Read'] });
    expect((await fetch(`${url}/me?access_token=${token}`)).status).toBe(400);
    expect((await fetch(`${url}/events?access_token=${token}`, { method: 'POST', headers: { accept: 'text/event-stream' } })).status).toBe(400);
  });

  it('keeps the token out of the request log', async () => {
    const token = await entra.mint({ scopes: ['Events.Read'] });
    await readEventStream(`${url}/events?access_token=${token}`);
    await fetch(`${url}/me?access_token=${token}`);
    await new Promise((resolve) => setTimeout(resolve, 20));
    expect(logs).toContain('GET /events 200');
    expect(logs).toContain('GET /me 400');
    expect(logs.join('\n')).not.toContain(token.split('.')[2]!);
  });
});
