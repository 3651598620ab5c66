// Hostile requests over real HTTP (@hono/node-server, so Node only: the portable suite leaves
// *.node.test.ts out): generated hostile tokens never get a 500 or an echoed control character,
// whether the middleware answers or throws HTTPException to Hono's error handling; options that
// could make answering throw fail at creation; a timeout that answers first causes no crash.
import { serve } from '@hono/node-server';
import { createFakeEntra, type FakeEntra } from '@entra-verify/testkit';
import { Hono } from 'hono';
import { timeout } from 'hono/timeout';
import type { AddressInfo } from 'node:net';
import { afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import {
  assertHostileRequestsAnswered,
  baseOf,
  hostileToken,
  httpAnswer,
  namedHostileSpecs,
  recordUnhandledRejections,
  type HostileTokenBase,
} from '../../../test-support/hostile-token-property.js';
import { entraAuth, requireScopes, type EntraAuthMiddlewareOptions } from '../src/index.js';

/** Node refuses headers over 16 KiB with 431; hostile tokens reach 32 KiB and more, so allow them. */
const MAX_HEADER_SIZE = 512 * 1024;
const KEY_FETCH_DELAY_MS = 300;

let entra: FakeEntra;
let base: HostileTokenBase;
const closers: Array<() => Promise<void>> = [];
let unhandled: ReturnType<typeof recordUnhandledRejections>;
beforeAll(async () => {
  entra = await createFakeEntra({ apis: [{ scopes: ['Data.Read'] }] });
  base = baseOf(await entra.mint({ expiresIn: 24 * 3600 }), entra.keys.current.privateKey);
});
beforeEach(() => void (unhandled = recordUnhandledRejections()));
afterEach(async () => {
  await Promise.all(closers.splice(0).map((close) => close()));
  expect(unhandled.stop()).toEqual([]);
});

const options = (extra: Partial<EntraAuthMiddlewareOptions> = {}) => ({ tenant: entra.tenantId, clientId: entra.api.appId, fetch: entra.fetch, ...extra }) as EntraAuthMiddlewareOptions;

/** The fake's fetch, with key-set requests answered only after `ms`. */
const slowKeys = (ms: number): typeof fetch => async (input, init) => {
  if (String(input instanceof Request ? input.url : input).includes('/keys')) await new Promise((resolve) => setTimeout(resolve, ms));
  return entra.fetch(input, init);
};

async function listen(app: Hono): Promise<string> {
  const server = serve({ fetch: app.fetch, port: 0, hostname: '127.0.0.1', serverOptions: { maxHeaderSize: MAX_HEADER_SIZE } });
  await new Promise<void>((resolve) => server.once('listening', () => resolve()));
  closers.push(
    () =>
      new Promise<void>((resolve) => {
        (server as { closeAllConnections?: () => void }).closeAllConnections?.();
        server.close(() => resolve());
      }),
  );
  return `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
}

describe('Hono over @hono/node-server', () => {
  it('answers generated hostile tokens with 200, 401 or 403, never a 500 or a control character', async () => {
    const app = new Hono();
    // One middleware answers refusals itself, one throws HTTPException to Hono's error handling.
    app.use('/own/*', entraAuth(options({ maxTokenBytes: 256 * 1024 })));
    app.use('/forward/*', entraAuth(options({ maxTokenBytes: 256 * 1024, forwardErrors: true })));
    for (const prefix of ['/own', '/forward']) {
      app.get(`${prefix}/me`, (c) => c.text('ok'));
      app.get(`${prefix}/data`, requireScopes('Data.Read'), (c) => c.text('ok'));
    }
    const url = await listen(app);
    const paths = ['/own/me', '/own/data', '/forward/me', '/forward/data'];
    const statuses = await assertHostileRequestsAnswered('Hono', base, async (authorization, variant) => httpAnswer(await fetch(`${url}${paths[variant]}`, { headers: { authorization } })), undefined, paths.length);
    expect(statuses.has(500)).toBe(false);
  });

  it.each(namedHostileSpecs())('refuses a token whose %s with 401, not 500', async (_label, spec) => {
    const app = new Hono();
    app.use(entraAuth(options()));
    app.get('/', (c) => c.text('ok'));
    const response = await fetch(await listen(app), { headers: { authorization: `Bearer ${await hostileToken(base, spec)}` } });
    expect(response.status).toBe(401);
    expect(response.headers.get('www-authenticate')).toMatch(/^Bearer error="invalid_token"/);
  });

  it.each(['Zürich €', 'a\nb', 'tab\there', 'bell\u0007'])('refuses the realm %j when the middleware is made', (realm) => {
    expect(() => entraAuth(options({ realm }))).toThrow(TypeError);
  });

  it.each([['api://x/Data.Read'], ['a b'], ['é'], ['Data\r\nRead']])('refuses requireScopes(%j) when the route is declared', (scope) => {
    expect(() => requireScopes(scope)).toThrow(TypeError);
  });

  it("throws a hostile token to Hono's default error handler as the RFC 6750 401, without stack frames", async () => {
    const app = new Hono();
    app.use(entraAuth(options({ forwardErrors: true })));
    app.get('/', (c) => c.text('ok'));
    const [, spec] = namedHostileSpecs().find(([label]) => label.startsWith('crit nested'))!;
    const response = await fetch(await listen(app), { headers: { authorization: `Bearer ${await hostileToken(base, spec)}` } });
    const body = await response.text();
    expect(response.status).toBe(401);
    expect(response.headers.get('www-authenticate')).toMatch(/^Bearer error="invalid_token"/);
    expect(JSON.parse(body)).toMatchObject({ error: 'invalid_token' });
    expect(body).not.toContain('    at ');
  });

  it.each([
    ['a valid token', false, () => entra.mint()],
    ['a forged signature', false, async () => `${(await entra.mint()).slice(0, -8)}AAAAAAAA`],
    ['a forged signature, forwardErrors', true, async () => `${(await entra.mint()).slice(0, -8)}AAAAAAAA`],
  ])('with %s, hono/timeout answering 504 before the key set arrives causes no crash and no unhandled rejection', async (_case, forwardErrors, token) => {
    const app = new Hono();
    let routeRan = false;
    app.use(timeout(50));
    app.use(entraAuth(options({ fetch: slowKeys(KEY_FETCH_DELAY_MS), forwardErrors })));
    app.get('/', (c) => {
      routeRan = true;
      return c.text('ok');
    });
    const response = await fetch(await listen(app), { headers: { authorization: `Bearer ${await token()}` } });
    expect(response.status).toBe(504);
    // The verification finishes later; its answer (or HTTPException) must go nowhere, quietly,
    // and the route must not run for a request that was already answered.
    await new Promise((resolve) => setTimeout(resolve, KEY_FETCH_DELAY_MS + 150));
    expect(routeRan).toBe(false);
  });
});
