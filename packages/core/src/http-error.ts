// Turning any error into an HTTP answer per RFC 6750 §3, so every adapter answers alike.
import { EntraAuthError, isEntraAuthError } from './errors.js';

/** An HTTP answer for a refusal, ready for any framework. */
export interface HttpErrorResponse {
  /** 400, 401, 403, 503, or 500 for an error that is not an {@link EntraAuthError}. */
  status: number;
  /** `www-authenticate` (401, 403, 400), or `retry-after` (503); lower-case names. */
  headers: Record<string, string>;
  /** The JSON body. */
  body: {
    /** The RFC 6750 error (or `missing_token`, `temporarily_unavailable`, `server_error`). */
    error: string;
    /** Client-safe text. */
    error_description: string;
  };
}

/** Options of {@link toHttpError} and {@link buildWwwAuthenticate}. */
export interface ToHttpErrorOptions {
  /** `realm` in the challenge, e.g. your API's name. */
  realm?: string;
}

/** A quoted-string per RFC 9110: escape `\` and `"`, and drop control characters (header injection). */
export function quoteHeaderValue(value: string): string {
  return `"${value.replace(/[\u0000-\u001f\u007f]/g, ' ').replace(/[\\"]/g, (c) => `\\${c}`)}"`;
}

/** The `WWW-Authenticate` value for an error (a bare `Bearer` challenge for a missing token). */
export function buildWwwAuthenticate(error: EntraAuthError, options: ToHttpErrorOptions = {}): string {
  const params: string[] = [];
  if (options.realm !== undefined) params.push(`realm=${quoteHeaderValue(options.realm)}`);
  if (error.oauthError) {
    params.push(`error=${quoteHeaderValue(error.oauthError)}`, `error_description=${quoteHeaderValue(error.description)}`);
  }
  if (error.requiredScopes?.length) params.push(`scope=${quoteHeaderValue(error.requiredScopes.join(' '))}`);
  if (error.claimsChallenge) params.push(`claims=${quoteHeaderValue(error.claimsChallenge)}`);
  return params.length ? `Bearer ${params.join(', ')}` : 'Bearer';
}

/**
 * Status, headers and JSON body for an error. Unknown errors become a bare 500 whose body says
 * nothing about the cause (log the error itself server-side).
 */
export function toHttpError(error: unknown, options: ToHttpErrorOptions = {}): HttpErrorResponse {
  if (!isEntraAuthError(error)) {
    return { status: 500, headers: {}, body: { error: 'server_error', error_description: 'The server could not process the request.' } };
  }
  const headers: Record<string, string> = {};
  if (error.code === 'keys_unavailable') {
    headers['retry-after'] = String(error.retryAfterSeconds ?? 30);
    return { status: 503, headers, body: { error: 'temporarily_unavailable', error_description: error.description } };
  }
  headers['www-authenticate'] = buildWwwAuthenticate(error, options);
  return { status: error.status, headers, body: { error: error.oauthError ?? error.code, error_description: error.description } };
}
