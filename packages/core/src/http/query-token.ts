// Tokens in the query string, for the two kinds of request that cannot send an Authorization
// header from a browser: a WebSocket handshake and an EventSource (text/event-stream) stream.
// Opt-in, one named parameter, GET only; the token is cut out of the URL before anything else
// sees it. Every scan here is a single forward pass (no regular expression touches request data).
import { authError } from '../errors.js';

/** What decides whether a request may carry its token in the query. */
export interface QueryTokenRequest {
  /** The request method; only `GET` qualifies. */
  method?: string | null;
  /** The `Upgrade` header: `websocket` qualifies. */
  upgrade?: string | readonly string[] | null;
  /** The `Accept` header: `text/event-stream` qualifies. */
  accept?: string | readonly string[] | null;
}

/** A URL with the query token taken out; see {@link takeQueryToken}. */
export interface TakenQueryToken {
  /** The parameter's decoded value, or undefined when the URL has no such parameter. */
  token: string | undefined;
  /** The same URL without that parameter (unchanged when there was none). */
  url: string;
}

const PARAMETER_CHARS = new Uint8Array(128);
for (const char of 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-._~') PARAMETER_CHARS[char.charCodeAt(0)] = 1;

/**
 * The `queryToken` option as a parameter name, or undefined when it is off: `true` means
 * `access_token` (RFC 6750 §2.3); a string names the parameter (unreserved URL characters, 1-64).
 */
export function queryTokenParameter(option: unknown): string | undefined {
  if (option === undefined || option === false) return undefined;
  if (option === true) return 'access_token';
  if (typeof option !== 'string' || option.length === 0 || option.length > 64) {
    throw new TypeError('entra-verify: queryToken must be true (the access_token parameter), false, or the name of one query parameter (1-64 characters)');
  }
  for (let i = 0; i < option.length; i++) {
    const code = option.charCodeAt(i);
    if (code >= 128 || PARAMETER_CHARS[code] !== 1) throw new TypeError(`entra-verify: queryToken "${option}" may hold letters, digits and - . _ ~ only, so it never needs percent-encoding`);
  }
  return option;
}

/** Whether one comma-separated header holds `wanted` (case-insensitive, parameters after `;` ignored). */
function headerHasToken(header: string | readonly string[] | null | undefined, wanted: string): boolean {
  if (header === undefined || header === null) return false;
  if (typeof header !== 'string') return header.some((value) => headerHasToken(value, wanted));
  let start = 0;
  // The next `;` is looked up again only once passed, so the scan stays linear.
  let semicolon = header.indexOf(';');
  while (start <= header.length) {
    let end = header.indexOf(',', start);
    if (end === -1) end = header.length;
    if (semicolon !== -1 && semicolon < start) semicolon = header.indexOf(';', start);
    const item = header.slice(start, semicolon !== -1 && semicolon < end ? semicolon : end).trim();
    if (item.length === wanted.length && item.toLowerCase() === wanted) return true;
    start = end + 1;
  }
  return false;
}

/**
 * Whether a request may carry its token in the query: a `GET` that asks for a WebSocket upgrade
 * (`Upgrade: websocket`) or for an event stream (`Accept: text/event-stream`, what EventSource
 * sends). Browsers cannot set an Authorization header on either.
 */
export function acceptsQueryToken(request: QueryTokenRequest): boolean {
  if (request.method !== 'GET') return false;
  return headerHasToken(request.upgrade, 'websocket') || headerHasToken(request.accept, 'text/event-stream');
}

/** application/x-www-form-urlencoded decoding of one name or value; undecodable input stays as it is. */
function decodeComponent(raw: string): string {
  if (!raw.includes('%') && !raw.includes('+')) return raw;
  try {
    return decodeURIComponent(raw.replaceAll('+', ' '));
  } catch {
    return raw;
  }
}

/**
 * Take one parameter out of a URL (a path with a query, or a full URL): its decoded value and the
 * URL without it, other parameters kept byte for byte. A parameter given twice is refused
 * (`invalid_request`): two tokens are two sets of credentials.
 */
export function takeQueryToken(url: string, parameter: string): TakenQueryToken {
  const question = url.indexOf('?');
  if (question === -1) return { token: undefined, url };
  const hash = url.indexOf('#', question);
  const end = hash === -1 ? url.length : hash;
  let token: string | undefined;
  let kept = '';
  let start = question + 1;
  // The next `=` is looked up again only once passed, so the scan stays linear.
  let equals = url.indexOf('=', start);
  while (start <= end) {
    let amp = url.indexOf('&', start);
    if (amp === -1 || amp > end) amp = end;
    if (equals !== -1 && equals < start) equals = url.indexOf('=', start);
    const nameEnd = equals !== -1 && equals < amp ? equals : amp;
    const name = url.slice(start, nameEnd);
    if (name === parameter || (name.length >= parameter.length && decodeComponent(name) === parameter)) {
      if (token !== undefined) throw authError('invalid_request', 'The request carries more than one set of credentials.', `The query has the ${parameter} parameter more than once. Send exactly one token.`);
      token = nameEnd === amp ? '' : decodeComponent(url.slice(nameEnd + 1, amp));
    } else if (amp > start) {
      kept += (kept === '' ? '' : '&') + url.slice(start, amp);
    }
    start = amp + 1;
  }
  if (token === undefined) return { token: undefined, url };
  return { token, url: `${url.slice(0, question)}${kept === '' ? '' : `?${kept}`}${url.slice(end)}` };
}

/** What {@link takeRequestQueryToken} reads: the URL, the headers that qualify a request, and where to put the cleaned URL. */
export interface QueryTokenCredentials extends QueryTokenRequest {
  /** Path and query (or the full URL). */
  url?: string;
  /** Called with the URL without the token, before verification, so logs and routes never see it. */
  rewriteUrl?: (url: string) => void;
}

/**
 * For the request authenticator: the token in the named parameter, taken out of the URL (and
 * handed to `rewriteUrl`, refused or not). Only a qualifying request (see
 * {@link acceptsQueryToken}) may use it; on any other the parameter is a 400.
 */
export function takeRequestQueryToken(request: QueryTokenCredentials, parameter: string): TakenQueryToken {
  const url = request.url;
  if (url === undefined || url.indexOf('?') === -1) return { token: undefined, url: url ?? '' };
  const taken = takeQueryToken(url, parameter);
  if (taken.token === undefined) return taken;
  request.rewriteUrl?.(taken.url);
  if (!acceptsQueryToken(request)) {
    throw authError('invalid_request', 'Access tokens are not accepted in the query string.', `The request has a ${parameter} query parameter, which only WebSocket upgrade (Upgrade: websocket) and event-stream (Accept: text/event-stream) GET requests may carry. Send the token in the Authorization header instead.`);
  }
  if (taken.token === '') throw authError('invalid_request', 'The query token is empty.', `The ${parameter} query parameter carries no token.`);
  return taken;
}
