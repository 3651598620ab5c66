// Step 10 (before the route requirement): who asked for the token, and does it carry any
// permission at all.
import type { EntraAccessTokenClaims } from './claims.js';
import { authError } from './errors.js';
import { isAppOnly } from './verified-token.js';

export function checkClientApp(claims: EntraAccessTokenClaims, allowed: ReadonlySet<string> | undefined): void {
  if (!allowed) return;
  const client = typeof claims.azp === 'string' ? claims.azp : typeof claims.appid === 'string' ? claims.appid : undefined;
  if (client && allowed.has(client)) return;
  throw authError('client_not_allowed', 'The calling application is not allowed.', `The token was requested by client app ${client ?? '(none: no azp or appid claim)'}; allowedClientApps is [${[...allowed].join(', ')}]. Add the client's application id to allowedClientApps if it should call this API.`);
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
      : 'This token has neither scp nor roles. Delegated tokens carry the scopes the client requested: request "api://<api-client-id>/<scope>", not only openid/profile. If tokens without permissions are expected, set requireScopeOrRole: false.',
  );
}
