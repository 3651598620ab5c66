// Step 9: `exp` is required and `nbf` honoured, each with the clock tolerance. Hints give the
// distance in words, so clock skew is easy to tell from a stale token.
import type { EntraAccessTokenClaims } from '../token/claims.js';
import { durationInWords as inWords } from '../duration-in-words.js';
import { authError } from '../errors.js';

/** ISO time, or the raw number when it is outside what a Date can hold (a hand-made token). */
const iso = (seconds: number) => (Math.abs(seconds) <= 8.64e12 ? new Date(seconds * 1000).toISOString() : `${seconds} s since the epoch, outside any date`);

/**
 * Whether the clock is a finite time inside [nbf, exp], each widened by the tolerance: what
 * {@link checkLifetime} accepts, as a yes or no (the adapters' cached path asks without refusing).
 */
export function isWithinLifetime(claims: EntraAccessTokenClaims, nowMs: number, toleranceSeconds: number): boolean {
  const now = nowMs / 1000;
  return Number.isFinite(now) && claims.exp !== undefined && now <= claims.exp + toleranceSeconds && (claims.nbf === undefined || now + toleranceSeconds >= claims.nbf);
}

export function checkLifetime(claims: EntraAccessTokenClaims, nowMs: number, toleranceSeconds: number): void {
  if (isWithinLifetime(claims, nowMs, toleranceSeconds)) return;
  const now = nowMs / 1000;
  // A broken injected clock must fail closed: with NaN every comparison below is false, which
  // would accept expired tokens.
  if (!Number.isFinite(now)) {
    throw authError('verification_failed', 'The token could not be verified.', `The clock (the now option) returned ${String(nowMs)}, not a finite number of milliseconds, so token lifetimes cannot be checked and every token is refused. Fix the now option.`);
  }
  if (claims.exp === undefined) {
    throw authError('missing_claim', 'The token has no expiry.', 'The token has no "exp" claim. Entra access tokens always expire (60-90 minutes); a token without exp would be valid forever and is refused.');
  }
  if (now > claims.exp + toleranceSeconds) {
    throw authError(
      'token_expired',
      'The access token has expired.',
      `The token expired ${inWords(now - claims.exp)} ago (exp ${iso(claims.exp)}, server time ${iso(now)}, tolerance ${toleranceSeconds} s). Clients should acquire a fresh token (MSAL's acquireTokenSilent renews it); if tokens look fresh to the client, this server's clock is ahead.`,
    );
  }
  if (claims.nbf !== undefined && now + toleranceSeconds < claims.nbf) {
    throw authError(
      'token_not_yet_valid',
      'The access token is not valid yet.',
      `The token becomes valid in ${inWords(claims.nbf - now)} (nbf ${iso(claims.nbf)}, server time ${iso(now)}, tolerance ${toleranceSeconds} s). This server's clock is probably behind: check NTP.`,
    );
  }
}
