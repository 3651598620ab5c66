// The answer to every delegated grant (authorization code, refresh token, device code,
// on-behalf-of): an access token for one resource, plus an ID token for `openid`, a refresh token
// for `offline_access`, and `client_info` when asked. Shapes from v2-oauth2-auth-code-flow
// ("Successful response": token_type, expires_in, scope, refresh_token "Only provided if
// offline_access scope was requested", id_token "Only provided if openid scope was requested") and
// msal-common's ServerAuthorizationTokenResponse (`client_info`, `refresh_token_expires_in`).
import { base64url } from 'jose';
import { grantsFor, type FakeClientApp, type FakeUser } from '../directory.js';
import { consentMissing, invalidScope, resourceNotFound, unknownScope } from '../protocol-errors.js';
import { findApi, GRAPH_RESOURCE, OIDC_SCOPES, parseScopeRequest } from '../scope-request.js';
import { ACCESS_TOKEN_LIFETIME, failWith, type GrantContext } from './grant-context.js';

export interface DelegatedTokenRequest {
  tenantId: string;
  client: FakeClientApp;
  user: FakeUser;
  /** The token request's `scope`: one resource plus OpenID Connect scopes. */
  scope: string;
  nonce?: string | undefined;
  sessionId?: string | undefined;
  /** `client_info=1` was sent (MSAL always sends it). */
  clientInfo: boolean;
  /** Issue a refresh token (when `offline_access` is asked): through a SPA redirect URI, with its fixed expiry. */
  refresh?: { spa: boolean; carriedExpiry?: number | undefined } | undefined;
  /** Answer with an ID token and a refresh token whatever the OpenID scopes (the device-code grant does). */
  always?: boolean;
}

/**
 * client_info as msal-common reads it (src/account/ClientInfo.ts, buildClientInfo): base64url JSON
 * with `uid` (the user's object id) and `utid` (the tenant id), MSAL's home account id `uid.utid`.
 */
export const clientInfoFor = (user: FakeUser, tenantId: string): string =>
  base64url.encode(new TextEncoder().encode(JSON.stringify({ uid: user.objectId, utid: tenantId })));

export async function delegatedTokenResponse(ctx: GrantContext, request: DelegatedTokenRequest): Promise<Response> {
  const { tenantId, client, user } = request;
  const parsed = parseScopeRequest(request.scope);
  if ('error' in parsed) return failWith(ctx, invalidScope(parsed.error));

  let accessToken: string;
  let granted: string[];
  if (!parsed.resource || parsed.resource === GRAPH_RESOURCE || parsed.resource === `${GRAPH_RESOURCE}/`) {
    // Only OpenID scopes, or Graph scopes: Entra answers with a Microsoft Graph token.
    const graphScopes = [...new Set(['openid', 'profile', 'email', ...(parsed.scopes.length ? parsed.scopes : ['User.Read'])])];
    accessToken = await ctx.mintGraphToken({ tenantId, client, user, scopes: graphScopes });
    granted = graphScopes.map((s) => (OIDC_SCOPES.has(s) ? s : `${GRAPH_RESOURCE}/${s}`));
  } else {
    const api = findApi(ctx.apis, parsed.resource);
    if (!api) return failWith(ctx, resourceNotFound(parsed.resource, tenantId));
    const unknown = parsed.scopes.find((s) => s !== '.default' && !api.scopes.includes(s));
    if (unknown) return failWith(ctx, unknownScope(client.displayName, unknown, api.appId));
    const asked = parsed.scopes.includes('.default') ? [...api.scopes] : parsed.scopes;
    const missing = ctx.consent.missing(user.objectId, client.clientId, asked.map((scope) => ({ apiAppId: api.appId, scope })));
    // `.default` means "what was consented", so it never asks for more.
    const scopes = parsed.scopes.includes('.default') ? asked.filter((s) => !missing.some((m) => m.scope === s)) : asked;
    if (!parsed.scopes.includes('.default') && missing.length > 0) return failWith(ctx, consentMissing('invalid_grant', client.clientId));
    accessToken = await ctx.mintAccessToken({ tenantId, api, client, user, scopes, roles: grantsFor(user.appRoles, api) });
    granted = scopes.map((s) => `${parsed.resource}/${s}`);
  }

  const body: Record<string, unknown> = {
    token_type: 'Bearer',
    scope: [...granted, ...parsed.oidc.filter((s) => !granted.includes(s))].join(' '),
    expires_in: ACCESS_TOKEN_LIFETIME,
    ext_expires_in: ACCESS_TOKEN_LIFETIME,
    access_token: accessToken,
  };
  if (request.refresh && (request.always || parsed.oidc.includes('offline_access'))) {
    const issued = ctx.refreshTokens.issue({ clientId: client.clientId, user, tenantId, spa: request.refresh.spa, scope: request.scope }, request.refresh.carriedExpiry);
    body.refresh_token = issued.token;
    if (issued.expiresIn !== undefined) body.refresh_token_expires_in = issued.expiresIn;
  }
  if (request.always || parsed.oidc.includes('openid')) body.id_token = await ctx.mintIdToken({ tenantId, client, user, nonce: request.nonce, sessionId: request.sessionId });
  if (request.clientInfo) body.client_info = clientInfoFor(user, tenantId);
  return new Response(JSON.stringify(body), { status: 200, headers: { 'content-type': 'application/json; charset=utf-8', 'cache-control': 'no-store, no-cache' } });
}
