// RFC 6750 §2.1: `Authorization: Bearer <b64token>`. Anything else is a client error we can name.
import { authError } from '../errors.js';
import { shown } from '../printable.js';

/**
 * b64token from RFC 6750 §2.1. Linear on any input: anchored at both ends, and the repeated class
 * and the trailing "=" are disjoint, so a failed match backtracks at most once per character. A
 * regex rather than a loop because V8 runs this one natively, several times faster (it is on every
 * request).
 */
const B64TOKEN = /^[A-Za-z0-9\-._~+/]+=*$/;

/** HTTP whitespace and the other characters String.prototype.trim() removes would split credentials. */
const isSpace = (code: number) => code === 0x20 || code === 0x09 || code === 0x0a || code === 0x0d || code === 0x0b || code === 0x0c || code === 0xa0 || code === 0xfeff || code === 0x1680 || (code >= 0x2000 && code <= 0x200a) || code === 0x2028 || code === 0x2029 || code === 0x202f || code === 0x205f || code === 0x3000;

function indexOfSpaceOrComma(value: string, from: number, comma: boolean): number {
  for (let i = from; i < value.length; i++) {
    const code = value.charCodeAt(i);
    if (isSpace(code) || (comma && code === 0x2c)) return i;
  }
  return -1;
}
/** The longest Authorization header looked into by default: 32 KiB of token plus the scheme. */
export const DEFAULT_MAX_HEADER_LENGTH = 32 * 1024 + 64;

/** Options of {@link extractBearerToken}. */
export interface ExtractBearerTokenOptions {
  /** Refuse longer headers before looking inside them. Default: 32 KiB plus the scheme. */
  maxLength?: number;
}

/**
 * The token from an `Authorization` header value. Throws `missing_token` when there is none,
 * `invalid_request` for another scheme, two tokens or a malformed value, `token_too_large`
 * for an oversized header.
 */
export function extractBearerToken(header: string | readonly string[] | null | undefined, options: ExtractBearerTokenOptions = {}): string {
  if (Array.isArray(header)) {
    if (header.length > 1) throw twoCredentials();
    return extractBearerToken(header[0], options);
  }
  const maxLength = options.maxLength ?? DEFAULT_MAX_HEADER_LENGTH;
  // The form clients send, `Bearer <b64token>`, tested by the token grammar alone; everything
  // else is taken apart below to name what is wrong. (Same answer: the grammar has no spaces.)
  if (typeof header === 'string' && header.length <= maxLength && header.startsWith('Bearer ')) {
    const token = header.slice(7);
    if (B64TOKEN.test(token)) return token;
  }
  const value = typeof header === 'string' ? header.trim() : '';
  if (value === '') {
    throw authError('missing_token', 'Authentication is required.', 'The request has no Authorization header. Send `Authorization: Bearer <access token>`.');
  }
  if (value.length > maxLength) {
    throw authError('token_too_large', 'The Authorization header is too large.', `The Authorization header has ${value.length} characters; the limit is ${maxLength}. Entra access tokens are a few KB; a token this large is not one (or carries too many group claims: use groups overage or app roles).`);
  }
  const space = indexOfSpaceOrComma(value, 0, false);
  const scheme = space === -1 ? value : value.slice(0, space);
  if (scheme.toLowerCase() !== 'bearer') {
    throw authError('invalid_request', 'The Authorization header must use the Bearer scheme.', `The Authorization header uses the ${shown(scheme, 20)} scheme; this API accepts only "Bearer <access token>".`);
  }
  const token = space === -1 ? '' : value.slice(space).trim();
  if (token === '') {
    throw authError('invalid_request', 'The Bearer credentials are empty.', 'The Authorization header says "Bearer" but carries no token.');
  }
  if (B64TOKEN.test(token)) return token;
  // Not a b64token: only now find out why, to name the mistake.
  if (indexOfSpaceOrComma(token, 0, true) !== -1) throw twoCredentials();
  throw authError('invalid_request', 'The Bearer token contains characters that are not allowed.', 'A Bearer token is a b64token (RFC 6750 §2.1): letters, digits and - . _ ~ + / with trailing =. Check that the client sends the raw access token, without quotes.');
}

/**
 * Whether a URL or query may hold an `access_token` parameter, before parsing it: the name as
 * written, or any percent-encoding (`%61ccess_token` is the same parameter once decoded).
 */
export const mayNameAccessToken = (text: string): boolean => text.includes('access_token') || text.includes('%');

/** RFC 6750 §2.3 allows `access_token` in the query, but it leaks into logs: we refuse it. */
export function assertNoTokenInQuery(url: string | URL | undefined): void {
  if (url === undefined) return;
  const search = typeof url === 'string' ? url.slice(Math.max(url.indexOf('?'), 0)) : url.search;
  if (!mayNameAccessToken(search)) return;
  if (new URLSearchParams(search).has('access_token')) {
    throw authError('invalid_request', 'Access tokens are not accepted in the query string.', 'The request has an access_token query parameter. URLs end up in logs and browser history; send the token in the Authorization header instead.');
  }
}

function twoCredentials() {
  return authError('invalid_request', 'The request carries more than one set of credentials.', 'The Authorization header holds more than one token (or the header was sent twice). Send exactly one `Authorization: Bearer <access token>`.');
}
