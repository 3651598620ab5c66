// Hostile requests over real HTTP, for every adapter that runs on a Node server: generated hostile
// tokens never get a 500 or an echoed control character, whether the middleware answers refusals
// itself or hands them to the framework's error handling; options that could make answering throw
// fail at creation; and a response a timeout middleware already sent is never written to again.
// Each adapter's test calls describeHostileRequests with how its framework builds those apps.
import type { EntraAuthMiddlewareOptions } from '@entra-verify/core';
import { createFakeEntra, type FakeEntra } from '@entra-verify/testkit';
import type { ServerResponse } from 'node:http';
import { afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import {
  assertHostileRequestsAnswered,
  baseOf,
  hostileToken,
  httpAnswer,
  namedHostileSpecs,
  recordUnhandledRejections,
  type HostileTokenBase,
} from './hostile-token-property.js';

/** Node refuses headers over 16 KiB with 431; hostile tokens reach 32 KiB and more, so servers allow this much. */
export const MAX_HEADER_SIZE = 512 * 1024;
/** How long the key set takes to arrive in the timeout tests. */
export const KEY_FETCH_DELAY_MS = 300;
/** When the timeout middleware answers: well before the key set arrives. */
export const TIMEOUT_MS = 50;

/** A server on loopback (headers up to MAX_HEADER_SIZE); the suite closes it after each test. */
export interface Served {
  url: string;
  close(): Promise<void>;
}

/** What the timeout middleware and the route of {@link HostileRequestsFramework.behindTimeout} report. */
export interface TimeoutWatch {
  /** The timeout middleware calls this right after it answered 503 "timed out" on `res`. */
  answered(res: ServerResponse): void;
  /** The route calls this when it runs. */
  routeRan(): void;
}

export interface HostileRequestsFramework<S extends Served = Served> {
  /** The framework (and version) the tests are named after. */
  name: string;
  /** The adapter's own entraAuth and requireScopes, which must refuse bad arguments when called. */
  entraAuth(options: EntraAuthMiddlewareOptions): unknown;
  requireScopes(scope: string): unknown;
  /**
   * /own/* behind entraAuth(own), which answers refusals itself, and /forward/* behind
   * entraAuth(forward), which hands them to the framework's error handling; under each, GET /me
   * and GET /data behind requireScopes('Data.Read'), both answering "ok".
   */
  serveOwnAndForward(own: EntraAuthMiddlewareOptions, forward: EntraAuthMiddlewareOptions): Promise<S>;
  /** GET / behind entraAuth(options), answering "ok". */
  serve(options: EntraAuthMiddlewareOptions): Promise<S>;
  /** The error handling a forwarded refusal reaches when the app adds none of its own. */
  defaultErrorHandling: {
    /** Named in the test: "Express's default error handler". */
    name: string;
    /** What it writes for a malformed token, beyond the 401, the challenge and no stack frames. */
    expectBody(body: string, served: S): void;
  };
  /**
   * For frameworks whose timeout middleware answers on the response behind the framework's back:
   * a middleware before entraAuth(options) that answers 503 "timed out" after TIMEOUT_MS and tells
   * `watch`, and GET / that tells `watch` it ran; `expectAfterwards` checks what else the app saw.
   */
  behindTimeout?: {
    serve(options: EntraAuthMiddlewareOptions, watch: TimeoutWatch): Promise<S>;
    expectAfterwards?(served: S): void;
  };
  /** Tests of this framework's own, run inside the suite (its fake Entra, its hooks). */
  more?(suite: HostileRequestsSuite): void;
}

/** What {@link HostileRequestsFramework.more} gets; read `entra` inside tests only. */
export interface HostileRequestsSuite {
  readonly entra: FakeEntra;
  /** Options for the fake Entra's tenant and API, with `extra` on top. */
  options(extra?: Partial<EntraAuthMiddlewareOptions>): EntraAuthMiddlewareOptions;
  /** The fake's fetch, with key-set requests answered only after `ms`. */
  slowKeys(ms: number): typeof fetch;
  /** Closes `served` after the test; returns its URL. */
  closeAfterTest(served: Served): string;
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

export function describeHostileRequests<S extends Served>(framework: HostileRequestsFramework<S>): void {
  describe(framework.name, () => {
    let entra: FakeEntra;
    let base: HostileTokenBase;
    const closers: Array<() => Promise<void>> = [];
    let unhandled: ReturnType<typeof recordUnhandledRejections>;
    beforeAll(async () => {
      entra = await createFakeEntra({ apis: [{ scopes: ['Data.Read'] }] });
      base = baseOf(await entra.mint({ expiresIn: 24 * 3600 }), entra.keys.current.privateKey);
    });
    beforeEach(() => void (unhandled = recordUnhandledRejections()));
    // A refusal that settles after its request was answered must not surface as an unhandled rejection.
    afterEach(async () => {
      await Promise.all(closers.splice(0).map((close) => close()));
      expect(unhandled.stop()).toEqual([]);
    });

    const options = (extra: Partial<EntraAuthMiddlewareOptions> = {}) => ({ tenant: entra.tenantId, clientId: entra.api.appId, fetch: entra.fetch, ...extra }) as EntraAuthMiddlewareOptions;
    const slowKeys = (ms: number): typeof fetch => async (input, init) => {
      if (String(input instanceof Request ? input.url : input).includes('/keys')) await new Promise((resolve) => setTimeout(resolve, ms));
      return entra.fetch(input, init);
    };
    const closeAfterTest = (served: Served) => {
      closers.push(served.close);
      return served.url;
    };
    const serve = async (started: Promise<S>) => {
      const served = await started;
      closeAfterTest(served);
      return served;
    };

    // Whatever the token holds (control characters, deep nesting, huge numbers, forged or real
    // signatures), on either way of answering refusals and with or without a guard: never a 500,
    // never a control character echoed into a header or a body line, never a stack trace.
    it('answers generated hostile tokens with 200, 401 or 403, never a 500 or a control character', async () => {
      const { url } = await serve(framework.serveOwnAndForward(options({ maxTokenBytes: 256 * 1024 }), options({ maxTokenBytes: 256 * 1024, forwardErrors: true })));
      const paths = ['/own/me', '/own/data', '/forward/me', '/forward/data'];
      const statuses = await assertHostileRequestsAnswered(framework.name, base, async (authorization, variant) => httpAnswer(await fetch(`${url}${paths[variant]}`, { headers: { authorization } })), undefined, paths.length);
      expect(statuses.has(500)).toBe(false);
    });

    // The review's named inputs, each a plain RFC 6750 refusal rather than a parser crash.
    it.each(namedHostileSpecs())('refuses a token whose %s with 401, not 500', async (_label, spec) => {
      const { url } = await serve(framework.serve(options()));
      const response = await fetch(url, { headers: { authorization: `Bearer ${await hostileToken(base, spec)}` } });
      expect(response.status).toBe(401);
      expect(response.headers.get('www-authenticate')).toMatch(/^Bearer error="invalid_token"/);
    });

    // A realm that cannot go into a header would make every refusal throw: refuse it up front.
    it.each(['Zürich €', 'a\nb', 'tab\there', 'bell\u0007'])('refuses the realm %j when the middleware is made', (realm) => {
      expect(() => framework.entraAuth(options({ realm }))).toThrow(TypeError);
    });

    // A scope name that could never match the scp claim (a full URI, two names in one) would shut
    // the route for good, and one that cannot go into the challenge's scope="…" would make the
    // 403 throw: refuse them when the route is declared, not on the first request.
    it.each([['api://x/Data.Read'], ['a b'], ['é'], ['Data\r\nRead']])('refuses requireScopes(%j) when the route is declared', (scope) => {
      expect(() => framework.requireScopes(scope)).toThrow(TypeError);
    });

    const behindTimeout = framework.behindTimeout;
    if (behindTimeout) {
      describe('when a timeout middleware answers 503 before the key set arrives', () => {
        // The verification finishes after the answer went out: neither its refusal nor the route
        // may write to that response again (ERR_HTTP_HEADERS_SENT, a crash, a mangled stream).
        it.each([
          ['a valid token', false, () => entra.mint()],
          ['a forged signature', false, async () => `${(await entra.mint()).slice(0, -8)}AAAAAAAA`],
          ['a forged signature, forwardErrors', true, async () => `${(await entra.mint()).slice(0, -8)}AAAAAAAA`],
          ['a valid token, forwardErrors', true, () => entra.mint()],
        ])('with %s: the client gets the 503, the route does not run and nothing more is written', async (_case, forwardErrors, token) => {
          const seen = { handlerRan: false, lateWrites: [] as string[], timedOut: 0 };
          const watch: TimeoutWatch = {
            answered(res) {
              seen.timedOut++;
              seen.lateWrites = watchLateWrites(res);
            },
            routeRan: () => void (seen.handlerRan = true),
          };
          const served = await serve(behindTimeout.serve(options({ fetch: slowKeys(KEY_FETCH_DELAY_MS), forwardErrors }), watch));
          const response = await fetch(served.url, { headers: { authorization: `Bearer ${await token()}` } });
          expect(response.status).toBe(503);
          expect(await response.text()).toBe('timed out');
          await new Promise((resolve) => setTimeout(resolve, KEY_FETCH_DELAY_MS + 150));
          expect(seen.timedOut).toBe(1);
          expect(seen.handlerRan).toBe(false);
          expect(seen.lateWrites).toEqual([]);
          behindTimeout.expectAfterwards?.(served);
        });
      });
    }

    // The framework's own error page must not turn a refusal into a 500 or show where it came from.
    it(`forwards a hostile token to ${framework.defaultErrorHandling.name} as a 401 without stack frames`, async () => {
      const served = await serve(framework.serve(options({ forwardErrors: true })));
      const [, spec] = namedHostileSpecs().find(([label]) => label.startsWith('crit nested'))!;
      const response = await fetch(served.url, { headers: { authorization: `Bearer ${await hostileToken(base, spec)}` } });
      const body = await response.text();
      expect(response.status).toBe(401);
      expect(response.headers.get('www-authenticate')).toMatch(/^Bearer error="invalid_token"/);
      framework.defaultErrorHandling.expectBody(body, served);
      expect(body).not.toContain('    at ');
    });

    framework.more?.({
      get entra() {
        return entra;
      },
      options,
      slowKeys,
      closeAfterTest,
    });
  });
}
