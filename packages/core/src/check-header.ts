// Step 2: the header must name an allowed algorithm and a key, and the token must not be one
// that only Microsoft can verify (Graph tokens carry a `nonce` header and a Graph audience).
import type { EntraAccessTokenClaims, JwsHeader } from './claims.js';
import { authError } from './errors.js';

/** Microsoft Graph and Azure AD Graph audiences in every cloud. */
const GRAPH_AUDIENCES = new Set([
  '00000003-0000-0000-c000-000000000000',
  'https://graph.microsoft.com',
  'https://graph.microsoft.us',
  'https://dod-graph.microsoft.us',
  'https://microsoftgraph.chinacloudapi.cn',
  '00000002-0000-0000-c000-000000000000',
  'https://graph.windows.net',
]);

const audiences = (aud: EntraAccessTokenClaims['aud'] | undefined): string[] => (aud === undefined ? [] : typeof aud === 'string' ? [aud] : aud);

/** Whether an `aud` value names Microsoft Graph (or Azure AD Graph) in any cloud. */
export const isGraphAudience = (aud: string): boolean => GRAPH_AUDIENCES.has(aud.replace(/\/+$/, ''));

/** Graph tokens (Graph `aud`, or a `nonce` header) can only be verified by Graph. */
export function checkNotGraphToken(header: JwsHeader, claims: EntraAccessTokenClaims, exampleAudience: string): void {
  const graphAudience = audiences(claims.aud).find(isGraphAudience);
  if (header.nonce === undefined && !graphAudience) return;
  const scopeExample = exampleAudience.startsWith('api://') ? `${exampleAudience}/<scope>` : `api://${exampleAudience}/<scope>`;
  throw authError(
    'graph_token',
    'The token is for Microsoft Graph, not for this API.',
    `The token ${graphAudience ? `has aud "${graphAudience}" (Microsoft Graph)` : 'has a "nonce" header, as Microsoft Graph tokens do'}; only Graph can verify such tokens. ` +
      `The client asked for Graph scopes (e.g. User.Read or only openid/profile). Request this API's scope instead, e.g. scopes: ["${scopeExample}"] (or "${exampleAudience.startsWith('api://') ? exampleAudience : `api://${exampleAudience}`}/.default" for client credentials).`,
  );
}

/** The algorithm must be allowed, and no JWS extension (`crit`, `b64`) may be in play. */
export function checkAlgorithm(header: JwsHeader, allowed: ReadonlySet<string>): void {
  const alg = header.alg;
  if (typeof alg !== 'string' || !allowed.has(alg)) {
    const shown = typeof alg === 'string' ? alg.slice(0, 20) : typeof alg;
    throw authError(
      'algorithm_not_allowed',
      'The token signing algorithm is not accepted.',
      `The token header says alg "${shown}"; accepted: ${[...allowed].join(', ')}. Entra signs access tokens with RS256. ${/^(none|HS\d+)$/i.test(shown) ? 'An unsigned or HMAC token claiming to be from Entra is forged.' : ''}`.trim(),
    );
  }
  if (header.crit !== undefined || header.b64 !== undefined) {
    throw authError('malformed_token', 'The token uses JWS extensions this API does not support.', `The header has ${header.crit !== undefined ? `crit ${JSON.stringify(header.crit).slice(0, 80)}` : `b64 ${JSON.stringify(header.b64)}`}. Entra never sets critical or b64 header parameters, and RFC 7515 requires refusing unknown critical ones.`);
  }
}

/** The key id to look up: `kid`, or `x5t` on old v1 tokens. */
export function keyIdOf(header: JwsHeader): string {
  const kid = typeof header.kid === 'string' && header.kid !== '' ? header.kid : typeof header.x5t === 'string' && header.x5t !== '' ? header.x5t : undefined;
  if (!kid) throw authError('malformed_token', 'The token does not name its signing key.', 'The token header has neither "kid" nor "x5t", so the signing key cannot be chosen. Entra always sets kid.');
  return kid;
}
