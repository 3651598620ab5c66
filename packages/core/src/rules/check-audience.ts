// Step 8: `aud` must be one of the configured audiences: exactly, or differing by one trailing
// slash. Entra writes `aud` with or without the final "/" depending on how the client asked for the
// resource, and Microsoft.IdentityModel ignores exactly that difference by default
// (TokenValidationParameters.IgnoreTrailingSlashWhenValidatingAudience = true; Validators
// AudiencesMatchIgnoringTrailingSlash: lengths differ by one and the longer ends in "/", then an
// ordinal comparison), AzureAD/azure-activedirectory-identitymodel-extensions-for-dotnet.
// Two slashes, or any difference of case, still fail. The hint names the form the token carries
// (GUID or App ID URI) and the line of configuration that would accept it.
import type { EntraAccessTokenClaims } from '../token/claims.js';
import { authError } from '../errors.js';
import { isGuid } from '../guid.js';
import { shown } from '../printable.js';

const SLASH = 0x2f;

/** `a` and `b` are equal, or equal but for one trailing "/" on one of them. Linear, no allocation. */
export function sameAudience(a: string, b: string): boolean {
  if (a.length === b.length) return a === b;
  const [longer, shorter] = a.length > b.length ? [a, b] : [b, a];
  return longer.length === shorter.length + 1 && longer.charCodeAt(shorter.length) === SLASH && longer.startsWith(shorter);
}

function matches(aud: unknown, audiences: readonly string[]): boolean {
  if (typeof aud !== 'string') return false;
  for (const configured of audiences) if (sameAudience(aud, configured)) return true;
  return false;
}

/** Step 8: throws `audience_mismatch` (or `missing_claim`) unless `aud` names this API. */
export function checkAudience(claims: EntraAccessTokenClaims, audiences: readonly string[]): void {
  const aud: unknown = claims.aud;
  // The exact forms first: that is every valid token, and costs no allocation.
  if (typeof aud === 'string') {
    if (audiences.includes(aud) || matches(aud, audiences)) return;
  } else if (Array.isArray(aud)) {
    for (const one of aud) if (audiences.includes(one) || matches(one, audiences)) return;
  }
  const tokenAudiences: unknown[] = aud === undefined ? [] : Array.isArray(aud) ? aud : [aud];
  if (tokenAudiences.length === 0) throw authError('missing_claim', 'The token has no audience.', 'The token has no "aud" claim; Entra access tokens always name the API they are for.');
  throw authError('audience_mismatch', 'The token is not intended for this API.', audienceHint(claims, tokenAudiences, audiences));
}

/** `value` without one trailing "/". */
export const withoutOneTrailingSlash = (value: string): string => (value.charCodeAt(value.length - 1) === SLASH ? value.slice(0, -1) : value);

/**
 * The App ID URI a client requests this API's scopes under, from the configured audiences as they
 * are: the first that is not a GUID (`api://…`, `https://contoso.com/api`), else `api://<client id>`,
 * the URI Entra proposes by default.
 */
export function appIdUriOf(audiences: readonly string[]): string {
  const uri = audiences.find((a) => !isGuid(a));
  return uri !== undefined ? withoutOneTrailingSlash(uri) : `api://${audiences[0] ?? '<api-client-id>'}`;
}

/** A scope's full name as a client requests it: `<App ID URI>/<scope>`. */
export const fullScope = (appIdUri: string, scope: string): string => `${withoutOneTrailingSlash(appIdUri)}/${scope}`;

/** Signs of an ID token (sent where an access token belongs): a nonce claim, or aud equal to the client with no scp or roles. */
export function looksLikeIdToken(claims: EntraAccessTokenClaims): boolean {
  const client = typeof claims.azp === 'string' ? claims.azp : typeof claims.appid === 'string' ? claims.appid : undefined;
  return claims.nonce !== undefined || (claims.scp === undefined && claims.roles === undefined && client !== undefined && claims.aud === client);
}

function audienceHint(claims: EntraAccessTokenClaims, tokenAudiences: unknown[], audiences: readonly string[]): string {
  const got = tokenAudiences.slice(0, 5).map((a) => shown(a, 200)).join(', ');
  const base = `The token's aud is ${got}${tokenAudiences.length > 5 ? ', …' : ''}; this API accepts ${audiences.map((a) => `"${a}"`).join(', ')}.`;
  const aud = tokenAudiences[0];
  const example = fullScope(appIdUriOf(audiences), '<scope>');
  if (looksLikeIdToken(claims)) {
    return `${base} This looks like an ID token (${claims.nonce !== undefined ? 'it has a nonce claim' : 'aud is the client app, no scp or roles'}): an ID token tells the client who signed in and is not an access token. Send the access token instead: have the client request a scope of this API, e.g. "${example}".`;
  }
  if (typeof aud !== 'string') return `${base} aud must be a string or an array of strings.`;
  if (isGuid(aud) && audiences.includes(`api://${aud}`)) {
    return `${base} The token carries the API's client id (GUID), the form v2 tokens use. Add "${aud}" to audience, or configure clientId: "${aud}" to accept both forms.`;
  }
  const guidInUri = aud.startsWith('api://') && isGuid(aud.slice(6)) ? aud.slice(6) : undefined;
  if (guidInUri && audiences.includes(guidInUri)) {
    return `${base} The token carries the Application ID URI, the form v1 tokens use. Add ${shown(aud, 200)} to audience, or configure clientId: "${guidInUri}" to accept both forms.`;
  }
  if (isGuid(aud) || aud.startsWith('api://') || aud.startsWith('https://')) {
    return `${base} The client requested a token for another resource. It must request a scope of this API ("${example}"); if the token is for this API under another identifier, add that value to audience.`;
  }
  return base;
}
