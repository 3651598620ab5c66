// Step 10 (before the route requirement): is this an access token at all, who asked for it, and
// does it carry any permission.
import type { EntraAccessTokenClaims } from '../token/claims.js';
import { authError } from '../errors.js';
import { shown } from '../printable.js';
import { isAppOnly } from '../token/verified-token.js';

/** `azp` (v2 and B2C) or `appid` (v1): the client application the token was issued to. */
export const clientAppOf = (claims: EntraAccessTokenClaims): string | undefined =>
  typeof claims.azp === 'string' && claims.azp !== '' ? claims.azp : typeof claims.appid === 'string' && claims.appid !== '' ? claims.appid : undefined;

/**
 * Entra access tokens always name the client app (`azp` in v2, `appid` in v1; Microsoft's access
 * token claims reference) and never carry a `nonce` claim; ID tokens are the other way round.
 * When client and API share one app registration an ID token even has the right `aud`, so without
 * this rule it would pass as an access token, app roles and all.
 */
export function checkAccessToken(claims: EntraAccessTokenClaims): void {
  const hasNonce = claims.nonce !== undefined;
  const client = clientAppOf(claims);
  if (client !== undefined && !hasNonce) return;
  const why = hasNonce ? (client === undefined ? 'has a "nonce" claim and neither "azp" nor "appid"' : 'has a "nonce" claim') : 'has neither "azp" nor "appid"';
  throw authError(
    'not_access_token',
    'The token is not an access token.',
    `The token ${why}: it is an ID token (or another token that is not an access token). ID tokens tell a client app who signed in; they are not meant for APIs, even when client and API share one app registration. ` +
      'The client must send an access token: have it request a scope of this API (in MSAL, acquireTokenSilent with scopes: ["<Application ID URI>/<scope>"]) and send that token instead of the id_token.',
  );
}

export function checkClientApp(claims: EntraAccessTokenClaims, allowed: ReadonlySet<string> | undefined): void {
  if (!allowed) return;
  const client = clientAppOf(claims);
  if (client && allowed.has(client)) return;
  throw authError('client_not_allowed', 'The calling application is not allowed.', `The token was requested by client app ${client === undefined ? '(none)' : shown(client, 80)}; allowedClientApps is [${[...allowed].join(', ')}]. Add the client's application id to allowedClientApps if it should call this API.`);
}

export function checkScopeOrRole(claims: EntraAccessTokenClaims, required: boolean): void {
  if (!required) return;
  const hasScope = typeof claims.scp === 'string' && claims.scp.trim() !== '';
  const hasRole = Array.isArray(claims.roles) && claims.roles.length > 0;
  if (hasScope || hasRole) return;
  throw authError(
    'no_scope_or_role',
    'The token grants no permission to this API.',
    isAppOnly(claims)
      ? 'This client-credentials (app-only) token has no roles: the client app holds no application permission on this API. Define an app role for applications on the API registration (App roles, allowed member types: Applications), add it under the client\'s API permissions > Application permissions, and grant admin consent.'
      : 'This token has neither scp nor roles. Delegated tokens carry the scopes the client requested: request a scope of this API (its Application ID URI followed by /<scope>), not only openid/profile. If tokens without permissions are expected, set requireScopeOrRole: false.',
  );
}
