// ID tokens, where they belong: a web app checking the id_token its sign-in returned (OpenID
// Connect Core §3.1.3.7), with the same key sets, issuer rules and clock tolerance as access
// tokens, `aud` equal to the app's own client id, and the nonce the sign-in sent.
//
// An API never accepts ID tokens (the access-token verifier refuses them with not_access_token):
// an ID token says who signed in to the client, for the client; it grants no permission to any
// API, and its audience is the client, not the API. A client that sends its ID token to its own
// API (a pattern some tutorials show, because both share one app registration) should request an
// access token for a scope the API exposes and send that.
import { signatureBackend } from '#signature-backend';
import { asRefusal, authError } from '../errors.js';
import { isGuid } from '../guid.js';
import type { SignatureBackend } from '../keys/crypto/signature-backend.js';
import { KeySetCache } from '../keys/key-set-cache.js';
import type { FetchLike, JwksOptions, SupportedAlgorithm, TenantPolicy } from '../options.js';
import { shown } from '../printable.js';
import type { VerificationState, VerificationStep } from '../rules/verification-steps.js';
import type { EntraAccessTokenClaims, JwsHeader } from '../token/claims.js';
import type { EntraVerifierEvent } from '../events.js';
import { createAuthority, freeze, keySetCacheOf, type EntraVerifier } from './create-verifier.js';
import { refusalEvent } from './refusal-event.js';
import { resolveOptions } from './resolve-options.js';
import type { EntraVerifierOptions } from './verifier-options.js';

/** Options of {@link createIdTokenVerifier}: the web app's client id and where its users sign in. */
export interface IdTokenVerifierOptions {
  /** The web app's own application (client) id: an ID token's `aud`. */
  clientId: string;
  /** The tenant GUID, or `common` / `organizations` (then `allowedTenants` is required); with `authority`, the tenant it names (as for access tokens). */
  tenant: string;
  /** For `common` / `organizations`: tenant GUIDs, `['*']`, or a callback. */
  allowedTenants?: TenantPolicy;
  /** Discovery mode (B2C, External ID): the authority the app signs users in with. */
  authority?: string;
  /** The cloud, as for access tokens. Default `'public'`. */
  cloud?: EntraVerifierOptions['cloud'];
  /** Token versions to accept. Default `'any'`. */
  tokenVersion?: 1 | 2 | 'any';
  /** Default 300 s. */
  clockToleranceSeconds?: number;
  /** Default `['RS256']`. */
  algorithms?: readonly SupportedAlgorithm[];
  /** Key-set fetching and caching, as for access tokens. */
  jwks?: JwksOptions;
  /** Share the key-set cache of an access-token verifier (same process, same key sets fetched once). */
  keySetsOf?: EntraVerifier;
  /** Injectable fetch. Default `globalThis.fetch`. */
  fetch?: FetchLike;
  /** Injectable clock in epoch ms. Default `Date.now`. */
  now?: () => number;
  /** Operational events, as for access tokens. */
  onEvent?: (event: EntraVerifierEvent) => void;
}

/** What the sign-in's ID token says, once verified. */
export interface VerifiedIdToken {
  /** All claims (`oid`, `sub`, `name`, `preferred_username`, `nonce`, `sid`, …). */
  claims: EntraAccessTokenClaims;
  /** The JOSE header. */
  header: JwsHeader;
  /** 1 or 2, from the issuer. */
  tokenVersion: 1 | 2;
  /** The tenant the user signed in to. */
  tenantId: string;
  /** `oid`: the user's object id in that tenant. */
  objectId: string | undefined;
  /** `name`, when present. */
  name?: string;
  /** `preferred_username` (v2), else `upn` / `unique_name` (v1). */
  username?: string;
}

/** What {@link IdTokenVerifier.verify} also checks. */
export interface IdTokenExpectations {
  /** The nonce the app sent with the sign-in request (kept in its session): the token must carry exactly this one. */
  nonce?: string;
}

/** A verifier of ID tokens made by {@link createIdTokenVerifier}. */
export interface IdTokenVerifier {
  /** Verify an ID token; rejects with EntraAuthError (`not_id_token` for an access token, `nonce_mismatch`, and every access-token code that applies). */
  verify(idToken: string, expected?: IdTokenExpectations): Promise<VerifiedIdToken>;
  /** Load the key set (and metadata) now. */
  warm(): Promise<void>;
  /** Stop fetching (a shared key-set cache stays with its verifier). */
  close(): void;
}

/** An access token has a client app (`azp` / `appid`), delegated scopes, or is app-only; an ID token has none of these. */
function checkIdToken(claims: EntraAccessTokenClaims): void {
  const sign = typeof claims.scp === 'string' ? 'a scp claim' : claims.azp !== undefined ? 'an azp claim' : claims.appid !== undefined ? 'an appid claim' : claims.idtyp === 'app' ? 'idtyp "app"' : undefined;
  if (sign === undefined) return;
  throw authError('not_id_token', 'The token is not an ID token.', `The token has ${sign}: it is an access token. A web app verifies the id_token of its sign-in here; an API verifies access tokens with createEntraVerifier.`);
}

function checkNonce(claims: EntraAccessTokenClaims, nonce: string | undefined): void {
  if (nonce === undefined || claims.nonce === nonce) return;
  throw authError('nonce_mismatch', 'The ID token does not belong to this sign-in.', `The sign-in sent nonce ${shown(nonce, 80)}; the ID token carries ${claims.nonce === undefined ? 'none' : shown(claims.nonce, 80)}. A replayed token, or one from another sign-in (OpenID Connect Core §3.1.3.7, step 11).`);
}

/** {@link createIdTokenVerifier} with an explicit signature backend (tests run both). */
export function createIdTokenVerifierWithBackend(options: IdTokenVerifierOptions, backend: SignatureBackend): IdTokenVerifier {
  if (typeof options !== 'object' || options === null) throw new TypeError('entra-verify: createIdTokenVerifier needs { clientId, tenant or authority }');
  const { clientId, keySetsOf, ...rest } = options;
  if (typeof clientId !== 'string' || !isGuid(clientId)) throw new TypeError(`entra-verify: clientId must be the web app's application (client) GUID, got ${JSON.stringify(String(clientId))}`);
  const config = resolveOptions({ ...rest, tenant: rest.tenant as string, clientId, resultCache: false, requireScopeOrRole: false });
  // An ID token's aud is always the client id itself, never an App ID URI.
  const resolved = { ...config, audiences: [clientId.toLowerCase()] };
  const shared = keySetsOf === undefined ? undefined : keySetCacheOf(keySetsOf);
  if (keySetsOf !== undefined && shared === undefined) throw new TypeError('entra-verify: keySetsOf must be a verifier made by createEntraVerifier');
  const aborter = new AbortController();
  const keys = shared ?? new KeySetCache({ jwks: resolved.jwks, fetch: resolved.fetch, now: resolved.now, emit: resolved.emit, backend, expectedCloudInstanceName: resolved.authority ? undefined : resolved.cloud.cloudInstanceName });
  const authority = createAuthority(resolved, 0, false, keys, backend, aborter.signal);
  // The access-token rules that tell an access token apart give way to the ID token's.
  const accessOnly = new Set(['access token', 'client app', 'scope or role']);
  const steps: VerificationStep[] = [...authority.steps.filter((step) => !accessOnly.has(step.rule)), { rule: 'access token', needs: ['claims'], run: (s) => checkIdToken(s.claims!) }];

  return {
    async verify(idToken, expected) {
      const state: VerificationState = { token: idToken };
      try {
        for (const step of steps) {
          const pending = step.run(state);
          if (pending instanceof Promise) await pending;
        }
        checkNonce(state.claims!, expected?.nonce);
      } catch (error) {
        const refusal = asRefusal(error);
        if (resolved.observed) resolved.emit(refusalEvent(refusal, { state }));
        throw refusal;
      }
      const claims = state.claims!;
      const str = (name: string) => (typeof claims[name] === 'string' ? (claims[name] as string) : undefined);
      const verified: VerifiedIdToken = { claims, header: state.parsed!.header, tokenVersion: state.tokenVersion!, tenantId: state.tenantId!, objectId: str('oid') };
      const name = str('name');
      const username = str('preferred_username') ?? str('upn') ?? str('unique_name');
      if (name !== undefined) verified.name = name;
      if (username !== undefined) verified.username = username;
      return freeze(verified);
    },
    warm: () => authority.warm(),
    close() {
      aborter.abort();
      if (!shared) keys.close();
    },
  };
}

/**
 * Verify the ID token a web app receives from sign-in (not an access token, and never in an API):
 *
 * ```ts
 * const idTokens = createIdTokenVerifier({ clientId: '<web-app-client-id>', tenant: '<tenant-guid>', keySetsOf: apiVerifier });
 * const user = await idTokens.verify(idToken, { nonce: session.nonce });
 * ```
 *
 * Same key sets, issuer and tenant rules as access tokens; `aud` must be the app's client id;
 * an access token is refused with `not_id_token`, a foreign nonce with `nonce_mismatch`.
 */
export function createIdTokenVerifier(options: IdTokenVerifierOptions): IdTokenVerifier {
  return createIdTokenVerifierWithBackend(options, signatureBackend);
}
