// Step 9: `exp` is required and `nbf` honoured, each with the clock tolerance. Hints give the
// distance in words, so clock skew is easy to tell from a stale token.
import type { EntraAccessTokenClaims } from './claims.js';
import { durationInWords as inWords } from './duration-in-words.js';
import { authError } from './errors.js';

const iso = (seconds: number) => new Date(seconds * 1000).toISOString();

export function checkLifetime(claims: EntraAccessTokenClaims, nowMs: number, toleranceSeconds: number): void {
  const now = nowMs / 1000;
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
