// The configuration file's shape, as users write it (YAML or JSON), and its validation: every
// mistake is reported with its path, all at once, before the service starts or a reload applies.
import type { AuthRequirement, EntraVerifierOptions } from '@entra-verify/core';
import type { RequiredClaim } from './required-claims.js';

/** Which proxy calls the service; it decides which headers describe the original request. */
export type ProxyKind = 'auto' | 'nginx' | 'ingress-nginx' | 'caddy' | 'traefik' | 'envoy';

/** The identity the service hands to the upstream, one header each. */
export type IdentityField = 'objectId' | 'tenantId' | 'clientAppId' | 'scopes' | 'roles' | 'authority';

/** What a route needs beyond a valid token: core's requirement plus API Management's required claims. */
export interface RouteRequirement extends AuthRequirement {
  /** Claim values the token must carry, with API Management's semantics (name, values, match, separator). */
  requiredClaims?: readonly RequiredClaim[];
}

/** What happens to a request a route matches. */
export type RouteAction =
  | {
      /** Let the request through without a token (identity headers are sent empty). */
      public: true;
    }
  | {
      /** A valid token is required, and this requirement (`{}`: a valid token is enough). */
      require: RouteRequirement;
    };

/** One route: the first route whose host, path prefix and method all match decides. */
export type RouteConfig = RouteAction & {
  /** `api.example.com`, or `*.example.com` for any subdomain; case-insensitive, port ignored. Default: any host. */
  host?: string;
  /** Matches this path and everything below it (`/orders` matches `/orders` and `/orders/42`, not `/ordersx`). Default `/`. */
  pathPrefix?: string;
  /** Methods this route applies to, e.g. `["GET", "HEAD"]`. Default: every method. */
  methods?: readonly string[];
};

/** The verifier options a file can hold: everything JSON can express (no callbacks, no fetch). */
export type FileVerifierOptions = Omit<EntraVerifierOptions, 'fetch' | 'now' | 'onEvent' | 'decryptionKeys' | 'allowedTenants'> & {
  /** Tenant GUIDs, or `["*"]` for any tenant (with tenant `common` or `organizations`). */
  allowedTenants?: readonly string[];
};

/** The configuration file. */
export interface ForwardAuthConfig {
  /** Options of `createEntraVerifier` (tenant, audience or clientId, …). Optional when `apimPolicy` gives them. */
  verifier?: FileVerifierOptions;
  /** An API Management policy file (validate-azure-ad-token or validate-jwt), relative to this file. */
  apimPolicy?: string;
  /** Which proxy calls the service. Default `auto` (refuses requests whose header families disagree). */
  proxy?: ProxyKind;
  /** Envoy's `path_prefix`: requests under it carry the original path after it. Default `/envoy`. */
  envoyPathPrefix?: string;
  /** `realm` in WWW-Authenticate challenges. */
  realm?: string;
  /** Header names of the identity passed upstream; `false` leaves one out. */
  identityHeaders?: Partial<Record<IdentityField, string | false>>;
  /** Where the token is: a header holding the raw token, or a query parameter of the original URI. Default: `Authorization: Bearer`. */
  token?: {
    /** A header holding the token itself (no `Bearer ` prefix), as API Management's header-name. */
    header?: string;
    /** A query parameter of the original request's URI holding the token. */
    queryParameter?: string;
  };
  /** API Management's failed-validation-httpcode / -error-message: status and body text for refused tokens (not for 503). */
  failure?: {
    /** Status for refused tokens, 400 to 499. */
    status?: number;
    /** The `error_description` of the JSON body. */
    message?: string;
  };
  /** Routes, first match wins. */
  routes?: readonly RouteConfig[];
  /** What applies when no route matches. Default `{ require: {} }`: a valid token. */
  defaultRoute?: RouteAction;
  /** Where to listen. Default `0.0.0.0:8080`; the command line overrides it. */
  listen?: {
    /** Interface address. */
    host?: string;
    /** TCP port. */
    port?: number;
  };
  /** Log level of the JSON logs. Default `info` (refusals, key sets, lifecycle); `debug` adds accepted requests. */
  logLevel?: 'debug' | 'info' | 'warn' | 'error';
  /** On SIGTERM, wait this long for requests in flight before closing connections. Default 10. */
  shutdownGraceSeconds?: number;
}

/** A configuration that failed validation; `problems` holds one line per mistake. */
export class ForwardAuthConfigError extends Error {
  /** Every mistake found, each prefixed with its path in the file (`routes[1].methods`). */
  readonly problems: readonly string[];

  constructor(source: string, problems: readonly string[]) {
    super(`${source}: ${problems.length} problem${problems.length === 1 ? '' : 's'}:\n${problems.map((p) => `  - ${p}`).join('\n')}`);
    this.name = 'ForwardAuthConfigError';
    this.problems = problems;
  }
}

const PROXIES: readonly ProxyKind[] = ['auto', 'nginx', 'ingress-nginx', 'caddy', 'traefik', 'envoy'];
const IDENTITY_FIELDS: readonly IdentityField[] = ['objectId', 'tenantId', 'clientAppId', 'scopes', 'roles', 'authority'];
const TOP_KEYS = ['verifier', 'apimPolicy', 'proxy', 'envoyPathPrefix', 'realm', 'identityHeaders', 'token', 'failure', 'routes', 'defaultRoute', 'listen', 'logLevel', 'shutdownGraceSeconds'];
const VERIFIER_KEYS = ['tenant', 'audience', 'clientId', 'allowedTenants', 'tokenVersion', 'cloud', 'authority', 'appId', 'allowedClientApps', 'clockToleranceSeconds', 'requireScopeOrRole', 'maxTokenBytes', 'algorithms', 'jwks', 'resultCache', 'offload'];
const REQUIREMENT_KEYS = ['scopes', 'roles', 'appPermissions', 'match', 'authContext', 'requiredClaims'];
const ROUTE_KEYS = ['host', 'pathPrefix', 'methods', 'public', 'require'];
/** RFC 9110 token characters, for header names and methods. */
const TOKEN = /^[!#$%&'*+.^_`|~0-9A-Za-z-]+$/;

const isObject = (value: unknown): value is Record<string, unknown> => typeof value === 'object' && value !== null && !Array.isArray(value);

/** Collects problems with their paths. */
class Problems {
  readonly list: string[] = [];
  add(path: string, message: string): void {
    this.list.push(path ? `${path}: ${message}` : message);
  }
  unknownKeys(path: string, value: Record<string, unknown>, known: readonly string[]): void {
    for (const key of Object.keys(value)) {
      if (known.includes(key)) continue;
      const near = known.find((k) => k.toLowerCase() === key.toLowerCase().replace(/[-_]/g, '')) ?? known.find((k) => k.toLowerCase().startsWith(key.toLowerCase().slice(0, 4)));
      this.add(path ? `${path}.${key}` : key, `unknown key${near ? ` (did you mean "${near}"?)` : ''}; allowed here: ${known.join(', ')}`);
    }
  }
  strings(path: string, value: unknown, what = 'strings'): value is string[] {
    if (!Array.isArray(value) || value.length === 0 || value.some((v) => typeof v !== 'string' || v === '')) {
      this.add(path, `must be a non-empty list of non-empty ${what}`);
      return false;
    }
    return true;
  }
}

function checkRequiredClaims(problems: Problems, path: string, value: unknown): void {
  if (!Array.isArray(value)) return problems.add(path, 'must be a list of { name, values, match?, separator? }');
  value.forEach((claim, i) => {
    const at = `${path}[${i}]`;
    if (!isObject(claim)) return problems.add(at, 'must be an object { name, values, match?, separator? }');
    problems.unknownKeys(at, claim, ['name', 'values', 'match', 'separator']);
    if (typeof claim.name !== 'string' || claim.name === '') problems.add(`${at}.name`, 'must be the claim name, e.g. "groups"');
    problems.strings(`${at}.values`, claim.values, 'claim values');
    if (claim.match !== undefined && claim.match !== 'all' && claim.match !== 'any') problems.add(`${at}.match`, 'must be "all" or "any"');
    if (claim.separator !== undefined && (typeof claim.separator !== 'string' || claim.separator === '')) problems.add(`${at}.separator`, 'must be a non-empty string, e.g. ","');
  });
}

function checkRequirement(problems: Problems, path: string, value: unknown): void {
  if (!isObject(value)) return problems.add(path, 'must be an object: {} for "a valid token", or { scopes, roles, appPermissions, match, requiredClaims }');
  problems.unknownKeys(path, value, REQUIREMENT_KEYS);
  for (const key of ['scopes', 'roles', 'appPermissions'] as const) {
    const list = value[key];
    if (list === undefined || !problems.strings(`${path}.${key}`, list, key === 'scopes' ? 'scope names' : 'role names')) continue;
    for (const name of list) {
      if (name.includes(' ')) problems.add(`${path}.${key}`, `"${name}" holds a space: list one name per entry`);
      if (key === 'scopes' && name.includes('/')) problems.add(`${path}.${key}`, `write the short scope name as tokens carry it in scp ("${name.slice(name.lastIndexOf('/') + 1)}"), not "${name}"`);
    }
  }
  if (value.match !== undefined && value.match !== 'all' && value.match !== 'any') problems.add(`${path}.match`, 'must be "all" or "any"');
  if (value.authContext !== undefined && typeof value.authContext !== 'string' && !problems.strings(`${path}.authContext`, value.authContext)) return;
  if (value.requiredClaims !== undefined) checkRequiredClaims(problems, `${path}.requiredClaims`, value.requiredClaims);
}

function checkAction(problems: Problems, path: string, value: Record<string, unknown>): void {
  const hasPublic = value.public !== undefined;
  const hasRequire = value.require !== undefined;
  if (hasPublic && value.public !== true) problems.add(`${path}.public`, 'must be true (leave it out for routes that need a token)');
  if (hasPublic && hasRequire) problems.add(path, 'has both public and require: a public route needs no token, so it cannot have a requirement');
  if (!hasPublic && !hasRequire) problems.add(path, 'needs "public: true" or "require: { … }" ({} for "a valid token")');
  if (hasRequire) checkRequirement(problems, `${path}.require`, value.require);
}

function checkRoute(problems: Problems, path: string, route: unknown): void {
  if (!isObject(route)) return problems.add(path, 'must be an object { host?, pathPrefix?, methods?, public | require }');
  problems.unknownKeys(path, route, ROUTE_KEYS);
  if (route.host !== undefined) {
    const host = route.host;
    if (typeof host !== 'string' || !/^(\*\.)?[A-Za-z0-9.-]+$/.test(host)) problems.add(`${path}.host`, 'must be a host name such as "api.example.com" or "*.example.com" (no scheme, no port)');
  }
  if (route.pathPrefix !== undefined) {
    const prefix = route.pathPrefix;
    if (typeof prefix !== 'string' || !prefix.startsWith('/')) problems.add(`${path}.pathPrefix`, 'must start with "/"');
    else if (/[?#%\\]/.test(prefix) || prefix.split('/').some((segment) => segment === '.' || segment === '..')) {
      problems.add(`${path}.pathPrefix`, 'must be a plain path: no query, fragment, percent-encoding, backslash or dot segments');
    }
  }
  if (route.methods !== undefined && problems.strings(`${path}.methods`, route.methods, 'methods')) {
    for (const method of route.methods) if (!TOKEN.test(method)) problems.add(`${path}.methods`, `"${method}" is not an HTTP method`);
  }
  checkAction(problems, path, route);
}

function checkVerifier(problems: Problems, value: unknown, fromPolicy: boolean): void {
  if (value === undefined) {
    if (!fromPolicy) problems.add('verifier', 'is required (tenant and audience or clientId), unless apimPolicy names an API Management policy');
    return;
  }
  if (!isObject(value)) return problems.add('verifier', 'must be an object of createEntraVerifier options');
  problems.unknownKeys('verifier', value, VERIFIER_KEYS);
  if (!fromPolicy && (typeof value.tenant !== 'string' || value.tenant === '')) problems.add('verifier.tenant', 'is required: your tenant GUID, or "common" / "organizations" with allowedTenants');
  if (value.audience !== undefined && typeof value.audience !== 'string' && !problems.strings('verifier.audience', value.audience, 'audiences')) return;
  if (value.allowedTenants !== undefined) problems.strings('verifier.allowedTenants', value.allowedTenants, 'tenant GUIDs');
  if (value.allowedClientApps !== undefined) problems.strings('verifier.allowedClientApps', value.allowedClientApps, 'client application ids');
}

/**
 * Check a parsed configuration file. Throws {@link ForwardAuthConfigError} listing every mistake.
 * Verifier option values are checked again, in depth, by `createEntraVerifier`.
 */
export function validateConfig(value: unknown, source: string): ForwardAuthConfig {
  const problems = new Problems();
  if (!isObject(value)) throw new ForwardAuthConfigError(source, ['the file must hold an object (verifier, routes, …)']);
  problems.unknownKeys('', value, TOP_KEYS);
  if (value.apimPolicy !== undefined && (typeof value.apimPolicy !== 'string' || value.apimPolicy === '')) problems.add('apimPolicy', 'must be the path of a policy XML file');
  checkVerifier(problems, value.verifier, typeof value.apimPolicy === 'string');
  if (value.proxy !== undefined && !PROXIES.includes(value.proxy as ProxyKind)) problems.add('proxy', `must be one of ${PROXIES.join(', ')}`);
  if (value.envoyPathPrefix !== undefined) {
    const prefix = value.envoyPathPrefix;
    if (typeof prefix !== 'string' || !/^\/[A-Za-z0-9._~-]+(\/[A-Za-z0-9._~-]+)*$/.test(prefix)) problems.add('envoyPathPrefix', 'must be a path such as "/envoy" (no trailing slash)');
    else if (['/verify', '/healthz', '/readyz', '/metrics'].includes(prefix)) problems.add('envoyPathPrefix', `"${prefix}" is one of the service's own endpoints`);
  }
  if (value.realm !== undefined && (typeof value.realm !== 'string' || !/^[\x20-\x7e]*$/.test(value.realm))) problems.add('realm', 'must be printable ASCII (it is sent in WWW-Authenticate)');
  if (value.identityHeaders !== undefined) {
    if (!isObject(value.identityHeaders)) problems.add('identityHeaders', `must map ${IDENTITY_FIELDS.join(', ')} to header names (or false)`);
    else {
      problems.unknownKeys('identityHeaders', value.identityHeaders, IDENTITY_FIELDS);
      for (const [field, name] of Object.entries(value.identityHeaders)) {
        if (name === false) continue;
        if (typeof name !== 'string' || !TOKEN.test(name)) problems.add(`identityHeaders.${field}`, 'must be a header name (letters, digits, "-") or false');
      }
    }
  }
  if (value.token !== undefined) {
    if (!isObject(value.token)) problems.add('token', 'must be { header } or { queryParameter }');
    else {
      problems.unknownKeys('token', value.token, ['header', 'queryParameter']);
      const { header, queryParameter } = value.token;
      if (header !== undefined && queryParameter !== undefined) problems.add('token', 'name either header or queryParameter, not both');
      if (header !== undefined && (typeof header !== 'string' || !TOKEN.test(header))) problems.add('token.header', 'must be a header name');
      if (queryParameter !== undefined && (typeof queryParameter !== 'string' || queryParameter === '')) problems.add('token.queryParameter', 'must be a query parameter name');
    }
  }
  if (value.failure !== undefined) {
    if (!isObject(value.failure)) problems.add('failure', 'must be { status?, message? }');
    else {
      problems.unknownKeys('failure', value.failure, ['status', 'message']);
      const { status, message } = value.failure;
      if (status !== undefined && (!Number.isInteger(status) || (status as number) < 400 || (status as number) > 499)) problems.add('failure.status', 'must be a 4xx status (a 503 for unavailable keys is kept)');
      if (message !== undefined && typeof message !== 'string') problems.add('failure.message', 'must be a string');
    }
  }
  if (value.routes !== undefined) {
    if (!Array.isArray(value.routes)) problems.add('routes', 'must be a list of routes');
    else value.routes.forEach((route, i) => checkRoute(problems, `routes[${i}]`, route));
  }
  if (value.defaultRoute !== undefined) {
    if (!isObject(value.defaultRoute)) problems.add('defaultRoute', 'must be { public: true } or { require: { … } }');
    else {
      problems.unknownKeys('defaultRoute', value.defaultRoute, ['public', 'require']);
      checkAction(problems, 'defaultRoute', value.defaultRoute);
    }
  }
  if (value.listen !== undefined) {
    if (!isObject(value.listen)) problems.add('listen', 'must be { host?, port? }');
    else {
      problems.unknownKeys('listen', value.listen, ['host', 'port']);
      const { host, port } = value.listen;
      if (host !== undefined && typeof host !== 'string') problems.add('listen.host', 'must be an address such as "0.0.0.0"');
      if (port !== undefined && (!Number.isInteger(port) || (port as number) < 0 || (port as number) > 65535)) problems.add('listen.port', 'must be a port number');
    }
  }
  if (value.logLevel !== undefined && !['debug', 'info', 'warn', 'error'].includes(value.logLevel as string)) problems.add('logLevel', 'must be debug, info, warn or error');
  if (value.shutdownGraceSeconds !== undefined && (typeof value.shutdownGraceSeconds !== 'number' || value.shutdownGraceSeconds < 0 || value.shutdownGraceSeconds > 3600)) {
    problems.add('shutdownGraceSeconds', 'must be a number of seconds from 0 to 3600');
  }
  if (problems.list.length > 0) throw new ForwardAuthConfigError(source, problems.list);
  return value as ForwardAuthConfig;
}
