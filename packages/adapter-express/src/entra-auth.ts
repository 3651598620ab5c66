// Express middleware: verify the Authorization header once per request, put the result on
// `req.auth`, and answer refusals per RFC 6750 (or hand them to `next(err)`).
import {
  checkRequirement,
  createRequestAuthenticator,
  requirementFrom,
  type AuthRequirement,
  type EntraAuthMiddlewareOptions,
  type RequestAuthenticator,
} from '@entra-verify/core';
import type { NextFunction, Request, RequestHandler, Response } from 'express';
import './types.js';

/** The authenticator that handled a request, so route guards answer errors the same way. */
const handledBy = new WeakMap<Request, RequestAuthenticator>();

function refuse(authenticator: RequestAuthenticator, error: unknown, res: Response, next: NextFunction): void {
  if (authenticator.forwardErrors) return next(authenticator.forward(error));
  const { status, headers, body } = authenticator.respond(error);
  res.status(status).set(headers).json(body);
}

/** Express 4 and 5 keep repeated Authorization headers apart in `headersDistinct` (Node >= 18.3). */
const authorizationOf = (req: Request) => req.headersDistinct?.authorization ?? req.headers.authorization;

/**
 * Verify Entra access tokens on every request behind this middleware.
 *
 * ```ts
 * app.use(entraAuth({ tenant: '<tenant-guid>', clientId: '<api-client-id>' }));
 * app.get('/data', requireScopes('Data.Read'), (req, res) => res.json(req.auth!.claims));
 * ```
 */
export function entraAuth(options: EntraAuthMiddlewareOptions): RequestHandler {
  const authenticator = createRequestAuthenticator(options);
  return function entraAuthMiddleware(req, res, next) {
    handledBy.set(req, authenticator);
    authenticator.authenticate({ authorization: authorizationOf(req), url: req.originalUrl }).then(
      (auth) => {
        if (auth) req.auth = auth;
        next();
      },
      (error: unknown) => refuse(authenticator, error, res, next),
    );
  };
}

/** Guard one route: the token (verified by `entraAuth` upstream) must meet the requirement. */
export function requireAuth(requirement: AuthRequirement = {}): RequestHandler {
  return function requireEntraAuth(req, res, next) {
    const authenticator = handledBy.get(req);
    if (!authenticator) return next(new Error('entra-verify: mount entraAuth() before requireAuth(), requireScopes() or requireRoles()'));
    try {
      checkRequirement(req.auth, requirement);
    } catch (error) {
      return refuse(authenticator, error, res, next);
    }
    next();
  };
}

/** The token must carry every listed delegated scope (`scp`). */
export const requireScopes = (...scopes: string[]): RequestHandler => requireAuth(requirementFrom('scopes', scopes));

/** The token must carry every listed app role (`roles`). */
export const requireRoles = (...roles: string[]): RequestHandler => requireAuth(requirementFrom('roles', roles));
