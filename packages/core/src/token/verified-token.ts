// What a successful verification returns, and how the caller is described.
import type { EntraAccessTokenClaims, JwsHeader } from './claims.js';

/** Who is calling, as far as the token says. */
export interface EntraPrincipal {
  /** `app` for app-only (client credentials) tokens, `user` for delegated ones. */
  type: 'user' | 'app';
  /** `oid`: the user, or the client's service principal for app-only tokens. */
  objectId: string | undefined;
  /** The calling application: `azp` (v2) or `appid` (v1). */
  clientAppId: string | undefined;
  /** The `name` claim, when the token has one. */
  name?: string;
  /** `preferred_username` (v2), else `upn` / `unique_name` (v1). */
  username?: string;
  /**
   * A guest of the tenant (B2B): from the `acct` optional claim (1 guest, 0 member), else for
   * workforce tokens an `idp` other than the token's own tenant. Always false for app-only tokens
   * and, without `acct`, for Azure AD B2C and External ID customers (there `idp` names a social provider).
   */
  guest: boolean;
}

/** What a successful verification returns (and what the adapters put on the request). */
export interface VerifiedAccessToken {
  /** All claims, typed per version: narrow on `claims.ver`. */
  claims: EntraAccessTokenClaims;
  /** The token's JOSE header. */
  header: JwsHeader;
  /**
   * The endpoint version that issued the token, as its issuer shows: 1 for v1 issuers
   * (`https://sts.windows.net/{tid}/`), 2 for v2 issuers (`…/{tid}/v2.0`). Azure AD B2C tokens
   * report 2: they come from B2C's v2.0 endpoint and carry v2 claim names (azp, scp); their
   * `ver: "1.0"` is B2C's own claim-set version, not an Entra v1 token.
   */
  tokenVersion: 1 | 2;
  /** The tenant the token was issued in: `tid`, or for Azure AD B2C (no tid) the tenant its issuer names. */
  tenantId: string;
  /**
   * Azure AD B2C: the user flow or custom policy that issued the token (`tfp`, else `acr` on
   * policies that write it there), as the B2C token overview describes. Absent on Entra ID tokens.
   */
  userFlow?: string;
  /** Who is calling. */
  principal: EntraPrincipal;
  /** Delegated permissions from `scp`. */
  scopes: string[];
  /** App roles from `roles`. */
  roles: string[];
  /** With several authorities (`createEntraVerifier({ authorities })`): the name of the one that accepted the token. */
  authority?: string;
  /**
   * The token exactly as the client sent it, for calls the API makes on the caller's behalf
   * (on-behalf-of with msal-node: `acquireTokenOnBehalfOf({ oboAssertion: auth.token, … })`).
   * Not enumerable: JSON.stringify, console.log and object spreads leave it out, so it does not
   * end up in logs or responses by accident.
   */
  readonly token: string;
}

/** What {@link describeToken} adds beside the claims: who matched, and the token itself. */
export interface TokenContext {
  /** The token as received (the JWE itself for an encrypted token). */
  token: string;
  /** The caller is a guest (see {@link EntraPrincipal.guest}). */
  guest: boolean;
  /** The authority's name, with several authorities. */
  authority?: string | undefined;
}

/** App-only: `idtyp: "app"` when present, else no `scp` and `oid === sub` (Microsoft's documented rule). */
export function isAppOnly(claims: EntraAccessTokenClaims): boolean {
  if (claims.idtyp !== undefined) return claims.idtyp === 'app';
  return claims.scp === undefined && claims.oid !== undefined && claims.oid === claims.sub;
}

/** The names in `scp` (space-separated); empty names from repeated spaces are dropped, without a second pass when there are none. */
function scopesOf(scp: string): string[] {
  const names = scp.split(' ');
  return names.includes('') ? names.filter((name) => name !== '') : names;
}

/** A claim's value when it is a string. */
const text = (value: unknown): string | undefined => (typeof value === 'string' ? value : undefined);

/** The result of a verification that passed: claims, caller, permissions, and the B2C user flow if any. */
export function describeToken(claims: EntraAccessTokenClaims, header: JwsHeader, tokenVersion: 1 | 2, tenantId: string, context: TokenContext): VerifiedAccessToken {
  const v = claims as Record<string, unknown>;
  const principal: EntraPrincipal = {
    type: isAppOnly(claims) ? 'app' : 'user',
    objectId: claims.oid,
    clientAppId: text(v.azp) ?? text(v.appid),
    guest: context.guest,
  };
  // Entra ID's own acr ("0", "1") is not a user flow: only B2C tokens (no tid) name one there.
  const userFlow = text(v.tfp) ?? (v.tid === undefined ? text(v.acr) : undefined);
  const name = text(v.name);
  const username = text(v.preferred_username) ?? text(v.upn) ?? text(v.unique_name);
  if (name !== undefined) principal.name = name;
  if (username !== undefined) principal.username = username;
  const described = {
    claims,
    header,
    tokenVersion,
    tenantId,
    principal,
    scopes: claims.scp ? scopesOf(claims.scp) : [],
    roles: claims.roles ? claims.roles.slice() : [],
  } as VerifiedAccessToken;
  if (userFlow !== undefined) described.userFlow = userFlow;
  if (context.authority !== undefined) described.authority = context.authority;
  Object.defineProperty(described, 'token', { value: context.token, enumerable: false });
  return described;
}
