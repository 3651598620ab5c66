// grant_type=authorization_code (v2-oauth2-auth-code-flow, "Redeem a code for an access token"):
// the code is single use and bound to its client and redirect URI; PKCE is verified (RFC 7636 §4.6);
// a code issued to a `spa` redirect URI is redeemed only cross-origin and only with PKCE, one issued
// to another platform never cross-origin ("Redirect URIs for single-page apps").
import { isConfidential } from '../directory.js';
import {
  codeRedeemed,
  codeRedirectMismatch,
  codeUnknown,
  crossOriginNotSpa,
  grantExpired,
  missingParameter,
  pkceMismatch,
  pkceRequired,
  spaWithoutOrigin,
  unknownClient,
} from '../protocol-errors.js';
import { authenticateClient, readCredentials } from './client-authentication.js';
import { delegatedTokenResponse } from './delegated-tokens.js';
import { failWith, type GrantContext, type TokenRequestMeta } from './grant-context.js';
import { verifiesChallenge } from './pkce.js';

export async function authorizationCodeGrant(ctx: GrantContext, form: URLSearchParams, meta: TokenRequestMeta): Promise<Response> {
  const presented = readCredentials(form, meta.authorization);
  const client = ctx.findClient(presented.clientId);
  if (!client) return failWith(ctx, unknownClient(presented.clientId));
  const code = form.get('code');
  if (!code) return failWith(ctx, missingParameter('code'));

  const redeemed = ctx.codes.redeem(code);
  if ('problem' in redeemed) return failWith(ctx, redeemed.problem === 'redeemed' ? codeRedeemed() : redeemed.problem === 'expired' ? grantExpired() : codeUnknown());
  const { grant } = redeemed;
  if (grant.clientId !== client.clientId) return failWith(ctx, codeUnknown());
  if (form.get('redirect_uri') !== grant.redirectUri) return failWith(ctx, codeRedirectMismatch());

  if (meta.origin && grant.platform !== 'spa') return failWith(ctx, crossOriginNotSpa(meta.origin));
  if (!meta.origin && grant.platform === 'spa') return failWith(ctx, spaWithoutOrigin());
  const refused = await authenticateClient(client, presented, grant.platform === 'web' && isConfidential(client), {
    now: ctx.now,
    audiences: meta.endpointUrls,
    origin: meta.origin,
  });
  if (refused) return failWith(ctx, refused);

  if (grant.codeChallenge !== undefined) {
    const verifier = form.get('code_verifier');
    if (!verifier || !(await verifiesChallenge(verifier, grant.codeChallenge, grant.codeChallengeMethod))) return failWith(ctx, pkceMismatch());
  } else if (grant.platform === 'spa') {
    return failWith(ctx, pkceRequired());
  }

  return delegatedTokenResponse(ctx, {
    tenantId: grant.tenantId,
    client,
    user: grant.user,
    // Optional here: "if omitted, the token is for the scopes requested on the initial leg".
    scope: form.get('scope') ?? grant.scope,
    nonce: grant.nonce,
    sessionId: grant.sessionId,
    clientInfo: form.get('client_info') === '1',
    refresh: { spa: grant.platform === 'spa' },
  });
}
