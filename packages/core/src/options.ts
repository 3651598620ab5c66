// The verifier's options as users write them (DESIGN.md §3).
import type { CloudName } from './clouds.js';
import type { EntraVerifierEvent } from './events.js';

/** Which tenants a multi-tenant API serves: tenant GUIDs, `['*']` for any, or a callback (may be async). */
export type TenantPolicy = readonly string[] | ((tenantId: string) => boolean | Promise<boolean>);

/** Signature algorithms the verifier can check (Entra signs access tokens with RS256). */
export type SupportedAlgorithm = 'RS256' | 'RS384' | 'RS512' | 'PS256' | 'PS384' | 'PS512';

/** How signing key sets are fetched and cached. */
export interface JwksOptions {
  /** Refresh a key set this often, with ±10 % jitter. Default 12 h. */
  refreshIntervalMs?: number;
  /** An unknown `kid` triggers at most one refetch per key set per this interval. Default 5 min. */
  unknownKidCooldownMs?: number;
  /** Give up on a key-set request after this long. Default 5 s. */
  timeoutMs?: number;
  /** Refuse key-set responses larger than this. Default 1 MiB. */
  maxResponseBytes?: number;
  /** Keep serving the last good keys this long after a refresh was due and failed. Default 24 h. */
  staleIfErrorMs?: number;
  /** Key sets (one per URL) kept in the LRU. Default 16. */
  maxEntries?: number;
}

/** Options of {@link createEntraVerifier} and {@link verifyAccessToken}; checked once, when the verifier is made. */
export interface EntraVerifierOptions {
  /** Your tenant's GUID, or `common` / `organizations` for multi-tenant APIs (then `allowedTenants` is required). */
  tenant: string;
  /** Accepted `aud` values, e.g. `api://<client-id>` and/or the client id. Required unless `clientId` is given. */
  audience?: string | readonly string[];
  /** Shorthand: accept `aud` equal to the client id or `api://<client-id>`. */
  clientId?: string;
  /** For `common` / `organizations`: the tenants you serve, `['*']` for any, or a callback. */
  allowedTenants?: TenantPolicy;
  /** Token versions to accept. Default `'any'`. */
  tokenVersion?: 1 | 2 | 'any';
  /** National cloud, or a custom authority host. Default `'public'`. */
  cloud?:
    | CloudName
    | {
        /** Host of the authority, e.g. `https://login.microsoftonline.us`. */
        authorityHost: string;
        /** Host of v1 issuers, e.g. `https://sts.windows.net`. Default: the authority host. */
        v1IssuerHost?: string;
      };
  /** Discovery mode (B2C, External ID / CIAM, custom): issuer and jwks_uri come from `{authority}/.well-known/openid-configuration`. */
  authority?: string;
  /** For apps with custom signing keys: use the key set at `?appid=<appId>`. */
  appId?: string;
  /** Accept only tokens requested by these client apps (`azp` in v2, `appid` in v1). */
  allowedClientApps?: readonly string[];
  /** Default 300 s, as in Microsoft's own middleware. */
  clockToleranceSeconds?: number;
  /** Refuse tokens carrying neither `scp` nor `roles`. Default true. */
  requireScopeOrRole?: boolean;
  /** Default 32 KiB. */
  maxTokenBytes?: number;
  /** Signature algorithms to accept. Default `['RS256']`, what Entra uses. */
  algorithms?: readonly SupportedAlgorithm[];
  /** Key-set fetching and caching; see {@link JwksOptions} for the defaults. */
  jwks?: JwksOptions;
  /** Cache verified tokens by their exact text (time, tenant callback and requirement still run every call). Default `{ maxEntries: 1000 }`. */
  resultCache?:
    | false
    | {
        /** Verified tokens kept (least recently used go first). */
        maxEntries: number;
      };
  /** Injectable fetch (the testkit plugs in here). Default `globalThis.fetch`. */
  fetch?: (input: RequestInfo | URL, init?: RequestInit) => Promise<Response>;
  /** Injectable clock in epoch ms. Default `Date.now`. */
  now?: () => number;
  /** Operational events: key sets fetched, rotated, failed; tokens refused (code only, never the token). */
  onEvent?: (event: EntraVerifierEvent) => void;
}
