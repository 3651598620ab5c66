import { describe, expect, it } from 'vitest';
import { assertNoTokenInQuery, EntraAuthError, extractBearerToken, toHttpError } from '../src/index.js';
import { authError } from '../src/errors.js';

const codeOf = (fn: () => unknown): string => {
  try {
    fn();
  } catch (error) {
    return (error as EntraAuthError).code;
  }
  return 'no error';
};

describe('extractBearerToken()', () => {
  it('returns the token, with a case-insensitive scheme and extra spaces', () => {
    expect(extractBearerToken('Bearer abc.def.ghi')).toBe('abc.def.ghi');
    expect(extractBearerToken('bearer   abc.def.ghi  ')).toBe('abc.def.ghi');
    expect(extractBearerToken('BEARER a-b_c.d~e+f/g==')).toBe('a-b_c.d~e+f/g==');
    expect(extractBearerToken(['Bearer x.y.z'])).toBe('x.y.z');
  });

  it('says missing_token when there is no header', () => {
    for (const value of [undefined, null, '', '   ', []]) expect(codeOf(() => extractBearerToken(value as string))).toBe('missing_token');
  });

  it('says invalid_request for another scheme, two tokens, an empty or malformed token', () => {
    for (const value of ['Basic dXNlcjpwYXNz', 'Token abc', 'Bearer', 'Bearer a b', 'Bearer a.b.c, Bearer d.e.f', 'Bearer "a.b.c"', 'Bearer a.b.c;x', ['Bearer a', 'Bearer b']]) {
      expect(codeOf(() => extractBearerToken(value as string)), String(value)).toBe('invalid_request');
    }
  });

  it('refuses an oversized header before looking inside', () => {
    expect(codeOf(() => extractBearerToken(`Bearer ${'a'.repeat(40_000)}`))).toBe('token_too_large');
    expect(codeOf(() => extractBearerToken('Bearer abc', { maxLength: 5 }))).toBe('token_too_large');
  });
});

describe('assertNoTokenInQuery()', () => {
  it('refuses access_token in the query string', () => {
    expect(codeOf(() => assertNoTokenInQuery('/data?access_token=abc'))).toBe('invalid_request');
    expect(codeOf(() => assertNoTokenInQuery(new URL('https://api/data?x=1&access_token=')))).toBe('invalid_request');
    expect(codeOf(() => assertNoTokenInQuery('/data?x=access_token'))).toBe('no error');
    expect(codeOf(() => assertNoTokenInQuery(undefined))).toBe('no error');
  });
});

describe('toHttpError()', () => {
  it('answers a missing token with a bare challenge (RFC 6750 §3.1)', () => {
    const error = authError('missing_token', 'Authentication is required.', 'h');
    expect(toHttpError(error)).toEqual({ status: 401, headers: { 'www-authenticate': 'Bearer' }, body: { error: 'missing_token', error_description: 'Authentication is required.' } });
    expect(toHttpError(error, { realm: 'lab' }).headers['www-authenticate']).toBe('Bearer realm="lab"');
  });

  it('answers invalid_token with the error and description, never the hint', () => {
    const error = authError('token_expired', 'The access token has expired.', 'secret operator detail');
    const http = toHttpError(error);
    expect(http.status).toBe(401);
    expect(http.headers['www-authenticate']).toBe('Bearer error="invalid_token", error_description="The access token has expired."');
    expect(JSON.stringify(http)).not.toContain('secret operator detail');
  });

  it('answers insufficient_scope with 403 and the scope list', () => {
    const error = authError('insufficient_scope', 'The token lacks the scope this operation requires.', 'h', { requiredScopes: ['Data.Read', 'Data.Write'] });
    const http = toHttpError(error);
    expect(http.status).toBe(403);
    expect(http.headers['www-authenticate']).toContain('scope="Data.Read Data.Write"');
    expect(http.body.error).toBe('insufficient_scope');
  });

  it('answers a key outage with 503 and Retry-After, without a challenge', () => {
    const http = toHttpError(authError('keys_unavailable', 'Try again shortly.', 'h', { retryAfterSeconds: 7 }));
    expect(http).toEqual({ status: 503, headers: { 'retry-after': '7' }, body: { error: 'temporarily_unavailable', error_description: 'Try again shortly.' } });
  });

  it('answers invalid_request with 400', () => {
    const http = toHttpError(authError('invalid_request', 'Bad header.', 'h'));
    expect(http.status).toBe(400);
    expect(http.headers['www-authenticate']).toBe('Bearer error="invalid_request", error_description="Bad header."');
  });

  it('escapes quotes and backslashes, and neutralizes control and non-Latin-1 characters in challenge values', () => {
    // The description's CR LF is escaped by the error itself (as \u000d\u000a), the realm's and the
    // scope's by the challenge builder; either way no raw CR or LF reaches the header.
    const error = authError('insufficient_scope', 'say "hi"\\now\r\nSet-Cookie: x=1', 'h', { requiredScopes: ['a"b\r\nX: 1', 'Dätä.Rēad'] });
    const header = toHttpError(error, { realm: 'r"' }).headers['www-authenticate']!;
    expect(header).toBe('Bearer realm="r\\"", error="insufficient_scope", error_description="say \\"hi\\"\\\\now\\\\u000d\\\\u000aSet-Cookie: x=1", scope="a\\"b  X: 1 Dätä.R?ad"');
    expect(header).not.toMatch(/[\r\n]/);
    expect(() => new Headers({ 'www-authenticate': header })).not.toThrow();
  });

  it('answers unknown errors with a bare 500 that reveals nothing', () => {
    expect(toHttpError(new Error('db password wrong'))).toEqual({ status: 500, headers: {}, body: { error: 'server_error', error_description: 'The server could not process the request.' } });
  });
});
