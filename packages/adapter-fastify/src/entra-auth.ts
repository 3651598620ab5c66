// Fastify plugin: verify the Authorization header in onRequest, put the result on `request.auth`,
// guard routes in preHandler (requireScopes() or `config: { entra }`), and answer refusals per
// RFC 6750 or throw them to Fastify's error handling. Encapsulation-aware: it protects the
// context it is registered in (and its children), nothing else.
import {
  createRequestAuthenticator,
  peerCertificateOf,
  requirementFrom,
  requirementOf,
  requestAuthorization,
  singleAuthorization,
  takeQueryToken,
  type AuthRequirement,
  type EntraAuthMiddlewareOptions,
  type EntraOpenApi,
  type RequestAuthenticator,
} from '@entra-verify/core';
import type { FastifyInstance, FastifyPluginAsync, FastifyReply, FastifyRequest, RouteOptions } from 'fastify';
import fp from 'fastify-plugin';
import type { IncomingMessage } from 'node:http';
import './types.js';

/** Options of the {@link entraAuth} plugin: the middleware options of every adapter, plus `openapi`. */
export type EntraFastifyOptions = EntraAuthMiddlewareOptions & {
  /**
   * From createEntraOpenApi(): every route in the plugin's scope gets its OpenAPI `security`
   * from the requirement its guard enforces (`requireScopes()` or `config.entra`), for
   * @fastify/swagger. An explicit `schema.security` on a route is left as it is.
   */
  openapi?: EntraOpenApi;
};

/** A preHandler that checks one requirement; see {@link requireAuth}. */
export type EntraGuard = (request: FastifyRequest, reply: FastifyReply) => Promise<FastifyReply | undefined>;

/** The authenticator of the plugin's context, found by guards through `request.server`. */
const kAuthenticator = Symbol('entra-verify.authenticator');
/** The requirement each guard enforces, for the OpenAPI `security` of its route. */
const guardRequirements = new WeakMap<object, AuthRequirement>();

type WithAuthenticator = FastifyInstance & { [kAuthenticator]?: RequestAuthenticator };

/** Fastify 4 and 5 keep a request's route context, whose `config` is the route's, under this symbol's description. */
const ROUTE_CONTEXT = 'fastify.context';
let routeContextSymbol: symbol | null | undefined;

/**
 * The route's `config`, read without Fastify's public `request.routeOptions`, which builds a new
 * twelve-field object (and asks the router about version constraints) on every read: a third of
 * this plugin's cost per request when measured. `routeOptions.config` is that context's `config`
 * (fastify/lib/request.js); should a Fastify version keep it elsewhere, the public getter is used,
 * and a test compares the two on Fastify 4 and 5.
 */
export function routeConfigOf(request: FastifyRequest): unknown {
  routeContextSymbol ??= Object.getOwnPropertySymbols(request).find((symbol) => symbol.description === ROUTE_CONTEXT) ?? null;
  const context = routeContextSymbol === null ? undefined : (request as unknown as Record<symbol, unknown>)[routeContextSymbol];
  return typeof context === 'object' && context !== null && 'config' in context ? (context as { config: unknown }).config : request.routeOptions.config;
}

function refuse(authenticator: RequestAuthenticator, error: unknown, reply: FastifyReply): FastifyReply {
  if (authenticator.forwardErrors) throw authenticator.forward(error);
  const { status, headers, body } = authenticator.respond(error);
  return reply.code(status).headers(headers).send(body);
}

/** Fastify keeps the pre-`rewriteUrl` URL on the raw request; the query token is read from it. */
type RawRequest = IncomingMessage & { originalUrl?: string };

/** Cut the query token out of every URL Fastify and the app see: the raw url, originalUrl and the parsed query. */
function rewriterFor(request: FastifyRequest, parameter: string) {
  return (clean: string) => {
    const raw = request.raw as RawRequest;
    if (raw.originalUrl !== undefined) raw.originalUrl = clean;
    // raw.url may differ from the original in its path (a rewriteUrl of the app's): change the query only.
    if (raw.url !== undefined) raw.url = takeQueryToken(raw.url, parameter).url;
    const query = request.query as Record<string, unknown> | null | undefined;
    if (query && typeof query === 'object') delete query[parameter];
  };
}

/** The requirements of the guards on one route, and of its `config.entra`. */
function requirementsOf(routeOptions: RouteOptions): AuthRequirement[] {
  const configured = (routeOptions.config as { entra?: AuthRequirement } | undefined)?.entra;
  const handlers = routeOptions.preHandler === undefined ? [] : Array.isArray(routeOptions.preHandler) ? routeOptions.preHandler : [routeOptions.preHandler];
  const found: AuthRequirement[] = configured === undefined ? [] : [configured];
  for (const handler of handlers as unknown[]) {
    const requirement = typeof handler === 'function' ? guardRequirements.get(handler) : undefined;
    if (requirement) found.push(requirement);
  }
  return found;
}

const plugin: FastifyPluginAsync<EntraFastifyOptions> = async (fastify, options) => {
  const { openapi, ...rest } = options as EntraFastifyOptions & Record<string, unknown>;
  // Fastify adds these to every plugin's options; they are not verifier options.
  delete rest.prefix;
  delete rest.logLevel;
  delete rest.logSerializers;
  const authenticator = createRequestAuthenticator(rest as EntraAuthMiddlewareOptions);
  const authRequired = (rest as EntraAuthMiddlewareOptions).authRequired !== false;
  const parameter = authenticator.queryToken;
  (fastify as WithAuthenticator)[kAuthenticator] = authenticator;
  if (!fastify.hasRequestDecorator('auth')) fastify.decorateRequest('auth', undefined);

  type Done = (error?: Error) => void;
  const fail = (error: unknown, reply: FastifyReply, done: Done): void => {
    if (authenticator.forwardErrors) return done(authenticator.forward(error) as Error);
    const { status, headers: answer, body } = authenticator.respond(error);
    reply.code(status).headers(answer).send(body);
  };
  const proceed = (auth: FastifyRequest['auth'], request: FastifyRequest, done: Done): void => {
    // Set even when anonymous: with the plugin registered again in a child context (another
    // API's), the parent's identity (perhaps from a query token it took out of the URL) must not
    // pass for this context's.
    request.auth = auth;
    done();
  };
  const admit = (auth: FastifyRequest['auth'], request: FastifyRequest, reply: FastifyReply, done: Done): void => {
    // `config.entra` is checked here, for every route in scope, even one declared before the
    // plugin loaded (onRoute would miss it): a route's requirement can never be skipped.
    const requirement = (routeConfigOf(request) as { entra?: AuthRequirement } | undefined)?.entra;
    if (requirement !== undefined) {
      let checked;
      try {
        checked = authenticator.require(auth, requirement, request);
      } catch (error) {
        return fail(error, reply, done);
      }
      // A requirement's check may be async.
      if (checked instanceof Promise) return void checked.then(() => proceed(auth, request, done), (error: unknown) => fail(error, reply, done));
    }
    proceed(auth, request, done);
  };

  // A callback hook, not an async one: one promise fewer per request on the hot path.
  fastify.addHook('onRequest', function entraAuthOnRequest(request, reply, done) {
    const raw = request.raw as RawRequest;
    const url = parameter === undefined ? raw.url : (raw.originalUrl ?? raw.url);
    // A repeated token (a result-cache hit that needs nothing asynchronous): no promise in between.
    const cached = authenticator.authenticateCached(singleAuthorization(raw), url);
    if (cached) return admit(cached, request, reply, done);
    const headers = request.headers;
    authenticator
      .authenticate({
        // Every copy when the header is repeated (refused), else the one Node parsed.
        authorization: requestAuthorization(raw),
        url,
        method: raw.method,
        upgrade: headers.upgrade,
        accept: headers.accept,
        rewriteUrl: parameter === undefined ? undefined : rewriterFor(request, parameter),
        clientCertificate: peerCertificateOf(raw.socket),
        request,
      })
      .then(
        (auth) => admit(auth, request, reply, done),
        (error: unknown) => fail(error, reply, done),
      );
  });

  fastify.addHook('onRoute', (routeOptions) => {
    // Checked when the route is declared, so a typo fails at start-up.
    const configured = (routeOptions.config as { entra?: AuthRequirement } | undefined)?.entra;
    if (configured !== undefined) validRequirement(configured);
    if (openapi === undefined) return;
    const schema = (routeOptions.schema ?? {}) as Record<string, unknown>;
    if (schema.security !== undefined) return;
    const requirements = requirementsOf(routeOptions);
    if (requirements.length > 1) throw new TypeError(`entra-verify: ${String(routeOptions.method)} ${routeOptions.url} has ${requirements.length} Entra guards; combine them into one requireAuth({ ... }) so OpenAPI can describe it`);
    const described = openapi.operationSecurity(requirements[0] ?? {});
    // With authRequired: false an unguarded route is open to anonymous callers too.
    if (!authRequired && requirements.length === 0) described.security.unshift({});
    routeOptions.schema = Object.assign(schema, described) as RouteOptions['schema'];
  });
};

/**
 * The Fastify plugin: verify Entra access tokens on every request in the context it is registered
 * in (use `register` inside a plugin to protect only that part of the app), set `request.auth`.
 *
 * ```ts
 * await app.register(entraAuth, { tenant: '<tenant-guid>', clientId: '<api-client-id>' });
 * app.get('/data', { preHandler: requireScopes('Data.Read') }, async (request) => request.auth!.claims);
 * app.get('/admin', { config: { entra: { roles: ['Admin'] } } }, async () => ({ ok: true }));
 * ```
 */
export const entraAuth = fp(plugin, { fastify: '4.x || 5.x', name: '@entra-verify/fastify' });

/**
 * Guard one route (as its `preHandler`): the token verified by the {@link entraAuth} plugin must
 * meet the requirement. Bad requirements throw here, when the route is declared.
 */
export function requireAuth(requirement: AuthRequirement = {}): EntraGuard {
  validRequirement(requirement);
  const guard: EntraGuard = async function requireEntraAuth(request, reply) {
    const authenticator = (request.server as WithAuthenticator)[kAuthenticator];
    if (!authenticator) throw new Error('entra-verify: register the entraAuth plugin in this route\'s context (or a parent) before using requireAuth(), requireScopes() or requireRoles()');
    try {
      await authenticator.require(request.auth, requirement, request);
    } catch (error) {
      return refuse(authenticator, error, reply);
    }
    return undefined;
  };
  guardRequirements.set(guard, requirement);
  return guard;
}

/** A requirement's names are checked as the guards' are, when the route is declared. */
function validRequirement(requirement: AuthRequirement): void {
  if (typeof requirement !== 'object' || requirement === null) throw new TypeError('entra-verify: a route requirement is an object, e.g. { scopes: ["Data.Read"] }');
  requirementOf(requirement);
  if (requirement.scopes?.length) requirementFrom('scopes', requirement.scopes);
  if (requirement.roles?.length) requirementFrom('roles', requirement.roles);
}

/** The token must carry every listed delegated scope (`scp`). */
export const requireScopes = (...scopes: string[]): EntraGuard => requireAuth(requirementFrom('scopes', scopes));

/** The token must carry every listed app role (`roles`). */
export const requireRoles = (...roles: string[]): EntraGuard => requireAuth(requirementFrom('roles', roles));

/**
 * A `rewriteUrl` for the Fastify factory that cuts the query token out before Fastify logs the
 * incoming request (its "incoming request" line is written before any hook runs). The plugin
 * still reads the token from the original URL, and only on WebSocket and event-stream requests.
 *
 * ```ts
 * const app = Fastify({ logger: true, rewriteUrl: hideQueryToken('access_token') });
 * ```
 */
export function hideQueryToken(parameter: string | true = 'access_token'): (request: IncomingMessage) => string {
  const name = parameter === true ? 'access_token' : parameter;
  if (typeof name !== 'string' || name === '') throw new TypeError('entra-verify: hideQueryToken() takes the query parameter name');
  return function rewriteUrl(request) {
    const url = request.url ?? '/';
    if (url.indexOf('?') === -1) return url;
    try {
      return takeQueryToken(url, name).url;
    } catch {
      // The parameter twice: the plugin refuses the request; keep every copy out of the log anyway.
      return withoutEveryCopy(url, name);
    }
  };
}

/** The URL without any copy of a parameter, in one pass. */
function withoutEveryCopy(url: string, name: string): string {
  const question = url.indexOf('?');
  const kept = url
    .slice(question + 1)
    .split('&')
    .filter((part) => part !== '' && takeQueryToken(`?${part}`, name).token === undefined);
  return kept.length === 0 ? url.slice(0, question) : `${url.slice(0, question)}?${kept.join('&')}`;
}
