// Step 8: `aud` must be one of the configured audiences, exactly. The hint names the form the
// token carries (GUID or App ID URI) and the line of configuration that would accept it.
import type { EntraAccessTokenClaims } from './claims.js';
import { authError } from './errors.js';
import { isGuid } from './guid.js';

export function checkAudience(claims: EntraAccessTokenClaims, audiences: readonly string[]): void {
  const tokenAudiences = claims.aud === undefined ? [] : typeof claims.aud === 'string' ? [claims.aud] : claims.aud;
  if (tokenAudiences.some((aud) => audiences.includes(aud))) return;
  if (tokenAudiences.length === 0) throw authError('missing_claim', 'The token has no audience.', 'The token has no "aud" claim; Entra access tokens always name the API they are for.');
  throw authError('audience_mismatch', 'The token is not intended for this API.', audienceHint(claims, tokenAudiences, audiences));
}

function audienceHint(claims: EntraAccessTokenClaims, tokenAudiences: string[], audiences: readonly string[]): string {
  const got = tokenAudiences.map((a) => `"${a.slice(0, 200)}"`).join(', ');
  const base = `The token's aud is ${got}; this API accepts ${audiences.map((a) => `"${a}"`).join(', ')}.`;
  const aud = tokenAudiences[0]!;
  const client = typeof claims.azp === 'string' ? claims.azp : typeof claims.appid === 'string' ? claims.appid : undefined;
  const looksLikeIdToken = claims.nonce !== undefined || (claims.scp === undefined && claims.roles === undefined && aud === client);
  if (looksLikeIdToken) {
    return `${base} This looks like an ID token (aud is the client app${claims.nonce !== undefined ? ', it has a nonce claim' : ''}, no scp or roles). Send the access token instead: have the client request a scope of this API, e.g. "api://<api-client-id>/<scope>".`;
  }
  if (isGuid(aud) && audiences.includes(`api://${aud}`)) {
    return `${base} The token carries the API's client id (GUID), the form v2 tokens use. Add "${aud}" to audience, or configure clientId: "${aud}" to accept both forms.`;
  }
  const guidInUri = /^api:\/\/([0-9a-f-]{36})$/i.exec(aud)?.[1];
  if (guidInUri && audiences.includes(guidInUri)) {
    return `${base} The token carries the Application ID URI, the form v1 tokens use. Add "${aud}" to audience, or configure clientId: "${guidInUri}" to accept both forms.`;
  }
  if (isGuid(aud) || aud.startsWith('api://') || aud.startsWith('https://')) {
    return `${base} The client requested a token for another resource. It must request a scope of this API ("${audiences.find((a) => a.startsWith('api://')) ?? `api://${audiences[0]}`}/<scope>"); if the token is for this API under another identifier, add that value to audience.`;
  }
  return base;
}
