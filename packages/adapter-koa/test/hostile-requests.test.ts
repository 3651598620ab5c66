// Hostile requests over real HTTP on Koa 2 and 3: generated hostile tokens never get a 500 or an
// echoed control character; options that could make answering throw fail at creation; and a
// response another middleware already sent (a timeout writing to ctx.res) is never written again.
import { listenOnLoopback } from '@entra-verify/example-support';
import { createFakeEntra, type FakeEntra } from '@entra-verify/testkit';
import Koa3, { type Middleware } from 'koa';
import Koa2 from 'koa2';
import { createServer, type ServerResponse } from 'node:http';
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

/** Records every attempt to write to `res` after it was answered. */
function watchLateWrites(res: ServerResponse): string[] {
  const late: string[] = [];
  for (const method of ['writeHead', 'setHeader', 'write', 'end'] as const) {
    const original = res[method].bind(res) as (...args: unknown[]) => unknown;
    (res as unknown as Record<string, unknown>)[method] = (...args: unknown[]) => {
      late.push(method);
      return original(...args);
    };
  }
  return late;
}

describe.each([
  ['Koa 3', Koa3],
  ['Koa 2', Koa2 as unknown as typeof Koa3],
])('%s', (name, Koa) => {
  /** An app whose errors are recorded instead of logged. */
  async function serve(...chain: Middleware[]): Promise<{ url: string; errors: unknown[] }> {
    const app = new Koa();
    const errors: unknown[] = [];
    app.silent = true;
    app.on('error', (error: unknown) => errors.push(error));
    for (const middleware of chain) app.use(middleware);
    const server = await listenOnLoopback(createServer({ maxHeaderSize: MAX_HEADER_SIZE }, app.callback()));
    closers.push(server.close);
    return { url: server.url, errors };
  }

  it('answers generated hostile tokens with 200, 401 or 403, never a 500 or a control character', async () => {
    // One middleware answers refusals itself, one throws them to Koa's own error handling.
    const own = entraAuth(options({ maxTokenBytes: 256 * 1024 }));
    const forward = entraAuth(options({ maxTokenBytes: 256 * 1024, forwardErrors: true }));
    const guard = requireScopes('Data.Read');
    const { url } = await serve(
      (ctx, next) => (ctx.path.startsWith('/forward') ? forward(ctx, next) : own(ctx, next)),
      (ctx, next) => (ctx.path.endsWith('/data') ? guard(ctx, next) : next()),
      (ctx) => {
        ctx.body = 'ok';
      },
    );
    const paths = ['/own/me', '/own/data', '/forward/me', '/forward/data'];
    const statuses = await assertHostileRequestsAnswered(name, base, async (authorization, variant) => httpAnswer(await fetch(`${url}${paths[variant]}`, { headers: { authorization } })), undefined, paths.length);
    expect(statuses.has(500)).toBe(false);
  });

  it.each(namedHostileSpecs())('refuses a token whose %s with 401, not 500', async (_label, spec) => {
    const { url } = await serve(entraAuth(options()), (ctx) => {
      ctx.body = 'ok';
    });
    const response = await fetch(url, { headers: { authorization: `Bearer ${await hostileToken(base, spec)}` } });
    expect(response.status).toBe(401);
    expect(response.headers.get('www-authenticate')).toMatch(/^Bearer error="invalid_token"/);
  });

  it.each(['Zürich €', 'a\nb', 'tab\there', 'bell\u0007'])('refuses the realm %j when the middleware is made', (realm) => {
    expect(() => entraAuth(options({ realm }))).toThrow(TypeError);
  });

  it.each([['api://x/Data.Read'], ['a b'], ['é'], ['Data\r\nRead']])('refuses requireScopes(%j) when the route is declared', (scope) => {
    expect(() => requireScopes(scope)).toThrow(TypeError);
  });

  describe('when a timeout middleware answers 503 on ctx.res before the key set arrives', () => {
    it.each([
      ['a valid token', false, () => entra.mint()],
      ['a forged signature', false, async () => `${(await entra.mint()).slice(0, -8)}AAAAAAAA`],
      ['a forged signature, forwardErrors', true, async () => `${(await entra.mint()).slice(0, -8)}AAAAAAAA`],
      ['a valid token, forwardErrors', true, () => entra.mint()],
    ])('with %s: the client gets the 503, the route does not run and nothing more is written', async (_case, forwardErrors, token) => {
      const seen = { handlerRan: false, lateWrites: [] as string[], timedOut: 0 };
      const timeout: Middleware = async (ctx, next) => {
        const timer = setTimeout(() => {
          // What koa-timeout-style middleware does: answer on the raw response and tell Koa not to.
          ctx.respond = false;
          ctx.res.writeHead(503, { 'content-type': 'text/plain' }).end('timed out');
          seen.timedOut++;
          seen.lateWrites = watchLateWrites(ctx.res);
        }, 50);
        try {
          await next();
        } finally {
          clearTimeout(timer);
        }
      };
      const { url, errors } = await serve(timeout, entraAuth(options({ fetch: slowKeys(KEY_FETCH_DELAY_MS), forwardErrors })), (ctx) => {
        seen.handlerRan = true;
        ctx.body = 'ok';
      });
      const response = await fetch(url, { headers: { authorization: `Bearer ${await token()}` } });
      expect(response.status).toBe(503);
      expect(await response.text()).toBe('timed out');
      await new Promise((resolve) => setTimeout(resolve, KEY_FETCH_DELAY_MS + 150));
      expect(seen.timedOut).toBe(1);
      expect(seen.handlerRan).toBe(false);
      expect(seen.lateWrites).toEqual([]);
      // A forwarded refusal reaches Koa's error event (marked headerSent), never the client.
      for (const error of errors) expect(error).toMatchObject({ code: 'invalid_signature', headerSent: true });
    });
  });

  it("throws a hostile token to Koa's default error handling as a 401 without stack frames", async () => {
    const { url, errors } = await serve(entraAuth(options({ forwardErrors: true })), (ctx) => {
      ctx.body = 'ok';
    });
    const [, spec] = namedHostileSpecs().find(([label]) => label.startsWith('crit nested'))!;
    const response = await fetch(url, { headers: { authorization: `Bearer ${await hostileToken(base, spec)}` } });
    const body = await response.text();
    expect(response.status).toBe(401);
    expect(response.headers.get('www-authenticate')).toMatch(/^Bearer error="invalid_token"/);
    expect(body).toMatch(/^malformed_token: /);
    expect(body).not.toContain('    at ');
    expect(errors).toHaveLength(1);
  });
});
