// Route requirements, as a pure function over a verified token. A user passes by `scopes`, an
// app-only token by `appPermissions` (Microsoft.Identity.Web's RequiredScopeOrAppPermission);
// `roles` applies to both. Comparison is exact: scopes and roles are case-sensitive strings.
import { fullScope, looksLikeIdToken } from './check-audience.js';
import { checkCallers, checkGuests, type CallerKinds, type GuestPolicy } from './callers.js';
import { runCheck, type AuthCheck } from './custom-check.js';
import { authError } from '../errors.js';
import { checkGroups } from './groups.js';
import { isGuid } from '../guid.js';
import { shown } from '../printable.js';
import { assertRequirement } from './requirement.js';
import { checkRequiredClaims, type RequiredClaim } from './required-claims.js';
import type { VerifiedAccessToken } from '../token/verified-token.js';

/** What a route needs from a verified token; see {@link authorize}. */
export interface AuthRequirement {
  /** Delegated permissions (`scp`), short names such as `Data.Read`. */
  scopes?: readonly string[];
  /** App roles (`roles`), for users or apps. */
  roles?: readonly string[];
  /** App permissions: the app-only alternative to `scopes`, checked against `roles`. */
  appPermissions?: readonly string[];
  /** Within each list: every entry (`all`, default) or one of them (`any`). */
  match?: 'all' | 'any';
  /** Conditional Access authentication context ids (`c1`…) the token must carry in `acrs`. */
  authContext?: string | readonly string[];
  /** With several authorities: the names of those whose tokens this route accepts (`authority_not_allowed` otherwise). */
  authority?: string | readonly string[];
  /** Group object ids the caller must be in (`groups` claim; `match` applies). A groups overage is refused with `groups_overage`. */
  groups?: readonly string[];
  /** Claims the token must carry, with API Management's semantics; see {@link RequiredClaim}. */
  requiredClaims?: readonly RequiredClaim[];
  /** `users` (delegated tokens only), `apps` (app-only tokens only) or `both`. */
  callers?: CallerKinds;
  /** `refuse` to keep guests of the tenant out of this route. */
  guests?: GuestPolicy;
  /** The application's own rule, run last; refuse with `throw refuse(code, description, hint)`. */
  check?: AuthCheck;
}

const has = (held: readonly string[], wanted: readonly string[], match: 'all' | 'any') =>
  match === 'any' ? wanted.some((w) => held.includes(w)) : wanted.every((w) => held.includes(w));

function base64(text: string): string {
  const bytes = new TextEncoder().encode(text);
  let binary = '';
  for (const byte of bytes) binary += String.fromCharCode(byte);
  return btoa(binary);
}

function checkAuthContext(auth: VerifiedAccessToken, requirement: AuthRequirement): void {
  if (requirement.authContext === undefined) return;
  const wanted = typeof requirement.authContext === 'string' ? [requirement.authContext] : requirement.authContext;
  const held = Array.isArray(auth.claims.acrs) ? auth.claims.acrs : [];
  const missing = wanted.filter((id) => !held.includes(id));
  if (missing.length === 0) return;
  // The claims challenge format MSAL understands: the client passes it back as `claims` and
  // Entra runs the Conditional Access policy bound to the auth context.
  const challenge = { access_token: { acrs: { essential: true, ...(missing.length === 1 ? { value: missing[0] } : { values: missing }) } } };
  throw authError('insufficient_claims', 'A stronger authentication is required for this operation.', `The route needs authentication context ${missing.join(', ')} in acrs; the token has ${held.length ? held.join(', ') : 'none'}. The client must call MSAL again with the claims challenge from WWW-Authenticate (claims=…).`, { claimsChallenge: base64(JSON.stringify(challenge)) });
}

/**
 * The full scope name a client requests, built from the token's own `aud` (which matched this
 * API's configured audiences): an App ID URI as it is, or for a GUID the default `api://<id>`.
 */
function requestedScope(auth: VerifiedAccessToken, scope: string): string {
  const aud: unknown = auth.claims.aud;
  const first = typeof aud === 'string' ? aud : Array.isArray(aud) ? aud.find((a): a is string => typeof a === 'string') : undefined;
  if (first === undefined) return `"<App ID URI>/${scope}"`;
  if (isGuid(first)) return `"api://${first}/${scope}" (or "<your App ID URI>/${scope}" if the API's App ID URI is not the default api://${first})`;
  return `"${fullScope(first, scope)}"`;
}

const idTokenNote = (auth: VerifiedAccessToken) =>
  looksLikeIdToken(auth.claims) ? ' This is an ID token, not an access token: the client must send the access token it gets for this API\'s scope.' : '';

function insufficient(described: string, hint: string, required: readonly string[]) {
  return authError('insufficient_scope', `The token lacks the ${described} this operation requires.`, hint, { requiredScopes: required });
}

function checkAuthority(auth: VerifiedAccessToken, wanted: string | readonly string[]): void {
  const names = typeof wanted === 'string' ? [wanted] : wanted;
  if (auth.authority !== undefined && names.includes(auth.authority)) return;
  throw authError(
    'authority_not_allowed',
    'Tokens from this authority cannot call this operation.',
    auth.authority === undefined
      ? `The route accepts tokens of authority ${names.map((n) => `"${n}"`).join(' or ')}, but this verifier has no named authorities (configure them with createEntraVerifier({ authorities: [...] })).`
      : `The token was accepted by authority ${shown(auth.authority, 80)}; the route accepts ${names.map((n) => `"${n}"`).join(' or ')} only.`,
  );
}

/**
 * Throws when the requirement is not met: `insufficient_scope`, `authority_not_allowed`,
 * `caller_not_allowed`, `guest_not_allowed`, `not_in_group`, `groups_overage`,
 * `required_claim_not_met` (all 403), `insufficient_claims` (401), or what the requirement's
 * check refuses with. Returns a promise only when the check does; `request` is handed to it.
 * An unknown key in the requirement throws a TypeError (it would otherwise leave the route open).
 */
export function authorize(auth: VerifiedAccessToken, requirement: AuthRequirement = {}, request?: unknown): void | Promise<void> {
  assertRequirement(requirement);
  if (requirement.authority !== undefined) checkAuthority(auth, requirement.authority);
  if (requirement.callers !== undefined) checkCallers(auth.principal.type === 'app', requirement.callers, 'the route');
  if (requirement.guests !== undefined) checkGuests(auth.principal.guest, requirement.guests, 'the route');
  const match = requirement.match ?? 'all';
  const { scopes, roles, appPermissions } = requirement;
  const appOnly = auth.principal.type === 'app';
  const fullNames = [...(scopes ?? [])].filter((s) => s.includes('/'));
  const fullNameHint = fullNames.length ? ` Note: scp holds short names such as "${fullNames[0]!.split('/').pop()}"; require that instead of "${fullNames[0]}".` : '';

  if (appOnly && appPermissions?.length) {
    if (!has(auth.roles, appPermissions, match)) {
      throw insufficient('application permission', `This app-only token has roles [${auth.roles.join(', ')}]; the route needs ${match} of [${appPermissions.join(', ')}]. Grant the app permission to the client app (API permissions > Application permissions) and grant admin consent.`, appPermissions);
    }
  } else if (scopes?.length || appPermissions?.length) {
    if (appOnly) {
      throw insufficient('application permission', `This is an app-only (client credentials) token: it has no scp, and the route accepts delegated scopes [${(scopes ?? []).join(', ')}] only. Add appPermissions to the requirement to let daemons in, or call the route with a user token.`, scopes ?? []);
    }
    if (!scopes?.length) {
      throw insufficient('application permission', `The route accepts only app-only tokens with [${(appPermissions ?? []).join(', ')}]; this is a delegated (user) token.`, appPermissions ?? []);
    }
    if (!has(auth.scopes, scopes, match)) {
      throw insufficient('scope', `The token's scp is [${auth.scopes.join(' ')}]; the route needs ${match} of [${scopes.join(' ')}]. The client must request ${requestedScope(auth, scopes[0]!)} and the user (or an admin) must consent.${fullNameHint}${idTokenNote(auth)}`, scopes);
    }
  }
  if (roles?.length && !has(auth.roles, roles, match)) {
    throw insufficient('role', `The token's roles are [${auth.roles.join(', ')}]; the route needs ${match} of [${roles.join(', ')}]. Assign the app role to the ${appOnly ? 'client app (Application permissions, then admin consent)' : 'user or group (Enterprise applications > Users and groups)'}.${idTokenNote(auth)}`, roles);
  }
  if (requirement.groups?.length) checkGroups(auth.claims, requirement.groups, match);
  if (requirement.requiredClaims?.length) checkRequiredClaims(auth.claims, requirement.requiredClaims);
  checkAuthContext(auth, requirement);
  if (requirement.check) return runCheck(requirement.check, auth, request);
}
