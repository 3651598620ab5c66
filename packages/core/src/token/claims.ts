// Typed views of Entra access token claims (Microsoft's access token claims reference).

/** Claims both versions share. */
export interface EntraCommonClaims {
  /** Audience: the API the token is for (its client id, or its Application ID URI on v1 tokens). */
  aud: string | string[];
  /** Issuer: `https://login.microsoftonline.com/{tid}/v2.0` (v2) or `https://sts.windows.net/{tid}/` (v1). */
  iss: string;
  /** Issued at, in seconds since the epoch. */
  iat?: number;
  /** Not valid before, in seconds since the epoch. */
  nbf?: number;
  /** Expires at, in seconds since the epoch. */
  exp: number;
  /** Tenant id (GUID) the token was issued in. */
  tid: string;
  /** Object id of the user, or of the client's service principal on app-only tokens. */
  oid?: string;
  /** Subject: pairwise per user and application; stable, but not the user's object id. */
  sub?: string;
  /** Delegated permissions, space-separated. */
  scp?: string;
  /** App roles (app permissions for app-only tokens, assigned roles for users). */
  roles?: string[];
  /** `"app"` on app-only tokens when the optional claim is configured (and on v2 tokens by default). */
  idtyp?: string;
  /** The user's display name (needs the `profile` scope on the client). */
  name?: string;
  /** Authentication context class references (Conditional Access auth contexts) satisfied. */
  acrs?: string[];
  /** Group object ids, when the app registration asks for the groups claim. */
  groups?: string[];
  /**
   * Groups overage: present instead of `groups` when the user is in more groups than fit in a
   * token (200 for JWTs): `{ groups: "src1" }`, naming an entry of `_claim_sources`.
   */
  _claim_names?: {
    /** The `_claim_sources` entry that holds the groups, e.g. `src1`. */
    groups?: string;
    /** Other distributed claims. */
    [claim: string]: unknown;
  };
  /** Groups overage: where the full list can be read (an Azure AD Graph URL; use Microsoft Graph instead). */
  _claim_sources?: Record<
    string,
    {
      /** The URL of the claim's values. */
      endpoint?: string;
    }
  >;
  /** Implicit-flow tokens: `true` instead of `groups` when the user is in more than 6 groups. */
  hasgroups?: boolean;
  /** Optional claim: the user's account status in the tenant, `0` member, `1` guest. */
  acct?: 0 | 1 | '0' | '1';
  /** Identity provider, when the user signed in through another tenant (a guest) or a social account. */
  idp?: string;
  /** Directory role template ids the user holds in the tenant. */
  wids?: string[];
  /** Opaque Entra-internal claim; not for authorization. */
  aio?: string;
  /** Opaque Entra-internal claim; not for authorization. */
  rh?: string;
  /** Token identifier (Entra's own, not a JWT `jti`); useful in logs. */
  uti?: string;
  /** Optional and future claims. */
  [claim: string]: unknown;
}

/** Claims of a v1 access token (`ver: "1.0"`, issued by `sts.windows.net`). */
export interface EntraV1Claims extends EntraCommonClaims {
  /** Token version. */
  ver: '1.0';
  /** The client application id. */
  appid?: string;
  /** 0 public client, 1 client secret, 2 certificate. */
  appidacr?: '0' | '1' | '2';
  /** A human-readable name for the user, usually the UPN; never use it as a key. */
  unique_name?: string;
  /** User principal name; can change, never use it as a key. */
  upn?: string;
}

/** Claims of a v2 access token (`ver: "2.0"`). */
export interface EntraV2Claims extends EntraCommonClaims {
  /** Token version. */
  ver: '2.0';
  /** The client application id. */
  azp?: string;
  /** 0 public client, 1 client secret, 2 certificate. */
  azpacr?: '0' | '1' | '2';
  /** The user's sign-in name (needs the `profile` scope); can change, never use it as a key. */
  preferred_username?: string;
}

/** A verified token's claims; narrow on `ver` to reach the version-specific ones. */
export type EntraAccessTokenClaims = EntraV1Claims | EntraV2Claims;

/** The token's JOSE header. */
export interface JwsHeader {
  /** Signature algorithm (`RS256` on Entra access tokens). */
  alg: string;
  /** Id of the signing key in the key set. */
  kid?: string;
  /** SHA-1 thumbprint of the signing certificate (v1 tokens; equals `kid` on Entra). */
  x5t?: string;
  /** `JWT`. */
  typ?: string;
  /** Other header parameters. */
  [parameter: string]: unknown;
}
