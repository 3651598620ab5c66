// The verifier: the verification order of DESIGN.md §3 wired to the key-set cache, the result
// cache and a signature backend. Exported with a backend parameter so tests can run every
// case through both crypto paths; users get createEntraVerifier with the runtime's backend.
import { authorize, type AuthRequirement } from './authorize.js';
import { checkAudience } from './check-audience.js';
import { checkClientApp, checkScopeOrRole } from './check-client.js';
import { checkHeader } from './check-header.js';
import { checkIssuer, checkSigningKeyIssuer, checkTenant, checkTenantPolicy, type IssuerContext } from './check-issuer.js';
import { checkLifetime } from './check-lifetime.js';
import type { SignatureBackend } from './crypto/signature-backend.js';
import { DiscoveryCache } from './discovery.js';
import { authError, isEntraAuthError } from './errors.js';
import { KeySetCache, type CachedKey } from './jwks/key-set-cache.js';
import type { EntraVerifierOptions } from './options.js';
import { parseToken, type ParsedToken } from './parse-token.js';
import { resolveOptions, type ResolvedOptions } from './resolve-options.js';
import { ResultCache } from './result-cache.js';
import { describeToken, type VerifiedAccessToken } from './verified-token.js';

export interface EntraVerifier {
  /** Verify a token and, when given, the route's requirement. Rejects with EntraAuthError. */
  verify(token: string, requirement?: AuthRequirement): Promise<VerifiedAccessToken>;
  /** Load key sets (and discovery metadata) now, e.g. at start-up. Rejects with keys_unavailable. */
  warm(): Promise<void>;
  /** Drop caches and abort key fetches in flight. */
  close(): void;
}

function freeze(auth: VerifiedAccessToken): VerifiedAccessToken {
  Object.freeze(auth.claims);
  Object.freeze(auth.header);
  Object.freeze(auth.principal);
  Object.freeze(auth.scopes);
  Object.freeze(auth.roles);
  return Object.freeze(auth);
}

export function createVerifierWithBackend(options: EntraVerifierOptions, backend: SignatureBackend): EntraVerifier {
  const config: ResolvedOptions = resolveOptions(options);
  const aborter = new AbortController();
  const keys = new KeySetCache({ jwks: config.jwks, fetch: config.fetch, now: config.now, emit: config.emit, backend });
  const discovery = config.authority
    ? new DiscoveryCache({ authority: config.authority, appId: config.appId, jwks: config.jwks, fetch: config.fetch, now: config.now, emit: config.emit, signal: aborter.signal })
    : undefined;
  const results = config.resultCache ? new ResultCache(config.resultCache.maxEntries) : undefined;
  const staticKeySetUrl = `${config.cloud.authorityHost}/${config.tenant.kind === 'single' ? config.tenant.tenantId : 'common'}/discovery/v2.0/keys${config.appId ? `?appid=${encodeURIComponent(config.appId)}` : ''}`;
  let closed = false;

  async function location(): Promise<{ keySetUrl: string; issuer: IssuerContext }> {
    const metadata = discovery ? await discovery.get() : undefined;
    return {
      keySetUrl: metadata?.jwksUri ?? staticKeySetUrl,
      issuer: { cloud: config.cloud, tenant: config.tenant, tokenVersion: config.tokenVersion, discoveredIssuer: metadata?.issuer },
    };
  }

  async function verifySignature(parsed: ParsedToken, kid: string, keySetUrl: string): Promise<CachedKey> {
    const key = await keys.getKey(keySetUrl, kid);
    if (!key) throw keyNotFound(kid, keySetUrl, config, keys.failureOf(keySetUrl)?.message);
    const alg = parsed.header.alg;
    let valid = false;
    try {
      valid = await backend.verify(await keys.importKey(key, alg), alg, parsed.signingInput, parsed.signature);
    } catch (cause) {
      throw authError('invalid_signature', 'The token signature is invalid.', `The signature could not be checked with key ${kid} from ${keySetUrl}.`, { cause });
    }
    if (!valid) {
      throw authError('invalid_signature', 'The token signature is invalid.', `The signature does not match key ${kid} from ${keySetUrl}: the token was altered after signing, or signed by someone else under a published kid.`);
    }
    return key;
  }

  async function fromCache(token: string): Promise<VerifiedAccessToken | undefined> {
    const hit = results?.get(token);
    if (!hit) return undefined;
    if (keys.currentKey(hit.keySetUrl, hit.kid) !== hit.key) {
      results!.delete(token);
      return undefined;
    }
    checkLifetime(hit.auth.claims, config.now(), config.clockToleranceSeconds);
    if (config.tenant.kind === 'multi' && config.tenant.callback) await checkTenantPolicy(hit.auth.tenantId, config.tenant);
    return hit.auth;
  }

  async function verifyToken(token: string): Promise<VerifiedAccessToken> {
    const cached = await fromCache(token);
    if (cached) return cached;
    const parsed = parseToken(token, config.maxTokenBytes, backend);
    const { claims, header } = parsed;
    const kid = checkHeader(header, claims, config.algorithms, config.audiences[0]!);
    const { keySetUrl, issuer } = await location();
    const key = await verifySignature(parsed, kid, keySetUrl);
    checkSigningKeyIssuer(key.issuer, claims, issuer);
    const tenantId = await checkTenant(claims, issuer);
    const tokenVersion = checkIssuer(claims, tenantId, issuer);
    checkAudience(claims, config.audiences);
    checkLifetime(claims, config.now(), config.clockToleranceSeconds);
    checkClientApp(claims, config.allowedClientApps);
    checkScopeOrRole(claims, config.requireScopeOrRole);
    const auth = freeze(describeToken(claims, header, tokenVersion, tenantId));
    results?.set(token, { auth, keySetUrl, kid, key }, (claims.exp + config.clockToleranceSeconds) * 1000 - config.now());
    return auth;
  }

  return {
    async verify(token, requirement) {
      if (closed) throw new Error('entra-verify: verify() called after close()');
      try {
        const auth = await verifyToken(token);
        if (requirement) authorize(auth, requirement);
        return auth;
      } catch (error) {
        if (isEntraAuthError(error)) config.emit({ type: 'token_rejected', code: error.code, status: error.status, description: error.description, hint: error.hint });
        throw error;
      }
    },
    async warm() {
      const { keySetUrl } = await location();
      await keys.warm(keySetUrl);
    },
    close() {
      closed = true;
      aborter.abort();
      keys.close();
      results?.clear();
    },
  };
}

function keyNotFound(kid: string, keySetUrl: string, config: ResolvedOptions, failure: string | undefined) {
  const cooldownMinutes = Math.round(config.jwks.unknownKidCooldownMs / 60_000);
  const hints = [
    `Key "${kid.slice(0, 80)}" is not in the key set at ${keySetUrl}${failure ? ` (its last refresh failed: ${failure})` : ''}; the set was refetched at most once per ${cooldownMinutes} min to look for it.`,
    'A token signed before a key rollover verifies until Entra retires that key; a kid that never appears is forged or comes from another issuer or cloud.',
  ];
  if (!config.appId && !config.authority) {
    hints.push('If the API\'s app registration uses custom signing keys (claims mapping), set appId: "<api-client-id>" to use the key set at ?appid=.');
  }
  return authError('signing_key_not_found', 'The token signing key is not recognized.', hints.join(' '));
}
