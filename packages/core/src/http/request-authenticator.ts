// What every framework adapter does per request, written once: read the Authorization header,
// refuse a token in the query string, let anonymous requests through when asked, verify, and
// turn failures into RFC 6750 answers (or into errors the framework's own handler can answer).
import { authorize, type AuthRequirement } from '../rules/authorize.js';
import { assertNoTokenInQuery, DEFAULT_MAX_HEADER_LENGTH, extractBearerToken, mayNameAccessToken } from './bearer-token.js';
import { createEntraVerifier } from '../verifier/entra-verifier.js';
import type { ClientCertificate } from '../rules/check-certificate-binding.js';
import type { EntraVerifier } from '../verifier/create-verifier.js';
import { asRefusal, authError, isEntraAuthError, type EntraAuthError } from '../errors.js';
import { assertRequirement } from '../rules/requirement.js';
import { toHttpError, type HttpErrorResponse } from './http-error.js';
import type { EntraVerifierConfig, EntraVerifierOptions } from '../verifier/verifier-options.js';
import { cachedVerification, reportRefusal } from '../verifier/create-verifier.js';
import { isProduction } from '../logger.js';
import { withEnvironment } from './environment-options.js';
import type { VerifiedAccessToken } from '../token/verified-token.js';
import { queryTokenParameter, takeRequestQueryToken } from './query-token.js';

/** How the middleware behaves, beside the verifier options. */
export interface EntraAuthBehaviour {
  /** `false` lets requests without an Authorization header through with no `auth`; a bad token is still refused. Default true. */
  authRequired?: boolean;
  /** Hand errors to the framework's error handling (Express `next(err)`, Koa throw, Hono `HTTPException`) instead of answering. Default false. */
  forwardErrors?: boolean;
  /** `realm` in WWW-Authenticate challenges. */
  realm?: string;
  /**
   * Accept the token in one query parameter on WebSocket upgrade and `text/event-stream` GET
   * requests only (browsers cannot set headers there): `true` for `access_token`, or the
   * parameter's name. The token is cut out of the URL before the app, router or logs see it; on
   * every other request the parameter stays a 400. Default false.
   */
  queryToken?: boolean | string;
  /**
   * Development only: refusals answer with the `hint` in the JSON body (what was expected, what was
   * found, how to fix it; never the token), so a client developer sees why without the server log.
   * Refused at start-up when `NODE_ENV` is `production`: hints describe your configuration. Default false.
   */
  exposeHints?: boolean;
}

/**
 * Verifier options (a verifier is built once, at start-up), or `{ verifier }` to share one.
 * Without `tenant`, or without `audience` and `clientId`, the missing ones come from the
 * environment (`AZURE_TENANT_ID`, `AZURE_CLIENT_ID`, `ENTRA_*`; see
 * `entraOptionsFromEnvironment`); a variable that is needed and unset is a TypeError at start-up.
 */
export type EntraAuthMiddlewareOptions = EntraAuthBehaviour &
  (
    | EntraVerifierConfig
    | Partial<EntraVerifierOptions>
    | {
        /** A verifier made with createEntraVerifier(), shared with other middleware or code. */
        verifier: EntraVerifier;
      }
  );

/** What a request brings for authentication, framework-neutral. */
export interface RequestCredentials {
  /** The Authorization header: a string, or every value when the server keeps duplicates apart. */
  authorization: string | readonly string[] | null | undefined;
  /** Path and query (or the full URL), to refuse `?access_token=` (and to read `queryToken`). */
  url?: string;
  /** The request method: with `queryToken`, only GET requests qualify. */
  method?: string | null;
  /** The `Upgrade` header: with `queryToken`, `websocket` qualifies. */
  upgrade?: string | readonly string[] | null;
  /** The `Accept` header: with `queryToken`, `text/event-stream` qualifies. */
  accept?: string | readonly string[] | null;
  /** With `queryToken`: called with the URL without the token, before verification; the adapter rewrites its request URL. */
  rewriteUrl?: (url: string) => void;
  /** The TLS client certificate (DER bytes or `{ x5tS256 }`), when the connection has one: proves certificate-bound tokens (`cnf` `x5t#S256`). */
  clientCertificate?: ClientCertificate | null;
  /** The framework's own request object (Express `req`, Koa `ctx`, Hono `c`, Fastify `request`), handed to `check` functions. */
  request?: unknown;
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
  /** The query parameter that may carry the token (`queryToken`), or undefined when off. */
  readonly queryToken: string | undefined;
  /** The verified token, or undefined for an anonymous request when `authRequired` is false. */
  authenticate(request: RequestCredentials): Promise<VerifiedAccessToken | undefined>;
  /**
   * The synchronous path for a repeated token: the verified token when the request's one
   * credential is a plain `Bearer <token>` header and the token is a result-cache hit that needs
   * nothing asynchronous (no `check`, no tenant callback, not certificate-bound) and the URL holds
   * no query token; otherwise undefined, and the adapter calls authenticate(). It never refuses:
   * every refusal, and every first sight of a token, takes authenticate()'s path.
   */
  authenticateCached(authorization: RequestCredentials['authorization'], url: string | undefined): VerifiedAccessToken | undefined;
  /** Status, headers and JSON body for a refusal. */
  respond(error: unknown): HttpErrorResponse;
  /** The refusal as an error carrying its HTTP answer, for the framework's error handler. */
  forward(error: unknown): unknown;
  /**
   * A route guard's check ({@link checkRequirement}), with its refusal reported like the
   * verifier's own (`token_rejected` to onEvent and the logger, with the requirement and the
   * caller). Returns a promise only when the requirement's `check` does.
   */
  require(auth: VerifiedAccessToken | undefined, requirement: AuthRequirement, request?: unknown): VerifiedAccessToken | Promise<VerifiedAccessToken>;
}

/** Build once at start-up: bad options throw here, not on the first request. */
export function createRequestAuthenticator(options: EntraAuthMiddlewareOptions = {}): RequestAuthenticator {
  if (typeof options !== 'object' || options === null) throw new TypeError('entra-verify: entraAuth() takes an options object (tenant and clientId, or nothing to read AZURE_TENANT_ID and AZURE_CLIENT_ID)');
  const { authRequired = true, forwardErrors = false, realm, queryToken: queryTokenOption, exposeHints = false, ...rest } = options;
  const queryToken = queryTokenParameter(queryTokenOption);
  for (const [name, value] of [['authRequired', authRequired], ['forwardErrors', forwardErrors], ['exposeHints', exposeHints]] as const) {
    if (typeof value !== 'boolean') throw new TypeError(`entra-verify: ${name} must be a boolean`);
  }
  if (exposeHints && isProduction()) {
    throw new TypeError('entra-verify: exposeHints is for development only, and NODE_ENV is production: hints describe your configuration to every caller. Remove exposeHints (the hints are in the log)');
  }
  let verifier: EntraVerifier;
  if ('verifier' in rest) {
    const { verifier: shared, ...others } = rest;
    if (Object.keys(others).length > 0) throw new TypeError(`entra-verify: pass either { verifier } or verifier options, not both (got ${Object.keys(others).join(', ')})`);
    verifier = shared;
  } else if ('authorities' in rest) {
    verifier = createEntraVerifier(rest as EntraVerifierConfig);
  } else {
    const { options: complete, read } = withEnvironment(rest as Partial<EntraVerifierOptions>);
    try {
      verifier = createEntraVerifier(complete);
    } catch (error) {
      // Say where a bad value came from when the environment gave it.
      if (error instanceof TypeError && read.length) throw new TypeError(`${error.message} (read from the environment: ${read.join(', ')})`);
      throw error;
    }
  }
  if (realm !== undefined) checkHeaderText(realm, 'realm');
  // The claims challenge names where the client signs in again (Microsoft's claims-challenge docs).
  // Read per answer: in discovery mode it comes from metadata that loads after start-up.
  const httpOptions = () => ({ ...(realm === undefined ? {} : { realm }), authorizationUri: verifier.authorizationUri, ...(exposeHints ? { exposeHint: true } : {}) });
  const reported = (auth: VerifiedAccessToken | undefined, requirement: AuthRequirement) => (error: unknown): never => {
    if (isEntraAuthError(error)) reportRefusal(verifier, error, auth, requirement);
    throw error;
  };
  return {
    verifier,
    forwardErrors,
    queryToken,
    async authenticate(request) {
      const { authorization, clientCertificate, request: native } = request;
      const fromQuery = queryToken === undefined ? undefined : takeRequestQueryToken(request, queryToken);
      assertNoTokenInQuery(fromQuery ? fromQuery.url : request.url);
      // Node's headersDistinct gives [''] for an empty header, fetch's Headers gives '': both mean
      // no credentials, so every adapter lets the same requests through anonymously.
      const value = Array.isArray(authorization) && authorization.length === 1 ? (authorization[0] as string) : authorization;
      const absent = value === undefined || value === null || value === '' || (Array.isArray(value) && value.length === 0);
      const tokenInQuery = fromQuery?.token;
      if (tokenInQuery !== undefined && !absent) {
        throw authError('invalid_request', 'The request carries more than one set of credentials.', `The request has both an Authorization header and a token in the ${queryToken} query parameter. Send exactly one.`);
      }
      if (absent && tokenInQuery === undefined && !authRequired) return undefined;
      try {
        const context = clientCertificate || native !== undefined ? { ...(clientCertificate ? { clientCertificate } : {}), ...(native !== undefined ? { request: native } : {}) } : undefined;
        return await verifier.verify(tokenInQuery ?? extractBearerToken(value), undefined, context);
      } catch (error) {
        // A shared verifier of the caller's own making may throw anything: still a refusal.
        throw asRefusal(error);
      }
    },
    authenticateCached(authorization, url) {
      const value = typeof authorization === 'string' ? authorization : Array.isArray(authorization) && authorization.length === 1 && typeof authorization[0] === 'string' ? (authorization[0] as string) : undefined;
      // Only the exact form clients send; anything else (another casing, extra spaces, two
      // headers) is judged by authenticate(). A hit compares the whole token with a verified one,
      // so the text after "Bearer " is a well-formed token whenever this returns it.
      if (value === undefined || value.length > DEFAULT_MAX_HEADER_LENGTH || !value.startsWith('Bearer ')) return undefined;
      // Anything that may name a query token (also percent-encoded) is judged by authenticate().
      if (typeof url === 'string' ? mayNameAccessToken(url) || (queryToken !== undefined && url.includes(queryToken)) : url !== undefined) return undefined;
      return cachedVerification(verifier, value.slice(7));
    },
    respond: (error) => toHttpError(error, httpOptions()),
    require(auth, requirement, request) {
      let checked: VerifiedAccessToken | Promise<VerifiedAccessToken>;
      try {
        checked = checkRequirement(auth, requirement, request);
      } catch (error) {
        return reported(auth, requirement)(error);
      }
      return checked instanceof Promise ? checked.catch(reported(auth, requirement)) : checked;
    },
    forward(error) {
      if (!isEntraAuthError(error)) return error;
      const { status, headers } = toHttpError(error, httpOptions());
      return Object.assign(error, { headers, statusCode: status, expose: true }) as ForwardedError;
    },
  };
}

/**
 * The check behind `requireScopes` / `requireRoles` / `requireAuth` route guards: an anonymous
 * request is a missing token (401 with a challenge), a verified one must meet the requirement.
 * Returns a promise only when the requirement's `check` does; `request` is handed to that check.
 */
export function checkRequirement(auth: VerifiedAccessToken | undefined, requirement: AuthRequirement, request?: unknown): VerifiedAccessToken | Promise<VerifiedAccessToken> {
  if (!auth) throw authError('missing_token', 'Authentication is required.', 'This route requires a token; the request was let through anonymously (authRequired: false) without one.');
  const checked = authorize(auth, requirement, request);
  return checked instanceof Promise ? checked.then(() => auth) : auth;
}

/**
 * A route guard's requirement, checked when the guard is declared: an unknown key (a typo, or
 * `{ group: … }` for `groups`) throws a TypeError listing the known keys, instead of being
 * ignored and leaving the route open. Returns the requirement.
 */
export function requirementOf(requirement: AuthRequirement, guard = 'requireAuth()'): AuthRequirement {
  assertRequirement(requirement, `${guard}: the requirement`);
  return requirement;
}

/**
 * Text that ends up inside a `WWW-Authenticate` header (a realm, scope names) must be printable
 * ASCII: Node and fetch throw on other characters, and a throw while answering a refusal would
 * crash the request. Checked when the middleware or guard is made, so it fails at start-up.
 */
function checkHeaderText(value: unknown, what: string): void {
  if (typeof value !== 'string') throw new TypeError(`entra-verify: ${what} must be a string`);
  for (let i = 0; i < value.length; i++) {
    const code = value.charCodeAt(i);
    if (code < 0x20 || code > 0x7e) throw new TypeError(`entra-verify: ${what} may hold printable ASCII only (it is sent in the WWW-Authenticate header); character ${i + 1} is U+${code.toString(16).padStart(4, '0').toUpperCase()}`);
  }
}

/** Validate a guard's arguments at start-up, so a typo fails when the route is declared. */
export function requirementFrom(kind: 'scopes' | 'roles', values: readonly string[]): AuthRequirement {
  const guard = `require${kind === 'scopes' ? 'Scopes' : 'Roles'}()`;
  const noun = kind === 'scopes' ? 'scope' : 'role';
  if (values.length === 0 || values.some((v) => typeof v !== 'string' || v === '')) {
    throw new TypeError(`entra-verify: ${guard} needs at least one non-empty ${noun} name`);
  }
  for (const value of values) {
    checkHeaderText(value, `${guard}: the ${noun} name`);
    // scp and roles hold names separated by spaces (scp) or one per entry (roles), never URIs: a
    // name with a space or an "api://…/" prefix could never match, and the route would stay shut.
    if (value.includes(' ')) throw new TypeError(`entra-verify: ${guard} takes one ${noun} per argument; split "${value}" into ${value.split(' ').filter(Boolean).map((v) => `"${v}"`).join(', ')}`);
    if (kind === 'scopes' && value.includes('/')) {
      throw new TypeError(`entra-verify: ${guard} takes the scope's short name as it appears in the token's scp claim: write "${value.slice(value.lastIndexOf('/') + 1)}", not "${value}" (clients request the full name; tokens carry the short one)`);
    }
  }
  return kind === 'scopes' ? { scopes: values } : { roles: values };
}
