// Hono middleware for every runtime Hono runs on: verify the Authorization header, expose the
// result as `c.get('auth')` (typed), and answer refusals per RFC 6750 (or throw HTTPException).
import {
  createRequestAuthenticator,
  handlerOf,
  markHandledBy,
  peerCertificateOf,
  requirementFrom,
  requirementOf,
  requestAuthorization,
  singleAuthorization,
  takeQueryToken,
  type AuthRequirement,
  type EntraAuthMiddlewareOptions,
  type RawHeadersSource,
  type RequestAuthenticator,
  type VerifiedAccessToken,
} from '@entra-verify/core';
import type { Context, MiddlewareHandler, Next } from 'hono';
import { HTTPException } from 'hono/http-exception';
import type { ContentfulStatusCode } from 'hono/utils/http-status';

/** `c.get('auth')`: always set behind `entraAuth()`, unless `authRequired: false`. */
export interface EntraAuthVariables {
  /** The verified token. */
  auth: VerifiedAccessToken;
}

/** With `authRequired: false`, anonymous requests pass and `auth` may be undefined. */
export interface OptionalEntraAuthVariables {
  /** The verified token, or undefined for an anonymous request. */
  auth: VerifiedAccessToken | undefined;
}

/** The variables `entraAuth(options)` sets: `auth` is optional only with `authRequired: false`. */
export type EntraAuthVariablesFor<O> = O extends {
  /** Set to false: anonymous requests pass. */
  authRequired: false;
}
  ? OptionalEntraAuthVariables
  : EntraAuthVariables;

/** The Hono environment `entraAuth(options)` contributes to an app. */
export interface EntraAuthEnv<O> {
  /** What `c.get()` returns: `auth`, typed by {@link EntraAuthVariablesFor}. */
  Variables: EntraAuthVariablesFor<O>;
}

function refuse(authenticator: RequestAuthenticator, error: unknown, c: Context): Response {
  const { status, headers, body } = authenticator.respond(error);
  if (authenticator.forwardErrors) {
    const res = new Response(JSON.stringify(body), { status, headers: { ...headers, 'content-type': 'application/json' } });
    throw new HTTPException(status as ContentfulStatusCode, { res, message: body.error_description, cause: error });
  }
  return c.json(body, status as ContentfulStatusCode, headers);
}

/**
 * With `queryToken`: what qualifies the request, and how to cut the token out of `c.req.url` (and
 * c.req.query()) and, on Node, the IncomingMessage's url. `c.req.raw` keeps its URL: a Request is
 * immutable, and Bun and Deno need the original one to complete a WebSocket upgrade.
 */
function queryTokenFields(c: Context, parameter: string) {
  return {
    method: c.req.method,
    upgrade: c.req.header('upgrade'),
    accept: c.req.header('accept'),
    rewriteUrl(clean: string) {
      Object.defineProperty(c.req, 'url', { value: clean, configurable: true });
      const incoming = (c.env as { incoming?: { url?: string } } | undefined)?.incoming;
      if (typeof incoming?.url === 'string') incoming.url = takeQueryToken(incoming.url, parameter).url;
    },
  };
}

/**
 * Verify Entra access tokens on every request behind this middleware.
 *
 * ```ts
 * const app = new Hono<{ Variables: EntraAuthVariables }>();
 * app.use('/api/*', entraAuth({ tenant: '<tenant-guid>', clientId: '<api-client-id>' }));
 * app.get('/api/data', requireScopes('Data.Read'), (c) => c.json(c.get('auth').claims));
 * ```
 */
export function entraAuth<const O extends EntraAuthMiddlewareOptions>(options: O = {} as O): MiddlewareHandler<EntraAuthEnv<O>> {
  const authenticator = createRequestAuthenticator(options);
  /** `handledByAnother`: another entraAuth handled this request before (see markHandledBy). */
  async function verifyThenNext(c: Context, next: Next, authorization: string | readonly string[] | undefined, handledByAnother: boolean): Promise<Response | void> {
    let auth: VerifiedAccessToken | undefined;
    try {
      // On Node, @hono/node-server puts the IncomingMessage in env.incoming; elsewhere there is no socket.
      const socket = (c.env as { incoming?: { socket?: unknown } } | undefined)?.incoming?.socket;
      auth = await authenticator.authenticate({ authorization, url: c.req.url, clientCertificate: peerCertificateOf(socket), request: c, ...(authenticator.queryToken && queryTokenFields(c, authenticator.queryToken)) });
    } catch (error) {
      return refuse(authenticator, error, c);
    }
    // Another middleware (hono/timeout) may have answered while the key set loaded: the route must not run then.
    if (c.finalized) return;
    if (auth) c.set('auth', auth);
    // Anonymous here after another entraAuth: its identity must not pass for this one's.
    else if (handledByAnother) c.set('auth', undefined as never);
    await next();
  }
  // Not an async function: a repeated token (a result-cache hit that needs nothing asynchronous)
  // goes on to next() with no promise of ours in between.
  return function entraAuthMiddleware(c, next) {
    // On the Context, where guards also read `auth`.
    const handledByAnother = markHandledBy(c, authenticator);
    // On Node (@hono/node-server), the IncomingMessage: reading the header there costs less than
    // building the fetch Request's Headers, and its raw headers show repeated ones.
    const incoming = (c.env as { incoming?: RawHeadersSource & { url?: string } } | undefined)?.incoming;
    const cached = authenticator.authenticateCached(incoming ? singleAuthorization(incoming) : c.req.header('authorization'), incoming?.url ?? c.req.url);
    if (cached) {
      c.set('auth', cached as never);
      return next();
    }
    return verifyThenNext(c, next, incoming ? requestAuthorization(incoming) : c.req.header('authorization'), handledByAnother);
  };
}

/** Guard one route: the token (verified by `entraAuth` upstream) must meet the requirement. */
export function requireAuth(requirement: AuthRequirement = {}): MiddlewareHandler {
  requirementOf(requirement);
  return async function requireEntraAuth(c, next) {
    const authenticator = handlerOf(c);
    if (!authenticator) throw new Error('entra-verify: mount entraAuth() before requireAuth(), requireScopes() or requireRoles()');
    try {
      await authenticator.require(c.get('auth') as VerifiedAccessToken | undefined, requirement, c);
    } catch (error) {
      return refuse(authenticator, error, c);
    }
    await next();
  };
}

/** The token must carry every listed delegated scope (`scp`). */
export const requireScopes = (...scopes: string[]): MiddlewareHandler => requireAuth(requirementFrom('scopes', scopes));

/** The token must carry every listed app role (`roles`). */
export const requireRoles = (...roles: string[]): MiddlewareHandler => requireAuth(requirementFrom('roles', roles));
