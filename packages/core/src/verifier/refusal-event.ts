// The `token_rejected` event of a refusal: the error's code and hint, and who was refused, read
// from the verified claims when the signature held, else (marked unverified) from the payload.
import type { EntraAuthError } from '../errors.js';
import type { TokenRejectedEvent } from '../events.js';
import type { VerificationState } from '../rules/verification-steps.js';
import { attributionOf, requirementSummary, unverifiedClaims } from '../token/attribution.js';
import type { VerifiedAccessToken } from '../token/verified-token.js';

/** What is known about a refused token. */
export interface RefusalContext {
  /** The verified token, when the refusal came after verification (a requirement, a check, a binding). */
  auth?: VerifiedAccessToken;
  /** The verification's state, when a rule refused the token. */
  state?: VerificationState;
  /** The route's requirement. */
  requirement?: object;
  /** How the event names the authority. */
  authority?: string;
}

/** The event for a refusal; never holds the token. */
export function refusalEvent(error: EntraAuthError, context: RefusalContext): TokenRejectedEvent {
  const { auth, state } = context;
  const attribution = auth
    ? attributionOf(auth.claims, true)
    : state?.claims
      ? attributionOf(state.claims, true)
      : attributionOf(unverifiedClaims(state?.parsed?.payload), false);
  const requirement = requirementSummary(context.requirement);
  const authority = auth?.authority ?? context.authority;
  return {
    type: 'token_rejected',
    code: error.code,
    status: error.status,
    description: error.description,
    hint: error.hint,
    ...(error.code === 'verification_failed' ? { cause: error.cause } : {}),
    ...attribution,
    ...(authority === undefined ? {} : { authority }),
    ...(requirement === undefined ? {} : { requirement }),
  };
}
