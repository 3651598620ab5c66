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
import { verificationSteps, type VerificationRule, type VerificationState } from './verification-steps.js';
import { describeToken, type VerifiedAccessToken } from './verified-token.js';

export interface DiagnosisCheck {
  rule: VerificationRule | 'requirement';
  /** `skipped` when a rule it depends on failed. */
  outcome: 'passed' | 'failed' | 'skipped';
  error?: EntraAuthError;
}

export interface Diagnosis {
  accepted: boolean;
  /** Every rule in verification order, with what failed and why. */
  checks: DiagnosisCheck[];
  /** The verified token when every rule passed. */
  auth?: VerifiedAccessToken;
}

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

  async function location(): Promise<{ keySetUrl: string; issuer: IssuerContext }> {
    const metadata = discovery ? await discovery.get() : undefined;
    return {
      keySetUrl: metadata?.jwksUri ?? staticKeySetUrl,
      issuer: { cloud: config.cloud, tenant: config.tenant, tokenVersion: config.tokenVersion, discoveredIssuer: metadata?.issuer },
    };
  }

  const steps = verificationSteps({ config, keys, backend, location });

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

  function accepted(state: VerificationState): VerifiedAccessToken {
    const { claims, header } = state.parsed!;
    return freeze(describeToken(claims, header, state.tokenVersion!, state.tenantId!));
  }

  async function verifyToken(token: string): Promise<VerifiedAccessToken> {
    const cached = typeof token === 'string' ? await fromCache(token) : undefined;
    if (cached) return cached;
    const state: VerificationState = { token };
    for (const step of steps) {
      const pending = step.run(state);
      if (pending) await pending;
    }
    const auth = accepted(state);
    results?.set(token, { auth, keySetUrl: state.keySetUrl!, kid: state.kid!, key: state.key! }, (auth.claims.exp + config.clockToleranceSeconds) * 1000 - config.now());
    return auth;
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
        await step.run(state);
        outcomes.set(step.rule, 'passed');
        checks.push({ rule: step.rule, outcome: 'passed' });
      } catch (error) {
        if (!isEntraAuthError(error)) throw error;
        outcomes.set(step.rule, 'failed');
        checks.push({ rule: step.rule, outcome: 'failed', error });
      }
    }
    const allPassed = checks.every((check) => check.outcome === 'passed');
    const auth = allPassed ? accepted(state) : undefined;
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
