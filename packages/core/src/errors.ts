// One error class with a stable `code`, so callers switch on codes, never on messages.
// `description` is safe to send to the client; `hint` is for the operator's logs.

/** Every reason a token or request is refused; stable across releases, so switch on these. */
export type EntraAuthErrorCode =
  | 'missing_token'
  | 'invalid_request'
  | 'malformed_token'
  | 'token_too_large'
  | 'algorithm_not_allowed'
  | 'graph_token'
  | 'signing_key_not_found'
  | 'invalid_signature'
  | 'signing_key_issuer_mismatch'
  | 'issuer_mismatch'
  | 'tenant_not_allowed'
  | 'audience_mismatch'
  | 'token_expired'
  | 'token_not_yet_valid'
  | 'missing_claim'
  | 'client_not_allowed'
  | 'no_scope_or_role'
  | 'insufficient_scope'
  | 'insufficient_claims'
  | 'keys_unavailable';

/** The `error` values of RFC 6750 (and `insufficient_claims` from Microsoft's claims challenges). */
export type OAuthErrorCode = 'invalid_request' | 'invalid_token' | 'insufficient_scope' | 'insufficient_claims';

/** The HTTP status and RFC 6750 error an error code maps to. */
export interface ErrorCodeTraits {
  /** The HTTP status to answer with. */
  status: 400 | 401 | 403 | 503;
  /** The `error` in `WWW-Authenticate`; undefined for a bare `Bearer` challenge or a 503. */
  oauthError: OAuthErrorCode | undefined;
}

const INVALID_TOKEN: ErrorCodeTraits = { status: 401, oauthError: 'invalid_token' };

/** Status and RFC 6750 error per code; the table in DESIGN.md §3. */
export const ERROR_TRAITS: Readonly<Record<EntraAuthErrorCode, ErrorCodeTraits>> = {
  missing_token: { status: 401, oauthError: undefined },
  invalid_request: { status: 400, oauthError: 'invalid_request' },
  malformed_token: INVALID_TOKEN,
  token_too_large: INVALID_TOKEN,
  algorithm_not_allowed: INVALID_TOKEN,
  graph_token: INVALID_TOKEN,
  signing_key_not_found: INVALID_TOKEN,
  invalid_signature: INVALID_TOKEN,
  signing_key_issuer_mismatch: INVALID_TOKEN,
  issuer_mismatch: INVALID_TOKEN,
  tenant_not_allowed: INVALID_TOKEN,
  audience_mismatch: INVALID_TOKEN,
  token_expired: INVALID_TOKEN,
  token_not_yet_valid: INVALID_TOKEN,
  missing_claim: INVALID_TOKEN,
  client_not_allowed: INVALID_TOKEN,
  no_scope_or_role: INVALID_TOKEN,
  insufficient_scope: { status: 403, oauthError: 'insufficient_scope' },
  // Continuous Access Evaluation style claims challenge: the client must get a new token.
  insufficient_claims: { status: 401, oauthError: 'insufficient_claims' },
  keys_unavailable: { status: 503, oauthError: undefined },
};

/** What an {@link EntraAuthError} carries besides its code. */
export interface EntraAuthErrorDetails {
  /** Client-safe text, sent as `error_description`. */
  description: string;
  /** For operators: what was expected, what was found, how to fix it. Never contains the token. */
  hint: string;
  /** The underlying error (a failed fetch, a crypto exception), with its stack. */
  cause?: unknown;
  /** insufficient_scope: the permissions the route needs, for `scope="…"`. */
  requiredScopes?: readonly string[];
  /** insufficient_claims: the claims challenge (base64 JSON) for `claims="…"`. */
  claimsChallenge?: string;
  /** keys_unavailable: seconds for `Retry-After`. */
  retryAfterSeconds?: number;
}

/**
 * Every refusal: a stable `code`, the HTTP `status` and RFC 6750 `oauthError` it maps to, a
 * client-safe `description` and an operator `hint`. {@link toHttpError} turns it into a response.
 */
export class EntraAuthError extends Error {
  /** Why the token or request was refused. */
  readonly code: EntraAuthErrorCode;
  /** The HTTP status to answer with. */
  readonly status: 400 | 401 | 403 | 503;
  /** The `error` for `WWW-Authenticate`, if the status carries one. */
  readonly oauthError: OAuthErrorCode | undefined;
  /** Client-safe text, sent as `error_description`. */
  readonly description: string;
  /** For operators: what was expected, what was found, how to fix it. Never contains the token. */
  readonly hint: string;
  /** insufficient_scope: the permissions the route needs. */
  readonly requiredScopes: readonly string[] | undefined;
  /** insufficient_claims: the claims challenge (base64 JSON) for `claims="…"`. */
  readonly claimsChallenge: string | undefined;
  /** keys_unavailable: seconds for `Retry-After`. */
  readonly retryAfterSeconds: number | undefined;

  constructor(code: EntraAuthErrorCode, details: EntraAuthErrorDetails) {
    // A refusal is an expected outcome, not a bug: its stack trace says nothing the code and hint
    // do not, and capturing one costs more than parsing the token (it made a flood of forged
    // tokens halve the valid-token throughput). `cause` keeps any underlying error's stack.
    const errorConstructor = Error as { stackTraceLimit?: number };
    const limit = errorConstructor.stackTraceLimit;
    errorConstructor.stackTraceLimit = 0;
    try {
      super(`${code}: ${details.description}`, details.cause === undefined ? undefined : { cause: details.cause });
    } finally {
      errorConstructor.stackTraceLimit = limit;
    }
    this.name = 'EntraAuthError';
    this.code = code;
    this.status = ERROR_TRAITS[code].status;
    this.oauthError = ERROR_TRAITS[code].oauthError;
    this.description = details.description;
    this.hint = details.hint;
    this.requiredScopes = details.requiredScopes;
    this.claimsChallenge = details.claimsChallenge;
    this.retryAfterSeconds = details.retryAfterSeconds;
  }
}

/** True for errors thrown by this library's verification and authorization. */
export const isEntraAuthError = (value: unknown): value is EntraAuthError => value instanceof EntraAuthError;

/** Shorthand used by the checks: `fail('issuer_mismatch', 'Issuer not accepted', 'expected …')`. */
export function authError(code: EntraAuthErrorCode, description: string, hint: string, extra: Omit<EntraAuthErrorDetails, 'description' | 'hint'> = {}): EntraAuthError {
  return new EntraAuthError(code, { description, hint, ...extra });
}
