// Hostile requests over real HTTP on Express 4 and 5: generated hostile tokens never get a 500 or
// an echoed control character; options that could make answering throw fail at creation; and a
// response another middleware already sent (a timeout) is never written to again.
import { listenOnLoopback } from '@entra-verify/example-support';
import { createFakeEntra, type FakeEntra } from '@entra-verify/testkit';
import express5, { type RequestHandler } from 'express';
import express4 from 'express4';
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

async function serve(app: ReturnType<typeof express5>): Promise<string> {
  const server = await listenOnLoopback(createServer({ maxHeaderSize: MAX_HEADER_SIZE }, app));
  closers.push(server.close);
  return server.url;
}

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
  ['Express 5', express5],
  ['Express 4', express4 as unknown as typeof express5],
])('%s', (name, express) => {
  it('answers generated hostile tokens with 200, 401 or 403, never a 500 or a control character', async () => {
    const app = express();
    // One mount answers refusals itself, one forwards them to Express's default error handler.
    app.use('/own', entraAuth(options({ maxTokenBytes: 256 * 1024 })));
    app.use('/forward', entraAuth(options({ maxTokenBytes: 256 * 1024, forwardErrors: true })));
    for (const prefix of ['/own', '/forward']) {
      app.get(`${prefix}/me`, (_req, res) => res.send('ok'));
      app.get(`${prefix}/data`, requireScopes('Data.Read'), (_req, res) => res.send('ok'));
    }
    const url = await serve(app);
    const paths = ['/own/me', '/own/data', '/forward/me', '/forward/data'];
    const statuses = await assertHostileRequestsAnswered(name, base, async (authorization, variant) => httpAnswer(await fetch(`${url}${paths[variant]}`, { headers: { authorization } })), undefined, paths.length);
    expect(statuses.has(500)).toBe(false);
  });

  it.each(namedHostileSpecs())('refuses a token whose %s with 401, not 500', async (_label, spec) => {
    const app = express();
    app.use(entraAuth(options()));
    app.get('/', (_req, res) => res.send('ok'));
    const url = await serve(app);
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

  describe('when a timeout middleware answers 503 before the key set arrives', () => {
    async function startWithTimeout(forwardErrors: boolean) {
      const app = express();
      const seen = { handlerRan: false, lateWrites: [] as string[], timedOut: 0 };
      const timeout: RequestHandler = (_req, res, next) => {
        setTimeout(() => {
          res.status(503).send('timed out');
          seen.timedOut++;
          seen.lateWrites = watchLateWrites(res);
        }, 50);
        next();
      };
      app.use(timeout);
      app.use(entraAuth(options({ fetch: slowKeys(KEY_FETCH_DELAY_MS), forwardErrors })));
      app.get('/', (_req, res) => {
        seen.handlerRan = true;
        res.send('ok');
      });
      return { url: await serve(app), seen };
    }

    it.each([
      ['a valid token', false, () => entra.mint()],
      ['a forged signature', false, async () => `${(await entra.mint()).slice(0, -8)}AAAAAAAA`],
      ['a forged signature, forwardErrors', true, async () => `${(await entra.mint()).slice(0, -8)}AAAAAAAA`],
      ['a valid token, forwardErrors', true, () => entra.mint()],
    ])('with %s: the client gets the 503, the route does not run and nothing more is written', async (_case, forwardErrors, token) => {
      const { url, seen } = await startWithTimeout(forwardErrors);
      const response = await fetch(url, { headers: { authorization: `Bearer ${await token()}` } });
      expect(response.status).toBe(503);
      expect(await response.text()).toBe('timed out');
      await new Promise((resolve) => setTimeout(resolve, KEY_FETCH_DELAY_MS + 150));
      expect(seen.timedOut).toBe(1);
      expect(seen.handlerRan).toBe(false);
      expect(seen.lateWrites).toEqual([]);
    });
  });

  it("forwards a hostile token to Express's default error handler as a 401 without stack frames", async () => {
    const app = express();
    app.use(entraAuth(options({ forwardErrors: true })));
    app.get('/', (_req, res) => res.send('ok'));
    const url = await serve(app);
    const [, spec] = namedHostileSpecs().find(([label]) => label.startsWith('crit nested'))!;
    const response = await fetch(url, { headers: { authorization: `Bearer ${await hostileToken(base, spec)}` } });
    const body = await response.text();
    expect(response.status).toBe(401);
    expect(response.headers.get('www-authenticate')).toMatch(/^Bearer error="invalid_token"/);
    expect(body).toContain('malformed_token');
    expect(body).not.toContain('    at ');
  });
});

