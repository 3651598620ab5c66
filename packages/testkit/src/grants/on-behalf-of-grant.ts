// grant_type=urn:ietf:params:oauth:grant-type:jwt-bearer with requested_token_use=on_behalf_of
// (v2-oauth2-on-behalf-of-flow): a confidential middle tier exchanges the user's access token for one
// to a downstream API; the user (and their app roles) carry over, the middle tier becomes `azp`.
import type { FakeUser } from '../directory.js';
import { invalidParameter, missingParameter, unknownClient } from '../protocol-errors.js';
import { authenticateClient, readCredentials } from './client-authentication.js';
import { delegatedTokenResponse } from './delegated-tokens.js';
import { failWith, type GrantContext, type TokenRequestMeta } from './grant-context.js';
import { verifyUserAssertion } from './user-assertion.js';

export const JWT_BEARER_GRANT = 'urn:ietf:params:oauth:grant-type:jwt-bearer';

export async function onBehalfOfGrant(ctx: GrantContext, form: URLSearchParams, meta: TokenRequestMeta): Promise<Response> {
  if (form.get('requested_token_use') !== 'on_behalf_of') return failWith(ctx, invalidParameter('requested_token_use'));
  const presented = readCredentials(form, meta.authorization);
  const client = ctx.findClient(presented.clientId);
  if (!client) return failWith(ctx, unknownClient(presented.clientId));
  const refused = await authenticateClient(client, presented, true, { now: ctx.now, audiences: meta.endpointUrls, origin: meta.origin });
  if (refused) return failWith(ctx, refused);
  const assertion = form.get('assertion');
  if (!assertion) return failWith(ctx, missingParameter('assertion'));
  const scope = form.get('scope');
  if (!scope) return failWith(ctx, missingParameter('scope'));

  const ownApis = ctx.apis.filter((api) => api.appId === client.clientId);
  const verified = await verifyUserAssertion(assertion, {
    now: ctx.now,
    sharedKey: ctx.sharedKey,
    issuers: ctx.issuers,
    audiences: [client.clientId, ...ownApis.map((api) => api.identifierUri)],
  });
  if ('error' in verified) return failWith(ctx, verified.error);
  const { claims } = verified;
  const oid = String(claims.oid ?? '');
  const user: FakeUser = ctx.users.find((u) => u.objectId === oid) ?? {
    objectId: oid,
    name: String(claims.name ?? ''),
    givenName: String(claims.given_name ?? ''),
    familyName: String(claims.family_name ?? ''),
    username: String(claims.preferred_username ?? claims.upn ?? ''),
    appRoles: {},
  };
  return delegatedTokenResponse(ctx, {
    tenantId: String(claims.tid),
    client,
    user,
    scope,
    clientInfo: form.get('client_info') === '1',
    refresh: { spa: false },
  });
}
