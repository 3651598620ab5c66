// queryToken over real HTTP with an EventSource-style client, for the adapters that run on a Node
// server and keep the original URL (Express's req.originalUrl, Koa's ctx.originalUrl): the token
// is taken only on event streams, and cut out of the URL, the original URL and the parsed query
// before routes and request logs see it. Each adapter's test calls describeQueryToken with how it
// serves that app.
import type { EntraAuthMiddlewareOptions } from '@entra-verify/core';
import type { RunningServer } from '@entra-verify/example-support';
import { createFakeEntra, type FakeEntra } from '@entra-verify/testkit';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readEventStream } from './event-stream-client.js';

/**
 * The framework's app on loopback: a request logger in the style of the framework's usual one,
 * which calls `log` with "METHOD originalUrl status" once the answer is sent; entraAuth(options);
 * GET /events behind requireScopes('Events.Read'), answering an event stream of one event
 * `{ oid, url, originalUrl, query }` as the route sees them; GET /me answering `{ oid }` (null
 * when anonymous).
 */
export type ServeWithQueryToken = (options: EntraAuthMiddlewareOptions, log: (line: string) => void) => Promise<RunningServer>;

export function describeQueryToken(name: string, serve: ServeWithQueryToken): void {
  describe(`${name} with queryToken`, () => {
    let entra: FakeEntra;
    const logs: string[] = [];
    let server: RunningServer | undefined;
    let url: string;
    beforeAll(async () => {
      entra = await createFakeEntra({ apis: [{ scopes: ['Events.Read', 'Other'] }] });
      server = await serve({ tenant: entra.tenantId, clientId: entra.api.appId, fetch: entra.fetch, queryToken: true }, (line) => void logs.push(line));
      url = server.url;
    });
    afterAll(() => server?.close());

    // EventSource cannot set Authorization, so the token rides in the query; the route must get
    // the request as if it had not (no access_token in url, originalUrl or query) to log or echo.
    it('streams for a valid token in ?access_token=, which no route sees', async () => {
      const token = await entra.mint({ scopes: ['Events.Read'] });
      const { status, events } = await readEventStream(`${url}/events?topic=a&access_token=${token}`);
      expect(status).toBe(200);
      expect(events).toEqual([{ oid: entra.user.objectId, url: '/events?topic=a', originalUrl: '/events?topic=a', query: { topic: 'a' } }]);
    });

    // A token from the query is checked like one from the header: lifetime, then the route's guard.
    it('answers 401 for an expired token and 403 for a missing scope', async () => {
      const expired = await readEventStream(`${url}/events?access_token=${await entra.mint({ scopes: ['Events.Read'], issuedAt: Math.floor(Date.now() / 1000) - 7200 })}`);
      expect(expired.status).toBe(401);
      expect(expired.challenge).toMatch(/^Bearer error="invalid_token"/);
      const narrow = await readEventStream(`${url}/events?access_token=${await entra.mint({ scopes: ['Other'] })}`);
      expect(narrow.status).toBe(403);
    });

    // Anywhere but a GET for an event stream, a token in the URL (where proxies and browser
    // history keep it) is a client bug to refuse, not a credential to accept.
    it('refuses the query token on a normal GET with 400', async () => {
      const token = await entra.mint({ scopes: ['Events.Read'] });
      expect((await fetch(`${url}/me?access_token=${token}`)).status).toBe(400);
      expect((await fetch(`${url}/events?access_token=${token}`, { method: 'POST', headers: { accept: 'text/event-stream' } })).status).toBe(400);
    });

    // The logger runs before the middleware and reads the URL after it: accepted or refused, the
    // request it writes down must have lost the token by then.
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
}
