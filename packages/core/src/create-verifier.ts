// The verifier: the rules of verification-steps.ts wired to the key-set cache, the result cache
// and a signature backend. Exported with a backend parameter so tests can run every case
// through both crypto paths; users get createEntraVerifier with the runtime's backend.
import { authorize, type AuthRequirement } from './authorize.js';
import { checkTenantPolicy, type IssuerContext } from './check-issuer.js';
import { checkLifetime } from './check-lifetime.js';
import type { SignatureBackend } from './crypto/signature-backend.js';
import { DiscoveryCache } from './discovery.js';
import { isEntraAuthError, type EntraAuthError } from './errors.js';
import { KeySetCache } from './jwks/key-set-cache.js';
import type { EntraVerifierOptions } from './options.js';
import { resolveOptions, type ResolvedOptions } from './resolve-options.js';
import { ResultCache } from './result-cache.js';
import { verificationSteps, type KeySetLocation, type VerificationRule, type VerificationState } from './verification-steps.js';
import { describeToken, type VerifiedAccessToken } from './verified-token.js';

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
}

/** A verifier made by {@link createEntraVerifier}: make one at start-up and share it. */
export interface EntraVerifier {
  /** Verify a token and, when given, the route's requirement. Rejects with EntraAuthError. */
  verify(token: string, requirement?: AuthRequirement): Promise<VerifiedAccessToken>;
  /**
   * Check every rule instead of stopping at the first failure, to explain all that is wrong with
   * a token (the CLI's doctor uses this). Uses no cache and emits no events; never use its
   * result to let a request in: use verify().
   */
  diagnose(token: string, requirement?: AuthRequirement): Promise<Diagnosis>;
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

  const issuerContext = (discoveredIssuer: string | undefined): IssuerContext => ({ cloud: config.cloud, tenant: config.tenant, tokenVersion: config.tokenVersion, discoveredIssuer });
  const staticLocation: KeySetLocation = { keySetUrl: staticKeySetUrl, issuer: issuerContext(undefined) };
  const location = (): KeySetLocation | Promise<KeySetLocation> =>
    discovery ? discovery.get().then((metadata) => ({ keySetUrl: metadata.jwksUri, issuer: issuerContext(metadata.issuer) })) : staticLocation;

  const steps = verificationSteps({ config, keys, backend, location });

  /** A cached verification still valid now, or undefined; a promise only if a tenant callback decides. */
  function fromCache(token: string): VerifiedAccessToken | undefined | Promise<VerifiedAccessToken> {
    const hit = results?.get(token, config.now());
    if (!hit) return undefined;
    if (keys.currentKey(hit.keySetUrl, hit.kid) !== hit.key) {
      results!.delete(token);
      return undefined;
    }
    checkLifetime(hit.auth.claims, config.now(), config.clockToleranceSeconds);
    const policy = checkTenantPolicy(hit.auth.tenantId, config.tenant);
    return policy instanceof Promise ? policy.then(() => hit.auth) : hit.auth;
  }

  /** Run the rules from `index` on; synchronous until a rule has to wait. */
  function runSteps(state: VerificationState, index = 0): void | Promise<void> {
    for (let i = index; i < steps.length; i++) {
      const pending = steps[i]!.run(state);
      if (pending instanceof Promise) return pending.then(() => runSteps(state, i + 1));
    }
  }

  /** The result once every rule passed. */
  const describe = (state: VerificationState) => freeze(describeToken(state.parsed!.claims, state.parsed!.header, state.tokenVersion!, state.tenantId!));

  function accepted(token: string, state: VerificationState): VerifiedAccessToken {
    const auth = describe(state);
    if (results?.admit(token)) results.set(token, { auth, expiresAt: (auth.claims.exp + config.clockToleranceSeconds) * 1000, keySetUrl: state.keySetUrl!, kid: state.kid!, key: state.key! });
    return auth;
  }

  /** Synchronous on the warm path (keys loaded and imported, no tenant callback): no await at all. */
  function verifyToken(token: string): VerifiedAccessToken | Promise<VerifiedAccessToken> {
    const cached = typeof token === 'string' ? fromCache(token) : undefined;
    if (cached) return cached;
    const state: VerificationState = { token };
    const pending = runSteps(state);
    return pending ? pending.then(() => accepted(token, state)) : accepted(token, state);
  }

  async function diagnose(token: string, requirement?: AuthRequirement): Promise<Diagnosis> {
    const state: VerificationState = { token };
    const outcomes = new Map<VerificationRule, DiagnosisCheck['outcome']>();
    const checks: DiagnosisCheck[] = [];
    for (const step of steps) {
      if (step.needs.some((rule) => outcomes.get(rule) !== 'passed')) {
        outcomes.set(step.rule, 'skipped');
        checks.push({ rule: step.rule, outcome: 'skipped' });
        continue;
      }
      try {
        const pending = step.run(state);
        if (pending instanceof Promise) await pending;
        outcomes.set(step.rule, 'passed');
        checks.push({ rule: step.rule, outcome: 'passed' });
      } catch (error) {
        if (!isEntraAuthError(error)) throw error;
        outcomes.set(step.rule, 'failed');
        checks.push({ rule: step.rule, outcome: 'failed', error });
      }
    }
    const allPassed = checks.every((check) => check.outcome === 'passed');
    const auth = allPassed ? describe(state) : undefined;
    if (requirement) {
      if (!auth) checks.push({ rule: 'requirement', outcome: 'skipped' });
      else {
        try {
          authorize(auth, requirement);
          checks.push({ rule: 'requirement', outcome: 'passed' });
        } catch (error) {
          if (!isEntraAuthError(error)) throw error;
          checks.push({ rule: 'requirement', outcome: 'failed', error });
        }
      }
    }
    const ok = checks.every((check) => check.outcome === 'passed');
    return ok && auth ? { accepted: true, checks, auth } : { accepted: false, checks };
  }

  return {
    // Not an async function: on the warm path verification is synchronous, and the one promise
    // returned here is the only asynchronous step.
    verify(token, requirement) {
      if (closed) return Promise.reject(new Error('entra-verify: verify() called after close()'));
      const authorized = (auth: VerifiedAccessToken) => {
        if (requirement) authorize(auth, requirement);
        return auth;
      };
      const refused = (error: unknown): Promise<never> => {
        if (isEntraAuthError(error)) config.emit({ type: 'token_rejected', code: error.code, status: error.status, description: error.description, hint: error.hint });
        return Promise.reject(error);
      };
      try {
        const verified = verifyToken(token);
        return verified instanceof Promise ? verified.then(authorized).catch(refused) : Promise.resolve(authorized(verified));
      } catch (error) {
        return refused(error);
      }
    },
    diagnose,
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
