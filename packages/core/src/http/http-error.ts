// Turning any error into an HTTP answer per RFC 6750 §3, so every adapter answers alike.
import { EntraAuthError, isEntraAuthError } from '../errors.js';

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
    /** With `exposeHint` (development only): the operator's explanation; it never contains the token. */
    hint?: string;
  };
}

/** Options of {@link toHttpError} and {@link buildWwwAuthenticate}. */
export interface ToHttpErrorOptions {
  /** `realm` in the challenge, e.g. your API's name. */
  realm?: string;
  /**
   * `authorization_uri` of an `insufficient_claims` challenge: the authorize endpoint where the
   * client can satisfy the claims (use `verifier.authorizationUri`). Microsoft's claims challenge
   * format requires it (https://learn.microsoft.com/entra/identity-platform/claims-challenge);
   * other challenges do not carry it.
   */
  authorizationUri?: string;
  /**
   * Development only: put the error's `hint` (what was expected, what was found, how to fix it;
   * never the token) in the body. The adapters' `exposeHints` option sets it, and refuses to in
   * production.
   */
  exposeHint?: boolean;
}

/**
 * A quoted-string per RFC 9110: escape `\` and `"`, turn control characters into spaces (header
 * injection) and characters beyond Latin-1 into `?` (Node and fetch refuse them in headers, and
 * a throw while answering would turn a refusal into a crash).
 */
export function quoteHeaderValue(value: string): string {
  return `"${value.replace(/[\u0000-\u001f\u007f]/g, ' ').replace(/[^\u0000-\u00ff]/g, '?').replace(/[\\"]/g, (c) => `\\${c}`)}"`;
}

/** The `WWW-Authenticate` value for an error (a bare `Bearer` challenge for a missing token). */
export function buildWwwAuthenticate(error: EntraAuthError, options: ToHttpErrorOptions = {}): string {
  const params: string[] = [];
  if (options.realm !== undefined) params.push(`realm=${quoteHeaderValue(options.realm)}`);
  // Microsoft's order: Bearer realm="", authorization_uri="…", error="insufficient_claims", claims="…".
  if (error.code === 'insufficient_claims' && options.authorizationUri !== undefined) params.push(`authorization_uri=${quoteHeaderValue(options.authorizationUri)}`);
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
    return { status: 503, headers, body: { error: 'temporarily_unavailable', error_description: error.description, ...(options.exposeHint ? { hint: error.hint } : {}) } };
  }
  headers['www-authenticate'] = buildWwwAuthenticate(error, options);
  const body: HttpErrorResponse['body'] = { error: error.oauthError ?? error.code, error_description: error.description };
  if (options.exposeHint) body.hint = error.hint;
  return { status: error.status, headers, body };
}
