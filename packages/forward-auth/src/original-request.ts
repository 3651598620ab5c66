// Which request the proxy is asking about. Each proxy describes it its own way:
// - nginx auth_request: a subrequest to our URL; the config sets X-Original-URI $request_uri and
//   X-Original-Method $request_method (ngx_http_auth_request_module documents only the subrequest;
//   these two names are the convention of its documentation's examples and of ingress-nginx).
// - ingress-nginx auth-url: X-Original-URL $scheme://$http_host$request_uri and X-Original-Method
//   (rootfs/etc/nginx/template/nginx.tmpl in kubernetes/ingress-nginx; X-Original-URI only with auth-method).
// - Caddy forward_auth: GET to `uri`, with X-Forwarded-Method {method} and X-Forwarded-Uri {uri};
//   reverse_proxy adds X-Forwarded-Host/-Proto (modules/caddyhttp/reverseproxy/forwardauth/caddyfile.go).
// - Traefik forwardAuth: GET to `address`, with X-Forwarded-Method/-Proto/-Host/-Uri/-For
//   (pkg/middlewares/auth/forward.go, writeHeader; doc.traefik.io middlewares/http/forwardauth).
// - Envoy ext_authz (HTTP service): the original method, and path_prefix + the original path and
//   query, with the original Host (api/envoy/extensions/filters/http/ext_authz/v3/ext_authz.proto,
//   HttpService.path_prefix).
// Everything here runs before verification on attacker-reachable text: each step is one linear pass.
import { EntraAuthError } from '@entra-verify/core';
import type { ProxyKind } from './config.js';

/** The request the proxy asks about. */
export interface OriginalRequest {
  /** Upper-case method. */
  method: string;
  /** Host without port, lower-case; empty when the proxy sent none. */
  host: string;
  /** The path as sent (not decoded), without the query. */
  path: string;
  /** The query without `?`, empty if none. */
  query: string;
}

/** Header values as Node's `headersDistinct` gives them: every value, names in lower case. */
export type HeaderValues = Readonly<Record<string, readonly string[] | undefined>>;

const MAX_TARGET = 8192;
const METHOD = /^[!#$%&'*+.^_`|~0-9A-Za-z-]{1,32}$/;
const HOST = /^(\[[0-9A-Fa-f:.]+\]|[A-Za-z0-9._-]+)(:[0-9]{1,5})?$/;

const invalid = (description: string, hint: string) => new EntraAuthError('invalid_request', { description, hint });

/** The one value of a header; a header sent twice is ambiguous and refused. */
function single(headers: HeaderValues, name: string): string | undefined {
  const values = headers[name];
  if (values === undefined || values.length === 0) return undefined;
  if (values.length > 1) throw invalid('The request is ambiguous.', `The proxy sent ${name} ${values.length} times; a client may have added its own copy. Configure the proxy to set (not add) ${name}.`);
  return values[0];
}

function hostOf(value: string | undefined): string {
  if (value === undefined || value === '') return '';
  if (value.length > 300 || !HOST.test(value)) throw invalid('The request names an invalid host.', 'The host the proxy reported is not a host name, IPv4 or bracketed IPv6 address with an optional port.');
  const end = value.startsWith('[') ? value.indexOf(']') + 1 : value.indexOf(':') === -1 ? value.length : value.indexOf(':');
  return value.slice(0, end).toLowerCase();
}

function methodOf(value: string | undefined, header: string): string {
  if (value === undefined || !METHOD.test(value)) throw invalid('The request names an invalid method.', `${header} is missing or not an HTTP method; configure the proxy to send the original method in it.`);
  return value.toUpperCase();
}

/** Split an origin-form target (`/path?query`) after checking its length and form. */
function target(value: string, header: string): { path: string; query: string } {
  if (value.length > MAX_TARGET) throw invalid('The request URI is too long.', `${header} has ${value.length} characters; the limit is ${MAX_TARGET}.`);
  if (!value.startsWith('/') && value !== '*') throw invalid('The request URI is invalid.', `${header} must hold the original path and query ("/orders/42?x=1"), as nginx's $request_uri does.`);
  let end = value.indexOf('#');
  if (end === -1) end = value.length;
  const q = value.indexOf('?');
  return q === -1 || q > end ? { path: value.slice(0, end), query: '' } : { path: value.slice(0, q), query: value.slice(q + 1, end) };
}

/** X-Original-URL (ingress-nginx) or X-Original-URI (nginx) with X-Original-Method. */
function fromXOriginal(headers: HeaderValues): OriginalRequest | undefined {
  const url = single(headers, 'x-original-url');
  const uri = single(headers, 'x-original-uri');
  const method = single(headers, 'x-original-method');
  if (url === undefined && uri === undefined && method === undefined) return undefined;
  if (url !== undefined) {
    if (url.length > MAX_TARGET) throw invalid('The request URI is too long.', `X-Original-URL has ${url.length} characters; the limit is ${MAX_TARGET}.`);
    const parts = splitAbsoluteUrl(url);
    if (!parts) throw invalid('The request URI is invalid.', 'X-Original-URL must be an absolute http(s) URL, as ingress-nginx sends ($scheme://$http_host$request_uri).');
    return { method: methodOf(method, 'X-Original-Method'), host: hostOf(parts.authority), ...target(parts.rest || '/', 'X-Original-URL') };
  }
  if (uri === undefined) throw invalid('The request URI is missing.', 'The proxy sent X-Original-Method without X-Original-URI; add proxy_set_header X-Original-URI $request_uri.');
  return { method: methodOf(method, 'X-Original-Method'), host: hostOf(single(headers, 'x-forwarded-host') ?? single(headers, 'host')), ...target(uri, 'X-Original-URI') };
}

/** X-Forwarded-Method / -Uri / -Host (Caddy, Traefik). */
function fromXForwarded(headers: HeaderValues): OriginalRequest | undefined {
  const uri = single(headers, 'x-forwarded-uri');
  const method = single(headers, 'x-forwarded-method');
  if (uri === undefined && method === undefined) return undefined;
  if (uri === undefined) throw invalid('The request URI is missing.', 'The proxy sent X-Forwarded-Method without X-Forwarded-Uri.');
  return { method: methodOf(method, 'X-Forwarded-Method'), host: hostOf(single(headers, 'x-forwarded-host') ?? single(headers, 'host')), ...target(uri, 'X-Forwarded-Uri') };
}

const same = (a: OriginalRequest, b: OriginalRequest) => a.method === b.method && a.path === b.path && a.query === b.query && a.host === b.host;

/**
 * The original request of a call to `/verify`, read from the headers of `proxy`. With `auto`,
 * both header families are read and must agree when both are present: a client can add the
 * family its proxy does not set, and must not choose the route that way. Undefined when the
 * proxy sent no description (then only routes that ignore the request can apply).
 */
export function readOriginalRequest(headers: HeaderValues, proxy: ProxyKind): OriginalRequest | undefined {
  switch (proxy) {
    case 'nginx':
    case 'ingress-nginx':
      return fromXOriginal(headers);
    case 'caddy':
    case 'traefik':
      return fromXForwarded(headers);
    case 'envoy':
      throw invalid('The request was sent to the wrong endpoint.', 'proxy is "envoy": Envoy calls envoyPathPrefix + the original path, not /verify. Set path_prefix in the ext_authz http_service, or set proxy to the proxy that calls /verify.');
    case 'auto': {
      const original = fromXOriginal(headers);
      const forwarded = fromXForwarded(headers);
      if (original && forwarded && !same(original, forwarded)) {
        throw invalid('The request is ambiguous.', 'The X-Original-* and X-Forwarded-* headers describe different requests; a client may have added the family its proxy does not set. Set "proxy" in the configuration (nginx, ingress-nginx, caddy, traefik) so only the proxy\'s own headers are read.');
      }
      return original ?? forwarded;
    }
  }
}

/** Envoy's form: the call's own method, Host, and path below the prefix. */
export function readEnvoyRequest(method: string | undefined, url: string, headers: HeaderValues, prefix: string): OriginalRequest {
  const rest = url.slice(prefix.length);
  return { method: methodOf(method, 'The method'), host: hostOf(single(headers, 'host')), ...target(rest === '' || rest.startsWith('?') ? `/${rest}` : rest, 'The path') };
}

/**
 * `http(s)://authority` and the rest, by index: one pass, where the regex it replaces had two
 * overlapping quantifiers and could backtrack on a header it did not match.
 */
function splitAbsoluteUrl(url: string): { authority: string; rest: string } | undefined {
  const lower = url.slice(0, 8).toLowerCase();
  const start = lower.startsWith('https://') ? 8 : lower.startsWith('http://') ? 7 : -1;
  if (start === -1) return undefined;
  let end = start;
  while (end < url.length) {
    const code = url.charCodeAt(end);
    if (code === 0x2f || code === 0x3f || code === 0x23) break; // "/", "?", "#"
    end++;
  }
  return { authority: url.slice(start, end), rest: url.slice(end) };
}
