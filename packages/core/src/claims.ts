// Typed views of Entra access token claims (Microsoft's access token claims reference).

/** Claims both versions share. */
export interface EntraCommonClaims {
  aud: string | string[];
  iss: string;
  iat?: number;
  nbf?: number;
  exp: number;
  tid: string;
  oid?: string;
  sub?: string;
  /** Delegated permissions, space-separated. */
  scp?: string;
  /** App roles (app permissions for app-only tokens, assigned roles for users). */
  roles?: string[];
  /** `"app"` on app-only tokens when the optional claim is configured (and on v2 tokens by default). */
  idtyp?: string;
  name?: string;
  /** Authentication context class references (Conditional Access auth contexts) satisfied. */
  acrs?: string[];
  groups?: string[];
  wids?: string[];
  aio?: string;
  rh?: string;
  uti?: string;
  [claim: string]: unknown;
}

export interface EntraV1Claims extends EntraCommonClaims {
  ver: '1.0';
  /** The client application id. */
  appid?: string;
  /** 0 public client, 1 client secret, 2 certificate. */
  appidacr?: '0' | '1' | '2';
  unique_name?: string;
  upn?: string;
  idp?: string;
}

export interface EntraV2Claims extends EntraCommonClaims {
  ver: '2.0';
  /** The client application id. */
  azp?: string;
  /** 0 public client, 1 client secret, 2 certificate. */
  azpacr?: '0' | '1' | '2';
  preferred_username?: string;
}

export type EntraAccessTokenClaims = EntraV1Claims | EntraV2Claims;

export interface JwsHeader {
  alg: string;
  kid?: string;
  x5t?: string;
  typ?: string;
  [parameter: string]: unknown;
}
