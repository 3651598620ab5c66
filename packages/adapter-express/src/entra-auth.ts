// Express middleware: verify the Authorization header once per request, put the result on
// `req.auth`, and answer refusals per RFC 6750 (or hand them to `next(err)`).
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
import type { NextFunction, Request, RequestHandler, Response } from 'express';
import './types.js';

function refuse(authenticator: RequestAuthenticator, error: unknown, res: Response, next: NextFunction): void {
  if (authenticator.forwardErrors) return next(authenticator.forward(error));
  // Another middleware (a request timeout) may have answered while the key set loaded.
  if (res.headersSent) return;
  const { status, headers, body } = authenticator.respond(error);
  try {
    res.status(status).set(headers).json(body);
  } catch (failure) {
    next(failure);
  }
}

/** A throw from next() itself must reach Express, never become an unhandled rejection. */
function handOver(next: NextFunction) {
  return (failure: unknown) => {
    try {
      next(failure);
    } catch {
      // Express could not take it either; there is no one left to tell.
    }
  };
}


/** With `queryToken`: what qualifies the request, and how to cut the token out of req.url, req.originalUrl and Express 4's req.query. */
function queryTokenFields(req: Request, parameter: string) {
  return {
    method: req.method,
    upgrade: req.headers.upgrade,
    accept: req.headers.accept,
    rewriteUrl(clean: string) {
      req.originalUrl = clean;
      req.url = takeQueryToken(req.url, parameter).url;
      // Express 4 parsed req.query before any middleware; Express 5 parses it from req.url on each read.
      const query = Object.getOwnPropertyDescriptor(req, 'query')?.value as Record<string, unknown> | undefined;
      if (query && typeof query === 'object') delete query[parameter];
    },
  };
}

/**
 * Verify Entra access tokens on every request behind this middleware.
 *
 * ```ts
 * app.use(entraAuth({ tenant: '<tenant-guid>', clientId: '<api-client-id>' }));
 * app.get('/data', requireScopes('Data.Read'), (req, res) => res.json(req.auth!.claims));
 * ```
 */
export function entraAuth(options: EntraAuthMiddlewareOptions = {}): RequestHandler {
  const authenticator = createRequestAuthenticator(options);
  return function entraAuthMiddleware(req, res, next) {
    const handledByAnother = markHandledBy(req, authenticator);
    // A repeated token (a result-cache hit that needs nothing asynchronous): no promise in between.
    const cached = authenticator.authenticateCached(singleAuthorization(req), req.originalUrl);
    if (cached) {
      req.auth = cached;
      return next();
    }
    authenticator
      .authenticate({ authorization: requestAuthorization(req), url: req.originalUrl, clientCertificate: peerCertificateOf(req.socket), request: req, ...(authenticator.queryToken && queryTokenFields(req, authenticator.queryToken)) })
      .then(
        (auth) => {
          if (res.headersSent) return;
          if (auth) req.auth = auth;
          // Anonymous here after another entraAuth: its identity must not pass for this one's.
          else if (handledByAnother) req.auth = undefined;
          next();
        },
        (error: unknown) => refuse(authenticator, error, res, next),
      )
      .catch(handOver(next));
  };
}

/** Guard one route: the token (verified by `entraAuth` upstream) must meet the requirement. */
export function requireAuth(requirement: AuthRequirement = {}): RequestHandler {
  requirementOf(requirement);
  return function requireEntraAuth(req, res, next) {
    const authenticator = handlerOf(req);
    if (!authenticator) return next(new Error('entra-verify: mount entraAuth() before requireAuth(), requireScopes() or requireRoles()'));
    let checked;
    try {
      checked = authenticator.require(req.auth, requirement, req);
    } catch (error) {
      return refuse(authenticator, error, res, next);
    }
    // A requirement's check may be async: wait for it, and answer its refusal the same way.
    if (checked instanceof Promise) return void checked.then(() => next(), (error: unknown) => refuse(authenticator, error, res, next)).catch(handOver(next));
    next();
  };
}

/** The token must carry every listed delegated scope (`scp`). */
export const requireScopes = (...scopes: string[]): RequestHandler => requireAuth(requirementFrom('scopes', scopes));

/** The token must carry every listed app role (`roles`). */
export const requireRoles = (...roles: string[]): RequestHandler => requireAuth(requirementFrom('roles', roles));
