// Step 2: the header must name an allowed algorithm and a key, and the token must not be one
// that only Microsoft can verify (Graph tokens carry a `nonce` header and a Graph audience; the
// audience is looked at once the claims are parsed, after the signature).
import type { EntraAccessTokenClaims, JwsHeader } from '../token/claims.js';
import { appIdUriOf, fullScope } from './check-audience.js';
import { authError } from '../errors.js';
import { shown, typeName } from '../printable.js';

/**
 * Microsoft Graph and Azure AD Graph audiences in every cloud: the Graph app ids, and the Graph
 * hosts of Microsoft Graph's national cloud deployments (https://learn.microsoft.com/graph/deployments)
 * and of the partner sovereign clouds (graph.svc.sovcloud.fr / .de / .sg: Microsoft Graph
 * PowerShell's built-in BleuCloud, DelosCloud and GovSGCloud environments, msgraph-sdk-powershell).
 */
const GRAPH_AUDIENCES = new Set([
  '00000003-0000-0000-c000-000000000000',
  'https://graph.microsoft.com',
  'https://graph.microsoft.us',
  'https://dod-graph.microsoft.us',
  'https://microsoftgraph.chinacloudapi.cn',
  'https://graph.svc.sovcloud.fr',
  'https://graph.svc.sovcloud.de',
  'https://graph.svc.sovcloud.sg',
  '00000002-0000-0000-c000-000000000000',
  'https://graph.windows.net',
]);

/**
 * Whether an `aud` value names Microsoft Graph (or Azure AD Graph) in any cloud. One trailing "/"
 * is ignored, as in audience checks; a charCodeAt test, not a trailing-slash regex (which is quadratic on a long
 * run of "/" that does not end the string).
 */
export const isGraphAudience = (aud: string): boolean =>
  typeof aud === 'string' && GRAPH_AUDIENCES.has(aud.charCodeAt(aud.length - 1) === 0x2f ? aud.slice(0, -1) : aud);

/** The first `aud` value that names Microsoft Graph, if any. */
function graphAudienceOf(aud: unknown): string | undefined {
  if (typeof aud === 'string') return isGraphAudience(aud) ? aud : undefined;
  return Array.isArray(aud) ? (aud as unknown[]).find((a): a is string => typeof a === 'string' && isGraphAudience(a)) : undefined;
}

/**
 * Tokens for Microsoft's own APIs can only be verified by those APIs. Checked twice: before the
 * signature with `claims` undefined, for the `nonce` header (Graph and other first-party APIs such
 * as Teams' api.spaces.skype.com sign over its hash, so their tokens would fail as forged); after
 * the signature with the claims, for a Graph `aud` (app-only Graph tokens carry no nonce). The hint
 * suggests this API's scope, built from the configured audiences.
 */
export function checkNotGraphToken(
  header: JwsHeader,
  claims: EntraAccessTokenClaims | undefined,
  configuredAudiences: string | readonly string[],
  /** Before the signature: the unsigned claims of a small payload, only to name Graph in the hint. */
  peekClaims?: () => Record<string, unknown> | undefined,
): void {
  let graphAudience: string | undefined;
  if (claims === undefined) {
    if (header.nonce === undefined) return;
    graphAudience = graphAudienceOf(peekClaims?.()?.aud);
  } else {
    graphAudience = graphAudienceOf(claims.aud);
    if (graphAudience === undefined) return;
  }
  const appIdUri = appIdUriOf(typeof configuredAudiences === 'string' ? [configuredAudiences] : configuredAudiences);
  const found =
    graphAudience !== undefined
      ? `has aud ${shown(graphAudience, 200)} (Microsoft Graph); only Graph can verify it. The client asked for Graph scopes (e.g. User.Read, or only openid/profile).`
      : 'has a "nonce" header: it is a token for Microsoft Graph or another Microsoft first-party API (they add that header), which only that API can verify. The client asked for that API\'s scopes.';
  throw authError(
    'graph_token',
    graphAudience !== undefined ? 'The token is for Microsoft Graph, not for this API.' : 'The token is for a Microsoft API, not for this API.',
    `The token ${found} Request this API's scope instead, e.g. scopes: ["${fullScope(appIdUri, '<scope>')}"] (or "${fullScope(appIdUri, '.default')}" for client credentials).`,
  );
}

/** `none`, or an HMAC algorithm: what a forger writes when they have no RSA key. */
function isForgeryAlgorithm(alg: string): boolean {
  const upper = alg.toUpperCase();
  return upper === 'NONE' || (upper.length <= 5 && upper.startsWith('HS'));
}

/** RFC 7515 §4.1.11: `crit` is a non-empty array of strings. Checked without serializing it. */
function describeCrit(crit: unknown): string {
  if (!Array.isArray(crit)) return `a crit member that is ${typeName(crit)}, not an array of strings (RFC 7515 §4.1.11)`;
  if (crit.length === 0 || !crit.every((name) => typeof name === 'string')) return 'a crit member that is not a non-empty array of strings (RFC 7515 §4.1.11)';
  return `crit [${crit.slice(0, 5).map((name) => shown(name, 40)).join(', ')}${crit.length > 5 ? ', …' : ''}]`;
}

/** The algorithm must be allowed, and no JWS extension (`crit`, `b64`) may be in play. */
export function checkAlgorithm(header: JwsHeader, allowed: ReadonlySet<string>): void {
  const alg = header.alg;
  if (typeof alg !== 'string' || !allowed.has(alg)) {
    throw authError(
      'algorithm_not_allowed',
      'The token signing algorithm is not accepted.',
      `The token header says alg ${shown(alg, 20)}; accepted: ${[...allowed].join(', ')}. Entra signs access tokens with RS256.${typeof alg === 'string' && isForgeryAlgorithm(alg) ? ' An unsigned or HMAC token claiming to be from Entra is forged.' : ''}`,
    );
  }
  if (header.crit !== undefined || header.b64 !== undefined) {
    const found = header.crit !== undefined ? describeCrit(header.crit) : `b64 ${typeof header.b64 === 'boolean' ? String(header.b64) : typeName(header.b64)}`;
    throw authError('malformed_token', 'The token uses JWS extensions this API does not support.', `The header has ${found}. Entra never sets critical or b64 header parameters, and RFC 7515 requires refusing unknown critical ones.`);
  }
}

/** The key id to look up: `kid`, or `x5t` on old v1 tokens. */
export function keyIdOf(header: JwsHeader): string {
  const kid = typeof header.kid === 'string' && header.kid !== '' ? header.kid : typeof header.x5t === 'string' && header.x5t !== '' ? header.x5t : undefined;
  if (!kid) throw authError('malformed_token', 'The token does not name its signing key.', 'The token header has neither "kid" nor "x5t", so the signing key cannot be chosen. Entra always sets kid.');
  return kid;
}
