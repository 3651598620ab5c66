// The verifier: the rules of verification-steps.ts wired to the key-set cache, the result cache
// and a signature backend, for one authority or several. Exported with a backend parameter so
// tests can run every case through both crypto paths; users get createEntraVerifier with the
// runtime's backend.
//
// With several authorities, decryption and the format rule run once; the token's unsigned `iss`
// then picks the authority (select-authority.ts), and that authority's rules run as they would in
// a verifier of its own, against its own key set. Cached results remember their authority, so a
// hit is judged by the rules (clock tolerance, tenant policy, check) of the authority that
// accepted it, and `auth.authority` lets requirements tell authorities apart.
import { authorizeEndpoint, keySetUrl } from '../clouds.js';
import { asRefusal, type EntraAuthError } from '../errors.js';
import type { SignatureBackend } from '../keys/crypto/signature-backend.js';
import { DiscoveryCache, type DiscoveredMetadata } from '../keys/discovery.js';
import { KeySetCache } from '../keys/key-set-cache.js';
import { authorize, type AuthRequirement } from '../rules/authorize.js';
import { isGuest } from '../rules/callers.js';
import { checkCertificateBinding, type VerifyContext } from '../rules/check-certificate-binding.js';
import { checkTenantPolicy, type IssuerContext } from '../rules/check-issuer.js';
import { checkLifetime, isWithinLifetime } from '../rules/check-lifetime.js';
import { runCheck } from '../rules/custom-check.js';
import { assertRequirement } from '../rules/requirement.js';
import type { ResolvedOptions } from '../rules/rule-config.js';
import { andThen, authoritySteps, parsingSteps, verificationSteps, type KeySetLocation, type VerificationRule, type VerificationState, type VerificationStep } from '../rules/verification-steps.js';
import { HeaderMemo } from '../token/header-memo.js';
import { peekIssuer } from '../token/peek-issuer.js';
import { describeToken, type VerifiedAccessToken } from '../token/verified-token.js';
import { knownIssuers } from './authority-issuers.js';
import { resolveVerifier } from './resolve-options.js';
import { refusalEvent } from './refusal-event.js';
import { ResultCache, type CachedVerification } from './result-cache.js';
import { AuthoritySelector, type SelectableAuthority } from './select-authority.js';
import type { EntraVerifierConfig } from './verifier-options.js';

/** One rule's outcome in a {@link Diagnosis}. */
export interface DiagnosisCheck {
  /** The rule, named as in the verification order; `requirement` for the route's requirement. */
  rule: VerificationRule | 'requirement';
  /** `skipped` when a rule it depends on failed. */
  outcome: 'passed' | 'failed' | 'skipped';
  /** Why the rule failed, with its hint. */
  error?: EntraAuthError;
}

/** What {@link EntraVerifier.diagnose} finds: every rule's outcome, not only the first failure. */
export interface Diagnosis {
  /** True when every rule (and the requirement, if given) passed. */
  accepted: boolean;
  /** Every rule in verification order, with what failed and why. */
  checks: DiagnosisCheck[];
  /** The verified token when every rule passed. */
  auth?: VerifiedAccessToken;
  /** With several authorities: the one the token's issuer chose, when one did. */
  authority?: string;
}

/** A verifier made by {@link createEntraVerifier}: make one at start-up and share it. */
export interface EntraVerifier {
  /** Verify a token and, when given, the route's requirement. Rejects with EntraAuthError (a TypeError for a requirement it does not understand). */
  verify(
    token: string,
    requirement?: AuthRequirement,
    /** The request's proof of possession (`{ clientCertificate }`, for certificate-bound `cnf` tokens) and the request `check` functions receive. Used on every call, cached or not. */
    context?: VerifyContext,
  ): Promise<VerifiedAccessToken>;
  /**
   * Check every rule instead of stopping at the first failure, to explain all that is wrong with
   * a token (the CLI's doctor uses this). Uses no cache and emits no events; never use its
   * result to let a request in: use verify().
   */
  diagnose(token: string, requirement?: AuthRequirement, context?: VerifyContext): Promise<Diagnosis>;
  /** Load key sets (and discovery metadata) now, e.g. at start-up, for every authority. Rejects with keys_unavailable. */
  warm(): Promise<void>;
  /**
   * Emergency: refuse the signing key `kid` at once (a leaked or compromised key). It is dropped
   * from every cached key set, every cached result it signed is dropped, and tokens naming it are
   * refused with signing_key_not_found from now on, even while the key endpoint still publishes
   * it (Microsoft may take a while to unpublish a key). The verifier remembers the last 256
   * revoked kids, for its lifetime; a new verifier (e.g. after a restart) starts with none.
   */
  revokeKey(kid: string): void;
  /**
   * The `authorization_uri` for claims challenges (`insufficient_claims`): the configured cloud's
   * authorize endpoint for the tenant (`common` for multi-tenant APIs), or in discovery mode the
   * authority metadata's `authorization_endpoint`; with several authorities, the first one's.
   * Pass it to toHttpError({ authorizationUri }).
   */
  readonly authorizationUri: string;
  /** The names of the authorities, in the order configured; empty for a single-authority verifier. */
  readonly authorities: readonly string[];
  /** Drop caches and abort key fetches in flight. */
  close(): void;
}

/** One authority wired to the shared caches. */
export interface Authority extends SelectableAuthority {
  readonly index: number;
  readonly config: ResolvedOptions;
  readonly steps: VerificationStep[];
  /** Azure AD B2C / External ID and other discovery-mode authorities: `idp` names a social provider there. */
  readonly customer: boolean;
  authorizationUri(): string;
  warm(): Promise<void>;
}

/** Key-set caches of verifiers, so an ID-token verifier can share one (createIdTokenVerifier's `keySetsOf`). */
const keySetCaches = new WeakMap<EntraVerifier, KeySetCache>();

/** How a verifier made by this library reports a refusal it did not make itself (an adapter's route guard). */
const refusalReporters = new WeakMap<EntraVerifier, (error: EntraAuthError, auth: VerifiedAccessToken | undefined, requirement: object | undefined) => void>();

/**
 * Report a refusal decided outside verify() (an adapter's route guard answering 403) as
 * `token_rejected`, to the verifier's onEvent and logger. Nothing happens for a verifier that
 * this library did not make.
 */
export function reportRefusal(verifier: EntraVerifier, error: EntraAuthError, auth: VerifiedAccessToken | undefined, requirement?: object): void {
  refusalReporters.get(verifier)?.(error, auth, requirement);
}

/** Each verifier's synchronous cache-hit path, with the verify() it stands in for. */
const cachedPaths = new WeakMap<EntraVerifier, { verify: EntraVerifier['verify']; cached: (token: string) => VerifiedAccessToken | undefined }>();

/**
 * The verified token when `token` is a cache hit that needs nothing asynchronous and nothing of
 * the request (no `check`, no tenant callback, not certificate-bound), else undefined: then call
 * verify(). Never refuses, never throws. Undefined for a verifier this library did not make, and
 * for one whose verify() was replaced (a wrapper that audits or denies must see every call).
 */
export function cachedVerification(verifier: EntraVerifier, token: string): VerifiedAccessToken | undefined {
  const path = cachedPaths.get(verifier);
  return path !== undefined && verifier.verify === path.verify ? path.cached(token) : undefined;
}

/** The key-set cache a verifier made by this library uses, for a verifier that shares it. */
export function keySetCacheOf(verifier: EntraVerifier): KeySetCache | undefined {
  return keySetCaches.get(verifier);
}

/**
 * Results are shared through the result cache, so every level is frozen: an app that edits one
 * request's `roles` must not change what later requests (and authorize()) see. Iterative, so a
 * deeply nested claim cannot exhaust the stack.
 */
export function freeze<T extends object>(auth: T): T {
  const pending: object[] = [auth];
  // Only objects are queued: most claims are strings and numbers, already immutable.
  const queue = (child: unknown) => {
    if (typeof child === 'object' && child !== null && !Object.isFrozen(child)) pending.push(child);
  };
  while (pending.length > 0) {
    const value = pending.pop()!;
    if (Object.isFrozen(value)) continue;
    Object.freeze(value);
    // for-in rather than Object.keys: V8 enumerates a plain object's keys from a cache, without an array.
    if (Array.isArray(value)) for (let i = 0; i < value.length; i++) queue(value[i]);
    else for (const key in value) queue((value as Record<string, unknown>)[key]);
  }
  return auth;
}

/** Run `steps` from `index` on; synchronous until a rule has to wait. */
function runSteps(steps: readonly VerificationStep[], state: VerificationState, index = 0): void | Promise<void> {
  for (let i = index; i < steps.length; i++) {
    const pending = steps[i]!.run(state);
    if (pending instanceof Promise) return pending.then(() => runSteps(steps, state, i + 1));
  }
}

/** Wire one authority's rules to a key-set cache (and its discovery metadata, in discovery mode). */
export function createAuthority(config: ResolvedOptions, index: number, multi: boolean, keys: KeySetCache, backend: SignatureBackend, signal: AbortSignal, headers?: HeaderMemo): Authority {
  const discovery = config.authority
    ? new DiscoveryCache({ authority: config.authority, appId: config.appId, jwks: config.jwks, fetch: config.fetch, now: config.now, emit: config.emit, signal })
    : undefined;
  const tenantSegment = config.tenant.kind === 'single' ? config.tenant.tenantId : 'common';
  const staticKeySetUrl = keySetUrl(config.cloud, tenantSegment, config.appId);
  // Key sets of a built-in cloud must name that cloud; a custom host or discovery mode is not checked.
  if (multi && !config.authority && config.cloud.cloudInstanceName) keys.expectCloudInstance(staticKeySetUrl, config.cloud.cloudInstanceName);
  const issuerContext = (metadata: DiscoveredMetadata | undefined): IssuerContext => ({ cloud: config.cloud, tenant: config.tenant, tokenVersion: config.tokenVersion, discoveredIssuer: metadata?.issuer, discoveredTenant: metadata?.issuerTenant });
  const staticLocation: KeySetLocation = { keySetUrl: staticKeySetUrl, issuer: issuerContext(undefined) };
  // One location per metadata document, not one per token.
  let discovered: { metadata: DiscoveredMetadata; location: KeySetLocation } | undefined;
  const discoveredLocation = (metadata: DiscoveredMetadata): KeySetLocation => {
    if (discovered?.metadata !== metadata) discovered = { metadata, location: { keySetUrl: metadata.jwksUri, issuer: issuerContext(metadata) } };
    return discovered.location;
  };
  const location = (): KeySetLocation | Promise<KeySetLocation> => (discovery ? discovery.get().then(discoveredLocation) : staticLocation);
  // Claims challenges name the authorize endpoint of the configured cloud and tenant, or the authority's.
  const staticAuthorizationUri = authorizeEndpoint(config.cloud, tenantSegment);
  const dependencies = { config, keys, backend, location, headers };
  return {
    index,
    name: config.name ?? '',
    config,
    discovery,
    issuers: knownIssuers(config),
    customer: config.authority !== undefined,
    steps: multi ? authoritySteps(dependencies) : verificationSteps(dependencies),
    authorizationUri() {
      if (!config.authority) return staticAuthorizationUri;
      const loaded = discovery?.peek()?.authorizationEndpoint;
      if (loaded) return loaded;
      return config.authority.endsWith('/v2.0') ? `${config.authority.slice(0, -5)}/oauth2/v2.0/authorize` : `${config.authority}/oauth2/authorize`;
    },
    async warm() {
      const { keySetUrl: url } = await location();
      await keys.warm(url);
    },
  };
}

export function createVerifierWithBackend(options: EntraVerifierConfig, backend: SignatureBackend): EntraVerifier {
  const resolved = resolveVerifier(options);
  const { multi } = resolved;
  const base = resolved.authorities[0]!;
  const { emit, now, observed } = base;
  // How refusal events name the authority of a single-authority verifier (several: auth.authority).
  const describedAuthority = multi ? undefined : (base.authority ?? `${base.cloud.authorityHost}/${base.tenant.kind === 'single' ? base.tenant.tenantId : base.tenant.segment}`);
  const aborter = new AbortController();
  // One cache for every authority: each only ever asks for its own key-set URLs, so no key of one
  // authority can verify another's token; authorities that share a key set share one fetch.
  const expectedCloudInstanceName = multi || base.authority ? undefined : base.cloud.cloudInstanceName;
  const keys = new KeySetCache({ jwks: base.jwks, fetch: base.fetch, now, emit, backend, expectedCloudInstanceName });
  const results = base.resultCache ? new ResultCache(base.resultCache) : undefined;
  const headers = new HeaderMemo();
  const authorities = resolved.authorities.map((config, index) => createAuthority(config, index, multi, keys, backend, aborter.signal, headers));
  const single = multi ? undefined : authorities[0]!;
  const byName = new Map(authorities.map((a) => [a.name, a]));
  const selector = multi ? new AuthoritySelector(authorities) : undefined;
  const parsing = multi ? parsingSteps({ decryptionKeys: resolved.decryptionKeys, maxTokenBytes: base.maxTokenBytes }, backend, headers) : [];
  const names = Object.freeze(multi ? authorities.map((a) => a.name) : []);
  /** Requirements whose authority names were checked against this verifier's. */
  const knownRequirements = new WeakSet<AuthRequirement>();
  let closed = false;

  const authorityOf = (auth: VerifiedAccessToken): Authority => single ?? byName.get(auth.authority!)!;

  function checkRequirementNames(requirement: AuthRequirement): void {
    if (knownRequirements.has(requirement)) return;
    assertRequirement(requirement);
    const wanted = requirement.authority === undefined ? [] : typeof requirement.authority === 'string' ? [requirement.authority] : requirement.authority;
    for (const name of wanted) {
      if (!byName.has(name) || !multi) {
        throw new TypeError(`entra-verify: the requirement names authority "${name}", ${multi ? `but this verifier's authorities are ${names.map((n) => `"${n}"`).join(', ')}` : 'but this verifier has no named authorities'}`);
      }
    }
    knownRequirements.add(requirement);
  }

  /** A cached verification of exactly this token, unexpired, whose signing key is still the one served; or undefined. */
  function liveHit(token: string, at: number): CachedVerification | undefined {
    const hit = results?.get(token, at);
    if (!hit) return undefined;
    if (keys.currentKey(hit.keySetUrl, hit.kid) === hit.key) return hit;
    results!.delete(token);
    return undefined;
  }

  /** A cached verification still valid now, or undefined; a promise only if a tenant callback decides. */
  function fromCache(token: string): VerifiedAccessToken | undefined | Promise<VerifiedAccessToken> {
    const at = now();
    const hit = liveHit(token, at);
    if (!hit) return undefined;
    const { config } = authorities[hit.authority]!;
    checkLifetime(hit.auth.claims, at, config.clockToleranceSeconds);
    const policy = checkTenantPolicy(hit.auth.tenantId, config.tenant);
    return policy instanceof Promise ? policy.then(() => hit.auth) : hit.auth;
  }

  /**
   * The adapters' synchronous path: a cache hit that needs nothing asynchronous and nothing of the
   * request, or undefined. A `check` and a tenant callback may wait, a bound token needs the
   * request's certificate, and an expired token must be refused (with its event): all of those
   * take verify()'s path.
   */
  function cachedWithoutWaiting(token: string): VerifiedAccessToken | undefined {
    if (closed || !results) return undefined;
    try {
      const at = now();
      // A clock that is not a finite number (NaN, ±Infinity) is verify()'s to refuse, fail-closed.
      if (!Number.isFinite(at)) return undefined;
      const hit = liveHit(token, at);
      if (!hit) return undefined;
      const { config } = authorities[hit.authority]!;
      const { claims } = hit.auth;
      if (config.check || (config.tenant.kind === 'multi' && config.tenant.callback) || claims.cnf !== undefined) return undefined;
      return isWithinLifetime(claims, at, config.clockToleranceSeconds) ? hit.auth : undefined;
    } catch {
      // Whatever failed (a throwing clock), verify() meets it again and answers with a refusal.
      return undefined;
    }
  }

  /** The result once every rule passed. */
  const describe = (token: string, state: VerificationState, authority: Authority) =>
    freeze(
      describeToken(state.claims!, state.parsed!.header, state.tokenVersion!, state.tenantId!, {
        token,
        guest: state.guest ?? isGuest(state.claims!, authority.customer),
        authority: authority.config.name,
      }),
    );

  function accepted(token: string, state: VerificationState, authority: Authority): VerifiedAccessToken {
    const auth = describe(token, state, authority);
    headers.remember(state.parsed!.headerText, state.parsed!.header, state.kid!);
    if (results?.admit(token)) {
      results.set({ auth, expiresAt: (auth.claims.exp + authority.config.clockToleranceSeconds) * 1000, keySetUrl: state.keySetUrl!, kid: state.kid!, key: state.key!, authority: authority.index });
    }
    return auth;
  }

  function runAuthority(token: string, state: VerificationState, authority: Authority): VerifiedAccessToken | Promise<VerifiedAccessToken> {
    const pending = runSteps(authority.steps, state);
    return pending ? pending.then(() => accepted(token, state, authority)) : accepted(token, state, authority);
  }

  /** Several authorities: the issuer inside the parsed token picks one. */
  const chooseAuthority = (token: string, state: VerificationState) => andThen(selector!.select(peekIssuer(state.parsed!.payload)), (authority) => runAuthority(token, state, authority));

  /** Synchronous on the warm path (keys loaded and imported, no tenant callback): no await at all. */
  function verifyToken(token: string, state: VerificationState): VerifiedAccessToken | Promise<VerifiedAccessToken> {
    const cached = typeof token === 'string' ? fromCache(token) : undefined;
    if (cached) return cached;
    if (single) return runAuthority(token, state, single);
    const parsed = runSteps(parsing, state);
    return parsed ? parsed.then(() => chooseAuthority(token, state)) : chooseAuthority(token, state);
  }

  async function diagnose(token: string, requirement?: AuthRequirement, context?: VerifyContext): Promise<Diagnosis> {
    if (requirement) checkRequirementNames(requirement);
    const state: VerificationState = { token };
    const outcomes = new Map<VerificationRule, DiagnosisCheck['outcome']>();
    const checks: DiagnosisCheck[] = [];
    const record = (rule: VerificationRule, outcome: DiagnosisCheck['outcome'], error?: unknown) => {
      outcomes.set(rule, outcome);
      checks.push(error === undefined ? { rule, outcome } : { rule, outcome, error: asRefusal(error) });
    };
    const runAll = async (steps: readonly VerificationStep[], skipAll = false) => {
      for (const step of steps) {
        if (skipAll || step.needs.some((rule) => outcomes.get(rule) !== 'passed')) {
          record(step.rule, 'skipped');
          continue;
        }
        try {
          const pending = step.run(state);
          if (pending instanceof Promise) await pending;
          record(step.rule, 'passed');
        } catch (error) {
          // diagnose() explains every input, so even a failure that is not a rule's is reported.
          record(step.rule, 'failed', error);
        }
      }
    };
    let authority = single;
    if (single) await runAll(single.steps);
    else {
      await runAll(parsing);
      if (outcomes.get('format') !== 'passed') record('authority', 'skipped');
      else {
        try {
          authority = await selector!.select(peekIssuer(state.parsed!.payload));
          record('authority', 'passed');
        } catch (error) {
          record('authority', 'failed', error);
        }
      }
      await runAll((authority ?? authorities[0]!).steps, authority === undefined);
    }
    let auth: VerifiedAccessToken | undefined;
    if (authority && checks.every((check) => check.outcome === 'passed')) {
      try {
        auth = describe(typeof token === 'string' ? token : '', state, authority);
      } catch (error) {
        record('format', 'failed', error);
      }
    }
    // Reported only for bound tokens (cnf), so the rule list of every other token stays the same.
    const parsedClaims = state.claims;
    if (parsedClaims && parsedClaims.cnf !== undefined) {
      try {
        await checkCertificateBinding(parsedClaims, context?.clientCertificate);
        record('certificate binding', 'passed');
      } catch (error) {
        record('certificate binding', 'failed', error);
      }
    }
    const check = authority?.config.check;
    if (check) {
      if (!auth) record('check', 'skipped');
      else {
        try {
          await runCheck(check, auth, context?.request);
          record('check', 'passed');
        } catch (error) {
          record('check', 'failed', error);
        }
      }
    }
    if (requirement) {
      if (!auth) checks.push({ rule: 'requirement', outcome: 'skipped' });
      else {
        try {
          await authorize(auth, requirement, context?.request);
          checks.push({ rule: 'requirement', outcome: 'passed' });
        } catch (error) {
          checks.push({ rule: 'requirement', outcome: 'failed', error: asRefusal(error) });
        }
      }
    }
    const ok = checks.every((c) => c.outcome === 'passed');
    const named = authority?.config.name === undefined ? {} : { authority: authority.config.name };
    return ok && auth ? { accepted: true, checks, auth, ...named } : { accepted: false, checks, ...named };
  }

  /** A refusal: reported (to onEvent and the logger) and returned as a rejection; `auth` once the rules passed. */
  function refuse(failure: unknown, state: VerificationState | undefined, auth: VerifiedAccessToken | undefined, requirement: AuthRequirement | undefined): Promise<never> {
    const error = asRefusal(failure);
    if (observed) emit(refusalEvent(error, { auth, state, requirement, authority: describedAuthority }));
    return Promise.reject(error);
  }

  /**
   * What the rules cannot decide from the token alone, on cache hits too: the request's certificate
   * binding (a 401 before any 403), the authority's check, then the route's requirement. Most
   * calls have none of them and resolve at once.
   */
  function judge(auth: VerifiedAccessToken, state: VerificationState, requirement: AuthRequirement | undefined, context: VerifyContext | undefined): Promise<VerifiedAccessToken> {
    try {
      const binding = checkCertificateBinding(auth.claims, context?.clientCertificate);
      const check = authorityOf(auth).config.check;
      if (binding === undefined && check === undefined && requirement === undefined) return Promise.resolve(auth);
      const request = context?.request;
      const demanded = () => (requirement ? authorize(auth, requirement, request) : undefined);
      const done = andThen(binding, () => (check ? andThen(runCheck(check, auth, request), demanded) : demanded()));
      return done instanceof Promise ? done.then(() => auth, (error: unknown) => refuse(error, state, auth, requirement)) : Promise.resolve(auth);
    } catch (error) {
      return refuse(error, state, auth, requirement);
    }
  }

  const verifier: EntraVerifier = {
    // Not an async function: on the warm path verification is synchronous, and the one promise
    // returned here is the only asynchronous step.
    verify(token, requirement, context) {
      if (closed) return Promise.reject(new Error('entra-verify: verify() called after close()'));
      if (requirement) {
        try {
          checkRequirementNames(requirement);
        } catch (error) {
          return Promise.reject(error);
        }
      }
      const state: VerificationState = { token };
      let verified: VerifiedAccessToken | Promise<VerifiedAccessToken>;
      try {
        verified = verifyToken(token, state);
      } catch (error) {
        return refuse(error, state, undefined, requirement);
      }
      return verified instanceof Promise
        ? verified.then(
            (auth) => judge(auth, state, requirement, context),
            (error: unknown) => refuse(error, state, undefined, requirement),
          )
        : judge(verified, state, requirement, context);
    },
    diagnose,
    get authorizationUri() {
      return authorities[0]!.authorizationUri();
    },
    authorities: names,
    async warm() {
      await Promise.all(authorities.map((authority) => authority.warm()));
    },
    revokeKey(kid) {
      if (typeof kid !== 'string' || kid === '') throw new TypeError('entra-verify: revokeKey() needs a key id (a non-empty string)');
      keys.revoke(kid);
      results?.deleteSignedBy(kid);
      headers.forgetKey(kid);
    },
    close() {
      closed = true;
      aborter.abort();
      keys.close();
      results?.clear();
      headers.clear();
    },
  };
  keySetCaches.set(verifier, keys);
  if (results) cachedPaths.set(verifier, { verify: verifier.verify, cached: cachedWithoutWaiting });
  refusalReporters.set(verifier, (error, auth, requirement) => {
    if (observed) emit(refusalEvent(error, { auth, requirement, authority: describedAuthority }));
  });
  return verifier;
}
