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
}

/** What a successful verification returns (and what the adapters put on the request). */
export interface VerifiedAccessToken {
  /** All claims, typed per version: narrow on `claims.ver`. */
  claims: EntraAccessTokenClaims;
  /** The token's JOSE header. */
  header: JwsHeader;
  /** 1 for `ver: "1.0"` tokens, 2 for `ver: "2.0"`. */
  tokenVersion: 1 | 2;
  /** The `tid` claim: the tenant the token was issued in. */
  tenantId: string;
  /** Who is calling. */
  principal: EntraPrincipal;
  /** Delegated permissions from `scp`. */
  scopes: string[];
  /** App roles from `roles`. */
  roles: string[];
}

/** App-only: `idtyp: "app"` when present, else no `scp` and `oid === sub` (Microsoft's documented rule). */
export function isAppOnly(claims: EntraAccessTokenClaims): boolean {
  if (claims.idtyp !== undefined) return claims.idtyp === 'app';
  return claims.scp === undefined && claims.oid !== undefined && claims.oid === claims.sub;
}

export function describeToken(claims: EntraAccessTokenClaims, header: JwsHeader, tokenVersion: 1 | 2, tenantId: string): VerifiedAccessToken {
  const v = claims as Record<string, unknown>;
  const str = (name: string) => (typeof v[name] === 'string' ? (v[name] as string) : undefined);
  const principal: EntraPrincipal = {
    type: isAppOnly(claims) ? 'app' : 'user',
    objectId: claims.oid,
    clientAppId: str('azp') ?? str('appid'),
  };
  const name = str('name');
  const username = str('preferred_username') ?? str('upn') ?? str('unique_name');
  if (name !== undefined) principal.name = name;
  if (username !== undefined) principal.username = username;
  return {
    claims,
    header,
    tokenVersion,
    tenantId,
    principal,
    scopes: claims.scp ? claims.scp.split(' ').filter(Boolean) : [],
    roles: claims.roles ? [...claims.roles] : [],
  };
}
