// The incoming token of an on-behalf-of request. v2-oauth2-on-behalf-of-flow: the `assertion` is
// "the access token that was sent to the middle-tier API. This token must have an audience (aud)
// claim of the app making this OBO request"; "the OBO flow only works for user principals"; and
// "applications with custom signing keys can't be used as middle-tier APIs".
import { decodeJwt, decodeProtectedHeader, jwtVerify, type JWTPayload } from 'jose';
import type { EntraErrorSpec } from '../entra-error.js';
import type { CryptoKeyLike } from '../portable-types.js';
import { badUserAssertion, userAssertionExpired } from '../protocol-errors.js';

export interface UserAssertionContext {
  now(): number;
  /** The public key of a signing key the fake publishes for every app (not an app's own key), by kid. */
  sharedKey(kid: string): CryptoKeyLike | undefined;
  /** The issuers the fake writes for a tenant (v1 and v2). */
  issuers(tenantId: string): string[];
  /** The `aud` values that name the calling middle tier (its appId, its Application ID URI). */
  audiences: string[];
}

export async function verifyUserAssertion(assertion: string, ctx: UserAssertionContext): Promise<{ claims: JWTPayload } | { error: EntraErrorSpec }> {
  let kid: unknown;
  try {
    kid = decodeProtectedHeader(assertion).kid;
  } catch {
    return { error: badUserAssertion('The assertion is not a signed JWT (an encrypted token cannot be exchanged).') };
  }
  const key = typeof kid === 'string' ? ctx.sharedKey(kid) : undefined;
  if (!key) return { error: badUserAssertion('It is not signed by a key this tenant publishes for all apps.') };
  let claims: JWTPayload;
  try {
    ({ payload: claims } = await jwtVerify(assertion, key, { algorithms: ['RS256'], currentDate: new Date(ctx.now()), requiredClaims: ['exp'] }));
  } catch (error) {
    if ((error as { code?: unknown }).code === 'ERR_JWT_EXPIRED') return { error: userAssertionExpired(Number(decodeJwt(assertion).exp), ctx.now()) };
    return { error: badUserAssertion('Its signature is invalid.') };
  }
  const tid = typeof claims.tid === 'string' ? claims.tid : '';
  if (!claims.iss || !ctx.issuers(tid).includes(claims.iss)) return { error: badUserAssertion(`Unexpected issuer ${JSON.stringify(claims.iss)}.`) };
  const audience = Array.isArray(claims.aud) ? claims.aud : [claims.aud];
  if (!audience.some((aud) => aud !== undefined && ctx.audiences.includes(aud))) {
    return { error: badUserAssertion(`Its audience ${JSON.stringify(claims.aud)} is not the client app making the request.`) };
  }
  if (claims.idtyp === 'app' || typeof claims.scp !== 'string') return { error: badUserAssertion('It is an app-only token; on-behalf-of needs a user.') };
  return { claims };
}
