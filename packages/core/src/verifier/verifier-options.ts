// The verifier's options as users write them (DESIGN.md §3), for one authority or several.
import type { CloudName } from '../clouds.js';
import type { EntraVerifierEvent } from '../events.js';
import type { EntraLogger } from '../logger.js';
import type { DecryptionKey, FetchLike, JwksOptions, SupportedAlgorithm, TenantPolicy } from '../options.js';
import type { CallerKinds, GuestPolicy } from '../rules/callers.js';
import type { AuthCheck } from '../rules/custom-check.js';
import type { RequiredClaim } from '../rules/required-claims.js';

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
  /**
   * The cloud: `'public'` (default), `'usgov'`, `'china'`, the partner sovereign clouds `'bleu'`
   * (France), `'delos'` (Germany) and `'govsg'` (Singapore), or custom hosts. Hosts of the named
   * clouds come from Microsoft's published instance metadata (see the core README).
   */
  cloud?:
    | CloudName
    | {
        /** Host of discovery and key sets, e.g. `https://login.microsoftonline.us`. */
        authorityHost: string;
        /** Host of v1 issuers, e.g. `https://sts.windows.net`. Default: the authority host. */
        v1IssuerHost?: string;
        /** Host of v2 issuers, e.g. `https://login.partner.microsoftonline.cn`. Default: the authority host. */
        v2IssuerHost?: string;
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
  /**
   * Private keys of the certificate Entra encrypts this API's tokens with (the app registration's
   * `tokenEncryptionKeyId`): with them, encrypted tokens (JWE, 5 parts) are decrypted and the signed
   * token inside is verified by every rule. Plain signed tokens are still accepted. Default: none,
   * and an encrypted token is refused with a hint.
   */
  decryptionKeys?: readonly DecryptionKey[];
  /** Key-set fetching and caching; see {@link JwksOptions} for the defaults. */
  jwks?: JwksOptions;
  /**
   * Cache verified tokens by their exact text (time, tenant callback and requirement still run
   * every call). Default `{ maxEntries: 1000 }`. An entry holds about twice the token's length in
   * memory (the text and its claims): about 2.8 KB for a 1.3 KB Entra token.
   */
  resultCache?:
    | false
    | {
        /** Verified tokens kept (least recently used go first). Default 1000, or unbounded by count when only maxBytes is given. */
        maxEntries?: number;
        /** Bound the cache by estimated bytes too (each entry counts twice its token's length plus 200), e.g. for large tokens with many groups. */
        maxBytes?: number;
      };
  /**
   * `'auto'` spreads signature checks over every core on Node: per event-loop turn the first
   * verification runs inline, and the others run on libuv's thread pool while this thread goes on
   * with the next request, for as long as requests keep overlapping (a caller that awaits one
   * verification at a time stays inline). Worth it where verification is most of the CPU (a
   * gateway, forward-auth) and a core is free. Default `'off'`: synchronous, the fastest for one
   * verification at a time. Other runtimes check signatures with WebCrypto, asynchronous already.
   */
  offload?: 'off' | 'auto';
  /** Injectable fetch (the testkit plugs in here). Default `globalThis.fetch`. */
  fetch?: FetchLike;
  /** Injectable clock in epoch ms. Default `Date.now`. */
  now?: () => number;
  /**
   * Operational events: key sets fetched, rotated, failed; discovery read; tokens refused, with
   * the code, the hint and who was refused (tenant, client app, `uti`, authority, requirement),
   * never the token. Called synchronously; a throwing handler is ignored.
   */
  onEvent?: (event: EntraVerifierEvent) => void;
  /**
   * Where refusals (`warn`, one line per code and tenant a minute) and key-set events (`info`) are
   * logged: pino, winston, bunyan, `console`, Fastify's `app.log`, or a function that prints a
   * line; `false` for nothing. Default: the console when `NODE_ENV` is not `production`, nothing
   * in production. See the core README's Logging section.
   */
  logger?: EntraLogger | false;
  /**
   * Claims every token must carry, with API Management's `required-claims` semantics (name, values,
   * match `all` | `any`, separator). A missing or non-matching claim is refused with
   * `required_claim_not_met` (403; see the core README for why not 401).
   */
  requiredClaims?: readonly RequiredClaim[];
  /** `users` (delegated tokens only), `apps` (app-only tokens only) or `both` (default). */
  callers?: CallerKinds;
  /** `refuse` keeps guests of the tenant out (`guest_not_allowed`); default `allow`. `auth.principal.guest` says either way. */
  guests?: GuestPolicy;
  /**
   * The application's own rule, run on every call after every other rule (cached tokens
   * included), before the route's requirement. Refuse with `throw refuse(code, description, hint)`;
   * anything else it throws is refused as `verification_failed`, never answered with a 500.
   */
  check?: AuthCheck;
}

/** Options that belong to the verifier as a whole, not to one authority: transport, clock, caches, decryption. */
export type SharedVerifierOption = 'fetch' | 'now' | 'onEvent' | 'logger' | 'jwks' | 'resultCache' | 'offload' | 'maxTokenBytes' | 'decryptionKeys';

/**
 * One authority of a verifier with several: today's single-authority options (tenant or
 * authority, audience or clientId, cloud, tokenVersion, allowedClientApps, …) and a name.
 * `requiredClaims`, `callers`, `guests` and `check` set here replace the verifier-wide ones.
 */
export type AuthorityOptions = Omit<EntraVerifierOptions, SharedVerifierOption> & {
  /** How requirements (`requireAuth({ authority: 'customers' })`), `auth.authority` and hints name it. */
  name: string;
};

/**
 * Options of a verifier that accepts tokens from several authorities (a workforce tenant, an
 * Azure AD B2C user flow, an External ID tenant, another cloud, …). The unsigned `iss` of a token
 * only chooses the candidate authority; every rule of that authority then runs, with its own keys.
 */
export interface EntraAuthoritiesOptions extends Pick<EntraVerifierOptions, SharedVerifierOption | 'requiredClaims' | 'callers' | 'guests' | 'check'> {
  /** The authorities, each with a unique name; no two may accept the same issuer. */
  authorities: readonly AuthorityOptions[];
}

/** What {@link createEntraVerifier} accepts: one authority's options, or `{ authorities: [...] }`. */
export type EntraVerifierConfig = EntraVerifierOptions | EntraAuthoritiesOptions;
