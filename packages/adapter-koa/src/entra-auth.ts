// Koa middleware: verify the Authorization header once per request, put the result on
// `ctx.state.auth`, and answer refusals per RFC 6750 (or throw them to Koa's error handling).
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
  type RequestAuthenticator,
} from '@entra-verify/core';
import type { Context, Middleware, Next } from 'koa';
import './types.js';

function refuse(authenticator: RequestAuthenticator, error: unknown, ctx: Context): void {
  if (authenticator.forwardErrors) throw authenticator.forward(error);
  if (ctx.headerSent) return;
  const { status, headers, body } = authenticator.respond(error);
  ctx.status = status;
  ctx.set(headers);
  ctx.body = body;
}

/** With `queryToken`: what qualifies the request, and how to cut the token out of ctx.url and ctx.originalUrl. */
function queryTokenFields(ctx: Context, parameter: string) {
  return {
    method: ctx.method,
    upgrade: ctx.get('upgrade'),
    accept: ctx.get('accept'),
    rewriteUrl(clean: string) {
      ctx.originalUrl = clean;
      ctx.request.originalUrl = clean;
      ctx.url = takeQueryToken(ctx.url, parameter).url;
    },
  };
}

/**
 * Verify Entra access tokens on every request behind this middleware.
 *
 * ```ts
 * app.use(entraAuth({ tenant: '<tenant-guid>', clientId: '<api-client-id>' }));
 * router.get('/data', requireScopes('Data.Read'), (ctx) => { ctx.body = ctx.state.auth!.claims; });
 * ```
 */
export function entraAuth(options: EntraAuthMiddlewareOptions = {}): Middleware {
  const authenticator = createRequestAuthenticator(options);
  /** `handledByAnother`: another entraAuth handled this request before (see markHandledBy). */
  async function verifyThenNext(ctx: Context, next: Next, authorization: string | readonly string[] | undefined, handledByAnother: boolean): Promise<void> {
    let auth;
    try {
      auth = await authenticator.authenticate({ authorization, url: ctx.originalUrl, clientCertificate: peerCertificateOf(ctx.req.socket), request: ctx, ...(authenticator.queryToken && queryTokenFields(ctx, authenticator.queryToken)) });
    } catch (error) {
      return refuse(authenticator, error, ctx);
    }
    // Something else answered while the key set loaded (a timeout writing to ctx.res directly).
    if (ctx.headerSent) return;
    if (auth) ctx.state.auth = auth;
    // Anonymous here after another entraAuth: its identity must not pass for this one's.
    else if (handledByAnother) ctx.state.auth = undefined;
    await next();
  }
  // Not an async function: a repeated token (a result-cache hit that needs nothing asynchronous)
  // goes on to next() with no promise of ours in between.
  return function entraAuthMiddleware(ctx, next) {
    const handledByAnother = markHandledBy(ctx, authenticator);
    const cached = authenticator.authenticateCached(singleAuthorization(ctx.req), ctx.originalUrl);
    if (cached) {
      ctx.state.auth = cached;
      return next();
    }
    // Every copy when the header is repeated (refused), else the one Node parsed.
    return verifyThenNext(ctx, next, requestAuthorization(ctx.req), handledByAnother);
  };
}

/** Guard one route: the token (verified by `entraAuth` upstream) must meet the requirement. */
export function requireAuth(requirement: AuthRequirement = {}): Middleware {
  requirementOf(requirement);
  return async function requireEntraAuth(ctx, next) {
    const authenticator = handlerOf(ctx);
    if (!authenticator) throw new Error('entra-verify: mount entraAuth() before requireAuth(), requireScopes() or requireRoles()');
    try {
      await authenticator.require(ctx.state.auth, requirement, ctx);
    } catch (error) {
      return refuse(authenticator, error, ctx);
    }
    await next();
  };
}

/** The token must carry every listed delegated scope (`scp`). */
export const requireScopes = (...scopes: string[]): Middleware => requireAuth(requirementFrom('scopes', scopes));

/** The token must carry every listed app role (`roles`). */
export const requireRoles = (...roles: string[]): Middleware => requireAuth(requirementFrom('roles', roles));
