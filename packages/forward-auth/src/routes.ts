// Route selection: the first route whose host, method and path prefix match. The path is judged
// the way a backend might read it: once as sent (dot segments resolved, "//" collapsed) and once
// percent-decoded ("%2e%2e", "%2f", backslashes). When the two readings pick different routes, the
// request is refused: "/public/..%2fadmin" must not reach /admin as a public request. Linear passes only.
import { EntraAuthError } from '@entra-verify/core';
import type { RouteAction, RouteConfig, RouteRequirement } from './config.js';
import type { OriginalRequest } from './original-request.js';

/** A route ready for matching. */
export interface CompiledRoute {
  /** Index in the configuration (`routes[i]`), or -1 for the default route; used in logs. */
  index: number;
  /** Lower-case host, `*.suffix` for a subdomain wildcard, or undefined for any. */
  host: string | undefined;
  /** Path prefix without a trailing slash (`''` for `/`). */
  prefix: string;
  /** Upper-case methods, or undefined for any. */
  methods: ReadonlySet<string> | undefined;
  /** Public, or the requirement a token must meet. */
  action:
    | {
        /** No token needed. */
        public: true;
      }
    | {
        /** A token is needed. */
        public: false;
        /** What the token must meet beyond being valid. */
        require: RouteRequirement;
      };
}

/** A loop, not a trailing-slash regex, which backtracks on a long run of "/" that does not end the text. */
function withoutTrailingSlashes(path: string): string {
  let end = path.length;
  while (end > 0 && path.charCodeAt(end - 1) === 0x2f) end--;
  return path.slice(0, end);
}

/** Compile the configured routes and the default route. */
export function compileRoutes(routes: readonly RouteConfig[] = [], fallback: RouteAction = { require: {} }): { routes: CompiledRoute[]; fallback: CompiledRoute } {
  const actionOf = (action: RouteAction): CompiledRoute['action'] => ('public' in action && action.public ? { public: true } : { public: false, require: (action as { require: RouteRequirement }).require });
  return {
    routes: routes.map((route, index) => ({
      index,
      host: route.host?.toLowerCase(),
      prefix: withoutTrailingSlashes(route.pathPrefix ?? '/'),
      methods: route.methods ? new Set(route.methods.map((m) => m.toUpperCase())) : undefined,
      action: actionOf(route),
    })),
    fallback: { index: -1, host: undefined, prefix: '', methods: undefined, action: actionOf(fallback) },
  };
}

/** Collapse repeated slashes and resolve `.` / `..` segments (clamped at the root), like a URL parser. */
function resolveSegments(path: string): string {
  const out: string[] = [];
  let start = 1;
  for (let i = 1; i <= path.length; i++) {
    if (i < path.length && path.charCodeAt(i) !== 0x2f) continue;
    const segment = path.slice(start, i);
    start = i + 1;
    if (segment === '' || segment === '.') continue;
    if (segment === '..') out.pop();
    else out.push(segment);
  }
  const trailing = path.length > 1 && path.endsWith('/') ? '/' : '';
  return out.length === 0 ? '/' : `/${out.join('/')}${trailing}`;
}

const HEX = /^[0-9A-Fa-f]{2}$/;

/** Percent-decode to one char per byte (enough to compare with plain ASCII prefixes); backslashes become slashes. */
function decodePath(path: string): string {
  let out = '';
  for (let i = 0; i < path.length; i++) {
    const char = path[i]!;
    if (char === '%') {
      const hex = path.slice(i + 1, i + 3);
      if (!HEX.test(hex)) throw new EntraAuthError('invalid_request', { description: 'The request path is malformed.', hint: 'The original path holds a "%" that starts no percent-encoding.' });
      const decoded = String.fromCharCode(Number.parseInt(hex, 16));
      out += decoded === '\\' ? '/' : decoded;
      i += 2;
    } else out += char === '\\' ? '/' : char;
  }
  return out;
}

function matches(route: CompiledRoute, host: string, method: string, path: string): boolean {
  if (route.methods && !route.methods.has(method)) return false;
  if (route.host !== undefined) {
    if (route.host.startsWith('*.') ? !(host.length > route.host.length - 1 && host.endsWith(route.host.slice(1))) : host !== route.host) return false;
  }
  if (route.prefix === '') return true;
  return path === route.prefix || (path.startsWith(route.prefix) && path.charCodeAt(route.prefix.length) === 0x2f);
}

const select = (routes: readonly CompiledRoute[], fallback: CompiledRoute, host: string, method: string, path: string) => routes.find((route) => matches(route, host, method, path)) ?? fallback;

/**
 * The route for a request. Without a description of the request (`undefined`), only a
 * configuration whose routes cannot tell requests apart works: the default route applies when
 * there are no routes, and the request is refused otherwise.
 */
export function selectRoute(compiled: { routes: readonly CompiledRoute[]; fallback: CompiledRoute }, request: OriginalRequest | undefined): CompiledRoute {
  const { routes, fallback } = compiled;
  if (!request) {
    if (routes.length === 0) return fallback;
    throw new EntraAuthError('invalid_request', { description: 'The request could not be routed.', hint: 'Routes are configured, but the proxy did not say which request it asks about. nginx: proxy_set_header X-Original-URI $request_uri and X-Original-Method $request_method in the auth location; Caddy and Traefik send X-Forwarded-Method/-Uri themselves; Envoy: set path_prefix to envoyPathPrefix.' });
  }
  const asSent = resolveSegments(request.path);
  const route = select(routes, fallback, request.host, request.method, asSent);
  const decoded = resolveSegments(decodePath(request.path));
  if (decoded !== asSent && select(routes, fallback, request.host, request.method, decoded) !== route) {
    throw new EntraAuthError('invalid_request', { description: 'The request path is ambiguous.', hint: 'The original path selects a different route once percent-decoded (encoded dots, slashes or backslashes); refused so that no backend reading it either way reaches a route it was not authorized for.' });
  }
  return route;
}
