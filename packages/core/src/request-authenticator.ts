// What every framework adapter does per request, written once: read the Authorization header,
// refuse a token in the query string, let anonymous requests through when asked, verify, and
// turn failures into RFC 6750 answers (or into errors the framework's own handler can answer).
import { authorize, type AuthRequirement } from './authorize.js';
import { assertNoTokenInQuery, extractBearerToken } from './bearer-token.js';
import { createEntraVerifier } from './entra-verifier.js';
import type { EntraVerifier } from './create-verifier.js';
import { authError, isEntraAuthError, type EntraAuthError } from './errors.js';
import { toHttpError, type HttpErrorResponse } from './http-error.js';
import type { EntraVerifierOptions } from './options.js';
import type { VerifiedAccessToken } from './verified-token.js';

/** How the middleware behaves, beside the verifier options. */
export interface EntraAuthBehaviour {
  /** `false` lets requests without an Authorization header through with no `auth`; a bad token is still refused. Default true. */
  authRequired?: boolean;
  /** Hand errors to the framework's error handling (Express `next(err)`, Koa throw, Hono `HTTPException`) instead of answering. Default false. */
  forwardErrors?: boolean;
  /** `realm` in WWW-Authenticate challenges. */
  realm?: string;
}

/** Verifier options (a verifier is built once, at start-up), or `{ verifier }` to share one. */
export type EntraAuthMiddlewareOptions = EntraAuthBehaviour &
  (
    | EntraVerifierOptions
    | {
        /** A verifier made with createEntraVerifier(), shared with other middleware or code. */
        verifier: EntraVerifier;
      }
  );

/** What a request brings for authentication, framework-neutral. */
export interface RequestCredentials {
  /** The Authorization header: a string, or every value when the server keeps duplicates apart. */
  authorization: string | readonly string[] | null | undefined;
  /** Path and query (or the full URL), to refuse `?access_token=`. */
  url?: string;
}

/** An error ready for a framework's default error handler: `status`, `headers` and `expose` set. */
export type ForwardedError = EntraAuthError & {
  /** The answer's headers (`www-authenticate` or `retry-after`). */
  headers: Record<string, string>;
  /** The same as `status`, for handlers that read `statusCode`. */
  statusCode: number;
  /** True: the message is client-safe (Koa and http-errors conventions). */
  expose: boolean;
};

/** The per-request logic an adapter wraps; see {@link createRequestAuthenticator}. */
export interface RequestAuthenticator {
  /** The verifier in use (built from the options, or the one passed in). */
  readonly verifier: EntraVerifier;
  /** Whether refusals go to the framework's error handling instead of being answered. */
  readonly forwardErrors: boolean;
  /** The verified token, or undefined for an anonymous request when `authRequired` is false. */
  authenticate(request: RequestCredentials): Promise<VerifiedAccessToken | undefined>;
  /** Status, headers and JSON body for a refusal. */
  respond(error: unknown): HttpErrorResponse;
  /** The refusal as an error carrying its HTTP answer, for the framework's error handler. */
  forward(error: unknown): unknown;
}

/** Build once at start-up: bad options throw here, not on the first request. */
export function createRequestAuthenticator(options: EntraAuthMiddlewareOptions): RequestAuthenticator {
  if (typeof options !== 'object' || options === null) throw new TypeError('entra-verify: entraAuth() needs an options object with at least tenant and audience');
  const { authRequired = true, forwardErrors = false, realm, ...rest } = options;
  for (const [name, value] of [['authRequired', authRequired], ['forwardErrors', forwardErrors]] as const) {
    if (typeof value !== 'boolean') throw new TypeError(`entra-verify: ${name} must be a boolean`);
  }
  let verifier: EntraVerifier;
  if ('verifier' in rest) {
    const { verifier: shared, ...others } = rest;
    if (Object.keys(others).length > 0) throw new TypeError(`entra-verify: pass either { verifier } or verifier options, not both (got ${Object.keys(others).join(', ')})`);
    verifier = shared;
  } else {
    verifier = createEntraVerifier(rest);
  }
  const httpOptions = realm === undefined ? {} : { realm };
  return {
    verifier,
    forwardErrors,
    async authenticate({ authorization, url }) {
      assertNoTokenInQuery(url);
      // Node's headersDistinct gives [''] for an empty header, fetch's Headers gives '': both mean
      // no credentials, so every adapter lets the same requests through anonymously.
      const value = Array.isArray(authorization) && authorization.length === 1 ? (authorization[0] as string) : authorization;
      const absent = value === undefined || value === null || value === '' || (Array.isArray(value) && value.length === 0);
      if (absent && !authRequired) return undefined;
      return verifier.verify(extractBearerToken(value));
    },
    respond: (error) => toHttpError(error, httpOptions),
    forward(error) {
      if (!isEntraAuthError(error)) return error;
      const { status, headers } = toHttpError(error, httpOptions);
      return Object.assign(error, { headers, statusCode: status, expose: true }) as ForwardedError;
    },
  };
}

/**
 * The check behind `requireScopes` / `requireRoles` / `requireAuth` route guards: an anonymous
 * request is a missing token (401 with a challenge), a verified one must meet the requirement.
 */
export function checkRequirement(auth: VerifiedAccessToken | undefined, requirement: AuthRequirement): VerifiedAccessToken {
  if (!auth) throw authError('missing_token', 'Authentication is required.', 'This route requires a token; the request was let through anonymously (authRequired: false) without one.');
  authorize(auth, requirement);
  return auth;
}

/** Validate a guard's arguments at start-up, so a typo fails when the route is declared. */
export function requirementFrom(kind: 'scopes' | 'roles', values: readonly string[]): AuthRequirement {
  if (values.length === 0 || values.some((v) => typeof v !== 'string' || v === '')) {
    throw new TypeError(`entra-verify: require${kind === 'scopes' ? 'Scopes' : 'Roles'}() needs at least one non-empty ${kind === 'scopes' ? 'scope' : 'role'} name`);
  }
  return kind === 'scopes' ? { scopes: values } : { roles: values };
}
