// One error class with a stable `code`, so callers switch on codes, never on messages.
// `description` is safe to send to the client; `hint` is for the operator's logs.
import { escapeControls } from './printable.js';

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
  | 'decryption_failed'
  | 'certificate_binding_required'
  | 'certificate_mismatch'
  | 'unsupported_token_binding'
  | 'not_access_token'
  | 'verification_failed'
  | 'not_id_token'
  | 'nonce_mismatch'
  | 'insufficient_scope'
  | 'authority_not_allowed'
  | 'caller_not_allowed'
  | 'guest_not_allowed'
  | 'required_claim_not_met'
  | 'not_in_group'
  | 'groups_overage'
  | 'check_refused'
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
const INSUFFICIENT: ErrorCodeTraits = { status: 403, oauthError: 'insufficient_scope' };

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
  // An encrypted token no configured key opens (wrong key, altered token, compressed JWE).
  decryption_failed: INVALID_TOKEN,
  // RFC 8705 §3: a certificate-bound token without, or with another, client certificate is 401 invalid_token.
  certificate_binding_required: INVALID_TOKEN,
  certificate_mismatch: INVALID_TOKEN,
  // A cnf confirmation method other than x5t#S256 (DPoP jkt, jwk, …): a proof we cannot check.
  unsupported_token_binding: INVALID_TOKEN,
  // An ID token (or another token that names no client app) sent as an access token.
  not_access_token: INVALID_TOKEN,
  // Something failed inside verification that is not a rule (a bug, an exhausted stack, a broken
  // injected clock). The request is refused, not answered with a 500 the client's token caused.
  verification_failed: INVALID_TOKEN,
  // createIdTokenVerifier: an access token where an ID token belongs, and a nonce that is not the
  // one the sign-in sent (OpenID Connect Core §3.1.3.7, step 11).
  not_id_token: INVALID_TOKEN,
  nonce_mismatch: INVALID_TOKEN,
  insufficient_scope: INSUFFICIENT,
  // The rest are authorization: the token is authentic and for this API, but does not grant what
  // the operation needs. RFC 6750 §3.1 answers that with 403 insufficient_scope ("the request
  // requires higher privileges than provided by the access token"); a 401 would invite the client
  // to fetch a new token that carries the same claims, and retry in a loop.
  authority_not_allowed: INSUFFICIENT,
  caller_not_allowed: INSUFFICIENT,
  guest_not_allowed: INSUFFICIENT,
  required_claim_not_met: INSUFFICIENT,
  not_in_group: INSUFFICIENT,
  // The token carries a groups overage claim instead of the list: membership is unknown.
  groups_overage: INSUFFICIENT,
  // An application's check refused with refuse(code, …) and a code of its own (kept in `reason`).
  check_refused: INSUFFICIENT,
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
  /** A refusal from an application's check: the code it passed to refuse(). */
  reason?: string;
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
  /** `check_refused` (and any refuse() from a check): the code the check gave. */
  readonly reason: string | undefined;

  constructor(code: EntraAuthErrorCode, details: EntraAuthErrorDetails) {
    // A refusal is an expected outcome, not a bug: its stack trace says nothing the code and hint
    // do not, and capturing one costs more than parsing the token (it made a flood of forged
    // tokens halve the valid-token throughput). `cause` keeps any underlying error's stack.
    const errorConstructor = Error as { stackTraceLimit?: number };
    const limit = errorConstructor.stackTraceLimit;
    errorConstructor.stackTraceLimit = 0;
    try {
      super(`${code}: ${escapeControls(details.description)}`, details.cause === undefined ? undefined : { cause: details.cause });
    } finally {
      errorConstructor.stackTraceLimit = limit;
    }
    this.name = 'EntraAuthError';
    this.code = code;
    this.status = ERROR_TRAITS[code].status;
    this.oauthError = ERROR_TRAITS[code].oauthError;
    // Hints quote token-derived values; escaping here as well means no rule, present or future,
    // can put a raw CR, LF or ESC from a token into a log line or a terminal.
    this.description = escapeControls(details.description);
    this.hint = escapeControls(details.hint);
    this.requiredScopes = details.requiredScopes;
    this.claimsChallenge = details.claimsChallenge;
    this.retryAfterSeconds = details.retryAfterSeconds;
    this.reason = details.reason;
  }
}

/** True for errors thrown by this library's verification and authorization. */
export const isEntraAuthError = (value: unknown): value is EntraAuthError => value instanceof EntraAuthError;

/** Shorthand used by the checks: `fail('issuer_mismatch', 'Issuer not accepted', 'expected …')`. */
export function authError(code: EntraAuthErrorCode, description: string, hint: string, extra: Omit<EntraAuthErrorDetails, 'description' | 'hint'> = {}): EntraAuthError {
  return new EntraAuthError(code, { description, hint, ...extra });
}

/**
 * Any failure during verification as a refusal: an {@link EntraAuthError} stays as it is; anything
 * else (a bug, an exhausted stack, a throwing option) becomes `verification_failed` with the
 * original kept as `cause`, so a client's token can never turn into a 500.
 */
export function asRefusal(error: unknown): EntraAuthError {
  if (isEntraAuthError(error)) return error;
  const what = error instanceof Error ? `${error.name}: ${error.message.slice(0, 200)}` : `a thrown ${error === null ? 'null' : typeof error}`;
  return authError(
    'verification_failed',
    'The token could not be verified.',
    `Verification failed inside entra-verify (${what}), so the token was refused. This is a bug or an option that threw (fetch, now, a tenant callback, a check); the original error is the cause. Please report it if no option of yours is at fault.`,
    { cause: error },
  );
}
