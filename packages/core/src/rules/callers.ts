// Who may call at all: users, apps (client credentials), or both; and whether guests (B2B users
// of the tenant) are let in.
//
// Guests: `acct` decides when the token has it (optional claim, "0" member, "1" guest: Microsoft's
// optional claims reference, https://learn.microsoft.com/entra/identity-platform/optional-claims-reference).
// Without it, `idp`: "identical to the value of the Issuer claim unless the user account isn't in
// the same tenant as the issuer, such as guests. Use the value of iss if the claim isn't present"
// (access token claims reference, `idp`). So a workforce token whose idp is neither its iss nor an
// issuer of its own tenant is a guest's (`live.com` for personal accounts invited as guests). In
// Azure AD B2C and External ID, idp names the social or federated provider a customer signed in
// with, not a home tenant: there only `acct` says "guest".
import { authError } from '../errors.js';
import type { EntraAccessTokenClaims } from '../token/claims.js';
import { issuerTenant } from '../token/issuer.js';
import { isAppOnly } from '../token/verified-token.js';

/** Which callers a verifier or a route accepts: delegated (user) tokens, app-only tokens, or both. */
export type CallerKinds = 'users' | 'apps' | 'both';

/** Whether guests of the tenant (`acct` 1, or a foreign `idp`) are accepted. */
export type GuestPolicy = 'allow' | 'refuse';

/** A guest's token: see the sources at the top of this file. `customerAuthority`: B2C / External ID (discovery mode). */
export function isGuest(claims: EntraAccessTokenClaims, customerAuthority: boolean): boolean {
  if (isAppOnly(claims)) return false;
  const acct: unknown = claims.acct;
  if (acct === 1 || acct === '1') return true;
  if (acct === 0 || acct === '0') return false;
  if (customerAuthority) return false;
  const idp: unknown = claims.idp;
  if (typeof idp !== 'string' || idp === claims.iss) return false;
  const tid = typeof claims.tid === 'string' ? claims.tid.toLowerCase() : undefined;
  return tid === undefined || issuerTenant(idp)?.toLowerCase() !== tid;
}

/** Throws `caller_not_allowed` (403) when the token's kind of caller is not accepted. */
export function checkCallers(appOnly: boolean, callers: CallerKinds, where: string): void {
  if (callers === 'both' || (callers === 'apps') === appOnly) return;
  throw authError(
    'caller_not_allowed',
    appOnly ? 'Applications cannot call this operation on their own.' : 'Only applications can call this operation.',
    appOnly
      ? `This is an app-only (client credentials) token, and ${where} accepts users only (callers: 'users'). Call it with a delegated token (a user signed in to the client), or set callers: 'both'.`
      : `This is a delegated (user) token, and ${where} accepts app-only tokens only (callers: 'apps'): daemons and services with client credentials.`,
  );
}

/** Throws `guest_not_allowed` (403) for a guest when guests are refused. */
export function checkGuests(guest: boolean, guests: GuestPolicy, where: string): void {
  if (!guest || guests === 'allow') return;
  throw authError('guest_not_allowed', 'Guest accounts cannot call this operation.', `The user is a guest of the tenant (acct 1, or an idp other than the tenant's own issuer), and ${where} refuses guests (guests: 'refuse'). Make the user a member, or set guests: 'allow'.`);
}

/** Check a `callers` / `guests` value as written. */
export function checkedCallers(value: unknown, where: string): CallerKinds | undefined {
  if (value === undefined || value === 'users' || value === 'apps' || value === 'both') return value;
  throw new TypeError(`entra-verify: ${where} callers must be "users", "apps" or "both"`);
}

/** Check a `guests` value as written. */
export function checkedGuests(value: unknown, where: string): GuestPolicy | undefined {
  if (value === undefined || value === 'allow' || value === 'refuse') return value;
  throw new TypeError(`entra-verify: ${where} guests must be "allow" or "refuse"`);
}
