// The Authorization header of a Node.js request, read the same way by every adapter.
//
// Node keeps only the first of repeated Authorization headers in `headers` (Node.js docs, http,
// "message.headers": duplicates of authorization are discarded); `headersDistinct` keeps them
// apart but builds arrays for every header on first read (about 2 µs a request), and HTTP/2's
// compatibility request has no `headersDistinct` at all. Both stop at the server's
// `maxHeadersCount` (1,000 by default), while `rawHeaders` may run past it. So:
// - the cached path (singleAuthorization) counts the name in `rawHeaders`, all of it, and takes
//   the value only when it is the one in `headers`: a header Node dropped (past the limit) is
//   never accepted, and one an app edited in `req.headers` is left to the full path;
// - the full path (requestAuthorization) reads `headersDistinct`, or `headers`, unless
//   `rawHeaders` holds the name more than once: then every copy is handed on, so the request is
//   refused as ambiguous even when Node's parsed headers show one copy.
// test/single-authorization.node.test.ts checks both on real requests. Structural (no node:* import).

/** What is read from a request: Node's parsed and raw headers (an IncomingMessage, or HTTP/2's compatibility request). */
export interface RawHeadersSource {
  /** Node's parsed headers (lower-cased names; only the first of repeated Authorization headers). */
  headers?:
    | {
        /** The first Authorization header's value. */
        authorization?: string | undefined;
      }
    | undefined;
  /** Node's headers as received: names and values alternating, repeats kept. */
  rawHeaders?: readonly string[] | undefined;
  /** Every value of each header (Node >= 18.3; not on HTTP/2's compatibility request). */
  headersDistinct?:
    | {
        /** Every Authorization value Node parsed, in order. */
        authorization?: string[] | undefined;
      }
    | undefined;
}

const NAME = 'authorization';

const isAuthorizationName = (name: unknown): boolean => typeof name === 'string' && name.length === NAME.length && name.toLowerCase() === NAME;

/** What {@link authorizationIndex} answers besides an index. */
const NONE = -1;
const REPEATED = -2;
const NOT_NODE = -3;

/**
 * Where the one Authorization name sits in `rawHeaders`, or NONE, REPEATED (twice or more), or
 * NOT_NODE (not a list Node made: names and values alternate, so its length is even). Allocates
 * nothing: the cached path runs it on every request.
 */
function authorizationIndex(raw: unknown): number {
  if (!Array.isArray(raw) || raw.length % 2 !== 0) return NOT_NODE;
  let found = NONE;
  for (let i = 0; i < raw.length; i += 2) {
    if (!isAuthorizationName(raw[i])) continue;
    if (found !== NONE) return REPEATED;
    found = i;
  }
  return found;
}

/**
 * The Authorization value when the request carries the header exactly once and Node's parsed
 * headers hold that same value, else undefined (none, twice or more, past the header limit,
 * edited by the app, or not a Node request): then the adapter takes the full path
 * ({@link requestAuthorization}), which answers. Never throws.
 */
export function singleAuthorization(request: RawHeadersSource | null | undefined): string | undefined {
  const raw = request?.rawHeaders;
  const at = authorizationIndex(raw);
  if (at < 0) return undefined;
  const value: unknown = raw![at + 1];
  return typeof value === 'string' && request?.headers?.authorization === value ? value : undefined;
}

/**
 * The Authorization header for the full path: every copy when `rawHeaders` holds more than one
 * (authenticate() refuses that with 400), else `headersDistinct`'s value, else `headers`' (which
 * may carry one an app put there). Never throws.
 */
export function requestAuthorization(request: RawHeadersSource | null | undefined): string | readonly string[] | undefined {
  const raw = request?.rawHeaders;
  if (authorizationIndex(raw) === REPEATED) {
    const copies: string[] = [];
    for (let i = 0; i < raw!.length; i += 2) if (isAuthorizationName(raw![i])) copies.push(typeof raw![i + 1] === 'string' ? raw![i + 1]! : '');
    return copies;
  }
  const distinct = request?.headersDistinct?.authorization;
  return Array.isArray(distinct) ? distinct : request?.headers?.authorization;
}
