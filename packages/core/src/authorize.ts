// Route requirements, as a pure function over a verified token. A user passes by `scopes`, an
// app-only token by `appPermissions` (Microsoft.Identity.Web's RequiredScopeOrAppPermission);
// `roles` applies to both. Comparison is exact: scopes and roles are case-sensitive strings.
import { authError } from './errors.js';
import type { VerifiedAccessToken } from './verified-token.js';

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

function insufficient(described: string, hint: string, required: readonly string[]) {
  return authError('insufficient_scope', `The token lacks the ${described} this operation requires.`, hint, { requiredScopes: required });
}

/** Throws `insufficient_scope` (403) or `insufficient_claims` (401) when the requirement is not met. */
export function authorize(auth: VerifiedAccessToken, requirement: AuthRequirement = {}): void {
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
      throw insufficient('scope', `The token's scp is [${auth.scopes.join(' ')}]; the route needs ${match} of [${scopes.join(' ')}]. The client must request "api://<api-client-id>/${scopes[0]}" and the user (or an admin) must consent.${fullNameHint}`, scopes);
    }
  }
  if (roles?.length && !has(auth.roles, roles, match)) {
    throw insufficient('role', `The token's roles are [${auth.roles.join(', ')}]; the route needs ${match} of [${roles.join(', ')}]. Assign the app role to the ${appOnly ? 'client app (Application permissions, then admin consent)' : 'user or group (Enterprise applications > Users and groups)'}.`, roles);
  }
  checkAuthContext(auth, requirement);
}
