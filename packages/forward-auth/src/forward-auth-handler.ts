// The decision for one call from a proxy: which request it asks about, which route applies, and
// whether the token passes; answered as a status, headers and a JSON body. No node:http here, so
// it can be tested (and benchmarked) without sockets.
import {
  assertNoTokenInQuery,
  createEntraVerifier,
  EntraAuthError,
  extractBearerToken,
  isEntraAuthError,
  toHttpError,
  type AuthRequirement,
  type EntraVerifier,
  type EntraVerifierEvent,
  type FetchLike,
  type VerifiedAccessToken,
} from '@entra-verify/core';
import { identityHeaders } from './identity-headers.js';
import type { ForwardAuthSettings } from './load-config.js';
import { loggable, type ForwardAuthLogger } from './logger.js';
import type { ForwardAuthMetrics, RequestOutcome } from './metrics.js';
import { readEnvoyRequest, readOriginalRequest, type HeaderValues, type OriginalRequest } from './original-request.js';
import { checkRequiredClaims } from './required-claims.js';
import { selectRoute, type CompiledRoute } from './routes.js';

/** A call from a proxy, framework-neutral. */
export interface ForwardAuthRequest {
  /** The call's method. */
  method: string | undefined;
  /** The call's path and query. */
  url: string;
  /** Every header value by lower-case name (Node's `headersDistinct`). */
  headers: HeaderValues;
}

/** The answer to a proxy. */
export interface ForwardAuthAnswer {
  /** 200 to let the request through; 400, 401, 403 (or the configured failure status), 503 to refuse. */
  status: number;
  /** Identity headers (200), `www-authenticate` or `retry-after` (refusals). */
  headers: Record<string, string>;
  /** JSON body of a refusal; empty for 200. */
  body: string;
  /** For metrics and logs. */
  outcome: RequestOutcome;
  /** Refusal code, `ok` or `public`. */
  code: string;
}

/** The decision logic with its verifier; one per configuration (a reload makes a new one). */
export interface ForwardAuthHandler {
  /** The settings it runs with. */
  readonly settings: ForwardAuthSettings;
  /** Its verifier. */
  readonly verifier: EntraVerifier;
  /** Whether the call is for this handler (`/verify`, or Envoy's prefix). */
  handles(url: string): boolean;
  /** Decide one call. Never rejects. */
  handle(request: ForwardAuthRequest): Promise<ForwardAuthAnswer>;
  /** Drop caches, abort key fetches. */
  close(): void;
}

/** What a handler reports to. */
export interface ForwardAuthHandlerContext {
  /** JSON logs. */
  logger: ForwardAuthLogger;
  /** Prometheus metrics. */
  metrics: ForwardAuthMetrics;
  /** Key-set fetches go through this (the testkit's fake plugs in here). Default `globalThis.fetch`. */
  fetch?: FetchLike;
}

function pathOf(url: string): string {
  const q = url.indexOf('?');
  return q === -1 ? url : url.slice(0, q);
}

/** The single value of the token header; absent or repeated headers are missing or ambiguous tokens. */
function tokenFromHeader(headers: HeaderValues, name: string): string {
  const values = headers[name.toLowerCase()] ?? [];
  if (values.length > 1) throw new EntraAuthError('invalid_request', { description: 'The request carries more than one set of credentials.', hint: `The ${name} header was sent ${values.length} times; send exactly one token.` });
  const value = (values[0] ?? '').trim();
  if (value === '') throw new EntraAuthError('missing_token', { description: 'Authentication is required.', hint: `The request has no ${name} header (the policy's header-name); send the access token in it, without "Bearer ".` });
  return value;
}

function tokenFromQuery(original: OriginalRequest | undefined, name: string): string {
  const values = original ? new URLSearchParams(original.query).getAll(name) : [];
  if (values.length > 1) throw new EntraAuthError('invalid_request', { description: 'The request carries more than one set of credentials.', hint: `The query parameter ${name} appears ${values.length} times.` });
  if (!values[0]) throw new EntraAuthError('missing_token', { description: 'Authentication is required.', hint: `The original request has no ${name} query parameter (the policy's query-parameter-name)${original ? '' : ', or the proxy did not send the original URI'}.` });
  return values[0];
}

/** Core's requirement without the required claims this package checks itself. */
function coreRequirement(route: CompiledRoute): AuthRequirement | undefined {
  if (route.action.public) return undefined;
  const { requiredClaims: _claims, ...rest } = route.action.require;
  return Object.keys(rest).length > 0 ? rest : undefined;
}

/** Build the handler for one configuration. */
export function createForwardAuthHandler(settings: ForwardAuthSettings, context: ForwardAuthHandlerContext): ForwardAuthHandler {
  const { logger, metrics } = context;
  const onEvent = (event: EntraVerifierEvent) => {
    if (event.type === 'key_set_fetched') {
      metrics.keySetFetch('ok', event.reason);
      logger.log('info', 'key set fetched', { url: event.url, reason: event.reason, kids: event.kids });
    } else if (event.type === 'key_set_fetch_failed') {
      metrics.keySetFetch('failed', event.reason);
      logger.log(event.servingStale ? 'warn' : 'error', 'key set fetch failed', { url: event.url, reason: event.reason, status: event.status, error: event.message, servingStale: event.servingStale });
    } else if (event.type === 'key_set_rotated') {
      logger.log('info', 'key set rotated', { url: event.url, added: event.added, removed: event.removed });
    }
  };
  // The service logs refusals itself (onEvent above), in its own JSON lines: no second logger.
  const verifier = createEntraVerifier({ ...settings.verifier, onEvent, logger: false, ...(context.fetch ? { fetch: context.fetch } : {}) });
  const httpOptions = { ...(settings.realm === undefined ? {} : { realm: settings.realm }), authorizationUri: verifier.authorizationUri };
  // A result-cache hit returns the very object an earlier verification returned (core keeps the
  // frozen result); a miss returns a new one. That tells hits from misses without a core hook.
  const seen = new WeakSet<VerifiedAccessToken>();
  const envoyPrefix = settings.envoyPathPrefix;
  const isEnvoy = (path: string) => (settings.proxy === 'auto' || settings.proxy === 'envoy') && (path === envoyPrefix || path.startsWith(`${envoyPrefix}/`));

  function readToken(request: ForwardAuthRequest, original: OriginalRequest | undefined): string {
    const { header, queryParameter } = settings.token;
    if (queryParameter !== undefined) return tokenFromQuery(original, queryParameter);
    // A token in the query string leaks into logs; refused unless the policy puts it there.
    if (original) assertNoTokenInQuery(`?${original.query}`);
    if (header !== undefined) return tokenFromHeader(request.headers, header);
    return extractBearerToken(request.headers.authorization);
  }

  function refusal(error: unknown, route: CompiledRoute | undefined, original: OriginalRequest | undefined): ForwardAuthAnswer {
    const { status, headers, body } = toHttpError(error, httpOptions);
    const fields = { route: route?.index, method: original?.method, host: original ? loggable(original.host) : undefined, path: original ? loggable(original.path) : undefined };
    if (!isEntraAuthError(error)) {
      logger.log('error', 'authorization failed unexpectedly', { ...fields, error: error instanceof Error ? error.message : String(error) });
      return { status, headers, body: JSON.stringify(body), outcome: 'error', code: 'server_error' };
    }
    let answered = status;
    if (settings.failure && (status === 400 || status === 401)) {
      answered = settings.failure.status ?? status;
      if (settings.failure.message !== undefined) body.error_description = settings.failure.message;
    }
    const outcome: RequestOutcome = status === 503 ? 'unavailable' : 'refused';
    logger.log(status === 503 ? 'warn' : 'info', 'refused', { ...fields, status: answered, code: error.code, hint: error.hint });
    return { status: answered, headers, body: JSON.stringify(body), outcome, code: error.code };
  }

  return {
    settings,
    verifier,
    handles: (url) => {
      const path = pathOf(url);
      return path === '/verify' || isEnvoy(path);
    },
    async handle(request) {
      let route: CompiledRoute | undefined;
      let original: OriginalRequest | undefined;
      try {
        const path = pathOf(request.url);
        original = isEnvoy(path) ? readEnvoyRequest(request.method, request.url, request.headers, envoyPrefix) : readOriginalRequest(request.headers, settings.proxy);
        route = selectRoute(settings.routes, original);
        if (route.action.public) {
          logger.log('debug', 'public', { route: route.index, method: original?.method, path: original ? loggable(original.path) : undefined });
          return { status: 200, headers: identityHeaders(settings.identityHeaders, undefined), body: '', outcome: 'public', code: 'public' };
        }
        const token = readToken(request, original);
        const started = performance.now();
        let auth: VerifiedAccessToken;
        try {
          auth = await verifier.verify(token, coreRequirement(route));
          if (settings.policyRequiredClaims.length > 0) checkRequiredClaims(auth.claims, settings.policyRequiredClaims, 'missing_claim');
          const routeClaims = route.action.require.requiredClaims;
          if (routeClaims?.length) checkRequiredClaims(auth.claims, routeClaims, 'insufficient_scope');
        } finally {
          metrics.verification((performance.now() - started) / 1000);
        }
        const hit = seen.has(auth);
        seen.add(auth);
        metrics.cacheLookup(hit);
        logger.log('debug', 'allowed', { route: route.index, method: original?.method, path: original ? loggable(original.path) : undefined, objectId: auth.principal.objectId, cacheHit: hit });
        return { status: 200, headers: identityHeaders(settings.identityHeaders, auth), body: '', outcome: 'allowed', code: 'ok' };
      } catch (error) {
        return refusal(error, route, original);
      }
    },
    close: () => verifier.close(),
  };
}
