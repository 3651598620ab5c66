// Query tokens for real-time endpoints over real sockets: an EventSource-style client
// (Accept: text/event-stream) through the Fastify plugin, and a WebSocket client (ws) through
// core's entraUpgrade on the same server's `upgrade` event.
import { entraUpgrade } from '@entra-verify/core';
import { createFakeEntra, type FakeEntra } from '@entra-verify/testkit';
import fastify5, { type FastifyInstance } from 'fastify';
import fastify4 from 'fastify4';
import type { IncomingMessage } from 'node:http';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import WebSocket, { WebSocketServer } from 'ws';
import { entraAuth, hideQueryToken, requireScopes } from '../src/index.js';
import { readEventStream } from '../../../test-support/event-stream-client.js';

let entra: FakeEntra;
const apps: FastifyInstance[] = [];
beforeAll(async () => {
  entra = await createFakeEntra({ apis: [{ scopes: ['Events.Read', 'Other'] }] });
});
afterAll(async () => {
  await Promise.all(apps.map((app) => app.close()));
});

/** A WebSocket handshake: the first message on success, or the refused handshake's status. */
function openWebSocket(url: string, headers: Record<string, string> = {}) {
  return new Promise<{ status: number; message?: Record<string, unknown>; challenge?: string }>((resolve, reject) => {
    const socket = new WebSocket(url, { headers });
    socket.once('message', (data) => {
      resolve({ status: 101, message: JSON.parse(String(data)) as Record<string, unknown> });
      socket.close();
    });
    socket.once('unexpected-response', (_req, res) => {
      resolve({ status: res.statusCode ?? 0, ...(res.headers['www-authenticate'] ? { challenge: String(res.headers['www-authenticate']) } : {}) });
      res.resume();
    });
    socket.once('error', reject);
  });
}

describe.each([
  ['Fastify 5', fastify5],
  ['Fastify 4', fastify4 as unknown as typeof fastify5],
])('%s: queryToken for event streams and WebSockets', (_name, Fastify) => {
  const logs: string[] = [];
  let http: string;
  let ws: string;
  beforeAll(async () => {
    const app = Fastify({ logger: { level: 'trace', stream: { write: (line: string) => void logs.push(line) } }, rewriteUrl: hideQueryToken('access_token') });
    apps.push(app);
    const options = { tenant: entra.tenantId, clientId: entra.api.appId, fetch: entra.fetch, queryToken: true } as const;
    await app.register(entraAuth, options);
    app.get('/events', { preHandler: requireScopes('Events.Read') }, async (request, reply) => {
      request.log.info({ url: request.url, originalUrl: request.originalUrl }, 'streaming');
      const event = { oid: request.auth!.principal.objectId, url: request.url, originalUrl: request.originalUrl, rawUrl: request.raw.url, query: { ...(request.query as object) } };
      return reply.header('content-type', 'text/event-stream').header('cache-control', 'no-cache').send(`data: ${JSON.stringify(event)}\n\n`);
    });
    app.get('/me', async (request) => ({ oid: request.auth?.principal.objectId ?? null }));
    // WebSockets: verified on the raw upgrade event, before ws completes the handshake.
    const wss = new WebSocketServer({ noServer: true });
    wss.on('connection', (socket: WebSocket, request: IncomingMessage, auth: { principal: { objectId: string }; scopes: string[] }) => {
      socket.send(JSON.stringify({ oid: auth.principal.objectId, scopes: auth.scopes, url: request.url }));
    });
    app.server.on(
      'upgrade',
      entraUpgrade({ ...options, requirement: { scopes: ['Events.Read'] } }, (request, socket, head, auth) => {
        wss.handleUpgrade(request, socket, head, (client) => wss.emit('connection', client, request, auth));
      }),
    );
    http = await app.listen({ port: 0, host: '127.0.0.1' });
    ws = http.replace('http:', 'ws:');
  });

  const expired = () => entra.mint({ scopes: ['Events.Read'], issuedAt: Math.floor(Date.now() / 1000) - 7200 });

  it('EventSource: a valid token in ?access_token= streams, and nothing downstream sees it', async () => {
    const token = await entra.mint({ scopes: ['Events.Read'] });
    const { status, events } = await readEventStream(`${http}/events?topic=a&access_token=${token}&since=1`);
    expect(status).toBe(200);
    expect(events).toEqual([{ oid: entra.user.objectId, url: '/events?topic=a&since=1', originalUrl: '/events?topic=a&since=1', rawUrl: '/events?topic=a&since=1', query: { topic: 'a', since: '1' } }]);
  });

  it('EventSource: expired 401, missing scope 403, with the challenge', async () => {
    const old = await readEventStream(`${http}/events?access_token=${await expired()}`);
    expect(old.status).toBe(401);
    expect(old.challenge).toBe('Bearer error="invalid_token", error_description="The access token has expired."');
    const narrow = await readEventStream(`${http}/events?access_token=${await entra.mint({ scopes: ['Other'] })}`);
    expect(narrow.status).toBe(403);
    expect(narrow.challenge).toContain('scope="Events.Read"');
  });

  it('refuses the query token on a normal GET, and a token in both header and query', async () => {
    const token = await entra.mint({ scopes: ['Events.Read'] });
    const normal = await fetch(`${http}/me?access_token=${token}`);
    expect(normal.status).toBe(400);
    expect(((await normal.json()) as { error: string }).error).toBe('invalid_request');
    expect((await readEventStream(`${http}/events?access_token=${token}`, { authorization: `Bearer ${token}` })).status).toBe(400);
    expect((await readEventStream(`${http}/events?access_token=${token}&access_token=${token}`)).status).toBe(400);
    // The header still works on the same routes.
    expect((await readEventStream(`${http}/events`, { authorization: `Bearer ${token}` })).status).toBe(200);
  });

  it('WebSocket: a valid token opens the connection; the server sees the URL without it', async () => {
    const token = await entra.mint({ scopes: ['Events.Read'] });
    const opened = await openWebSocket(`${ws}/socket?room=1&access_token=${token}`);
    expect(opened).toEqual({ status: 101, message: { oid: entra.user.objectId, scopes: ['Events.Read'], url: '/socket?room=1' } });
    const byHeader = await openWebSocket(`${ws}/socket`, { authorization: `Bearer ${token}` });
    expect(byHeader.status).toBe(101);
  });

  it('WebSocket: missing 401, expired 401, missing scope 403, answered before the handshake', async () => {
    expect(await openWebSocket(`${ws}/socket`)).toEqual({ status: 401, challenge: 'Bearer' });
    const old = await openWebSocket(`${ws}/socket?access_token=${await expired()}`);
    expect(old.status).toBe(401);
    expect(old.challenge).toMatch(/^Bearer error="invalid_token"/);
    const narrow = await openWebSocket(`${ws}/socket?access_token=${await entra.mint({ scopes: ['Other'] })}`);
    expect(narrow.status).toBe(403);
    expect(narrow.challenge).toContain('scope="Events.Read"');
  });

  it('keeps every token out of the logs', async () => {
    const tokens = [await entra.mint({ scopes: ['Events.Read'] }), await expired(), await entra.mint({ scopes: ['Other'] })];
    for (const token of tokens) {
      await readEventStream(`${http}/events?access_token=${token}`);
      await fetch(`${http}/me?access_token=${token}`);
    }
    const written = logs.join('');
    expect(written).toContain('incoming request');
    expect(written).toContain('streaming');
    for (const token of tokens) {
      expect(written).not.toContain(token);
      expect(written).not.toContain(token.split('.')[2]!);
    }
  });
});
