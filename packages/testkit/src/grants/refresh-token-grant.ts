// grant_type=refresh_token (v2-oauth2-auth-code-flow, "Refresh the access token"): the token must
// belong to the calling client and be neither revoked nor past a SPA token's 24 hours; a SPA's token
// is redeemed cross-origin like its code. Each use answers with a new refresh token.
import { isConfidential } from '../directory.js';
import {
  crossOriginNotSpa,
  grantExpired,
  missingParameter,
  refreshTokenInvalid,
  refreshTokenRevoked,
  spaRefreshTokenExpired,
  spaWithoutOrigin,
  unknownClient,
} from '../protocol-errors.js';
import { authenticateClient, readCredentials } from './client-authentication.js';
import { delegatedTokenResponse } from './delegated-tokens.js';
import { failWith, type GrantContext, type TokenRequestMeta } from './grant-context.js';

export async function refreshTokenGrant(ctx: GrantContext, form: URLSearchParams, meta: TokenRequestMeta): Promise<Response> {
  const presented = readCredentials(form, meta.authorization);
  const client = ctx.findClient(presented.clientId);
  if (!client) return failWith(ctx, unknownClient(presented.clientId));
  const token = form.get('refresh_token');
  if (!token) return failWith(ctx, missingParameter('refresh_token'));

  const used = ctx.refreshTokens.use(token, client.clientId);
  if ('problem' in used) {
    if (used.problem === 'revoked') return failWith(ctx, refreshTokenRevoked());
    if (used.problem === 'expired') return failWith(ctx, used.issuedAt !== undefined ? spaRefreshTokenExpired(used.issuedAt) : grantExpired());
    return failWith(ctx, refreshTokenInvalid());
  }
  const { grant } = used;
  if (meta.origin && !grant.spa) return failWith(ctx, crossOriginNotSpa(meta.origin));
  if (!meta.origin && grant.spa) return failWith(ctx, spaWithoutOrigin());
  const refused = await authenticateClient(client, presented, !grant.spa && isConfidential(client), { now: ctx.now, audiences: meta.endpointUrls, origin: meta.origin });
  if (refused) return failWith(ctx, refused);

  return delegatedTokenResponse(ctx, {
    tenantId: grant.tenantId,
    client,
    user: grant.user,
    scope: form.get('scope') ?? grant.scope,
    clientInfo: form.get('client_info') === '1',
    refresh: { spa: grant.spa, carriedExpiry: grant.expiresAt },
  });
}
